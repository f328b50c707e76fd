package dev.chainrule.kernel;

import java.util.SplittableRandom;

/**
 * Seeded initialisation of dense layers. The same seed gives the same bits on every JVM: the
 * draws come from {@link SplittableRandom#nextDouble()}, whose algorithm is specified, and
 * normal deviates from the Box-Muller transform written here.
 *
 * <ul>
 *   <li>Rectifier layers ({@code RELU, LEAKY_RELU, ELU, GELU}): He normal, {@code N(0, 2/n)}.
 *   <li>Every other layer: Glorot (Xavier) uniform, {@code U(-l, l)} with
 *       {@code l = sqrt(6 / (n + m))}.
 *   <li>Biases: zero.
 * </ul>
 */
public final class Initializers {
    private Initializers() {}

    /** Initialises the {@code fanIn * fanOut} weights at {@code weights} and the biases at {@code biases}. */
    public static void dense(float[] p, int weights, int biases, int fanIn, int fanOut, boolean rectifier, SplittableRandom random) {
        int n = fanIn * fanOut;
        for (int i = 0; i < n; i++) {
            p[weights + i] = (float) draw(fanIn, fanOut, rectifier, random);
        }
        java.util.Arrays.fill(p, biases, biases + fanOut, 0f);
    }

    /** Initialises the {@code fanIn * fanOut} weights at {@code weights} and the biases at {@code biases}. */
    public static void dense(double[] p, int weights, int biases, int fanIn, int fanOut, boolean rectifier, SplittableRandom random) {
        int n = fanIn * fanOut;
        for (int i = 0; i < n; i++) {
            p[weights + i] = draw(fanIn, fanOut, rectifier, random);
        }
        java.util.Arrays.fill(p, biases, biases + fanOut, 0.0);
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
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
