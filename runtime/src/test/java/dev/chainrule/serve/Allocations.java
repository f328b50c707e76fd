package dev.chainrule.serve;

import java.lang.management.ManagementFactory;

/** Measures the bytes the current thread allocates while running some code. */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {}

    static long of(Runnable code) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        code.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Five measurements of {@code code}, every one counted: their bytes together, or 0 if at
     * most two of them allocated anything and under 2 KiB together. That forgives the JVM's own
     * sporadic one-offs (such as resolving a constant when the compiler swaps code in during a
     * round) but not an allocation that shows in three rounds; the least of the rounds would
     * also hide one made once a round.
     */
    static long ofRounds(Runnable code) {
        long total = 0;
        int dirty = 0;
        for (int round = 0; round < 5; round++) {
            long bytes = of(code);
            total += bytes;
            dirty += bytes != 0 ? 1 : 0;
        }
        return dirty <= 2 && total < 2048 ? 0 : total;
    }
}
