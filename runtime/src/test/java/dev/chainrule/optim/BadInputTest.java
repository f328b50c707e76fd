package dev.chainrule.optim;

import static dev.chainrule.optim.LearningRateScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad arguments get a clear message and leave the parameters and the step count as they were. */
class BadInputTest {

    private static List<Optimizer> all() {
        return List.of(
                Sgd.of(0.1),
                Sgd.of(0.1).momentum(0.9).nesterov(),
                Adagrad.of(),
                RmsProp.of(),
                Adam.of(),
                AdamW.of(),
                Rprop.of());
    }

    @Test
    void mismatchedLengthsAreRejected() {
        for (Optimizer o : all()) {
            double[] w = {1, 2, 3};
            assertMessage(() -> o.step(w, new double[2], 1.0), "gradients have length 2 but parameters have length 3");
            assertMessage(
                    () -> o.step(new float[3], new float[4], 1.0),
                    "gradients have length 4 but parameters have length 3");
            assertArrayEquals(new double[] {1, 2, 3}, w, 0);
            assertEquals(0, o.steps(), o.toString());
        }
    }

    @Test
    void aNaNGradientIsRejectedNamingItsIndex() {
        for (Optimizer o : all()) {
            double[] w = {1, 2, 3};
            assertMessage(() -> o.step(w, new double[] {0.1, Double.NaN, 0.3}, 1.0), "gradients[1] is NaN");
            float[] wf = {1, 2, 3};
            assertMessage(
                    () -> o.step(wf, new float[] {0.1f, 0.2f, Float.POSITIVE_INFINITY}, 1.0),
                    "gradients[2] is Infinity");
            assertArrayEquals(new double[] {1, 2, 3}, w, 0);
            assertArrayEquals(new float[] {1, 2, 3}, wf, 0);
            assertEquals(0, o.steps(), o.toString());
        }
    }

    @Test
    void aNaNParameterIsRejectedNamingItsIndex() {
        assertMessage(() -> Adam.of().step(new double[] {Double.NaN, 1}, new double[2]), "parameters[0] is NaN");
    }

    @Test
    void aDoubleGradientTooLargeToSquareIsStillClippedCorrectly() {
        Sgd sgd = Sgd.of(1).clipNorm(5);
        double[] w = new double[2];
        sgd.step(w, new double[] {3e200, 4e200});
        assertArrayEquals(new double[] {-3, -4}, w, 1e-12);
        assertEquals(5e200, sgd.lastGradientNorm(), 1e188);
    }

    @Test
    void nonPositiveLearningRatesAreRejected() {
        assertMessage(() -> Sgd.of(0), "learning rate is 0.0");
        assertMessage(() -> Adam.of(-1e-3), "learning rate is -0.001");
        assertMessage(() -> Adagrad.of(Double.NaN), "learning rate is NaN");
        assertMessage(() -> RmsProp.of(Double.POSITIVE_INFINITY), "learning rate is Infinity");
        assertMessage(() -> AdamW.of(0), "learning rate is 0.0");
        assertMessage(() -> Sgd.of(0.1).learningRate(-2), "learning rate is -2.0");
    }

    @Test
    void outOfRangeOptionsAreRejectedByName() {
        assertMessage(() -> Sgd.of(0.1).momentum(1), "momentum is 1.0, expected a value in [0, 1)");
        assertMessage(() -> Adam.of().beta1(-0.1), "beta1 is -0.1");
        assertMessage(() -> Adam.of().beta2(1), "beta2 is 1.0");
        assertMessage(() -> Adam.of().epsilon(0), "epsilon is 0.0");
        assertMessage(() -> Adam.of().weightDecay(-1), "weight decay is -1.0");
        assertMessage(() -> RmsProp.of().rho(1.5), "rho is 1.5");
        assertMessage(() -> Adagrad.of().epsilon(-1), "epsilon is -1.0");
        assertMessage(() -> Sgd.of(0.1).clipNorm(0), "clip norm is 0.0");
        assertMessage(() -> Sgd.of(0.1).l1(-1), "l1 is -1.0");
        assertMessage(() -> Sgd.of(0.1).l2(Double.NaN), "l2 is NaN");
        assertMessage(() -> Rprop.of().etaPlus(1), "etaPlus is 1.0");
        assertMessage(() -> Rprop.of().etaMinus(1), "etaMinus is 1.0");
        assertMessage(() -> Rprop.of().minStep(100), "deltaMin is 100.0 but deltaMax is 50.0");
        assertMessage(() -> Rprop.of().initialStep(0), "delta0 is 0.0");
    }

    @Test
    void aStepOfAnotherLengthAfterTheFirstIsRejectedUntilReset() {
        for (Optimizer o : all()) {
            o.step(new double[3], new double[3], 1.0);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> o.step(new float[4], new float[4], 1.0));
            assertTrue(
                    e.getMessage().contains("set up for 3 parameters by its first step, but this step has 4"),
                    e.getMessage());
            assertEquals(1, o.steps());
            o.reset();
            assertEquals(0, o.steps());
            o.step(new float[4], new float[4], 1.0);
            assertEquals(1, o.steps());
        }
    }

    @Test
    void aStepOfTheOtherPrecisionAfterTheFirstIsRejectedUntilReset() {
        for (Optimizer o : all()) {
            float[] w = {1, 2, 3};
            o.step(w, new float[] {0.5f, -0.5f, 0.25f}, 1.0);
            float[] afterOne = w.clone();
            double[] refused = {4, 5, 6};
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> o.step(refused, new double[] {1, 1, 1}, 1.0));
            assertTrue(
                    e.getMessage()
                            .contains("set up for float parameters by its first step, but this step has double ones"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("reset()"), e.getMessage());
            assertEquals(1, o.steps());
            assertArrayEquals(new double[] {4, 5, 6}, refused, 0, o + " changed the parameters of the refused step");
            o.reset();
            double[] d = {1, 2, 3};
            o.step(d, new double[] {0.5, -0.5, 0.25}, 1.0);
            assertEquals(1, o.steps());
            assertEquals((double) afterOne[0], d[0], 1e-6, o + " after reset, in double");
        }
    }

    @Test
    void resetForgetsTheState() {
        Adam adam = Adam.of(0.1);
        double[] first = {1, 1};
        adam.step(first, new double[] {0.5, -0.5});
        adam.step(first, new double[] {0.2, 0.1});
        adam.reset();
        double[] again = {1, 1};
        adam.step(again, new double[] {0.5, -0.5});
        // a fresh Adam's first step is lr * g / (|g| + epsilon): mHat = g and vHat = g^2
        double step = 0.1 * 0.5 / (0.5 + 1e-8);
        assertArrayEquals(new double[] {1 - step, 1 + step}, again, 1e-15);
    }

    @Test
    void rpropNeedsTheLoss() {
        Rprop rprop = Rprop.of();
        assertTrue(rprop.requiresLoss());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> rprop.step(new double[1], new double[1]));
        assertTrue(e.getMessage().contains("call step(params, grads, loss)"), e.getMessage());
        assertMessage(() -> rprop.step(new double[1], new double[1], Double.NaN), "loss is NaN");
        assertEquals(0, rprop.steps());
    }

    @Test
    void optimizersThatDoNotNeedTheLossIgnoreIt() {
        double[] a = {1};
        double[] b = {1};
        Sgd.of(0.5).step(a, new double[] {1});
        Sgd.of(0.5).step(b, new double[] {1}, 123.0);
        assertArrayEquals(a, b, 0);
    }
}
