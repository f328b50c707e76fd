package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Clipping and penalties, observed through plain SGD with learning rate 1, whose step is minus
 * the effective gradient: {@code w_before - w_after = g'}.
 */
class GradientOptionsTest {

    private static double[] effectiveGradient(Optimizer sgd, double[] w, double[] g) {
        double[] before = w.clone();
        sgd.step(w, g);
        double[] effective = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            effective[i] = before[i] - w[i];
        }
        return effective;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void aGradientAboveTheClipNormIsScaledToExactlyTheNorm() {
        double[] g = {3, -4, 12}; // norm 13
        double[] applied = effectiveGradient(Sgd.of(1).clipNorm(6.5), new double[3], g.clone());
        assertEquals(6.5, norm(applied), 1e-12);
        assertArrayEquals(new double[] {1.5, -2, 6}, applied, 1e-12);
    }

    @Test
    void aGradientBelowTheClipNormIsUntouched() {
        double[] g = {3, -4, 12};
        Sgd sgd = Sgd.of(1).clipNorm(13.5);
        assertArrayEquals(g, effectiveGradient(sgd, new double[3], g.clone()), 0);
        assertEquals(13, sgd.lastGradientNorm(), 1e-12);
    }

    @Test
    void clippingInFloat() {
        Sgd sgd = Sgd.of(1).clipNorm(1);
        float[] w = new float[2];
        sgd.step(w, new float[] {6, 8});
        assertArrayEquals(new float[] {-0.6f, -0.8f}, w, 1e-7f);
        assertEquals(10, sgd.lastGradientNorm(), 1e-6);
    }

    @Test
    void theCallersGradientsAreNotModified() {
        double[] g = {3, -4, 12};
        Adam.of(0.1).clipNorm(1).l1(0.5).l2(0.5).step(new double[] {1, 2, 3}, g);
        assertArrayEquals(new double[] {3, -4, 12}, g, 0);
    }

    @Test
    void l1AddsStrengthTimesTheSignOfEachWeight() {
        double[] w = {2, -3, 0};
        double[] g = {0.5, 0.5, 0.5};
        double l1 = 0.1;
        double[] expected = {0.5 + l1, 0.5 - l1, 0.5}; // sign(0) = 0
        assertArrayEquals(expected, effectiveGradient(Sgd.of(1).l1(l1), w, g), 1e-15);
    }

    @Test
    void l2AddsStrengthTimesEachWeight() {
        double[] w = {2, -3, 0};
        double[] g = {0.5, 0.5, 0.5};
        double l2 = 0.1;
        double[] expected = {0.5 + l2 * 2, 0.5 + l2 * -3, 0.5};
        assertArrayEquals(expected, effectiveGradient(Sgd.of(1).l2(l2), w, g), 1e-15);
    }

    @Test
    void penaltiesAreAddedBeforeClipping() {
        double[] w = {10, 0};
        double[] g = {0, 0};
        // effective gradient (0.5 * 10, 0) = (5, 0), clipped to norm 2
        assertArrayEquals(
                new double[] {2, 0}, effectiveGradient(Sgd.of(1).l2(0.5).clipNorm(2), w, g), 1e-15);
    }

    @Test
    void penaltyValueIsL1TimesAbsoluteSumPlusHalfL2TimesSquares() {
        double[] w = {2, -3, 0.5};
        Sgd sgd = Sgd.of(1).l1(0.1).l2(0.4);
        double expected = 0.1 * (2 + 3 + 0.5) + 0.4 / 2 * (4 + 9 + 0.25);
        assertEquals(expected, sgd.penalty(w), 1e-15);
        assertEquals(expected, sgd.penalty(new float[] {2, -3, 0.5f}), 1e-6);
        assertEquals(0, Sgd.of(1).penalty(w));
    }

    @Test
    void l2PenaltyValueAndGradientAgree() {
        // the gradient the optimizer adds is the derivative of the penalty it reports
        Sgd sgd = Sgd.of(1).l2(0.3).l1(0.2);
        double[] w = {1.5, -0.7};
        double h = 1e-6;
        double[] numeric = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[i] += h;
            minus[i] -= h;
            numeric[i] = (sgd.penalty(plus) - sgd.penalty(minus)) / (2 * h);
        }
        assertArrayEquals(numeric, effectiveGradient(sgd, w.clone(), new double[2]), 1e-8);
    }

    @Test
    void optionsReturnNewOptimizersAndKeepTheRest() {
        Adam base = Adam.of(0.01).beta1(0.8);
        Adam clipped = base.clipNorm(2).l2(0.1);
        assertEquals(Double.POSITIVE_INFINITY, base.clipNorm());
        assertEquals(0, base.l2());
        assertEquals(2, clipped.clipNorm());
        assertEquals(0.1, clipped.l2());
        assertEquals(0.8, clipped.beta1());
        assertEquals(0.01, clipped.schedule().rate(0));
    }
}
