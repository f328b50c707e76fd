package dev.chainrule.processor;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** The bytes some code allocates on the calling thread once the JIT has compiled it. */
final class SteadyAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private SteadyAllocation() {}

    /** The windows measured, every one counted, once the JIT has settled. */
    static final int COUNTED_WINDOWS = 6;
    /**
     * The most one window of a run may allocate without counting: the JVM's own one-off work on
     * the thread (seen here: 544 and 1,256 bytes in one window of sixty, at no fixed call).
     */
    static final long ONE_OFF_BYTES = 2048;

    /**
     * Runs {@code work} 20,000 times, then windows of 10,000 runs until one allocates nothing or
     * ten seconds have passed (the JIT settling), and then {@value #COUNTED_WINDOWS} more windows;
     * returns what {@link #counted(long[])} makes of those, or the settling windows' fewest bytes
     * if none was clean.
     *
     * <p>An allocation on the path shows in every window: at least 16 bytes a call, 160,000 a
     * window. A window can also see allocations that are not the path's: the JVM's one-off work
     * while the JIT settles, and code still running in the JIT's first tier, which keeps Vector
     * API vectors as heap objects. On a loaded two-core machine the optimizing compiler's queue
     * has held a kernel back for most of a second after a fixed warm-up ended; measuring until a
     * window is clean, within a bound, waits for it. Every window after that counts, so an
     * allocation once in 10,001 calls shows too (the least of many windows would hide it).
     */
    static long ofWindows(Runnable work) {
        for (int i = 0; i < 20_000; i++) {
            work.run();
        }
        long start = System.nanoTime();
        long least = Long.MAX_VALUE;
        do {
            least = Math.min(least, window(work, 10_000));
        } while (least > 0 && System.nanoTime() - start < PATIENCE_NANOS);
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
     * The bytes of all {@code windows} together, less one window's if that one window alone
     * allocated anything and fewer than {@value #ONE_OFF_BYTES} bytes. So any allocation that
     * shows in two windows counts: with {@code n} windows of {@code c} calls, one recurring at
     * least every {@code n c / 2} calls fails a test that expects zero.
     */
    static long counted(long[] windows) {
        long total = 0;
        int dirty = 0;
        for (long bytes : windows) {
            total += bytes;
            dirty += bytes != 0 ? 1 : 0;
        }
        return dirty == 1 && total < ONE_OFF_BYTES ? 0 : total;
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
