package dev.chainrule.optim;

import static dev.chainrule.optim.LearningRateScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.optim.LevenbergMarquardt.Damping;
import dev.chainrule.optim.LevenbergMarquardt.Stop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Levenberg-Marquardt's steps against a reference computed here — the normal equations built
 * from the hand-derived Jacobian, Marquardt's running-maximum scaling with its floor, and
 * Gaussian elimination in place of Cholesky — with its stopping rules at their boundaries, its
 * view of the data, and Cholesky at a pivot of exactly 0.
 */
class LevenbergMarquardtMutationTest {

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting; {@code a} is {@code n x n}, row-major. */
    private static double[] gauss(double[] a, double[] b, int n) {
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = a[i * n + j];
            }
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j <= n; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int j = r + 1; j < n; j++) {
                s -= m[r][j] * x[j];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    /** One output per sample: its residual and its Jacobian row at {@code p}. */
    private interface Problem {
        int parameters();

        int rows();

        double residual(double[] p, int row);

        void jacobian(double[] p, int row, double[] out);
    }

    private record Attempt(int iteration, double lambda, double mse, double trialMse, boolean accepted) {}

    /**
     * The documented method, written out: {@code (J^T J + lambda D) delta = -J^T r} with {@code D}
     * Marquardt's running maximum of {@code diag(J^T J)} floored at {@code 1e-9} times its
     * largest element (or the identity), accept if the error falls (lambda / 10), otherwise
     * lambda * 10. Returns the first {@code attempts} attempts.
     */
    private static List<Attempt> reference(Problem problem, double[] start, Damping damping, int attempts) {
        int n = problem.parameters();
        int rows = problem.rows();
        double[] p = start.clone();
        double[] scale = new double[n];
        double lambda = 1e-3;
        int iteration = 1;
        List<Attempt> out = new ArrayList<>();
        double[] row = new double[n];
        while (out.size() < attempts) {
            double[] jtj = new double[n * n];
            double[] jtr = new double[n];
            double sse = 0;
            for (int s = 0; s < rows; s++) {
                double r = problem.residual(p, s);
                problem.jacobian(p, s, row);
                sse += r * r;
                for (int i = 0; i < n; i++) {
                    jtr[i] += row[i] * r;
                    for (int j = 0; j < n; j++) {
                        jtj[i * n + j] += row[i] * row[j];
                    }
                }
            }
            double largest = 0;
            for (int i = 0; i < n; i++) {
                scale[i] = Math.max(scale[i], jtj[i * n + i]);
                largest = Math.max(largest, scale[i]);
            }
            boolean accepted = false;
            while (!accepted && out.size() < attempts) {
                double[] system = jtj.clone();
                double[] minus = new double[n];
                for (int i = 0; i < n; i++) {
                    double d = damping == Damping.MARQUARDT ? Math.max(scale[i], 1e-9 * largest) : 1;
                    system[i * n + i] += lambda * d;
                    minus[i] = -jtr[i];
                }
                double[] delta = gauss(system, minus, n);
                double[] trial = new double[n];
                for (int i = 0; i < n; i++) {
                    trial[i] = p[i] + delta[i];
                }
                double trialSse = 0;
                for (int s = 0; s < rows; s++) {
                    double r = problem.residual(trial, s);
                    trialSse += r * r;
                }
                accepted = trialSse < sse;
                out.add(new Attempt(iteration, lambda, sse / rows, trialSse / rows, accepted));
                if (accepted) {
                    p = trial;
                    lambda = Math.max(lambda / 10, 1e-15);
                    iteration++;
                } else {
                    lambda *= 10;
                }
            }
        }
        return out;
    }

    private static void assertAttempts(List<Attempt> expected, List<Attempt> actual) {
        assertTrue(actual.size() >= expected.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            Attempt e = expected.get(i);
            Attempt a = actual.get(i);
            String where = "attempt " + (i + 1) + ": " + a + " against " + e;
            assertEquals(e.iteration(), a.iteration(), where);
            assertEquals(e.lambda(), a.lambda(), e.lambda() * 1e-12, where);
            assertEquals(e.mse(), a.mse(), e.mse() * 1e-9, where);
            assertEquals(e.trialMse(), a.trialMse(), e.trialMse() * 1e-7, where);
            assertEquals(e.accepted(), a.accepted(), where);
        }
    }

    // a line in two features whose second one barely varies: its diagonal element is below the floor
    private static final double[] X = {0, 0, 1, 0, 2, 1e-6, 3, 0, 1.5, -2e-6};
    private static final double[] Y = {1, 3, 2, 5, 2.5};

    private static Problem linear() {
        return new Problem() {
            @Override
            public int parameters() {
                return 3;
            }

            @Override
            public int rows() {
                return 5;
            }

            @Override
            public double residual(double[] p, int s) {
                return p[0] * X[2 * s] + p[1] * X[2 * s + 1] + p[2] - Y[s];
            }

            @Override
            public void jacobian(double[] p, int s, double[] out) {
                out[0] = X[2 * s];
                out[1] = X[2 * s + 1];
                out[2] = 1;
            }
        };
    }

    @Test
    void theFirstStepOfALineSolvesTheFlooredMarquardtSystem() {
        for (Damping damping : Damping.values()) {
            List<Attempt> attempts = new ArrayList<>();
            DoubleLinear model = new DoubleLinear(2, 1);
            LevenbergMarquardt.of(model)
                    .damping(damping)
                    .maxIterations(1)
                    .listener((iteration, lambda, mse, trialMse, accepted) ->
                            attempts.add(new Attempt(iteration, lambda, mse, trialMse, accepted)))
                    .fit(X, Y, 5);
            List<Attempt> expected = reference(linear(), new double[3], damping, 1);
            assertAttempts(expected, attempts);
            assertEquals(1, attempts.size(), damping + ": " + attempts);
            // and the parameters are those of the step: the reference's delta from 0
            double[] p = new double[3];
            double[] system = new double[9];
            double[] minus = new double[3];
            double[] row = new double[3];
            Problem problem = linear();
            for (int s = 0; s < 5; s++) {
                problem.jacobian(p, s, row);
                double r = problem.residual(p, s);
                for (int i = 0; i < 3; i++) {
                    minus[i] -= row[i] * r;
                    for (int j = 0; j < 3; j++) {
                        system[i * 3 + j] += row[i] * row[j];
                    }
                }
            }
            double largest = Math.max(system[0], Math.max(system[4], system[8]));
            for (int i = 0; i < 3; i++) {
                double d = damping == Damping.MARQUARDT ? Math.max(system[i * 4], 1e-9 * largest) : 1;
                system[i * 4] += 1e-3 * d;
            }
            double[] delta = gauss(system, minus, 3);
            // the weight of the feature that barely varies depends on the floor: compare it relatively
            for (int i = 0; i < 3; i++) {
                assertEquals(delta[i], model.parameters()[i], Math.abs(delta[i]) * 1e-6, damping + ", parameter " + i);
            }
        }
    }

    private static final double[] GRID = {-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2};

    private static Problem tanh(double[] targets) {
        return new Problem() {
            @Override
            public int parameters() {
                return 3;
            }

            @Override
            public int rows() {
                return GRID.length;
            }

            @Override
            public double residual(double[] p, int s) {
                return p[0] * Math.tanh(p[1] * GRID[s] + p[2]) - targets[s];
            }

            @Override
            public void jacobian(double[] p, int s, double[] out) {
                double t = Math.tanh(p[1] * GRID[s] + p[2]);
                out[0] = t;
                out[1] = p[0] * GRID[s] * (1 - t * t);
                out[2] = p[0] * (1 - t * t);
            }
        };
    }

    @Test
    void theStepsOfANonlinearFitFollowTheReference() {
        double[] targets = new double[GRID.length];
        for (int s = 0; s < GRID.length; s++) {
            targets[s] = 1.5 * Math.tanh(0.8 * GRID[s] - 0.3);
        }
        for (Damping damping : Damping.values()) {
            // a start far enough off for the diagonal of J^T J to change from step to step, and to overshoot
            double[] start = {0.2, 3, 1};
            List<Attempt> attempts = new ArrayList<>();
            LevenbergMarquardt.of(new DoubleTanh(start[0], start[1], start[2]))
                    .damping(damping)
                    .maxIterations(6)
                    .listener((iteration, lambda, mse, trialMse, accepted) ->
                            attempts.add(new Attempt(iteration, lambda, mse, trialMse, accepted)))
                    .fit(GRID, targets, GRID.length);
            int count = Math.min(attempts.size(), 8);
            assertTrue(count >= 6, attempts.toString());
            assertAttempts(reference(tanh(targets), start, damping, count), attempts);
        }
    }

    @Test
    void aTargetMseEqualToTheStartingErrorStopsAtOnce() {
        // w = b = 0 predict 0: the error at the start is (1 + 9) / 2 = 5 exactly
        DoubleLinear model = new DoubleLinear(1, 1);
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).targetMse(5).fit(new double[] {1, 2}, new double[] {1, 3}, 2);
        assertEquals(Stop.TARGET_MSE, result.stop());
        assertEquals(0, result.iterations());
        assertEquals(5, result.mse());
        assertTrue(result.converged());
        LevenbergMarquardt.Result below = LevenbergMarquardt.of(new DoubleLinear(1, 1))
                .targetMse(Math.nextDown(5.0))
                .fit(new double[] {1, 2}, new double[] {1, 3}, 2);
        assertTrue(below.iterations() >= 1, below.toString());
    }

    @Test
    void anExactFitOfLargeTargetsStopsAtTheRoundingOfTheirScale() {
        // y = 1e6 (0.3 x1 - 0.7 x2 + 0.1): exact in the model up to rounding of a few ulps of 1e6
        double[] x = {0, 0, 1, 0, 0, 1, 1, 1, 2, -1, -1, 3, 0.5, 2};
        double[] y = new double[7];
        for (int r = 0; r < 7; r++) {
            y[r] = 1e6 * (0.3 * x[2 * r] - 0.7 * x[2 * r + 1] + 0.1);
        }
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(new DoubleLinear(2, 1)).fit(x, y, 7);
        assertEquals(Stop.EXACT_FIT, result.stop(), result.toString());
        assertTrue(result.converged());
        assertTrue(result.iterations() <= 5, result.toString());
        // the rounding level is (8 ulp(1))^2 times the mean squared target
        double meanSquare = 0;
        for (double v : y) {
            meanSquare += v * v / 7;
        }
        double exact = 8 * Math.ulp(1.0);
        assertTrue(result.mse() <= exact * exact * meanSquare, result.toString());
    }

    @Test
    void equalInitialAndMaxLambdaAreAccepted() {
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(new DoubleLinear(1, 1))
                .initialLambda(1)
                .maxLambda(1)
                .maxIterations(1)
                .fit(new double[] {1, 2}, new double[] {1, 3}, 2);
        assertEquals(1, result.iterations(), result.toString());
    }

    @Test
    void aPredictionThatIsNotFiniteIsReportedWithTheSample() {
        DoubleTanh broken = new DoubleTanh(1, 1, 0) {
            @Override
            public void predict(double[] input, int inputOffset, double[] output, int outputOffset) {
                super.predict(input, inputOffset, output, outputOffset);
                if (input[inputOffset] == 1) {
                    output[outputOffset] = Double.NaN;
                }
            }
        };
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> LevenbergMarquardt.of(broken).fit(new double[] {0, 0.5, 1}, new double[] {0, 0, 0}, 3));
        assertEquals(
                "the model's prediction for sample 2 is NaN at output 0; expected a finite number", e.getMessage());
    }

    @Test
    void aSystemThatCannotBeFactoredIsARejectedStep() {
        // x = 1e160: J^T J overflows to infinity, no damping makes it factorable, the start is kept
        DoubleLinear model = new DoubleLinear(1, 1);
        LevenbergMarquardt.Result result =
                LevenbergMarquardt.of(model).fit(new double[] {1e160, 1e160}, new double[] {1, 2}, 2);
        assertEquals(Stop.NO_IMPROVEMENT, result.stop());
        assertEquals(0, result.iterations());
        assertTrue(result.rejectedSteps() > 0);
        assertArrayEquals(new double[] {0, 0}, model.parameters());
    }

    @Test
    void aSystemWhoseLaterPivotVanishesIsAnInfiniteTrialAndARejectedStep() {
        // four equal samples x = (1, 1): the columns of x1, x2 and the bias are one column, J^T J
        // is 4 everywhere, and a damping of 4 lambda below half an ulp of 4 leaves it so; Cholesky
        // then meets 4 - 2 * 2 = 0 at the second pivot, with nothing overflowed
        List<Attempt> attempts = new ArrayList<>();
        DoubleLinear model = new DoubleLinear(2, 1);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model)
                .initialLambda(1e-20)
                .maxIterations(1)
                .listener((iteration, lambda, mse, trialMse, accepted) ->
                        attempts.add(new Attempt(iteration, lambda, mse, trialMse, accepted)))
                .fit(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, new double[] {1, 2, 3, 4}, 4);
        // lambda 1e-20 to 1e-16: 4 + 4 lambda rounds to 4, and no step is solved
        for (int k = 0; k < 5; k++) {
            Attempt attempt = attempts.get(k);
            assertEquals(
                    1e-20 * Math.pow(10, k), attempt.lambda(), 1e-20 * Math.pow(10, k) * 1e-9, attempts.toString());
            assertEquals(7.5, attempt.mse(), attempts.toString());
            assertEquals(Double.POSITIVE_INFINITY, attempt.trialMse(), attempts.toString());
            assertFalse(attempt.accepted(), attempts.toString());
        }
        // 1e-15 is enough damping to factor, and the step is taken: the samples' mean, 2.5
        assertEquals(6, attempts.size(), attempts.toString());
        assertTrue(attempts.get(5).accepted(), attempts.toString());
        assertEquals(1, result.iterations(), result.toString());
        assertEquals(5, result.rejectedSteps(), result.toString());
        double[] p = model.parameters();
        assertEquals(2.5, p[0] + p[1] + p[2], 1e-6, Arrays.toString(p));
    }

    @Test
    void toStringNamesTheConfiguration() {
        String text = LevenbergMarquardt.of(new DoubleLinear(1, 1))
                .maxIterations(7)
                .targetMse(0.5)
                .initialLambda(0.25)
                .maxLambda(8)
                .damping(Damping.IDENTITY)
                .toString();
        assertEquals(
                "LevenbergMarquardt(maxIterations=7, targetMse=0.5, initialLambda=0.25, maxLambda=8.0, damping=IDENTITY)",
                text);
    }

    // ---- the data view ----

    @Test
    void theDataViewKnowsTheMeanSquaredTargetOverSamplesAndOutputs() {
        double[] inputs = {1, 2, 3, 4, 5, 6};
        double[] targets = {1, 2, 3, -4, 0.5, 6};
        LeastSquaresData data = LeastSquaresData.of(new DoubleLinear(2, 2), inputs, targets, 3);
        double expected = (1 + 4 + 9 + 16 + 0.25 + 36) / 6;
        assertEquals(expected, data.targetMeanSquare, 1e-15);
        assertEquals(Math.ulp(1.0), data.epsilon);
        LeastSquaresData floats = LeastSquaresData.of(
                new FloatLinear(2, 2), UpdateRuleTest.toFloat(inputs), UpdateRuleTest.toFloat(targets), 3);
        assertEquals(expected, floats.targetMeanSquare, 1e-15);
        assertEquals(Math.ulp(1f), floats.epsilon);
        // only the first rows count
        LeastSquaresData two = LeastSquaresData.of(new DoubleLinear(2, 2), inputs, targets, 2);
        assertEquals((1 + 4 + 9 + 16) / 4.0, two.targetMeanSquare, 1e-15);
    }

    @Test
    void theDataViewChecksEveryValueOfTheRowsItUses() {
        DoubleLinear model = new DoubleLinear(2, 1);
        double[] inputs = {1, 2, 3, 4, 5, 6};
        double[] targets = {1, 2, 3};
        double[] badInput = inputs.clone();
        badInput[5] = Double.POSITIVE_INFINITY;
        assertMessage(() -> LeastSquaresData.of(model, badInput, targets, 3), "inputs[5] is Infinity");
        double[] badTarget = targets.clone();
        badTarget[2] = Double.NaN;
        assertMessage(() -> LeastSquaresData.of(model, inputs, badTarget, 3), "targets[2] is NaN");
        assertMessage(() -> LeastSquaresData.of(model, inputs, targets, 4), "inputs has length 6, expected at least 8");
        FloatLinear floats = new FloatLinear(2, 1);
        float[] fi = UpdateRuleTest.toFloat(badInput);
        assertMessage(() -> LeastSquaresData.of(floats, fi, new float[] {1, 2, 3}, 3), "inputs[5] is Infinity");
        float[] ft = {1, 2, Float.NaN};
        assertMessage(() -> LeastSquaresData.of(floats, UpdateRuleTest.toFloat(inputs), ft, 3), "targets[2] is NaN");
        assertMessage(
                () -> LeastSquaresData.of(floats, UpdateRuleTest.toFloat(inputs), new float[] {1, 2}, 3),
                "targets has length 2, expected at least 3");
    }

    @Test
    void writingParametersThatAreNotFiniteLeavesTheModel() {
        DoubleLinear model = new DoubleLinear(1, 1);
        LeastSquaresData data = LeastSquaresData.of(model, new double[] {1}, new double[] {1}, 1);
        assertFalse(data.writeParameters(new double[] {0.5, Double.NaN}));
        assertArrayEquals(new double[] {0, 0}, model.parameters());
        assertTrue(data.writeParameters(new double[] {0.5, 0.25}));
        assertArrayEquals(new double[] {0.5, 0.25}, model.parameters());
        FloatLinear floats = new FloatLinear(1, 1);
        LeastSquaresData fdata = LeastSquaresData.of(floats, new float[] {1}, new float[] {1}, 1);
        assertFalse(fdata.writeParameters(new double[] {0.5, 1e300})); // infinite in float
        assertArrayEquals(new float[] {0, 0}, floats.parameters());
    }

    // ---- Cholesky at a zero pivot ----

    @Test
    void aZeroPivotIsNotPositiveDefinite() {
        // [[1, 1], [1, 1]]: the first pivot is 1, the second 1 - 1 * 1 = 0 exactly
        assertFalse(Cholesky.decompose(new double[] {1, 1, 1, 1}, 2));
        assertFalse(Cholesky.decompose(new double[] {Double.POSITIVE_INFINITY}, 1));
        assertTrue(Cholesky.decompose(new double[] {Double.MIN_VALUE}, 1));
    }

    @Test
    void theFloatDataViewChecksTheLastTargetOfTwoOutputs() {
        float[] targets = {1, 2, 3, 4, 5, Float.NaN};
        assertMessage(() -> LeastSquaresData.of(new FloatLinear(2, 2), new float[6], targets, 3), "targets[5] is NaN");
    }
}
