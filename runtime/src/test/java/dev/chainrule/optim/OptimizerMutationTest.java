package dev.chainrule.optim;

import static dev.chainrule.optim.LearningRateScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Properties of the optimizers that the update-rule tests leave open: the limits of the accepted
 * option ranges, the state after {@link Optimizer#reset()}, the gradient norm, epsilon in float
 * arithmetic, the names of overflowing state and the options' copies. Every expected value is
 * derived here from the documented rule.
 */
class OptimizerMutationTest {

    private static final double[] W0 = {0.5, -1.0, 2.0, 0.25};
    private static final double[][] GRADS = {
        {0.2, -0.4, 1.0, 0.3},
        {-0.1, -0.3, 0.5, -0.2},
        {0.05, 0.2, -0.6, -0.2},
    };

    // ---- option ranges: each limit is accepted or rejected as documented ----

    @Test
    void positiveOptionsRejectZeroAndInfinityAndAcceptTheSmallestPositive() {
        assertMessage(() -> Sgd.of(0.1).clipNorm(0), "clip norm is 0.0, expected a positive finite number");
        assertMessage(() -> Sgd.of(0.1).clipNorm(Double.POSITIVE_INFINITY), "clip norm is Infinity");
        assertEquals(Double.MIN_VALUE, Sgd.of(0.1).clipNorm(Double.MIN_VALUE).clipNorm());
        assertEquals(Double.MAX_VALUE, Sgd.of(0.1).clipNorm(Double.MAX_VALUE).clipNorm());
        assertMessage(() -> Adagrad.of().epsilon(0), "epsilon is 0.0");
        assertMessage(() -> RmsProp.of().epsilon(Double.POSITIVE_INFINITY), "epsilon is Infinity");
        assertMessage(() -> Rprop.of().initialStep(0), "delta0 is 0.0");
    }

    @Test
    void nonNegativeOptionsAcceptZeroAndRejectInfinity() {
        assertEquals(0, Sgd.of(0.1).l1(0).l1());
        assertEquals(0, Sgd.of(0.1).l2(0).l2());
        assertEquals(0, Adam.of().weightDecay(0).weightDecay());
        assertMessage(() -> Sgd.of(0.1).l1(Double.POSITIVE_INFINITY), "l1 is Infinity, expected a finite number >= 0");
        assertMessage(() -> Sgd.of(0.1).l2(-Double.MIN_VALUE), "l2 is -4.9E-324");
        assertEquals(0.25, Sgd.of(0.1).l1(0.25).l1());
        assertEquals(0.75, Sgd.of(0.1).l2(0.75).l2());
    }

    @Test
    void fractionsAcceptZeroAndRejectOne() {
        assertEquals(0, Sgd.of(0.1).momentum(0).momentum());
        assertEquals(0, Adam.of().beta1(0).beta1());
        assertMessage(() -> Sgd.of(0.1).momentum(1), "momentum is 1.0, expected a value in [0, 1)");
        assertMessage(() -> Adam.of().beta2(1), "beta2 is 1.0");
        assertMessage(() -> RmsProp.of().rho(-0.0 - Double.MIN_VALUE), "rho is");
    }

    @Test
    void atLeastAcceptsItsMinimum() {
        LevenbergMarquardt lm = LevenbergMarquardt.of(new DoubleLinear(1, 1));
        assertTrue(
                lm.maxIterations(1).toString().contains("maxIterations=1,"),
                lm.maxIterations(1).toString());
        assertMessage(() -> lm.maxIterations(0), "max iterations is 0, expected at least 1");
    }

    @Test
    void rpropEtasAreOpenIntervals() {
        assertMessage(() -> Rprop.of().etaPlus(1), "etaPlus is 1.0, expected a finite number > 1");
        assertMessage(() -> Rprop.of().etaPlus(Double.POSITIVE_INFINITY), "etaPlus is Infinity");
        assertEquals(Math.nextUp(1.0), Rprop.of().etaPlus(Math.nextUp(1.0)).etaPlus());
        assertMessage(() -> Rprop.of().etaMinus(0), "etaMinus is 0.0, expected a value in (0, 1)");
        assertMessage(() -> Rprop.of().etaMinus(1), "etaMinus is 1.0");
        assertEquals(Math.nextDown(1.0), Rprop.of().etaMinus(Math.nextDown(1.0)).etaMinus());
    }

    // ---- reset: the state of a step after reset() is that of a fresh optimizer ----

    private static List<Supplier<GradientOptimizer<?>>> stateful() {
        return List.of(
                () -> Sgd.of(0.1).momentum(0.9),
                () -> Sgd.of(0.1).l2(0.01),
                () -> Adagrad.of(0.1),
                () -> RmsProp.of(0.01),
                () -> Adam.of(0.01),
                () -> Rprop.of());
    }

    @Test
    void aResetOptimizerStepsLikeAFreshOneInFloat() {
        for (Supplier<GradientOptimizer<?>> supplier : stateful()) {
            GradientOptimizer<?> used = supplier.get();
            float[] w = UpdateRuleTest.toFloat(W0);
            for (double[] g : GRADS) {
                used.step(w, UpdateRuleTest.toFloat(g), 1.0);
            }
            used.reset();
            GradientOptimizer<?> fresh = supplier.get();
            float[] a = UpdateRuleTest.toFloat(W0);
            float[] b = UpdateRuleTest.toFloat(W0);
            // the gradients in reverse order: a remembered sign or moment would change these steps
            for (int s = GRADS.length - 1; s >= 0; s--) {
                used.step(a, UpdateRuleTest.toFloat(GRADS[s]), 2.0 - s);
                fresh.step(b, UpdateRuleTest.toFloat(GRADS[s]), 2.0 - s);
                assertArrayEquals(b, a, fresh + " after reset, float");
            }
        }
    }

    @Test
    void aResetOptimizerStepsLikeAFreshOneInDouble() {
        for (Supplier<GradientOptimizer<?>> supplier : stateful()) {
            GradientOptimizer<?> used = supplier.get();
            double[] w = W0.clone();
            for (double[] g : GRADS) {
                used.step(w, g.clone(), 1.0);
            }
            used.reset();
            GradientOptimizer<?> fresh = supplier.get();
            double[] a = W0.clone();
            double[] b = W0.clone();
            for (int s = GRADS.length - 1; s >= 0; s--) {
                used.step(a, GRADS[s].clone(), 2.0 - s);
                fresh.step(b, GRADS[s].clone(), 2.0 - s);
                assertArrayEquals(b, a, fresh + " after reset, double");
            }
        }
    }

    // ---- epsilon in float: the denominator sqrt(s) + epsilon, with an epsilon large enough to count ----

    @Test
    void adagradAddsEpsilonToTheRootInFloat() {
        float[] w = {1, -2};
        Adagrad adagrad = Adagrad.of(0.5).epsilon(0.5);
        adagrad.step(w, new float[] {2, -1});
        // s = g^2, so w - lr * g / (|g| + eps): 1 - 0.5 * 2 / 2.5 = 0.6, -2 + 0.5 * 1 / 1.5 = -5/3
        assertEquals(0.6f, w[0], 1e-6f);
        assertEquals(-2 + 1.0f / 3, w[1], 1e-6f);
    }

    @Test
    void rmsPropAddsEpsilonToTheRootInFloat() {
        float[] w = {1, -2};
        RmsProp rms = RmsProp.of(0.5).rho(0.75).epsilon(0.5);
        rms.step(w, new float[] {2, -1});
        // s = 0.25 g^2, sqrt(s) = |g| / 2: 1 - 0.5 * 2 / (1 + 0.5) = 1/3, -2 + 0.5 * 1 / (0.5 + 0.5) = -1.5
        assertEquals(1.0f / 3, w[0], 1e-6f);
        assertEquals(-1.5f, w[1], 1e-6f);
    }

    // ---- the gradient norm: every partial sum and the tail counted once, with its sign ----

    /** Nine gradients whose four lanes have nearly equal sums of squares, so no single wrong sign leaves a negative total. */
    private static final double[] NINE = {1.5, -2, 2.5, -1, 2, 1.5, -1, 2.5, 0.5};

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void theGradientNormOfADoubleStepCountsEveryGradient() {
        Sgd sgd = Sgd.of(0.1);
        double[] w = {1, 0, -1, 2, 0, 3, -2, 1, 0.5};
        sgd.step(w, NINE.clone());
        assertEquals(norm(NINE), sgd.lastGradientNorm(), 1e-15);
        // clipped to 1: the update is lr * g / ||g||
        Sgd clipped = Sgd.of(0.1).clipNorm(1);
        double[] v = new double[9];
        clipped.step(v, NINE.clone());
        double n = norm(NINE);
        for (int i = 0; i < 9; i++) {
            assertEquals(-0.1 * NINE[i] / n, v[i], 1e-15);
        }
    }

    @Test
    void anInfiniteParameterIsRejectedInEveryLane() {
        for (int i = 0; i < 9; i++) {
            double[] w = new double[9];
            w[i] = Double.POSITIVE_INFINITY;
            int index = i;
            assertMessage(() -> Sgd.of(0.1).step(w, NINE.clone()), "parameters[" + index + "] is Infinity");
        }
    }

    @Test
    void theGradientNormOfFloatGradientsWhoseFloatSquaresOverflow() {
        // squares of 1e30 overflow float, not double: the norm is computed again in double
        float[] g = new float[9];
        for (int i = 0; i < 9; i++) {
            g[i] = (float) (NINE[i] * 1e30);
        }
        double expected = 0;
        for (float v : g) {
            expected += (double) v * v;
        }
        expected = Math.sqrt(expected);
        Sgd sgd = Sgd.of(1e-40);
        float[] w = new float[9]; // zero parameters in every lane: 0 * w is 0, where 0 / w would be NaN
        sgd.step(w, g);
        assertEquals(expected, sgd.lastGradientNorm(), expected * 1e-15);
    }

    // ---- overflowing state is named ----

    @Test
    void anOverflowingSecondMomentIsNamed() {
        // g^2 = 1e40 overflows float: the second moment is infinite, the direction m / sqrt(v) is 0
        Adam adam = Adam.of(0.01);
        float[] w = {0.5f};
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> adam.step(w, new float[] {1e20f}));
        assertTrue(e.getMessage().contains("its second moment for parameters[0] Infinity"), e.getMessage());
        assertEquals(0.5f, w[0]);
        assertEquals(0, adam.steps());
    }

    @Test
    void anOverflowingMeanSquareIsNamed() {
        RmsProp rms = RmsProp.of(0.01);
        float[] w = {0.5f};
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> rms.step(w, new float[] {1e20f}));
        assertTrue(e.getMessage().contains("its mean square for parameters[0] Infinity"), e.getMessage());
    }

    @Test
    void anOverflowingRememberedGradientIsNamed() {
        // l2 * w = 1e310 overflows double: the remembered effective gradient is infinite, the move -0.1 is not
        Rprop rprop = Rprop.of().l2(1e300);
        double[] w = {1e10};
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> rprop.step(w, new double[] {1}, 1.0));
        assertTrue(e.getMessage().contains("its remembered gradient for parameters[0] Infinity"), e.getMessage());
        assertEquals(1e10, w[0]);
    }

    // ---- Rprop's rule at the sign boundaries ----

    @Test
    void rpropAfterASignChangeStepsWithTheShrunkSizeWithoutGrowingIt() {
        Rprop rprop = Rprop.of();
        double[] w = {0};
        rprop.step(w, new double[] {1}, 1.0); // dw = -0.1
        assertEquals(-0.1, w[0], 1e-15);
        rprop.step(w, new double[] {-1}, 0.5); // sign change, loss fell: delta = 0.05, no move
        assertEquals(-0.1, w[0], 1e-15);
        rprop.step(w, new double[] {-1}, 0.25); // remembered 0: dw = +0.05, delta not grown
        assertEquals(-0.05, w[0], 1e-15);
        rprop.step(w, new double[] {-1}, 0.125); // same sign: delta = 0.06
        assertEquals(0.01, w[0], 1e-15);
        assertEquals(0, rprop.backtracks());
    }

    @Test
    void rpropDoesNotBacktrackWhenTheLossIsUnchanged() {
        Rprop rprop = Rprop.of();
        double[] w = {0};
        rprop.step(w, new double[] {1}, 1.0);
        rprop.step(w, new double[] {-1}, 1.0); // sign change at an equal loss: no backtracking
        assertEquals(-0.1, w[0], 1e-15);
        assertEquals(0, rprop.backtracks());
        rprop.step(w, new double[] {1}, 1.0);
        rprop.step(w, new double[] {-1}, 2.0); // a sign change at a higher loss undoes the last move (+0.05)
        assertEquals(-0.1, w[0], 1e-15);
        assertEquals(1, rprop.backtracks());
    }

    @Test
    void rpropNeedsTheLossForDoubleSteps() {
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> Rprop.of().step(new double[1], new double[1]));
        assertTrue(e.getMessage().contains("Rprop needs the loss"), e.getMessage());
    }

    // ---- learning rates: a schedule giving 0 is accepted, the options copy the rest ----

    @Test
    void aScheduleGivingZeroLeavesTheParameters() {
        Sgd sgd = Sgd.of(step -> 0.0);
        double[] w = W0.clone();
        sgd.step(w, GRADS[0].clone());
        assertArrayEquals(W0, w);
        Sgd infinite = Sgd.of(step -> Double.POSITIVE_INFINITY);
        assertThrows(IllegalStateException.class, () -> infinite.step(W0.clone(), GRADS[0].clone()));
    }

    @Test
    void learningRateReplacesTheScheduleAndKeepsTheOtherOptions() {
        LearningRateSchedule half = step -> 0.5;
        Sgd sgd = Sgd.of(0.1).momentum(0.5).nesterov().learningRate(0.25);
        assertEquals(0.25, sgd.schedule().rate(0));
        assertEquals(0.5, sgd.momentum());
        assertTrue(sgd.isNesterov());
        assertEquals(half, Sgd.of(0.1).learningRate(half).schedule());
        Adagrad adagrad = Adagrad.of().epsilon(0.125).learningRate(0.25);
        assertEquals(0.25, adagrad.schedule().rate(7));
        assertEquals(0.125, adagrad.epsilon());
        assertEquals(half, adagrad.learningRate(half).schedule());
        RmsProp rms = RmsProp.of().rho(0.5).epsilon(0.125).learningRate(0.25);
        assertEquals(0.25, rms.schedule().rate(7));
        assertEquals(0.5, rms.rho());
        assertEquals(0.125, rms.epsilon());
        Adam adam = Adam.of()
                .beta1(0.5)
                .beta2(0.75)
                .epsilon(0.125)
                .weightDecay(0.0625)
                .learningRate(0.25);
        assertEquals(0.25, adam.schedule().rate(7));
        assertEquals(0.5, adam.beta1());
        assertEquals(0.75, adam.beta2());
        assertEquals(0.125, adam.epsilon());
        assertEquals(0.0625, adam.weightDecay());
        // the copy steps with the new rate: plain SGD moves by 0.25 * g
        double[] w = {1};
        Sgd.of(0.1).learningRate(0.25).step(w, new double[] {2});
        assertEquals(0.5, w[0]);
        assertMessage(() -> Sgd.of(0.1).learningRate(0), "learning rate is 0.0");
    }

    @Test
    void theGuardedStepCountTellsARateBeyondHalfTheReach() {
        // a float step whose rate is at least 2^102 (half of 2^103) is not proved finite, even with zero gradients
        Sgd atReach = Sgd.of(0x1p102);
        atReach.step(new float[] {1}, new float[] {0});
        assertEquals(1, atReach.guardedSteps());
        Sgd below = Sgd.of(Math.nextDown(0x1p102));
        below.step(new float[] {1}, new float[] {0});
        assertEquals(0, below.guardedSteps());
        Sgd twice = Sgd.of(0x1p103);
        twice.step(new float[] {1}, new float[] {0});
        assertEquals(1, twice.guardedSteps());
    }

    // ---- the checks and the guarded path's bookkeeping ----

    @Test
    void anInfiniteFloatParameterIsRejected() {
        float[] w = {1, 2, Float.POSITIVE_INFINITY};
        assertMessage(() -> Sgd.of(0.1).step(w, new float[] {1, 1, 1}), "parameters[2] is Infinity");
        assertMessage(() -> Adam.of().step(w, new float[] {1, 1, 1}), "parameters[2] is Infinity");
    }

    @Test
    void rpropNeedsTheLossForFloatSteps() {
        assertThrows(IllegalStateException.class, () -> Rprop.of().step(new float[1], new float[1]));
    }

    @Test
    void aGuardedStepAfterAResetToALongerModelBacksUpAllOfIt() {
        // a rate of 2^102 is never proved finite in float: every step is guarded
        Sgd sgd = Sgd.of(0x1p102);
        sgd.step(new float[] {1}, new float[] {0});
        sgd.reset();
        float[] w = {1, 2, 3};
        sgd.step(w, new float[] {0, 0, 0});
        assertArrayEquals(new float[] {1, 2, 3}, w);
        assertEquals(2, sgd.guardedSteps());
    }

    /**
     * A guarded Rprop step that overflows puts back the remembered loss and the count of
     * backtracks: the next sign change backtracks if its loss is above the loss before the
     * failed step. Step sizes are powers of two, so every move and undo is exact.
     */
    @Test
    void aFailedGuardedRpropStepRestoresTheLossAndTheBacktracks() {
        double bigDouble = 0x1p990;
        Rprop doubles = Rprop.of().initialStep(bigDouble).maxStep(bigDouble * 4);
        double[] w = {0};
        doubles.step(w, new double[] {1}, -1); // w = -big
        doubles.step(w, new double[] {-1}, 0); // loss rose, sign changed: undo, w = 0; delta = big / 2
        assertEquals(1, doubles.backtracks());
        doubles.step(w, new double[] {-1}, -2); // w = big / 2
        assertEquals(bigDouble / 2, w[0]);
        double[] huge = {Double.MAX_VALUE};
        assertThrows(ArithmeticException.class, () -> doubles.step(huge, new double[] {-1}, 100));
        assertEquals(1, doubles.backtracks());
        doubles.step(w, new double[] {1}, -1.5); // above -2, the loss before the failed step: backtrack
        assertEquals(0, w[0]);
        assertEquals(2, doubles.backtracks());

        float bigFloat = 0x1p120f;
        Rprop floats = Rprop.of().initialStep(bigFloat).maxStep(bigFloat * 4);
        float[] v = {0};
        floats.step(v, new float[] {1}, -1);
        floats.step(v, new float[] {-1}, 0);
        floats.step(v, new float[] {-1}, -2);
        assertEquals(bigFloat / 2, v[0]);
        float[] hugeFloat = {Float.MAX_VALUE};
        assertThrows(ArithmeticException.class, () -> floats.step(hugeFloat, new float[] {-1}, 100));
        assertEquals(1, floats.backtracks());
        floats.step(v, new float[] {1}, -1.5);
        assertEquals(0, v[0]);
        assertEquals(2, floats.backtracks());
    }

    @Test
    void plainSgdIsProvedFiniteOnlyWhileRateTimesTwiceTheNormIsBelowHalfTheReach() {
        // float: the change lr * |g| is bounded by lr * 2 ||g|| (times SLACK); half the reach is 2^102
        Sgd at = Sgd.of(1);
        float[] w = {0};
        at.step(w, new float[] {0x1p101f}); // 2 ||g|| = 2^102: not below once SLACK is applied
        assertEquals(1, at.guardedSteps());
        assertEquals(-0x1p101f, w[0]);
        Sgd below = Sgd.of(1);
        below.step(new float[] {0}, new float[] {0x1p99f}); // 2^100 * SLACK < 2^102
        assertEquals(0, below.guardedSteps());
        Sgd momentum = Sgd.of(1).momentum(0.5);
        momentum.step(new float[] {0}, new float[] {0x1p101f}); // |v'| <= lr * 2 ||g||, the same bound
        assertEquals(1, momentum.guardedSteps());
        Sgd momentumBelow = Sgd.of(1).momentum(0.5);
        momentumBelow.step(new float[] {0}, new float[] {0x1p99f});
        assertEquals(0, momentumBelow.guardedSteps());
    }

    @Test
    void plainSgdAtAnExactTieWithTheBoundIsGuarded() {
        // rate * 2^102 * SLACK rounds to exactly 2^102, half the float reach: not below it
        double rate = 0x1.ffffe00002000p-1;
        assertEquals(0x1p102, rate * 0x1p102 * GradientOptimizer.SLACK);
        Sgd tie = Sgd.of(rate);
        tie.step(new float[] {0}, new float[] {0x1p101f});
        assertEquals(1, tie.guardedSteps());
    }

    @Test
    void theVelocityBoundCountsTheVelocityAndNesterovsLookAhead() {
        // 2 ||g|| = 0.75 * 2^102: one classical step is proved (|v'| <= 0.75 * 2^102 * SLACK), the
        // second is not (0.5 * 0.75 + 0.75 > 1, in units of 2^102), though 2 ||g|| alone is below the reach
        float g = 0x1.8p100f;
        Sgd classical = Sgd.of(1).momentum(0.5);
        float[] w = {0};
        classical.step(w, new float[] {g});
        assertEquals(0, classical.guardedSteps());
        classical.step(w, new float[] {g});
        assertEquals(1, classical.guardedSteps());
        // velocities -1.5 * 2^100, then -0.75 * 2^100 - 1.5 * 2^100
        assertEquals(-0x1.8p100f - 0x1.2p101f, w[0]);
        // Nesterov's change mu v' + lr g is at most 1.125 * 2^102 at once: guarded from the first step
        Sgd nesterov = Sgd.of(1).momentum(0.5).nesterov();
        nesterov.step(new float[] {0}, new float[] {g});
        assertEquals(1, nesterov.guardedSteps());
    }

    @Test
    void theDefaultLossStepsOfAnOptimizerIgnoreTheLoss() {
        int[] calls = new int[2];
        Optimizer counting = new Optimizer() {
            @Override
            public void step(float[] params, float[] grads) {
                calls[0]++;
            }

            @Override
            public void step(double[] params, double[] grads) {
                calls[1]++;
            }

            @Override
            public void reset() {}

            @Override
            public long steps() {
                return calls[0] + calls[1];
            }
        };
        counting.step(new float[1], new float[1], 0.5);
        counting.step(new double[1], new double[1], 0.5);
        counting.step(new double[1], new double[1], 0.5);
        assertEquals(1, calls[0]);
        assertEquals(2, calls[1]);
        assertEquals(0, counting.penalty(new float[] {1}));
        assertEquals(0, counting.penalty(new double[] {1}));
    }

    @Test
    void rpropDoesNotBacktrackInFloatWhenTheLossIsUnchanged() {
        Rprop rprop = Rprop.of().initialStep(0.125);
        float[] w = {0};
        rprop.step(w, new float[] {1}, 1.0);
        rprop.step(w, new float[] {-1}, 1.0); // sign change at an equal loss: no backtracking
        assertEquals(-0.125f, w[0]);
        assertEquals(0, rprop.backtracks());
    }

    @Test
    void aGuardedStepAfterAResetToDoublesBacksUpDoubles() {
        // a step size of 2^990 is never proved finite, in float or double; zero gradients do not move
        Rprop rprop = Rprop.of().initialStep(0x1p990).maxStep(0x1p990);
        rprop.step(new float[] {1}, new float[] {0}, 1.0);
        rprop.reset();
        double[] w = {1};
        rprop.step(w, new double[] {0}, 1.0);
        assertEquals(1, w[0]);
        assertEquals(2, rprop.guardedSteps());
    }
}
