package dev.chainrule.benchmarks;

/**
 * The checks every benchmark runs in its setup, before anything is timed, so that no
 * implementation is timed doing different work from Chainrule's: the same outputs for the same
 * parameters and input, and the same update from one training step. A failed check throws
 * {@link IllegalStateException}, which fails the benchmark.
 */
public final class Agreement {
    /**
     * Largest difference allowed between two implementations' outputs (probabilities in [0, 1]):
     * float rounding in sums of a few hundred products, far below any real disagreement.
     */
    public static final double OUTPUT_TOLERANCE = 2e-5;
    /**
     * Largest difference allowed between two implementations' parameter updates, as a fraction
     * of the largest update.
     */
    public static final double UPDATE_TOLERANCE = 1e-3;

    private Agreement() {}

    /** Throws unless {@code actual} matches Chainrule's {@code expected} outputs within {@link #OUTPUT_TOLERANCE}. */
    public static void requireSameOutputs(String who, float[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(who + ": " + actual.length + " outputs, Chainrule has " + expected.length);
        }
        for (int k = 0; k < expected.length; k++) {
            if (!(Math.abs(expected[k] - actual[k]) <= OUTPUT_TOLERANCE)) {
                throw new IllegalStateException(who + " computes a different function: output " + k + " is " + actual[k]
                        + ", Chainrule's is " + expected[k] + " (tolerance " + OUTPUT_TOLERANCE + ")");
            }
        }
    }

    /** As {@link #requireSameOutputs(String, float[], double[])} for float outputs. */
    public static void requireSameOutputs(String who, float[] expected, float[] actual) {
        requireSameOutputs(who, expected, Workload.toDouble(actual));
    }

    /**
     * Throws unless one training step moved the parameters by the same amounts: {@code
     * peerAfter - before} must match {@code chainruleAfter - before} element by element within
     * {@link #UPDATE_TOLERANCE} of the largest change (plus float rounding of the parameters),
     * and the step must have changed something.
     *
     * @param before the parameters both started from, in Chainrule's layout
     * @param chainruleAfter Chainrule's parameters after one step
     * @param peerAfter the peer's parameters after one step, read back into Chainrule's layout
     */
    public static void requireSameStep(String who, float[] before, float[] chainruleAfter, double[] peerAfter) {
        if (peerAfter.length != before.length || chainruleAfter.length != before.length) {
            throw new IllegalStateException(
                    who + ": " + peerAfter.length + " parameters, Chainrule has " + before.length);
        }
        double largest = 0;
        for (int p = 0; p < before.length; p++) {
            largest = Math.max(largest, Math.abs(chainruleAfter[p] - before[p]));
        }
        if (largest == 0) {
            throw new IllegalStateException(who + ": Chainrule's step changed no parameter, nothing to compare");
        }
        for (int p = 0; p < before.length; p++) {
            double expected = chainruleAfter[p] - before[p];
            double actual = peerAfter[p] - before[p];
            double tolerance =
                    UPDATE_TOLERANCE * largest + 2 * Math.ulp((float) (Math.abs(before[p]) + Math.abs(expected)));
            if (!(Math.abs(expected - actual) <= tolerance)) {
                throw new IllegalStateException(who + " takes a different training step: parameter " + p + " moved by "
                        + actual + ", Chainrule's by " + expected + " (tolerance " + tolerance + ")");
            }
        }
    }

    /** As {@link #requireSameStep(String, float[], float[], double[])} for float parameters. */
    public static void requireSameStep(String who, float[] before, float[] chainruleAfter, float[] peerAfter) {
        requireSameStep(who, before, chainruleAfter, Workload.toDouble(peerAfter));
    }

    /** Chainrule's outputs for one sample of {@code workload}. */
    public static float[] chainruleOutputs(Workload workload, float[] input) {
        float[] outputs = new float[workload.outputSize()];
        workload.newChainruleModel().predict(input, outputs);
        return outputs;
    }

    /**
     * Chainrule's parameters after one training step of {@code workload} from its seeded
     * initialisation, the step every training benchmark times.
     */
    public static float[] chainruleStep(Workload workload) {
        ChainruleStep step = new ChainruleStep(workload);
        step.run();
        return step.model().parameters().clone();
    }
}
