package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The first three steps of every optimizer on fixed parameters and gradients, against values
 * computed here from the published update rule, in {@code double} and in {@code float}.
 */
class UpdateRuleTest {

    private static final double[] W0 = {0.5, -1.0, 2.0, 0.0};
    private static final double[][] GRADS = {
        {0.2, -0.4, 1.0, 0.3},
        {-0.1, -0.3, 0.5, 0.0},
        {0.05, 0.2, -0.6, -0.2},
    };
    private static final int N = W0.length;

    /** Steps a double and a float copy of W0 through GRADS and compares each step with {@code expected}. */
    private static void assertSteps(Supplier<Optimizer> optimizer, double[][] expected) {
        Optimizer doubles = optimizer.get();
        Optimizer floats = optimizer.get();
        double[] w = W0.clone();
        float[] wf = toFloat(W0);
        for (int s = 0; s < GRADS.length; s++) {
            doubles.step(w, GRADS[s].clone());
            floats.step(wf, toFloat(GRADS[s]));
            assertArrayEquals(expected[s], w, 1e-12, "double, step " + (s + 1));
            assertArrayEquals(expected[s], toDouble(wf), 2e-6, "float, step " + (s + 1));
        }
        assertEquals(GRADS.length, doubles.steps());
    }

    @Test
    void plainSgd() {
        double lr = 0.1;
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < N; i++) {
                w[i] = w[i] - lr * GRADS[s][i];
            }
            expected[s] = w.clone();
        }
        assertSteps(() -> Sgd.of(lr), expected);
    }

    @Test
    void sgdFollowsItsScheduleFromStepZero() {
        // step decay halving every step: the k-th step (k = 0, 1, 2) has rate 0.1 * 0.5^k
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        for (int s = 0; s < 3; s++) {
            double lr = 0.1 * Math.pow(0.5, s);
            for (int i = 0; i < N; i++) {
                w[i] = w[i] - lr * GRADS[s][i];
            }
            expected[s] = w.clone();
        }
        assertSteps(() -> Sgd.of(LearningRateSchedule.stepDecay(0.1, 0.5, 1)), expected);
    }

    @Test
    void classicalMomentum() {
        double lr = 0.1;
        double mu = 0.9;
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        double[] v = new double[N];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < N; i++) {
                v[i] = mu * v[i] - lr * GRADS[s][i];
                w[i] = w[i] + v[i];
            }
            expected[s] = w.clone();
        }
        assertSteps(() -> Sgd.of(lr).momentum(mu), expected);
    }

    @Test
    void nesterovMomentumInTheLookAheadForm() {
        // Sutskever et al. (2013): v = mu v - lr grad(theta + mu v); theta = theta + v.
        // The gradient is taken at the look-ahead point theta + mu v, which is what the optimizer
        // holds in the parameter array: the given gradients are evaluated there.
        double lr = 0.1;
        double mu = 0.9;
        double[][] expected = new double[3][];
        double[] theta = W0.clone();
        double[] v = new double[N];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < N; i++) {
                v[i] = mu * v[i] - lr * GRADS[s][i];
                theta[i] = theta[i] + v[i];
            }
            double[] lookAhead = new double[N];
            for (int i = 0; i < N; i++) {
                lookAhead[i] = theta[i] + mu * v[i];
            }
            expected[s] = lookAhead;
        }
        assertSteps(() -> Sgd.of(lr).momentum(mu).nesterov(), expected);
    }

    @Test
    void adagrad() {
        double lr = 0.1;
        double eps = 1e-10;
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        double[] sum = new double[N];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < N; i++) {
                double g = GRADS[s][i];
                sum[i] += g * g;
                w[i] = w[i] - lr * g / (Math.sqrt(sum[i]) + eps);
            }
            expected[s] = w.clone();
        }
        assertSteps(() -> Adagrad.of(lr), expected);
    }

    @Test
    void rmsProp() {
        double lr = 0.01;
        double rho = 0.8;
        double eps = 1e-8;
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        double[] meanSquare = new double[N];
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < N; i++) {
                double g = GRADS[s][i];
                meanSquare[i] = rho * meanSquare[i] + (1 - rho) * g * g;
                w[i] = w[i] - lr * g / (Math.sqrt(meanSquare[i]) + eps);
            }
            expected[s] = w.clone();
        }
        assertSteps(() -> RmsProp.of(lr).rho(rho), expected);
    }

    /** Adam with bias correction; {@code l2} is added to the gradient, {@code decay} is decoupled. */
    private static double[][] adam(double lr, double beta1, double beta2, double eps, double l2, double decay) {
        double[][] expected = new double[3][];
        double[] w = W0.clone();
        double[] m = new double[N];
        double[] v = new double[N];
        for (int s = 0; s < 3; s++) {
            int t = s + 1;
            for (int i = 0; i < N; i++) {
                double g = GRADS[s][i] + l2 * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                w[i] = w[i] - lr * (mHat / (Math.sqrt(vHat) + eps) + decay * w[i]);
            }
            expected[s] = w.clone();
        }
        return expected;
    }

    @Test
    void adamWithBiasCorrection() {
        assertSteps(() -> Adam.of(0.01), adam(0.01, 0.9, 0.999, 1e-8, 0, 0));
        assertSteps(() -> Adam.of(0.05).beta1(0.8).beta2(0.99).epsilon(1e-3), adam(0.05, 0.8, 0.99, 1e-3, 0, 0));
    }

    @Test
    void adamWDecaysWeightsOutsideTheMoments() {
        assertSteps(() -> AdamW.of(0.01).weightDecay(0.5), adam(0.01, 0.9, 0.999, 1e-8, 0, 0.5));
    }

    @Test
    void adamWithL2PassesThePenaltyThroughTheMoments() {
        assertSteps(() -> Adam.of(0.01).l2(0.5), adam(0.01, 0.9, 0.999, 1e-8, 0.5, 0));
        // and that is a different trajectory from decoupled decay of the same strength
        double[][] coupled = adam(0.01, 0.9, 0.999, 1e-8, 0.5, 0);
        double[][] decoupled = adam(0.01, 0.9, 0.999, 1e-8, 0, 0.5);
        assertNotClose(coupled[2], decoupled[2]);
    }

    @Test
    void irpropPlusWithoutBacktrackingWhileTheLossFalls() {
        double d0 = 0.1;
        double up = 1.2;
        double down = 0.5;
        // per element, the signs of the three gradients: (+,-,+), (-,-,+), (+,+,-), (+,0,-)
        double[][] expected = {
            {0.5 - d0, -1.0 + d0, 2.0 - d0, 0.0 - d0},
            // 0: sign change -> step shrinks, no move; 1, 2: same sign -> step grows; 3: zero gradient -> no move
            {0.5 - d0, -1.0 + d0 + d0 * up, 2.0 - d0 - d0 * up, 0.0 - d0},
            // 0: previous gradient was zeroed -> move by the shrunk step; 1, 2: sign change, loss fell -> stay;
            // 3: previous gradient 0 -> move by the unchanged step
            {0.5 - d0 - d0 * down, -1.0 + d0 + d0 * up, 2.0 - d0 - d0 * up, 0.0 - d0 + d0},
        };
        double[] losses = {3.0, 2.0, 1.0};
        assertRpropSteps(losses, expected, 0);
    }

    @Test
    void irpropPlusBacktracksWeightsWhoseGradientFlippedWhenTheLossRose() {
        double d0 = 0.1;
        double up = 1.2;
        double down = 0.5;
        double[][] expected = {
            {0.5 - d0, -1.0 + d0, 2.0 - d0, 0.0 - d0},
            {0.5 - d0, -1.0 + d0 + d0 * up, 2.0 - d0 - d0 * up, 0.0 - d0},
            // the loss rose at step 3: elements 1 and 2 (sign change) undo their step-2 change
            {0.5 - d0 - d0 * down, -1.0 + d0, 2.0 - d0, 0.0 - d0 + d0},
        };
        double[] losses = {3.0, 2.0, 2.5};
        assertRpropSteps(losses, expected, 2);
    }

    private static void assertRpropSteps(double[] losses, double[][] expected, long backtracks) {
        Rprop doubles = Rprop.of();
        Rprop floats = Rprop.of();
        double[] w = W0.clone();
        float[] wf = toFloat(W0);
        for (int s = 0; s < 3; s++) {
            doubles.step(w, GRADS[s], losses[s]);
            floats.step(wf, toFloat(GRADS[s]), losses[s]);
            assertArrayEquals(expected[s], w, 1e-12, "double, step " + (s + 1));
            assertArrayEquals(expected[s], toDouble(wf), 1e-6, "float, step " + (s + 1));
        }
        assertEquals(backtracks, doubles.backtracks());
        assertEquals(backtracks, floats.backtracks());
    }

    static void assertNotClose(double[] a, double[] b) {
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        if (diff < 1e-6) {
            throw new AssertionError("expected different arrays, largest difference " + diff);
        }
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
