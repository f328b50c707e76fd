package dev.chainrule.processor;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** The bytes some code allocates on the calling thread once the JIT has compiled it. */
final class SteadyAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private SteadyAllocation() {}

    /** Clean windows in a row that show the JIT has settled (one alone has been followed by more of its work). */
    static final int SETTLED_WINDOWS = 2;
    /** The windows measured, every one counted, once the JIT has settled. */
    static final int COUNTED_WINDOWS = 6;
    /**
     * What the JVM's own sporadic work on the thread may add to a run without counting: at most
     * {@value #ONE_OFF_WINDOWS} windows, under {@value #ONE_OFF_BYTES} bytes together (seen here:
     * 544 or 1,256 bytes in one window of sixty, and 1,160 bytes in two of six, at no fixed call).
     */
    static final long ONE_OFF_BYTES = 2048;

    static final int ONE_OFF_WINDOWS = 2;

    /**
     * Runs {@code work} 20,000 times, then windows of 10,000 runs until {@value #SETTLED_WINDOWS}
     * in a row allocate nothing or ten seconds have passed (the JIT settling), and then {@value
     * #COUNTED_WINDOWS} more windows; returns what {@link #counted(long[])} makes of those, or the
     * settling windows' fewest bytes if none of them was clean.
     *
     * <p>An allocation on the path shows in every window: at least 16 bytes a call, 160,000 a
     * window. A window can also see allocations that are not the path's: the JVM's one-off work
     * while the JIT settles, and code still running in the JIT's first tier, which keeps Vector
     * API vectors as heap objects. On a loaded two-core machine the optimizing compiler's queue
     * has held a kernel back for most of a second after a fixed warm-up ended; measuring until
     * windows are clean, within a bound, waits for it. Every window after that counts, so an
     * allocation once in 10,001 calls shows too (the least of many windows would hide it).
     */
    static long ofWindows(Runnable work) {
        for (int i = 0; i < 20_000; i++) {
            work.run();
        }
        long start = System.nanoTime();
        long least = Long.MAX_VALUE;
        int clean = 0;
        do {
            long bytes = window(work, 10_000);
            least = Math.min(least, bytes);
            clean = bytes == 0 ? clean + 1 : 0;
        } while (clean < SETTLED_WINDOWS && System.nanoTime() - start < PATIENCE_NANOS);
        if (least > 0) {
            return least;
        }
        long[] windows = new long[COUNTED_WINDOWS];
        for (int w = 0; w < COUNTED_WINDOWS; w++) {
            windows[w] = window(work, 10_000);
        }
        return counted(windows);
    }

    /**
     * The bytes of all {@code windows} together, or 0 if at most {@value #ONE_OFF_WINDOWS} windows
     * allocated anything and fewer than {@value #ONE_OFF_BYTES} bytes in all. So an allocation
     * that shows in three windows counts: with {@code n} windows of {@code c} calls, one that
     * recurs at least every {@code n c / 3} calls fails a test that expects zero, and so does any
     * that allocates 2 KiB.
     */
    static long counted(long[] windows) {
        long total = 0;
        int dirty = 0;
        for (long bytes : windows) {
            total += bytes;
            dirty += bytes != 0 ? 1 : 0;
        }
        return dirty <= ONE_OFF_WINDOWS && total < ONE_OFF_BYTES ? 0 : total;
    }

    /** The bytes the calling thread has allocated so far. */
    static long threadAllocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** The bytes {@code runs} runs of {@code work} allocate on this thread. */
    static long window(Runnable work, int runs) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < runs; i++) {
            work.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
