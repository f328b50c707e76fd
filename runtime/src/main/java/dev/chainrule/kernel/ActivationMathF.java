package dev.chainrule.kernel;

/**
 * Activation functions and their derivatives in {@code float}, as generated code calls them.
 * Each derivative takes the pre-activation {@code z} and the activation {@code a = f(z)}, and
 * uses whichever is cheaper.
 *
 * <p>Every transcendental function here is {@link StrictMath}'s or plain arithmetic written here
 * (the exponential of the sigmoid and of {@code tanh}, and the float softmax's), never {@link
 * Math}'s: both are specified bit for bit,
 * while {@code Math} may use an intrinsic whose results depend on the JDK and the CPU (JDK 24
 * and later compute {@code Math.tanh} with one on x86-64, and JDK 17 does not). So an
 * activation gives the same bits on every JVM, and so does a prediction from the same
 * parameters on the plain Java kernels.
 */
public final class ActivationMathF {
    private ActivationMathF() {}

    /** {@code sqrt(2 / pi)}, the GELU constant. */
    private static final double GELU_C = 0.7978845608028654;

    private static final double GELU_K = 0.044715;
    /** Slope of {@code LEAKY_RELU} for negative inputs. */
    public static final float LEAKY_SLOPE = 0.01f;

    public static float sigmoid(float z) {
        // Both branches avoid overflowing exp for large |z|.
        if (z >= 0) {
            return (float) (1.0 / (1.0 + exp(-(double) z)));
        }
        double e = exp(z);
        return (float) (e / (1.0 + e));
    }

    public static float sigmoidDerivative(float a) {
        return a * (1 - a);
    }

    public static float tanh(float z) {
        return (float) tanh((double) z);
    }

    /**
     * {@code tanh(x)} in double to a few double ulps: {@code -m / (2 + m)} with {@code m = e^{-2|x|}
     * - 1} (a polynomial for {@code |x| < 0.2}, where the subtraction would cancel, and {@link
     * #exp} from there on), the sign of {@code x}; {@code x} itself below {@code 2^-12}, where a float's
     * {@code tanh} is its argument. Rounded to float it gave {@code (float) StrictMath.tanh} bit
     * for bit on each of the 60 million floats checked when it was written (every 37th to 110; {@code
     * FloatTanhTest} checks every 241st on each build), and on JDK 17, where
     * {@code StrictMath.tanh} is a native call, it took a half to a third of the time per call in a loop (an LSTM's gates had
     * spent a third of a training step there).
     */
    static double tanh(double x) {
        double ax = Math.abs(x);
        if (!(ax >= 0x1p-12)) {
            return x; // NaN too
        }
        double y = -2 * ax;
        double m;
        if (ax < 0.2) {
            // e^y - 1 = y (1 + y/2 + ... + y^12/13!), Estrin's scheme; the next term is below 1e-17
            double y2 = y * y;
            double y4 = y2 * y2;
            double y8 = y4 * y4;
            double p = ((1 + y * 0.5) + y2 * (0.16666666666666666 + y * 0.041666666666666664))
                    + y4
                            * ((0.008333333333333333 + y * 0.001388888888888889)
                                    + y2 * (0.0001984126984126984 + y * 2.48015873015873e-05))
                    + y8
                            * ((2.7557319223985893e-06 + y * 2.755731922398589e-07)
                                    + y2 * (2.505210838544172e-08 + y * 2.08767569878681e-09)
                                    + y4 * 1.6059043836821613e-10);
            m = y * p;
        } else {
            m = exp(y) - 1;
        }
        double t = -m / (2 + m);
        return x < 0 ? -t : t;
    }

    /** {@code ln 2} to 32 bits, so that {@code n * LN2_HI} is exact for the {@code n} of {@link #exp}. */
    private static final double LN2_HI = 0.6931471803691238;
    /** {@code ln 2 - LN2_HI}. */
    private static final double LN2_LO = 1.9082149292705877e-10;
    /** {@code 1 / ln 2}. */
    private static final double INV_LN2 = 1.4426950408889634;
    /** Below this {@code e^v} is under half the smallest float, and {@code 2^n} still a normal double. */
    private static final double LOWEST = -104.7;

    /**
     * {@code e^v} for {@code v <= 0} (NaN gives NaN), in double to a few double ulps, for the float
     * activations: {@code e^v = 2^n e^r} with {@code n} the integer nearest {@code v / ln 2}, {@code
     * r = v - n ln 2} (ln 2 in two parts, so {@code r} keeps its bits) and {@code |r| <= ln 2 / 2},
     * where {@code e^r}'s Taylor polynomial of degree 13 is within {@code 2e-16}. Plain arithmetic,
     * specified bit for bit like {@link StrictMath#exp}, and cheaper (1.3 to 2 times in a loop); below {@code
     * -104.7}, where every float result is zero, it returns {@code e^-104.7}.
     */
    static double exp(double v) {
        v = v < LOWEST ? LOWEST : v;
        double n = (v * INV_LN2 + ROUNDING) - ROUNDING;
        double r = (v - n * LN2_HI) - n * LN2_LO;
        double r2 = r * r;
        double r4 = r2 * r2;
        double r8 = r4 * r4;
        double p = ((1 + r) + r2 * (0.5 + r * 0.16666666666666666))
                + r4
                        * ((0.041666666666666664 + r * 0.008333333333333333)
                                + r2 * (0.001388888888888889 + r * 0.0001984126984126984))
                + r8
                        * ((2.48015873015873e-05 + r * 2.7557319223985893e-06)
                                + r2 * (2.755731922398589e-07 + r * 2.505210838544172e-08)
                                + r4 * (2.08767569878681e-09 + r * 1.6059043836821613e-10));
        return p * Double.longBitsToDouble((long) ((int) n + 1023) << 52);
    }

    public static float tanhDerivative(float a) {
        return 1 - a * a;
    }

    /**
     * {@code max(z, 0)}, written so that a NaN comes out as NaN (the comparison is false for it):
     * prediction must not turn a NaN feature into a plausible output.
     */
    public static float relu(float z) {
        return z < 0 ? 0 : z;
    }

    public static float reluDerivative(float z) {
        return z > 0 ? 1 : 0;
    }

    public static float leakyRelu(float z) {
        return z > 0 ? z : LEAKY_SLOPE * z;
    }

    public static float leakyReluDerivative(float z) {
        return z > 0 ? 1 : LEAKY_SLOPE;
    }

    public static float elu(float z) {
        return z > 0 ? z : (float) StrictMath.expm1(z);
    }

    public static float eluDerivative(float z, float a) {
        return z > 0 ? 1 : a + 1;
    }

    /** {@code ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|)}, exact for large |z|. */
    public static float softplus(float z) {
        return (float) (Math.max(z, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(z))));
    }

    public static float softplusDerivative(float z) {
        return sigmoid(z);
    }

    public static float gelu(float z) {
        double x = z;
        return (float) (0.5 * x * (1.0 + tanh(GELU_C * (x + GELU_K * x * x * x))));
    }

    public static float geluDerivative(float z) {
        double x = z;
        double t = tanh(GELU_C * (x + GELU_K * x * x * x));
        return (float) (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * GELU_K * x * x));
    }

    /**
     * {@code a[o + j] = e^{z[o + j] - max} / sum_k e^{z[o + k] - max}} for {@code j < n}.
     *
     * @param z the logits; not modified
     * @param a receives the probabilities; modified (may not be {@code z})
     */
    public static void softmax(float[] z, float[] a, int o, int n) {
        float max = z[o];
        for (int j = 1; j < n; j++) {
            float v = z[o + j];
            // not Math.max, whose care for NaN and -0 costs more than the rest of a small layer;
            // a NaN still reaches every output through its own exponential
            max = v > max ? v : max;
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = expNonPositive(z[o + j] - max);
            a[o + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < n; j++) {
            a[o + j] *= inv;
        }
    }

    /** {@code log2(e)}. */
    private static final double LOG2_E = 1.4426950408889634;
    /** Below this power of two a float is zero. */
    private static final double SMALLEST_POWER = -151;
    /** {@code 2^52 + 2^51}: adding and subtracting it rounds a double to the nearest integer. */
    private static final double ROUNDING = 6755399441055744.0;

    /**
     * {@code e^v} for {@code v <= 0}, within one float ulp of {@code (float) Math.exp(v)}
     * and several times cheaper: {@code e^v = 2^n 2^f} with {@code n} the integer nearest {@code
     * v log2(e)} and {@code |f| <= 1/2}; {@code 2^n} is built from its exponent bits and {@code
     * 2^f} is its Taylor polynomial of degree 7, whose error is below {@code 1e-8} there.
     * Computed in double, so the reduction adds no error of its own. NaN gives NaN; below about
     * {@code -104} the result is zero, as the float it approximates is.
     */
    static float expNonPositive(float v) {
        double t = v * LOG2_E;
        t = t < SMALLEST_POWER ? SMALLEST_POWER : t;
        double n = (t + ROUNDING) - ROUNDING;
        double f = t - n;
        // Estrin's scheme: four independent pairs, combined with f^2 and f^4, so the polynomial
        // is a chain of three multiply-adds instead of Horner's seven (the softmax of a small
        // output layer waits on it)
        double f2 = f * f;
        double p01 = 1 + f * 0.6931471805599453;
        double p23 = 0.2402265069591007 + f * 0.05550410866482158;
        double p45 = 0.009618129107628477 + f * 0.0013333558146428443;
        double p67 = 0.0001540353039338161 + f * 1.525273380405984e-05;
        double p = (p01 + f2 * p23) + (f2 * f2) * (p45 + f2 * p67);
        return (float) (p * Double.longBitsToDouble((long) ((int) n + 1023) << 52));
    }

    /**
     * Back through a softmax: given {@code g = dL/da} in {@code delta[o ..]}, replaces it with
     * {@code dL/dz_j = a_j (g_j - sum_k a_k g_k)}.
     */
    public static void softmaxBackward(float[] a, float[] delta, int o, int n) {
        double dot = 0;
        for (int k = 0; k < n; k++) {
            dot += a[o + k] * delta[o + k];
        }
        for (int j = 0; j < n; j++) {
            delta[o + j] = (float) (a[o + j] * (delta[o + j] - dot));
        }
    }
}
