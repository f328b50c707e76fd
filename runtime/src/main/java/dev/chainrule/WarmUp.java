package dev.chainrule;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What {@link FloatModel#warmUp(Duration)} or {@link DoubleModel#warmUp(Duration)} did before it
 * returned.
 *
 * <p>A JVM runs a method in its interpreter and its first compiler before the optimizing
 * compiler (C2) takes it over, after some thousands of calls and in a background thread. Until
 * then a generated model is slower, and on the Vector API kernels it allocates: a vector is a heap
 * object until C2 compiles the code that uses it (a 64-48-24-10 network allocated 123 MB in its
 * first 2,000 float predictions, JDK 17). Warming up runs {@code predict} on seeded random inputs, at least
 * {@value #MINIMUM_CALLS} times (past C2's usual threshold), then in rounds of {@value #ROUND}
 * calls until {@value #CLEAN_ROUNDS} rounds in a row have allocated nothing on the calling thread
 * or the time limit has passed.
 *
 * @param calls how many predictions ran
 * @param elapsed how long they took
 * @param allocationFree whether the last {@value #CLEAN_ROUNDS} rounds allocated nothing on the
 *     calling thread; {@code false} if the limit came first, or if this JVM does not count a
 *     thread's allocations ({@code com.sun.management.ThreadMXBean}), when only the minimum
 *     number of calls ran
 */
public record WarmUp(long calls, Duration elapsed, boolean allocationFree) {
    /** The calls every warm-up runs. */
    public static final int MINIMUM_CALLS = 20_000;
    /** The calls between two readings of the thread's allocation counter. */
    public static final int ROUND = 1_000;
    /** How many rounds in a row must allocate nothing. */
    public static final int CLEAN_ROUNDS = 10;
    /** The time limit of {@code warmUp()}. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(30);

    public WarmUp {
        if (calls < 0 || elapsed == null || elapsed.isNegative()) {
            throw new IllegalArgumentException(
                    "a warm-up runs calls >= 0 in a non-negative time; got " + calls + " in " + elapsed);
        }
    }

    /** Runs {@code call} as described above, within {@code limit}. */
    static WarmUp run(Runnable call, Duration limit) {
        if (limit == null || limit.isNegative()) {
            throw new IllegalArgumentException("the warm-up's time limit must be zero or more; got " + limit);
        }
        long start = System.nanoTime();
        // toNanos overflows past 292 years; a limit over a hundred years is as good as none
        long deadline =
                start + (limit.compareTo(Duration.ofDays(365L * 100)) > 0 ? Long.MAX_VALUE / 4 : limit.toNanos());
        long calls = 0;
        for (; calls < MINIMUM_CALLS; calls++) {
            call.run();
        }
        AllocationCounter counter = AllocationCounter.get();
        boolean clean = false;
        if (counter != null) {
            int cleanRounds = 0;
            while (cleanRounds < CLEAN_ROUNDS && System.nanoTime() - deadline < 0) {
                long before = counter.bytes();
                for (int i = 0; i < ROUND; i++) {
                    call.run();
                }
                calls += ROUND;
                cleanRounds = counter.bytes() == before ? cleanRounds + 1 : 0;
            }
            clean = cleanRounds >= CLEAN_ROUNDS;
        }
        return new WarmUp(calls, Duration.ofNanos(System.nanoTime() - start), clean);
    }

    /** The calling thread's allocated bytes, where the JVM counts them. */
    private static final class AllocationCounter {
        private final com.sun.management.ThreadMXBean threads;

        private AllocationCounter(com.sun.management.ThreadMXBean threads) {
            this.threads = threads;
        }

        /** The counter, or {@code null} where this JVM has none or it is switched off. */
        static AllocationCounter get() {
            try {
                if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                        && threads.isThreadAllocatedMemorySupported()
                        && threads.isThreadAllocatedMemoryEnabled()) {
                    AllocationCounter counter = new AllocationCounter(threads);
                    return counter.bytes() >= 0 ? counter : null;
                }
            } catch (LinkageError | UnsupportedOperationException | SecurityException e) {
                // no java.management or jdk.management in this runtime image: only the minimum
            }
            return null;
        }

        long bytes() {
            return threads.getCurrentThreadAllocatedBytes();
        }
    }
}
