package dev.chainrule;

/**
 * Activation functions of a {@link Dense} layer, applied element by element (except {@link
 * #SOFTMAX}, which normalises the whole layer).
 */
public enum Activation {
    /** {@code a = z}. */
    IDENTITY,
    /** {@code a = 1 / (1 + e^-z)}. */
    SIGMOID,
    /** {@code a = tanh(z)}. */
    TANH,
    /** {@code a = max(0, z)}; the derivative at 0 is taken as 0. */
    RELU,
    /** {@code a = z} for {@code z > 0}, else {@code 0.01 z}. */
    LEAKY_RELU,
    /** {@code a = z} for {@code z > 0}, else {@code e^z - 1} (alpha = 1). */
    ELU,
    /** {@code a = ln(1 + e^z)}, computed without overflow. */
    SOFTPLUS,
    /**
     * The tanh approximation of the Gaussian error linear unit:
     * {@code a = z/2 (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))}.
     */
    GELU,
    /** {@code a_j = e^{z_j} / sum_k e^{z_k}}, computed stably; only on the output layer. */
    SOFTMAX;

    /** Whether this is one of the rectifier family that gets He initialisation. */
    public boolean isRectifier() {
        return this == RELU || this == LEAKY_RELU || this == ELU || this == GELU;
    }

    /** The lower-case name used in messages and descriptions, e.g. {@code leaky_relu}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
