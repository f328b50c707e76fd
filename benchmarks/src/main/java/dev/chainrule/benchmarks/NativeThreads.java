package dev.chainrule.benchmarks;

import java.util.List;

/**
 * Peers that call native BLAS or OpenMP code start a thread per core unless told otherwise. Every
 * implementation here is measured on one thread, so their benchmarks refuse to run unless the
 * environment limits those libraries to one thread ({@code run-benchmarks.sh} sets it).
 */
public final class NativeThreads {
    /** The variables that must each be {@code 1}. */
    public static final List<String> VARIABLES = List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS");

    private NativeThreads() {}

    /** Throws, naming the variable, unless every one of {@link #VARIABLES} is set to {@code 1}. */
    public static void requireOne() {
        for (String name : VARIABLES) {
            String value = System.getenv(name);
            if (!"1".equals(value)) {
                throw new IllegalStateException(
                        "environment variable " + name + " is " + (value == null ? "unset" : "'" + value + "'")
                                + ", expected 1: native peers must run on one thread like everything else here "
                                + "(export " + String.join("=1 ", VARIABLES) + "=1, as run-benchmarks.sh does)");
            }
        }
    }
}
