package dev.chainrule.kernel;

/**
 * Activation functions and their derivatives in {@code double}, as generated code calls them.
 * Each derivative takes the pre-activation {@code z} and the activation {@code a = f(z)}, and
 * uses whichever is cheaper.
 *
 * <p>Every transcendental function here is {@link StrictMath}'s, never {@link Math}'s: {@code StrictMath} is specified bit for bit,
 * while {@code Math} may use an intrinsic whose results depend on the JDK and the CPU (JDK 24
 * and later compute {@code Math.tanh} with one on x86-64, and JDK 17 does not). So an
 * activation gives the same bits on every JVM, and so does a prediction from the same
 * parameters on the plain Java kernels.
 */
public final class ActivationMathD {
    private ActivationMathD() {}

    /** {@code sqrt(2 / pi)}, the GELU constant. */
    private static final double GELU_C = 0.7978845608028654;

    private static final double GELU_K = 0.044715;
    /** Slope of {@code LEAKY_RELU} for negative inputs. */
    public static final double LEAKY_SLOPE = 0.01;

    public static double sigmoid(double z) {
        // Both branches avoid overflowing exp for large |z|.
        if (z >= 0) {
            return 1.0 / (1.0 + StrictMath.exp(-z));
        }
        double e = StrictMath.exp(z);
        return e / (1.0 + e);
    }

    public static double sigmoidDerivative(double a) {
        return a * (1 - a);
    }

    public static double tanh(double z) {
        return StrictMath.tanh(z);
    }

    public static double tanhDerivative(double a) {
        return 1 - a * a;
    }

    /**
     * {@code max(z, 0)}, written so that a NaN comes out as NaN (the comparison is false for it):
     * prediction must not turn a NaN feature into a plausible output.
     */
    public static double relu(double z) {
        return z < 0 ? 0 : z;
    }

    public static double reluDerivative(double z) {
        return z > 0 ? 1 : 0;
    }

    public static double leakyRelu(double z) {
        return z > 0 ? z : LEAKY_SLOPE * z;
    }

    public static double leakyReluDerivative(double z) {
        return z > 0 ? 1 : LEAKY_SLOPE;
    }

    public static double elu(double z) {
        return z > 0 ? z : StrictMath.expm1(z);
    }

    public static double eluDerivative(double z, double a) {
        return z > 0 ? 1 : a + 1;
    }

    /** {@code ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|)}, exact for large |z|. */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(z)));
    }

    public static double softplusDerivative(double z) {
        return sigmoid(z);
    }

    public static double gelu(double z) {
        double x = z;
        return 0.5 * x * (1.0 + StrictMath.tanh(GELU_C * (x + GELU_K * x * x * x)));
    }

    public static double geluDerivative(double z) {
        double x = z;
        double t = StrictMath.tanh(GELU_C * (x + GELU_K * x * x * x));
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_K * x * x);
    }

    /**
     * {@code a[o + j] = e^{z[o + j] - max} / sum_k e^{z[o + k] - max}} for {@code j < n}.
     *
     * @param z the logits; not modified
     * @param a receives the probabilities; modified (may not be {@code z})
     */
    public static void softmax(double[] z, double[] a, int o, int n) {
        double max = z[o];
        for (int j = 1; j < n; j++) {
            double v = z[o + j];
            // a NaN still reaches every output through its own exponential
            max = v > max ? v : max;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double e = StrictMath.exp(z[o + j] - max);
            a[o + j] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < n; j++) {
            a[o + j] *= inv;
        }
    }

    /**
     * Back through a softmax: given {@code g = dL/da} in {@code delta[o ..]}, replaces it with
     * {@code dL/dz_j = a_j (g_j - sum_k a_k g_k)}.
     */
    public static void softmaxBackward(double[] a, double[] delta, int o, int n) {
        double dot = 0;
        for (int k = 0; k < n; k++) {
            dot += a[o + k] * delta[o + k];
        }
        for (int j = 0; j < n; j++) {
            delta[o + j] = a[o + j] * (delta[o + j] - dot);
        }
    }
}
