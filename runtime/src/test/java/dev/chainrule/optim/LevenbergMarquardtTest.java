package dev.chainrule.optim;

import static dev.chainrule.optim.LearningRateScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.optim.HandModels.TwoOutputs;
import dev.chainrule.optim.LevenbergMarquardt.Damping;
import dev.chainrule.optim.LevenbergMarquardt.Stop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevenbergMarquardtTest {

    // two features, two outputs, seven samples; the targets are not an exact linear function
    private static final double[] INPUTS = {
        0, 0, 1, 0, 0, 1, 1, 1, 2, -1, -1, 3, 0.5, 2,
    };
    private static final double[] TARGETS = {
        1.0, -0.5, 2.9, 0.1, 0.2, 1.4, 2.1, 2.2, 6.2, -1.8, -4.1, 6.9, -0.9, 4.6,
    };
    private static final int ROWS = 7;

    /**
     * The least-squares optimum of output {@code k}: rows {@code (x1, x2, 1)} of the design matrix,
     * normal equations {@code X^T X w = X^T y} solved by Gaussian elimination; returns {@code (w1, w2, b)}.
     */
    private static double[] normalEquations(int k) {
        double[][] m = new double[3][4];
        for (int r = 0; r < ROWS; r++) {
            double[] row = {INPUTS[2 * r], INPUTS[2 * r + 1], 1};
            double y = TARGETS[2 * r + k];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    m[i][j] += row[i] * row[j];
                }
                m[i][3] += row[i] * y;
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int r = c + 1; r < 3; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j < 4; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        double[] w = new double[3];
        for (int r = 2; r >= 0; r--) {
            double s = m[r][3];
            for (int j = r + 1; j < 3; j++) {
                s -= m[r][j] * w[j];
            }
            w[r] = s / m[r][r];
        }
        return w;
    }

    /** The optimum in the {@link DoubleLinear} layout: W row-major (output-major), then the biases. */
    private static double[] linearOptimum() {
        double[] out0 = normalEquations(0);
        double[] out1 = normalEquations(1);
        return new double[] {out0[0], out0[1], out1[0], out1[1], out0[2], out1[2]};
    }

    private static double mseOf(double[] params) {
        double sse = 0;
        for (int r = 0; r < ROWS; r++) {
            for (int k = 0; k < 2; k++) {
                double y = params[4 + k];
                for (int i = 0; i < 2; i++) {
                    y += params[k * 2 + i] * INPUTS[2 * r + i];
                }
                double e = y - TARGETS[2 * r + k];
                sse += e * e;
            }
        }
        return sse / (ROWS * 2);
    }

    @Test
    void reachesTheLinearLeastSquaresOptimumOfAMultiOutputMapInAFewIterations() {
        DoubleLinear model = new DoubleLinear(2, 2);
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).maxIterations(4).fit(INPUTS, TARGETS, ROWS);
        double[] optimum = linearOptimum();
        assertArrayEquals(optimum, model.parameters(), 1e-9);
        assertEquals(mseOf(optimum), result.mse(), 1e-12);
        assertTrue(result.iterations() <= 4);
        assertFalse(result.converged()); // a target MSE of 0 is out of reach
    }

    @Test
    void identityDampingReachesTheSameOptimum() {
        DoubleLinear model = new DoubleLinear(2, 2);
        LevenbergMarquardt.of(model).damping(Damping.IDENTITY).maxIterations(6).fit(INPUTS, TARGETS, ROWS);
        assertArrayEquals(linearOptimum(), model.parameters(), 1e-9);
    }

    @Test
    void aParameterWithNoInfluenceDoesNotMakeTheSystemSingular() {
        // the second feature is always 0: its weights have zero Jacobian columns
        double[] inputs = new double[ROWS * 2];
        for (int r = 0; r < ROWS; r++) {
            inputs[2 * r] = INPUTS[2 * r];
        }
        DoubleLinear model = new DoubleLinear(2, 2);
        model.parameters()[1] = 0.25;
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).maxIterations(5).fit(inputs, TARGETS, ROWS);
        assertTrue(result.iterations() >= 1);
        assertEquals(0.25, model.parameters()[1], 0, "a weight without influence stays where it was");
        // the remaining weights are the one-feature least-squares line: slope and intercept per output
        for (int k = 0; k < 2; k++) {
            double mx = 0;
            double my = 0;
            for (int r = 0; r < ROWS; r++) {
                mx += inputs[2 * r] / ROWS;
                my += TARGETS[2 * r + k] / ROWS;
            }
            double sxy = 0;
            double sxx = 0;
            for (int r = 0; r < ROWS; r++) {
                sxy += (inputs[2 * r] - mx) * (TARGETS[2 * r + k] - my);
                sxx += (inputs[2 * r] - mx) * (inputs[2 * r] - mx);
            }
            assertEquals(sxy / sxx, model.parameters()[2 * k], 1e-9, "slope of output " + k);
            assertEquals(my - sxy / sxx * mx, model.parameters()[4 + k], 1e-9, "intercept of output " + k);
        }
    }

    private static final int POINTS = 21;

    private static double[] grid() {
        double[] x = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = -2 + 4.0 * i / (POINTS - 1);
        }
        return x;
    }

    private static double[] tanhTargets(double a, double b, double c) {
        double[] x = grid();
        double[] y = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            y[i] = a * Math.tanh(b * x[i] + c);
        }
        return y;
    }

    @Test
    void fitsATanhNeuronToNoiseFreeDataInDouble() {
        DoubleTanh model = new DoubleTanh(1, 1, 0);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model)
                .targetMse(1e-10)
                .maxIterations(100)
                .fit(grid(), tanhTargets(1.5, 0.8, -0.3), POINTS);
        assertTrue(result.converged(), result.toString());
        assertEquals(Stop.TARGET_MSE, result.stop());
        assertTrue(result.mse() < 1e-8, result.toString());
        assertArrayEquals(new double[] {1.5, 0.8, -0.3}, model.parameters(), 1e-4);
    }

    @Test
    void fitsATanhNeuronToNoiseFreeDataInFloat() {
        FloatTanh model = new FloatTanh(1, 1, 0);
        float[] x = UpdateRuleTest.toFloat(grid());
        float[] y = UpdateRuleTest.toFloat(tanhTargets(1.5, 0.8, -0.3));
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).targetMse(1e-10).maxIterations(100).fit(x, y, POINTS);
        assertTrue(result.mse() < 1e-8, result.toString());
        assertArrayEquals(new float[] {1.5f, 0.8f, -0.3f}, model.parameters(), 1e-3f);
    }

    @Test
    void fitsANonlinearModelWithTwoOutputs() {
        double[] x = grid();
        double[] y = new double[2 * POINTS];
        for (int i = 0; i < POINTS; i++) {
            y[2 * i] = 1.2 * Math.tanh(0.7 * x[i]);
            y[2 * i + 1] = 1.2 * 0.7 * x[i] * x[i] - 0.5;
        }
        TwoOutputs model = new TwoOutputs(0.5, 0.2, 0);
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).targetMse(1e-12).fit(x, y, POINTS);
        assertTrue(result.converged(), result.toString());
        assertArrayEquals(new double[] {1.2, 0.7, -0.5}, model.parameters(), 1e-5);
    }

    private record Attempt(double lambda, double mse, double trialMse, boolean accepted) {}

    @Test
    void lambdaRisesTenfoldOnARejectedStepAndFallsTenfoldOnAnAcceptedOne() {
        List<Attempt> attempts = new ArrayList<>();
        DoubleTanh model = new DoubleTanh(1, 4, 1);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model)
                .initialLambda(1e-6)
                .targetMse(1e-12)
                .listener((iteration, lambda, mse, trialMse, accepted) ->
                        attempts.add(new Attempt(lambda, mse, trialMse, accepted)))
                .fit(grid(), tanhTargets(1.5, 0.8, -0.3), POINTS);
        assertTrue(result.converged(), result.toString());
        long rejected = attempts.stream().filter(a -> !a.accepted()).count();
        assertTrue(rejected > 0, "this start should overshoot at least once: " + attempts);
        assertEquals(rejected, result.rejectedSteps());
        assertEquals(attempts.size() - rejected, result.iterations());
        assertEquals(1e-6, attempts.get(0).lambda());
        for (int i = 0; i + 1 < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            Attempt next = attempts.get(i + 1);
            assertEquals(a.accepted(), a.trialMse() < a.mse(), "accepted exactly when the error fell");
            double expected = a.accepted() ? a.lambda() / 10 : a.lambda() * 10;
            assertEquals(expected, next.lambda(), expected * 1e-12, "attempt " + (i + 2));
            if (!a.accepted()) {
                assertEquals(a.mse(), next.mse(), 0, "a rejected step leaves the error where it was");
            }
        }
    }

    /** Targets that are exactly {@code 0.3 x1 - 0.7 x2 + 0.1} (and {@code 1.9 x1 + 0.2 x2 - 3.3}), in double. */
    private static double[] exactTargets() {
        double[] y = new double[ROWS * 2];
        for (int r = 0; r < ROWS; r++) {
            double x1 = INPUTS[2 * r];
            double x2 = INPUTS[2 * r + 1];
            y[2 * r] = 0.3 * x1 - 0.7 * x2 + 0.1;
            y[2 * r + 1] = 1.9 * x1 + 0.2 * x2 - 3.3;
        }
        return y;
    }

    @Test
    void anExactFitIsReportedConvergedThoughItsErrorIsRoundingAboveZero() {
        DoubleLinear model = new DoubleLinear(2, 2);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model).fit(INPUTS, exactTargets(), ROWS);
        assertTrue(result.converged(), result.toString());
        assertTrue(result.stop() == Stop.EXACT_FIT || result.stop() == Stop.TARGET_MSE, result.toString());
        assertTrue(result.mse() < 1e-28, result.toString());
        assertTrue(result.iterations() <= 5, "an exact fit stops once it is reached: " + result);
        assertArrayEquals(new double[] {0.3, -0.7, 1.9, 0.2, 0.1, -3.3}, model.parameters(), 1e-12);
    }

    @Test
    void anExactFitInFloatIsConvergedAtFloatRounding() {
        FloatLinear model = new FloatLinear(2, 2);
        float[] x = UpdateRuleTest.toFloat(INPUTS);
        float[] y = UpdateRuleTest.toFloat(exactTargets());
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model).fit(x, y, ROWS);
        assertTrue(result.converged(), result.toString());
        assertTrue(result.mse() < 1e-12, result.toString());
        assertArrayEquals(new float[] {0.3f, -0.7f, 1.9f, 0.2f, 0.1f, -3.3f}, model.parameters(), 1e-5f);
    }

    @Test
    void aRejectedStepRestoresTheParameters() {
        DoubleLinear model = new DoubleLinear(2, 2);
        // start at the optimum: no step can lower the error much, and the fit ends where it began
        double[] optimum = linearOptimum();
        model.setParameters(optimum);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model).fit(INPUTS, TARGETS, ROWS);
        assertArrayEquals(optimum, model.parameters(), 1e-12);
        assertTrue(result.rejectedSteps() > 0);
        assertEquals(Stop.NO_IMPROVEMENT, result.stop());
        assertTrue(result.lambda() > 1e10);
    }

    @Test
    void aModelWhoseJacobianIsNotFiniteIsReportedWithTheSample() {
        DoubleTanh broken = new DoubleTanh(1, 1, 0) {
            @Override
            public void jacobian(double[] input, double[] jacobian) {
                super.jacobian(input, jacobian);
                if (input[0] > 1.9) {
                    jacobian[1] = Double.NaN;
                }
            }
        };
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> LevenbergMarquardt.of(broken).fit(grid(), tanhTargets(1, 2, 0), POINTS));
        assertEquals(
                "the model's Jacobian for sample 20 is NaN at output 0, parameter 1; expected a finite number",
                e.getMessage());
    }

    @Test
    void badInputIsRejectedWithWhatAndWhere() {
        DoubleLinear model = new DoubleLinear(2, 2);
        LevenbergMarquardt lm = LevenbergMarquardt.of(model);
        assertMessage(() -> lm.fit(new float[14], new float[14], ROWS), "the model computes in double");
        assertMessage(
                () -> LevenbergMarquardt.of(new FloatTanh(1, 1, 1)).fit(grid(), grid(), POINTS),
                "the model computes in float");
        assertMessage(() -> lm.fit(new double[13], TARGETS, ROWS), "inputs has length 13, expected at least 14");
        assertMessage(() -> lm.fit(INPUTS, new double[3], ROWS), "targets has length 3, expected at least 14");
        assertMessage(() -> lm.fit(INPUTS, TARGETS, 0), "rows is 0");
        double[] nan = TARGETS.clone();
        nan[5] = Double.NaN;
        assertMessage(() -> lm.fit(INPUTS, nan, ROWS), "targets[5] is NaN");
        assertMessage(() -> lm.maxIterations(0), "max iterations is 0");
        assertMessage(() -> lm.targetMse(-1), "target MSE is -1.0");
        assertMessage(() -> lm.initialLambda(0), "initial lambda is 0.0");
        assertMessage(
                () -> lm.initialLambda(10).maxLambda(1).fit(INPUTS, TARGETS, ROWS),
                "initial lambda is 10.0 but max lambda is 1.0");
    }
}
