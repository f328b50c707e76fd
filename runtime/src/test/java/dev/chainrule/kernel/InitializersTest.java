package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The initializers' distributions by their moments and ranges, over tens of thousands of draws
 * (the tolerances are several standard errors wide), their seeds, and the cells they leave alone.
 */
class InitializersTest {
    private static final double SENTINEL = 42.5;

    @Test
    void glorotUniformDrawsFromPlusMinusTheLimitWithItsVariance() {
        int fanIn = 150;
        int fanOut = 250;
        int count = fanIn * fanOut;
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double[] p = filled(3 + count + 2 + fanOut + 1);
        Initializers.dense(p, 3, 3 + count + 2, fanIn, fanOut, false, new SplittableRandom(1));
        double[] moments = moments(p, 3, count);
        double max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, Math.abs(p[3 + i]));
        }
        assertTrue(max <= limit, "largest " + max + " over the limit " + limit);
        assertTrue(max > 0.99 * limit, "largest " + max + " far below the limit " + limit);
        assertEquals(0, moments[0], 0.02 * limit, "mean");
        // the variance of U(-l, l) is l^2 / 3
        assertEquals(limit * limit / 3, moments[1], 0.02 * limit * limit / 3, "variance");
        assertUntouchedAroundAndZeroBiases(p, 3, count, 3 + count + 2, fanOut);
    }

    @Test
    void heNormalHasMeanZeroAndVarianceTwoOverFanIn() {
        int fanIn = 40;
        int fanOut = 1000;
        int count = fanIn * fanOut;
        double[] p = filled(1 + count + fanOut + 1);
        Initializers.dense(p, 1, 1 + count, fanIn, fanOut, true, new SplittableRandom(2));
        double[] moments = moments(p, 1, count);
        double variance = 2.0 / fanIn;
        assertEquals(0, moments[0], 0.02 * Math.sqrt(variance), "mean");
        assertEquals(variance, moments[1], 0.03 * variance, "variance");
        // a normal and no uniform: about 4.6% of the draws beyond two standard deviations
        int beyondTwo = 0;
        for (int i = 0; i < count; i++) {
            if (Math.abs(p[1 + i]) > 2 * Math.sqrt(variance)) {
                beyondTwo++;
            }
        }
        assertEquals(0.0455, beyondTwo / (double) count, 0.005, "share beyond two standard deviations");
        assertUntouchedAroundAndZeroBiases(p, 1, count, 1 + count, fanOut);
    }

    @Test
    void theGaussianIsAStandardNormal() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 200_000;
        double sum = 0;
        double squares = 0;
        double cubes = 0;
        double fourths = 0;
        int withinOne = 0;
        for (int i = 0; i < n; i++) {
            double x = Initializers.gaussian(random);
            assertTrue(Double.isFinite(x), "draw " + i + " is " + x);
            sum += x;
            squares += x * x;
            cubes += x * x * x;
            fourths += x * x * x * x;
            if (Math.abs(x) < 1) {
                withinOne++;
            }
        }
        assertEquals(0, sum / n, 0.01, "mean");
        assertEquals(1, squares / n, 0.015, "second moment");
        assertEquals(0, cubes / n, 0.05, "third moment");
        assertEquals(3, fourths / n, 0.1, "fourth moment");
        assertEquals(0.6827, withinOne / (double) n, 0.005, "share within one standard deviation");
    }

    @Test
    void uniformDrawsFromPlusMinusTheBound() {
        int count = 50_000;
        double bound = 0.125;
        double[] p = filled(count + 4);
        Initializers.uniform(p, 2, count, bound, new SplittableRandom(4));
        double[] moments = moments(p, 2, count);
        double max = 0;
        double min = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, p[2 + i]);
            min = Math.min(min, p[2 + i]);
        }
        assertTrue(max <= bound && max > 0.99 * bound, "largest " + max);
        assertTrue(min >= -bound && min < -0.99 * bound, "smallest " + min);
        assertEquals(0, moments[0], 0.02 * bound, "mean");
        assertEquals(bound * bound / 3, moments[1], 0.02 * bound * bound / 3, "variance");
        assertEquals(SENTINEL, p[0]);
        assertEquals(SENTINEL, p[1]);
        assertEquals(SENTINEL, p[count + 2]);
        assertEquals(SENTINEL, p[count + 3]);
    }

    @Test
    void floatBlocksHoldTheDoubleDrawsOfTheSameSeedRounded() {
        for (boolean rectifier : new boolean[] {false, true}) {
            int fanIn = 7;
            int fanOut = 5;
            double[] d = filled(fanIn * fanOut + fanOut + 2);
            float[] f = new float[d.length];
            java.util.Arrays.fill(f, (float) SENTINEL);
            Initializers.dense(d, 1, 1 + fanIn * fanOut, fanIn, fanOut, rectifier, new SplittableRandom(5));
            Initializers.dense(f, 1, 1 + fanIn * fanOut, fanIn, fanOut, rectifier, new SplittableRandom(5));
            for (int i = 0; i < d.length; i++) {
                assertEquals((float) d[i], f[i], "rectifier=" + rectifier + " at " + i);
            }
            double[] du = new double[40];
            float[] fu = new float[40];
            Initializers.uniform(du, 0, 40, 0.3, new SplittableRandom(6));
            Initializers.uniform(fu, 0, 40, 0.3, new SplittableRandom(6));
            for (int i = 0; i < 40; i++) {
                assertEquals((float) du[i], fu[i], "uniform at " + i);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
        double[] a = new double[64 + 8];
        double[] b = new double[64 + 8];
        double[] c = new double[64 + 8];
        Initializers.dense(a, 0, 64, 8, 8, true, new SplittableRandom(9));
        Initializers.dense(b, 0, 64, 8, 8, true, new SplittableRandom(9));
        Initializers.dense(c, 0, 64, 8, 8, true, new SplittableRandom(10));
        assertArrayEquals(a, b);
        int same = 0;
        for (int i = 0; i < 64; i++) {
            if (a[i] == c[i]) {
                same++;
            }
        }
        assertEquals(0, same, "values equal across seeds");
    }

    @Test
    void aFloatBlockDrawsItsFansDistributionAndZeroesItsBiases() {
        int fanIn = 100;
        int fanOut = 300;
        int count = fanIn * fanOut;
        float[] p = new float[2 + count + 1 + fanOut + 3];
        java.util.Arrays.fill(p, (float) SENTINEL);
        // a convolution-like block: the fans are not the block's shape; one cell between weights and biases
        Initializers.block(p, 2, count, 50, 250, 3 + count, fanOut, false, new SplittableRandom(7));
        double limit = Math.sqrt(6.0 / (50 + 250));
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < count; i++) {
            assertTrue(Math.abs(p[2 + i]) <= limit, "draw " + i);
            sum += p[2 + i];
            squares += (double) p[2 + i] * p[2 + i];
        }
        assertEquals(0, sum / count, 0.02 * limit, "mean");
        assertEquals(limit * limit / 3, squares / count, 0.02 * limit * limit / 3, "variance");
        for (int i = 0; i < fanOut; i++) {
            assertEquals(0f, p[3 + count + i], "bias " + i);
        }
        assertEquals((float) SENTINEL, p[0]);
        assertEquals((float) SENTINEL, p[1]);
        assertEquals((float) SENTINEL, p[2 + count], "the cell between weights and biases");
        assertEquals((float) SENTINEL, p[3 + count + fanOut]);
    }

    private static double[] filled(int n) {
        double[] p = new double[n];
        java.util.Arrays.fill(p, SENTINEL);
        return p;
    }

    /** The mean and the variance of {@code p[from .. from + count)}. */
    private static double[] moments(double[] p, int from, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += p[from + i];
        }
        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < count; i++) {
            squares += (p[from + i] - mean) * (p[from + i] - mean);
        }
        return new double[] {mean, squares / count};
    }

    private static void assertUntouchedAroundAndZeroBiases(
            double[] p, int weights, int count, int biases, int biasCount) {
        for (int i = 0; i < p.length; i++) {
            boolean weight = i >= weights && i < weights + count;
            boolean bias = i >= biases && i < biases + biasCount;
            if (bias) {
                assertEquals(0.0, p[i], "bias at " + i);
            } else if (!weight) {
                assertEquals(SENTINEL, p[i], "untouched at " + i);
            }
        }
    }
}
