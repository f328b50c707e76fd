package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The guarded path across the life of one optimizer: its backups follow a reset to another
 * length or precision, a guarded step that ends finite hands its state's largest values on as
 * bounds, and steps that the bounds clear are not guarded.
 */
class GuardedStepTest {

    private static List<Supplier<GradientOptimizer<?>>> overflowing() {
        return List.of(
                () -> Sgd.of(1e308),
                () -> Sgd.of(1e308).momentum(0.5),
                () -> Adagrad.of(1e308),
                () -> RmsProp.of(1e308),
                () -> Adam.of(1e308),
                () -> Rprop.of().maxStep(1e308).initialStep(1e308));
    }

    /**
     * A refused step in double, then, after reset, in float and at another length: each is
     * refused with the parameters as they were, which needs backups of the new kind and length.
     */
    @Test
    void aResetOptimizerStillUndoesRefusedStepsOfAnotherPrecisionAndLength() {
        for (Supplier<GradientOptimizer<?>> supplier : overflowing()) {
            GradientOptimizer<?> o = supplier.get();
            double[] wd = {1, -1.5e308, 0.5};
            double[] beforeD = wd.clone();
            assertThrows(ArithmeticException.class, () -> o.step(wd, new double[] {0, 1e150, 0}, 1.0), o.toString());
            assertArrayEquals(beforeD, wd, o + " in double");
            o.reset();
            float[] wf = {1, -3e38f, 0.5f};
            float[] beforeF = wf.clone();
            assertThrows(ArithmeticException.class, () -> o.step(wf, new float[] {0, 3e38f, 0}, 1.0), o.toString());
            assertArrayEquals(beforeF, wf, o + " in float");
            o.reset();
            float[] longer = {1, -3e38f, 0.5f, 2, -2};
            float[] beforeLonger = longer.clone();
            assertThrows(
                    ArithmeticException.class,
                    () -> o.step(longer, new float[] {0, 3e38f, 0, 1, 1}, 1.0),
                    o.toString());
            assertArrayEquals(beforeLonger, longer, o + " at another length");
            o.reset();
            double[] shorter = {-1.5e308, 4};
            assertThrows(ArithmeticException.class, () -> o.step(shorter, new double[] {1e150, 1}, 1.0), o.toString());
            assertArrayEquals(new double[] {-1.5e308, 4}, shorter, o + " at a shorter length");
            assertEquals(0, o.steps(), o.toString());
            assertEquals(4, o.guardedSteps(), o.toString());
        }
    }

    /**
     * Momentum carries a parameter near the largest float towards it, step after step, from a
     * velocity one guarded step put there: every later step is guarded too (the bound is that
     * velocity, taken from the state), and the one that would overflow is refused.
     */
    @Test
    void aVelocityLeftByAGuardedStepKeepsLaterStepsGuarded() {
        for (boolean nesterov : new boolean[] {false, true}) {
            Sgd sgd = Sgd.of(1).momentum(0.9).nesterov(nesterov);
            float[] w = {3e38f, 0};
            sgd.step(w, new float[] {-1e37f, 0});
            assertEquals(1, sgd.guardedSteps(), "the first step's change is beyond what bounds clear");
            boolean refused = false;
            for (int s = 0; s < 10 && !refused; s++) {
                float[] before = w.clone();
                try {
                    sgd.step(w, new float[] {0, 1e-30f});
                    assertTrue(Float.isFinite(w[0]), "nesterov=" + nesterov + " step " + s + " left " + w[0]);
                } catch (ArithmeticException e) {
                    assertArrayEquals(before, w);
                    refused = true;
                }
            }
            assertTrue(
                    refused, "nesterov=" + nesterov + ": the velocity should have carried w[0] past the largest float");
            assertTrue(sgd.guardedSteps() >= 2, "nesterov=" + nesterov + " guarded " + sgd.guardedSteps());
        }
    }

    /** The same for the adaptive methods' squares: a huge square left by a guarded step keeps the next steps' bounds high. */
    @Test
    void squaresLeftByAGuardedStepAreTheNextStepsBounds() {
        // a float gradient of 1.4e19 squares to 1.96e38, more than half the largest float; a second one overflows the
        // sum
        Adagrad adagrad = Adagrad.of(1e-3);
        float[] w = {0, 0};
        adagrad.step(w, new float[] {1.4e19f, 0});
        assertEquals(1, adagrad.guardedSteps());
        float[] before = w.clone();
        ArithmeticException e =
                assertThrows(ArithmeticException.class, () -> adagrad.step(w, new float[] {1.4e19f, 0}));
        assertTrue(e.getMessage().contains("sum of squared gradients for parameters[0]"), e.getMessage());
        assertArrayEquals(before, w);
        // and ordinary gradients after it: the square stays large but finite, the steps are taken
        adagrad.step(w, new float[] {1, 1});
        assertEquals(2, adagrad.steps());
        assertTrue(Float.isFinite(w[0]) && Float.isFinite(w[1]));
    }

    /** Steps far from any limit are proved finite, whatever the rate up to 1 and the weight decay. */
    @Test
    void ordinaryStepsWithLargeRatesAreNotGuarded() {
        List<Supplier<GradientOptimizer<?>>> optimizers = List.of(
                () -> Adam.of(1),
                () -> Adam.of(5),
                () -> AdamW.of(1).weightDecay(1),
                () -> AdamW.of(0.5).weightDecay(1),
                () -> Sgd.of(5).momentum(0.5),
                () -> Adagrad.of(5),
                () -> RmsProp.of(5),
                () -> Rprop.of().maxStep(1e6));
        for (Supplier<GradientOptimizer<?>> supplier : optimizers) {
            GradientOptimizer<?> floats = supplier.get();
            GradientOptimizer<?> doubles = supplier.get();
            float[] w = {0.5f, -0.25f, 1};
            double[] wd = {0.5, -0.25, 1};
            for (int s = 0; s < 20; s++) {
                float[] g = {(float) Math.sin(s), (float) Math.cos(s), 0.125f};
                floats.step(w, g, 1.0 / (s + 1));
                doubles.step(wd, new double[] {g[0], g[1], g[2]}, 1.0 / (s + 1));
            }
            assertEquals(0, floats.guardedSteps(), floats + " in float");
            assertEquals(0, doubles.guardedSteps(), doubles + " in double");
        }
        // the decoupled decay is cleared only while rate, decay and their product are at most 1
        Adam heavy = AdamW.of(2).weightDecay(2);
        heavy.step(new float[] {0.5f}, new float[] {0.25f});
        assertEquals(1, heavy.guardedSteps(), heavy.toString());
        Adam rate = AdamW.of(2).weightDecay(0.25);
        rate.step(new float[] {0.5f}, new float[] {0.25f});
        assertEquals(1, rate.guardedSteps(), rate.toString());
        Adam decay = AdamW.of(0.25).weightDecay(2);
        decay.step(new float[] {0.5f}, new float[] {0.25f});
        assertEquals(1, decay.guardedSteps(), decay.toString());
    }
}
