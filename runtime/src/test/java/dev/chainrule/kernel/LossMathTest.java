package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The losses and their gradients in float and double against naive formulas in double (the
 * textbook forms, without the log-sum-exp and log1p rearrangements), against central differences
 * of the loss, and at logits where the textbook forms overflow. Rows sit at offsets inside larger
 * arrays whose other cells hold NaN (inputs) or a
 * sentinel (deltas): a loss that reads or writes outside its row shows.
 */
class LossMathTest {
    private static final Random RANDOM = new Random(21);

    /** A row of {@code n} values at offset {@code o} of an array of NaN, with {@code pad} NaN after it. */
    private static double[] row(double[] values, int o, int pad) {
        double[] a = new double[o + values.length + pad];
        java.util.Arrays.fill(a, Double.NaN);
        System.arraycopy(values, 0, a, o, values.length);
        return a;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] gaussians(int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float)
                    (scale * RANDOM.nextGaussian()); // representable in float, so both precisions see the same values
        }
        return a;
    }

    private static double[] softmax(double[] z) {
        double[] p = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            sum += Math.exp(z[k]);
        }
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k]) / sum;
        }
        return p;
    }

    private static double naiveCrossEntropy(double[] z, double[] y) {
        double[] p = softmax(z);
        double loss = 0;
        for (int k = 0; k < z.length; k++) {
            loss -= y[k] * Math.log(p[k]);
        }
        return loss;
    }

    private static double naiveBinaryCrossEntropy(double[] z, double[] y) {
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            double s = 1 / (1 + Math.exp(-z[k]));
            sum -= y[k] * Math.log(s) + (1 - y[k]) * Math.log(1 - s);
        }
        return sum / z.length;
    }

    /** What the cells of a delta array outside its row hold, and must still hold after a gradient. */
    private static final double OUTSIDE = 7.25;

    /** A delta array for a row of {@code n} at {@code o}, with {@code pad} cells after it, all {@link #OUTSIDE}. */
    private static double[] deltas(int o, int n, int pad) {
        double[] d = new double[o + n + pad];
        java.util.Arrays.fill(d, OUTSIDE);
        return d;
    }

    private static void assertOnlyRowWritten(double[] delta, int o, int n) {
        for (int i = 0; i < delta.length; i++) {
            if (i < o || i >= o + n) {
                assertEquals(OUTSIDE, delta[i], "delta[" + i + "] outside the row was written");
            }
        }
    }

    private static void assertOnlyRowWritten(float[] delta, int o, int n) {
        for (int i = 0; i < delta.length; i++) {
            if (i < o || i >= o + n) {
                assertEquals((float) OUTSIDE, delta[i], "delta[" + i + "] outside the row was written");
            }
        }
    }

    @Test
    void meanSquaredErrorAndItsGradient() {
        for (int n = 1; n <= 9; n++) {
            double[] a = gaussians(n, 2);
            double[] y = gaussians(n, 2);
            double weight = 0.75;
            double expected = 0;
            for (int k = 0; k < n; k++) {
                expected += (a[k] - y[k]) * (a[k] - y[k]);
            }
            expected /= n;
            int o = 2;
            int yo = 1;
            double[] ad = row(a, o, 2);
            double[] yd = row(y, yo, 3);
            double[] delta = deltas(o, n, 2);
            assertEquals(expected, LossMathD.mse(ad, o, yd, yo, n), 1e-12 * (1 + expected), "double mse n=" + n);
            assertEquals(
                    expected, LossMathD.mseGradient(ad, o, yd, yo, n, weight, delta), 1e-12 * (1 + expected), "n=" + n);
            float[] af = floats(ad);
            float[] yf = floats(yd);
            float[] deltaF = floats(delta);
            assertEquals(expected, LossMathF.mse(af, o, yf, yo, n), 1e-6 * (1 + expected), "float mse n=" + n);
            assertEquals(
                    expected, LossMathF.mseGradient(af, o, yf, yo, n, (float) weight, deltaF), 1e-6 * (1 + expected));
            for (int k = 0; k < n; k++) {
                double g = weight * 2 * (a[k] - y[k]) / n;
                assertEquals(g, delta[o + k], 1e-12, "double gradient n=" + n + " k=" + k);
                assertEquals(g, deltaF[o + k], 1e-5 * (1 + Math.abs(g)), "float gradient n=" + n + " k=" + k);
                // the gradient is weight times the derivative of the loss
                double h = 1e-6;
                double[] plus = ad.clone();
                double[] minus = ad.clone();
                plus[o + k] += h;
                minus[o + k] -= h;
                double numeric = (LossMathD.mse(plus, o, yd, yo, n) - LossMathD.mse(minus, o, yd, yo, n)) / (2 * h);
                assertEquals(numeric * weight, delta[o + k], 1e-7, "numeric n=" + n + " k=" + k);
            }
            assertOnlyRowWritten(delta, o, n);
            assertOnlyRowWritten(deltaF, o, n);
        }
    }

    @Test
    void softmaxCrossEntropyMatchesTheTextbookFormAndItsGradient() {
        for (int n = 1; n <= 9; n++) {
            double[] z = gaussians(n, 3);
            double[] y = new double[n];
            // a probability row, and one zero target at least when there are two classes or more
            double total = 0;
            for (int k = 0; k < n; k++) {
                y[k] = k == n / 2 && n > 1 ? 0 : (float) (0.1 + RANDOM.nextDouble());
                total += y[k];
            }
            for (int k = 0; k < n; k++) {
                y[k] = (float) (y[k] / total);
            }
            checkCrossEntropy(z, y, 0.5);
            // targets that do not sum to 1: the gradient carries their sum
            double[] doubled = new double[n];
            for (int k = 0; k < n; k++) {
                doubled[k] = 2 * y[k];
            }
            checkCrossEntropy(z, doubled, 1.25);
        }
    }

    private static void checkCrossEntropy(double[] z, double[] y, double weight) {
        int n = z.length;
        int o = 3;
        int yo = 1;
        double expected = naiveCrossEntropy(z, y);
        double[] p = softmax(z);
        double sumY = 0;
        for (double t : y) {
            sumY += t;
        }
        double[] zd = row(z, o, 2);
        double[] ad = row(p, o, 2);
        double[] yd = row(y, yo, 2);
        double[] delta = deltas(o, n, 2);
        float[] zf = floats(zd);
        float[] af = floats(ad);
        float[] yf = floats(yd);
        float[] deltaF = floats(delta);
        String what = "n=" + n + " sum of targets " + sumY;
        assertEquals(expected, LossMathD.softmaxCrossEntropy(zd, o, yd, yo, n), 1e-12 * (1 + expected), what);
        assertEquals(expected, LossMathF.softmaxCrossEntropy(zf, o, yf, yo, n), 1e-5 * (1 + expected), what);
        assertEquals(
                expected,
                LossMathD.softmaxCrossEntropyGradient(zd, ad, o, yd, yo, n, weight, delta),
                1e-12 * (1 + expected));
        assertEquals(
                expected,
                LossMathF.softmaxCrossEntropyGradient(zf, af, o, yf, yo, n, (float) weight, deltaF),
                1e-5 * (1 + expected));
        for (int k = 0; k < n; k++) {
            double g = weight * (p[k] * sumY - y[k]);
            assertEquals(g, delta[o + k], 1e-12, what + " double gradient " + k);
            assertEquals(g, deltaF[o + k], 1e-6, what + " float gradient " + k);
            double h = 1e-6;
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (naiveCrossEntropy(plus, y) - naiveCrossEntropy(minus, y)) / (2 * h);
            assertEquals(weight * numeric, delta[o + k], 1e-7, what + " numeric gradient " + k);
        }
        assertOnlyRowWritten(delta, o, n);
        assertOnlyRowWritten(deltaF, o, n);
    }

    @Test
    void crossEntropyOfLogitsBeyondExpsRangeIsExact() {
        // e^1000 overflows: the loss is the gap to the largest logit, log-sum-exp keeps it exact
        double[] z = {1000, 0, -5};
        double[] y = {0, 1, 0};
        assertEquals(1000, LossMathD.softmaxCrossEntropy(z, 0, y, 0, 3), 1e-9);
        assertEquals(1000, LossMathF.softmaxCrossEntropy(floats(z), 0, floats(y), 0, 3), 1e-3);
        // the largest logit in the middle and at the end
        assertEquals(
                700 + Math.log1p(Math.exp(-700)),
                LossMathD.softmaxCrossEntropy(new double[] {0, 700, -3e4}, 0, new double[] {1, 0, 0}, 0, 3),
                1e-9);
        assertEquals(
                0.0,
                LossMathD.softmaxCrossEntropy(new double[] {-800, -900, 900}, 0, new double[] {0, 0, 1}, 0, 3),
                1e-12);
        assertEquals(
                0.0f, LossMathF.softmaxCrossEntropy(new float[] {-80, -90, 90}, 0, new float[] {0, 0, 1}, 0, 3), 1e-6f);
        // a logit of minus infinity whose target is 0 adds nothing, not 0 * infinity
        double[] minusInfinity = {Double.NEGATIVE_INFINITY, 1, 1};
        assertEquals(Math.log(2), LossMathD.softmaxCrossEntropy(minusInfinity, 0, new double[] {0, 1, 0}, 0, 3), 1e-12);
        assertEquals(
                Math.log(2),
                LossMathF.softmaxCrossEntropy(floats(minusInfinity), 0, new float[] {0, 1, 0}, 0, 3),
                1e-6);
    }

    @Test
    void crossEntropyOverStepsIsTheMeanOfTheStepsAndSoIsItsGradient() {
        int steps = 3;
        int n = 4;
        double[] z = gaussians(steps * n, 2);
        double[] y = new double[steps * n];
        for (int t = 0; t < steps; t++) {
            y[t * n + (t + 1) % n] = 1; // one-hot
        }
        double[] a = new double[steps * n];
        double expected = 0;
        for (int t = 0; t < steps; t++) {
            double[] zt = java.util.Arrays.copyOfRange(z, t * n, t * n + n);
            double[] yt = java.util.Arrays.copyOfRange(y, t * n, t * n + n);
            expected += naiveCrossEntropy(zt, yt) / steps;
            System.arraycopy(softmax(zt), 0, a, t * n, n);
        }
        int o = 2;
        int yo = 1;
        double weight = 0.6;
        double[] zd = row(z, o, 1);
        double[] ad = row(a, o, 1);
        double[] yd = row(y, yo, 1);
        double[] delta = deltas(o, steps * n, 1);
        float[] deltaF = floats(delta);
        assertEquals(expected, LossMathD.softmaxCrossEntropySteps(zd, o, yd, yo, steps, n), 1e-12);
        assertEquals(expected, LossMathF.softmaxCrossEntropySteps(floats(zd), o, floats(yd), yo, steps, n), 1e-5);
        assertEquals(
                expected,
                LossMathD.softmaxCrossEntropyStepsGradient(zd, ad, o, yd, yo, steps, n, weight, delta),
                1e-12);
        assertEquals(
                expected,
                LossMathF.softmaxCrossEntropyStepsGradient(
                        floats(zd), floats(ad), o, floats(yd), yo, steps, n, (float) weight, deltaF),
                1e-5);
        for (int i = 0; i < steps * n; i++) {
            double g = weight / steps * (a[i] - y[i]);
            assertEquals(g, delta[o + i], 1e-12, "double gradient " + i);
            assertEquals(g, deltaF[o + i], 1e-6, "float gradient " + i);
        }
        assertOnlyRowWritten(delta, o, steps * n);
        assertOnlyRowWritten(deltaF, o, steps * n);
    }

    @Test
    void binaryCrossEntropyMatchesTheTextbookFormAndItsGradient() {
        for (int n = 1; n <= 7; n++) {
            double[] z = gaussians(n, 3);
            double[] y = new double[n];
            double[] a = new double[n];
            for (int k = 0; k < n; k++) {
                y[k] = k % 3 == 0 ? 1 : k % 3 == 1 ? 0 : (float) RANDOM.nextDouble();
                a[k] = 1 / (1 + Math.exp(-z[k]));
            }
            double expected = naiveBinaryCrossEntropy(z, y);
            int o = 1;
            int yo = 2;
            double weight = 0.8;
            double[] zd = row(z, o, 2);
            double[] ad = row(a, o, 2);
            double[] yd = row(y, yo, 2);
            double[] delta = deltas(o, n, 2);
            float[] deltaF = floats(delta);
            String what = "n=" + n;
            assertEquals(expected, LossMathD.sigmoidBinaryCrossEntropy(zd, o, yd, yo, n), 1e-12 * (1 + expected), what);
            assertEquals(
                    expected,
                    LossMathF.sigmoidBinaryCrossEntropy(floats(zd), o, floats(yd), yo, n),
                    1e-6 * (1 + expected));
            assertEquals(
                    expected,
                    LossMathD.sigmoidBinaryCrossEntropyGradient(zd, ad, o, yd, yo, n, weight, delta),
                    1e-12 * (1 + expected));
            assertEquals(
                    expected,
                    LossMathF.sigmoidBinaryCrossEntropyGradient(
                            floats(zd), floats(ad), o, floats(yd), yo, n, (float) weight, deltaF),
                    1e-6 * (1 + expected));
            for (int k = 0; k < n; k++) {
                double g = weight * (a[k] - y[k]) / n;
                assertEquals(g, delta[o + k], 1e-12, what + " double gradient " + k);
                assertEquals(g, deltaF[o + k], 1e-6, what + " float gradient " + k);
                double h = 1e-6;
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[k] += h;
                minus[k] -= h;
                double numeric = (naiveBinaryCrossEntropy(plus, y) - naiveBinaryCrossEntropy(minus, y)) / (2 * h);
                assertEquals(weight * numeric, delta[o + k], 1e-7, what + " numeric gradient " + k);
            }
            assertOnlyRowWritten(delta, o, n);
            assertOnlyRowWritten(deltaF, o, n);
        }
    }

    @Test
    void binaryCrossEntropyOfLogitsBeyondExpsRangeIsExact() {
        // ln(1 + e^800) is 800 and ln(1 + e^-800) is e^-800, which the textbook form cannot reach
        double[] z = {800, -800, 800, -800};
        double[] y = {0, 1, 1, 0};
        assertEquals(400, LossMathD.sigmoidBinaryCrossEntropy(z, 0, y, 0, 4), 1e-9);
        assertEquals(
                100, LossMathF.sigmoidBinaryCrossEntropy(new float[] {100, -100}, 0, new float[] {0, 1}, 0, 2), 1e-4);
        assertEquals(
                0, LossMathF.sigmoidBinaryCrossEntropy(new float[] {100, -100}, 0, new float[] {1, 0}, 0, 2), 1e-12);
        assertEquals(
                Math.log(2), LossMathD.sigmoidBinaryCrossEntropy(new double[] {0}, 0, new double[] {0.3}, 0, 1), 1e-15);
    }
}
