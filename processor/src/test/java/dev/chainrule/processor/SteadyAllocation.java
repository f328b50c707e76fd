package dev.chainrule.processor;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** The bytes some code allocates on the calling thread once the JIT has compiled it. */
final class SteadyAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private SteadyAllocation() {}

    /**
     * Runs {@code work} 20,000 times, then measures windows of 10,000 runs until one allocates
     * nothing or ten seconds have passed, and returns the fewest bytes a window allocated.
     *
     * <p>An allocation on the path shows in every window: at least 16 bytes a call, 160,000 a
     * window. A window can also see allocations that are not the path's: the JVM's one-off work
     * while the JIT settles, and code still running in the JIT's first tier, which keeps Vector
     * API vectors as heap objects. On a loaded two-core machine the optimizing compiler's queue
     * has held a kernel back for most of a second after a fixed warm-up ended; measuring until a
     * window is clean, within a bound, waits for it without hiding an allocation of the path.
     */
    static long ofWindows(Runnable work) {
        for (int i = 0; i < 20_000; i++) {
            work.run();
        }
        long start = System.nanoTime();
        long least = Long.MAX_VALUE;
        do {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                work.run();
            }
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        } while (least > 0 && System.nanoTime() - start < PATIENCE_NANOS);
        return least;
    }
}
