package dev.chainrule;

/** The loss of one sample; batch methods report the mean over the batch's samples. */
public enum Loss {
    /** Mean squared error over the outputs: {@code L = (1/K) sum_k (a_k - y_k)^2}. */
    MSE,
    /**
     * Categorical cross-entropy of a {@link Activation#SOFTMAX} output:
     * {@code L = -sum_k y_k ln a_k}, computed from the logits with log-sum-exp. Targets are
     * probability rows (one-hot for hard labels).
     */
    CROSS_ENTROPY,
    /**
     * Binary cross-entropy of a {@link Activation#SIGMOID} output, averaged over the outputs:
     * {@code L = -(1/K) sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)]}, computed from the logits.
     */
    BINARY_CROSS_ENTROPY;

    /** The lower-case name used in messages and descriptions, e.g. {@code cross_entropy}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
