package dev.chainrule.optim;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import java.util.Arrays;
import java.util.Objects;

/**
 * Levenberg-Marquardt: full-batch second-order training of a small network on the sum of
 * squared errors, the classic way to fit networks of up to a few hundred parameters to high
 * accuracy.
 *
 * <pre>{@code
 * LevenbergMarquardt.Result result = LevenbergMarquardt.of(model)
 *         .maxIterations(200)
 *         .targetMse(1e-8)
 *         .fit(inputs, targets, rows);
 * }</pre>
 *
 * <h2>The method</h2>
 * With {@code J} the Jacobian of every output of every sample with respect to the parameters
 * (the model's per-sample {@code jacobian} rows stacked: {@code rows * outputSize()} rows of
 * {@code parameterCount()} columns) and {@code r = prediction - target} the residuals, each
 * iteration solves
 * <pre>
 *     (J^T J + lambda * D) delta = -J^T r
 * </pre>
 * by a Cholesky factorisation in {@code double} (whatever the model's precision), where {@code D}
 * is Marquardt's scaling (the default) or the identity (Levenberg's). Marquardt's {@code D} is
 * diagonal: element {@code i} is the largest {@code (J^T J)_ii} seen since the fit began (Moré's
 * scaling, as in MINPACK), raised to at least {@code 1e-9} times the largest element so that a
 * parameter with no influence does not make the matrix singular. {@code J^T J} and {@code J^T r}
 * are accumulated sample by sample, so the stacked {@code J} is never stored.
 *
 * <p>Why the largest and not the current {@code (J^T J)_ii}: when a unit dies or saturates, the
 * Jacobian columns of its parameters shrink by orders of magnitude, and damping scaled by the
 * current diagonal shrinks with them. The step then moves those parameters far beyond where the
 * linearisation holds, the trial is rejected, and {@code lambda} rises for every parameter until
 * the step is harmless; after the next acceptance it falls and the cycle repeats. On the
 * {@code sin(x)} network of {@code docs/training-evidence.md} that cycle crept from MSE 0.018 to
 * 0.011 over 750 iterations from one seed; with the running maximum every seed of 1 to 20 reaches
 * the target in at most 104.
 *
 * <p>The step is tried on the model: if the sum of squared errors decreased it is accepted and
 * {@code lambda} is divided by 10; otherwise the parameters are restored, {@code lambda} is
 * multiplied by 10 and the step is solved again. A matrix that is not positive definite, or a
 * step to non-finite parameters, counts as a rejection. An iteration is one accepted step. A
 * prediction or Jacobian that is not finite at accepted parameters (the start included) stops
 * the fit with {@link IllegalStateException} naming the sample.
 *
 * <h2>When it stops</h2>
 * <ul>
 *   <li>{@link Stop#TARGET_MSE}: the mean squared error (over samples and outputs, the model's
 *       {@link dev.chainrule.Loss#MSE}) is at most {@link #targetMse(double)}; {@link
 *       Result#converged() converged};
 *   <li>{@link Stop#EXACT_FIT}: the residuals are down to the rounding of the model's precision,
 *       {@code MSE <= (8 eps)^2 mean(y^2)} with {@code eps} {@code Math.ulp(1.0)} for a double
 *       model and {@code Math.ulp(1f)} for a float one (a root mean square residual of at most 8
 *       ulps of the targets' own): the data is fitted exactly, as far as the arithmetic can
 *       tell, and no step could do better. Also converged, whatever the target (the default
 *       target, 0, is out of reach of rounding);
 *   <li>{@link Stop#MAX_ITERATIONS}: {@link #maxIterations(int)} steps were accepted;
 *   <li>{@link Stop#NO_IMPROVEMENT}: {@code lambda} rose past {@link #maxLambda(double)} without
 *       a step that lowers the error: a minimum, as far as the arithmetic can tell.
 * </ul>
 * The model keeps the best parameters found.
 *
 * <h2>Cost</h2>
 * Memory {@code O(P^2)} and time {@code O(N K P^2 + P^3)} per iteration for {@code P} parameters,
 * {@code N} samples and {@code K} outputs: the matrices are allocated once per {@link #fit}.
 * This object only holds configuration; {@code fit} may be called repeatedly.
 */
public final class LevenbergMarquardt {

    /** The damping matrix {@code D}. */
    public enum Damping {
        /**
         * {@code D = diag(J^T J)}, each element the largest seen since the fit began, floored:
         * steps adapt to each parameter's scale. On small networks whose units saturate (sigmoid,
         * tanh) the scaled system can still stall; try {@link #IDENTITY} there
         * (docs/training-evidence.md measures XOR: 17 of 20 seeds against 20).
         */
        MARQUARDT,
        /** {@code D = I}: large {@code lambda} gives gradient descent with step {@code 1 / lambda}. */
        IDENTITY
    }

    /** Why a fit stopped. */
    public enum Stop {
        /** The mean squared error reached the target. */
        TARGET_MSE,
        /** The residuals are at the rounding level of the model's precision: an exact fit. */
        EXACT_FIT,
        /** The iteration limit was reached. */
        MAX_ITERATIONS,
        /** No step lowered the error before {@code lambda} exceeded its limit. */
        NO_IMPROVEMENT
    }

    /**
     * The outcome of a fit.
     *
     * @param iterations accepted steps
     * @param mse the final mean squared error, over samples and outputs
     * @param converged whether {@code mse} reached the target, or the rounding level of an exact
     *     fit ({@link Stop#TARGET_MSE} or {@link Stop#EXACT_FIT})
     * @param lambda the damping at the end
     * @param stop why the fit stopped
     * @param rejectedSteps steps tried and rejected (each raised {@code lambda})
     */
    public record Result(int iterations, double mse, boolean converged, double lambda, Stop stop, int rejectedSteps) {}

    /** Observes every step tried, accepted or not. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Called after a step was tried.
         *
         * @param iteration the iteration the step belongs to, from 1
         * @param lambda the damping the step was solved with
         * @param mse the mean squared error before the step
         * @param trialMse the mean squared error after the step; infinite if it could not be solved
         * @param accepted whether the step lowered the error and was kept
         */
        void stepTried(int iteration, double lambda, double mse, double trialMse, boolean accepted);
    }

    /**
     * The root mean square of residuals, in ulps of the targets' root mean square, at or below
     * which a fit is exact: sums in the model round each term, so an exact fit lands a few ulps off.
     */
    static final int ROUNDING = 8;

    private static final double MIN_LAMBDA = 1e-15;
    private static final double DIAGONAL_FLOOR = 1e-9;
    private static final Listener SILENT = (iteration, lambda, mse, trialMse, accepted) -> {};

    private final Model model;
    private final int maxIterations;
    private final double targetMse;
    private final double initialLambda;
    private final double maxLambda;
    private final Damping damping;
    private final Listener listener;

    private LevenbergMarquardt(
            Model model,
            int maxIterations,
            double targetMse,
            double initialLambda,
            double maxLambda,
            Damping damping,
            Listener listener) {
        this.model = model;
        this.maxIterations = maxIterations;
        this.targetMse = targetMse;
        this.initialLambda = initialLambda;
        this.maxLambda = maxLambda;
        this.damping = damping;
        this.listener = listener;
    }

    /**
     * Levenberg-Marquardt for a {@code double} model: at most 100 iterations, target MSE 0,
     * initial lambda 0.001, max lambda 1e10, Marquardt damping.
     */
    public static LevenbergMarquardt of(DoubleModel model) {
        return defaults(model);
    }

    /** Levenberg-Marquardt for a {@code float} model, with the defaults of {@link #of(DoubleModel)}. */
    public static LevenbergMarquardt of(FloatModel model) {
        return defaults(model);
    }

    private static LevenbergMarquardt defaults(Model model) {
        return new LevenbergMarquardt(
                Objects.requireNonNull(model, "model"), 100, 0, 1e-3, 1e10, Damping.MARQUARDT, SILENT);
    }

    /** At most {@code iterations} (at least 1) accepted steps. */
    public LevenbergMarquardt maxIterations(int iterations) {
        return new LevenbergMarquardt(
                model,
                Require.atLeast(iterations, 1, "max iterations"),
                targetMse,
                initialLambda,
                maxLambda,
                damping,
                listener);
    }

    /** Stop, converged, once the mean squared error is at most {@code mse} ({@code >= 0}). */
    public LevenbergMarquardt targetMse(double mse) {
        return new LevenbergMarquardt(
                model,
                maxIterations,
                Require.nonNegative(mse, "target MSE"),
                initialLambda,
                maxLambda,
                damping,
                listener);
    }

    /** The damping of the first step; positive. */
    public LevenbergMarquardt initialLambda(double lambda) {
        return new LevenbergMarquardt(
                model,
                maxIterations,
                targetMse,
                Require.positive(lambda, "initial lambda"),
                maxLambda,
                damping,
                listener);
    }

    /** The damping past which the fit gives up improving; positive, and at least the initial lambda when {@code fit} runs. */
    public LevenbergMarquardt maxLambda(double lambda) {
        return new LevenbergMarquardt(
                model,
                maxIterations,
                targetMse,
                initialLambda,
                Require.positive(lambda, "max lambda"),
                damping,
                listener);
    }

    /** The damping matrix. */
    public LevenbergMarquardt damping(Damping damping) {
        return new LevenbergMarquardt(
                model,
                maxIterations,
                targetMse,
                initialLambda,
                maxLambda,
                Objects.requireNonNull(damping, "damping"),
                listener);
    }

    /** Calls {@code listener} after every step tried. */
    public LevenbergMarquardt listener(Listener listener) {
        return new LevenbergMarquardt(
                model,
                maxIterations,
                targetMse,
                initialLambda,
                maxLambda,
                damping,
                Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Fits a {@code double} model to {@code rows} samples.
     *
     * @param inputs at least {@code rows * inputSize()} finite features, row after row; not modified
     * @param targets at least {@code rows * outputSize()} finite targets, row after row; not modified
     * @throws IllegalArgumentException if the model computes in {@code float}, the arrays are too
     *     short, or a value is not finite (the message names the index)
     * @throws IllegalStateException if the model's prediction or Jacobian is not finite
     */
    public Result fit(double[] inputs, double[] targets, int rows) {
        if (!(model instanceof DoubleModel doubles)) {
            throw new IllegalArgumentException("the model computes in float: pass float[] inputs and targets to fit");
        }
        return run(LeastSquaresData.of(doubles, inputs, targets, rows));
    }

    /**
     * Fits a {@code float} model to {@code rows} samples; see {@link #fit(double[], double[], int)}.
     * The algebra is done in {@code double}.
     */
    public Result fit(float[] inputs, float[] targets, int rows) {
        if (!(model instanceof FloatModel floats)) {
            throw new IllegalArgumentException("the model computes in double: pass double[] inputs and targets to fit");
        }
        return run(LeastSquaresData.of(floats, inputs, targets, rows));
    }

    private Result run(LeastSquaresData data) {
        if (initialLambda > maxLambda) {
            throw new IllegalArgumentException("initial lambda is " + initialLambda + " but max lambda is " + maxLambda
                    + "; expected initial <= max");
        }
        int n = data.parameterCount;
        double count = (double) data.rows * data.outputSize;
        double[] params = new double[n];
        double[] trial = new double[n];
        double[] normal = new double[n * n];
        double[] system = new double[n * n];
        double[] gradient = new double[n];
        double[] scale = new double[n];
        double[] delta = new double[n];
        double[] jacobian = new double[data.outputSize * n];
        double[] residual = new double[data.outputSize];

        data.readParameters(params);
        double sse = linearize(data, normal, gradient, jacobian, residual);
        raiseScale(scale, normal, n);
        double lambda = initialLambda;
        int iterations = 0;
        int rejected = 0;
        double exact = ROUNDING * data.epsilon;
        double roundingMse = exact * exact * data.targetMeanSquare;
        Stop stop;
        while (true) {
            if (sse / count <= targetMse) {
                stop = Stop.TARGET_MSE;
                break;
            }
            if (sse / count <= roundingMse) {
                stop = Stop.EXACT_FIT;
                break;
            }
            if (iterations == maxIterations) {
                stop = Stop.MAX_ITERATIONS;
                break;
            }
            boolean accepted = false;
            while (!accepted && lambda <= maxLambda) {
                double trialSse = Double.POSITIVE_INFINITY;
                if (solve(normal, scale, system, gradient, delta, lambda, n)) {
                    for (int p = 0; p < n; p++) {
                        trial[p] = params[p] + delta[p];
                    }
                    if (data.writeParameters(trial)) {
                        trialSse = sumOfSquares(data, residual);
                    }
                }
                accepted = trialSse < sse;
                listener.stepTried(iterations + 1, lambda, sse / count, trialSse / count, accepted);
                if (accepted) {
                    double[] kept = params;
                    params = trial;
                    trial = kept;
                    sse = trialSse;
                    lambda = Math.max(lambda / 10, MIN_LAMBDA);
                } else {
                    data.writeParameters(params);
                    rejected++;
                    lambda *= 10;
                }
            }
            if (!accepted) {
                stop = Stop.NO_IMPROVEMENT;
                break;
            }
            iterations++;
            sse = linearize(data, normal, gradient, jacobian, residual);
            raiseScale(scale, normal, n);
        }
        return new Result(
                iterations, sse / count, stop == Stop.TARGET_MSE || stop == Stop.EXACT_FIT, lambda, stop, rejected);
    }

    /**
     * Accumulates the lower triangle of {@code J^T J} into {@code normal} and {@code J^T r} into
     * {@code gradient} at the model's current parameters; returns the sum of squared errors.
     */
    private static double linearize(
            LeastSquaresData data, double[] normal, double[] gradient, double[] jacobian, double[] residual) {
        int n = data.parameterCount;
        Arrays.fill(normal, 0);
        Arrays.fill(gradient, 0);
        double sse = 0;
        for (int row = 0; row < data.rows; row++) {
            data.residual(row, residual);
            data.jacobian(row, jacobian);
            requireFinite(residual, row, "prediction", 1);
            requireFinite(jacobian, row, "Jacobian", n);
            for (int k = 0; k < data.outputSize; k++) {
                double r = residual[k];
                sse += r * r;
                int base = k * n;
                for (int p = 0; p < n; p++) {
                    double jp = jacobian[base + p];
                    if (jp == 0) {
                        continue;
                    }
                    gradient[p] += jp * r;
                    int rowP = p * n;
                    for (int q = 0; q <= p; q++) {
                        normal[rowP + q] += jp * jacobian[base + q];
                    }
                }
            }
        }
        return sse;
    }

    /**
     * Throws if a value the model computed for sample {@code row} is not finite: {@code values}
     * holds one row of {@code width} per output.
     */
    private static void requireFinite(double[] values, int row, String what, int width) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                String where = width == 1 ? "output " + i : "output " + i / width + ", parameter " + i % width;
                throw new IllegalStateException("the model's " + what + " for sample " + row + " is " + values[i]
                        + " at " + where + "; expected a finite number");
            }
        }
    }

    /** The sum of squared errors at the model's current parameters. */
    private static double sumOfSquares(LeastSquaresData data, double[] residual) {
        double sse = 0;
        for (int row = 0; row < data.rows; row++) {
            data.residual(row, residual);
            for (double r : residual) {
                sse += r * r;
            }
        }
        return sse;
    }

    /** Raises each element of {@code scale} to the diagonal element of {@code normal}, if larger. */
    private static void raiseScale(double[] scale, double[] normal, int n) {
        for (int i = 0; i < n; i++) {
            scale[i] = Math.max(scale[i], normal[i * n + i]);
        }
    }

    /**
     * Solves {@code (normal + lambda D) delta = -gradient}, {@code D} from {@code scale} for
     * Marquardt's damping; false if the matrix is not positive definite.
     */
    private boolean solve(
            double[] normal, double[] scale, double[] system, double[] gradient, double[] delta, double lambda, int n) {
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, scale[i]);
        }
        double floor = Math.max(DIAGONAL_FLOOR * largest, Double.MIN_NORMAL);
        System.arraycopy(normal, 0, system, 0, n * n);
        for (int i = 0; i < n; i++) {
            double d = damping == Damping.MARQUARDT ? Math.max(scale[i], floor) : 1;
            system[i * n + i] += lambda * d;
        }
        if (!Cholesky.decompose(system, n)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            delta[i] = -gradient[i];
        }
        Cholesky.solve(system, n, delta);
        return true;
    }

    @Override
    public String toString() {
        return "LevenbergMarquardt(maxIterations=" + maxIterations + ", targetMse=" + targetMse + ", initialLambda="
                + initialLambda + ", maxLambda=" + maxLambda + ", damping=" + damping + ")";
    }
}
