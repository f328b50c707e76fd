package dev.chainrule.kernel;

import java.util.SplittableRandom;

/**
 * Seeded initialisation of weight blocks. The same seed gives the same bits on every JVM: the
 * draws come from {@link SplittableRandom#nextDouble()}, whose algorithm is specified, and
 * normal deviates from the Box-Muller transform written here, with {@link StrictMath}'s
 * logarithm and cosine (whose bits, unlike {@link Math}'s, are specified).
 *
 * <ul>
 *   <li>Rectifier layers ({@code RELU, LEAKY_RELU, ELU, GELU}): He normal, {@code N(0, 2/n)}.
 *   <li>Every other layer: Glorot (Xavier) uniform, {@code U(-l, l)} with
 *       {@code l = sqrt(6 / (n + m))}.
 *   <li>Recurrent layers: PyTorch's {@code U(-k, k)} with {@code k = 1/sqrt(units)}, see {@link
 *       #uniform}.
 *   <li>Biases: zero (an LSTM's forget gate: its declared {@code forgetBias}).
 * </ul>
 *
 * <p>{@code n} and {@code m} are the fans: a dense layer's inputs and units, a convolution's
 * {@code channels x kh x kw} and {@code filters x kh x kw} (as Keras counts them).
 */
public final class Initializers {
    private Initializers() {}

    /** Initialises the {@code fanIn * fanOut} weights at {@code weights} and the biases at {@code biases}. */
    public static void dense(
            float[] p, int weights, int biases, int fanIn, int fanOut, boolean rectifier, SplittableRandom random) {
        block(p, weights, fanIn * fanOut, fanIn, fanOut, biases, fanOut, rectifier, random);
    }

    /**
     * Draws the {@code count} weights at {@code p[weights ..]} for fans {@code fanIn} and {@code
     * fanOut}, and sets the {@code biasCount} biases at {@code p[biases ..]} to zero.
     */
    public static void block(
            float[] p,
            int weights,
            int count,
            int fanIn,
            int fanOut,
            int biases,
            int biasCount,
            boolean rectifier,
            SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            p[weights + i] = (float) draw(fanIn, fanOut, rectifier, random);
        }
        java.util.Arrays.fill(p, biases, biases + biasCount, 0f);
    }

    /** Initialises the {@code fanIn * fanOut} weights at {@code weights} and the biases at {@code biases}. */
    public static void dense(
            double[] p, int weights, int biases, int fanIn, int fanOut, boolean rectifier, SplittableRandom random) {
        block(p, weights, fanIn * fanOut, fanIn, fanOut, biases, fanOut, rectifier, random);
    }

    /**
     * Draws the {@code count} weights at {@code p[weights ..]} for fans {@code fanIn} and {@code
     * fanOut}, and sets the {@code biasCount} biases at {@code p[biases ..]} to zero.
     */
    public static void block(
            double[] p,
            int weights,
            int count,
            int fanIn,
            int fanOut,
            int biases,
            int biasCount,
            boolean rectifier,
            SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            p[weights + i] = draw(fanIn, fanOut, rectifier, random);
        }
        java.util.Arrays.fill(p, biases, biases + biasCount, 0.0);
    }

    /**
     * Draws the {@code count} values at {@code p[offset ..]} uniformly from {@code [-bound,
     * bound]}: a recurrent layer's weights, with PyTorch's {@code bound = 1 / sqrt(units)}.
     */
    public static void uniform(float[] p, int offset, int count, double bound, SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            p[offset + i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
        }
    }

    /**
     * Draws the {@code count} values at {@code p[offset ..]} uniformly from {@code [-bound,
     * bound]}: a recurrent layer's weights, with PyTorch's {@code bound = 1 / sqrt(units)}.
     */
    public static void uniform(double[] p, int offset, int count, double bound, SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            p[offset + i] = (2.0 * random.nextDouble() - 1.0) * bound;
        }
    }

    private static double draw(int fanIn, int fanOut, boolean rectifier, SplittableRandom random) {
        if (rectifier) {
            return gaussian(random) * Math.sqrt(2.0 / fanIn);
        }
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        return (2.0 * random.nextDouble() - 1.0) * limit;
    }

    /** A standard normal deviate by the Box-Muller transform (one of the pair; simple and reproducible). */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // in (0, 1]: log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
