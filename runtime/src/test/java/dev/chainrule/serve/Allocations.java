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
     * The least of five measurements of {@code code}: ignores a one-off allocation of the JVM
     * itself (such as resolving a constant when the compiler swaps code in during a round), while
     * an allocation made on every call shows in every round.
     */
    static long leastOf(Runnable code) {
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            least = Math.min(least, of(code));
        }
        return least;
    }
}
