package dev.chainrule.optim;

import dev.chainrule.kernel.Checks;
import dev.chainrule.kernel.Kernels;

/**
 * What every gradient-based optimizer here shares: argument checks, the step count, state
 * allocated once for the first step's length, and the options that shape the gradient before an
 * update — L1 and L2 penalties and clipping by global norm.
 *
 * <h2>The gradient an update sees</h2>
 * For each parameter {@code w} with gradient {@code g}, the effective gradient is
 * <pre>
 *     g' = g + l1 * sign(w) + l2 * w
 * </pre>
 * the gradient of the loss plus the penalty {@code l1 * sum|w| + (l2 / 2) * sum w^2} (see
 * {@link #penalty(float[])}). If a clip norm {@code c} is set and the global L2 norm {@code
 * ||g'||} of all effective gradients exceeds it, every {@code g'} is multiplied by {@code c /
 * ||g'||}, so the update sees a gradient of norm exactly {@code c}. The caller's gradient array
 * is not modified: this happens as values are read.
 *
 * <h2>Checks</h2>
 * Each step checks that the arrays have equal lengths and that every gradient (and every
 * parameter) is finite, in the pass that computes the norm: a NaN or infinite value throws {@link
 * IllegalArgumentException} naming its index, e.g. {@code gradients[7] is NaN}, before anything is
 * changed.
 *
 * @param <O> the concrete optimizer, returned by the fluent options
 */
public abstract sealed class GradientOptimizer<O extends GradientOptimizer<O>> implements Optimizer
        permits ScheduledOptimizer, Rprop {

    /** The options that shape the gradient, shared by every optimizer. */
    record GradientOptions(double clipNorm, double l1, double l2) {
        static final GradientOptions NONE = new GradientOptions(Double.POSITIVE_INFINITY, 0, 0);
    }

    private final GradientOptions options;
    private final double l1;
    private final double l2;
    private final float l1f;
    private final float l2f;
    /** Whether a penalty changes the gradient: without one, the effective gradient is the gradient. */
    final boolean penalized;
    private long steps;
    private int stateLength = -1;
    private boolean stateFloats;
    private double gradientNorm = Double.NaN;

    GradientOptimizer(GradientOptions options) {
        this.options = options;
        this.l1 = options.l1();
        this.l2 = options.l2();
        this.l1f = (float) l1;
        this.l2f = (float) l2;
        this.penalized = l1 != 0 || l2 != 0;
    }

    /** A new optimizer like this one, with fresh state, whose gradient options are {@code options}. */
    abstract O with(GradientOptions options);

    /**
     * Allocates the state arrays for {@code length} parameters, {@code float} ones when {@code
     * floats} (the parameters are {@code float}) and {@code double} ones otherwise.
     */
    abstract void allocateState(int length, boolean floats);

    /** Sets the allocated state to its value before the first step. */
    abstract void initializeState();

    /** Updates {@code params} given the gradients, the clipping factor of this step and the loss (NaN when not given). */
    abstract void update(float[] params, float[] grads, double gradScale, double loss);

    /** Updates {@code double} {@code params}; see {@link #update(float[], float[], double, double)}. */
    abstract void update(double[] params, double[] grads, double gradScale, double loss);

    /**
     * Clips the effective gradient to global L2 norm {@code maxNorm}: a gradient whose norm
     * exceeds it is scaled down to exactly {@code maxNorm}; a smaller one is left alone.
     *
     * @param maxNorm positive and finite
     */
    public final O clipNorm(double maxNorm) {
        return with(new GradientOptions(Require.positive(maxNorm, "clip norm"), options.l1(), options.l2()));
    }

    /** Adds the L1 penalty {@code strength * sum|w|}, whose gradient {@code strength * sign(w)} is added to each gradient. */
    public final O l1(double strength) {
        return with(new GradientOptions(options.clipNorm(), Require.nonNegative(strength, "l1"), options.l2()));
    }

    /** Adds the L2 penalty {@code (strength / 2) * sum w^2}, whose gradient {@code strength * w} is added to each gradient. */
    public final O l2(double strength) {
        return with(new GradientOptions(options.clipNorm(), options.l1(), Require.nonNegative(strength, "l2")));
    }

    /** The clip norm; infinite when gradients are not clipped. */
    public final double clipNorm() {
        return options.clipNorm();
    }

    /** The L1 penalty strength; 0 when there is none. */
    public final double l1() {
        return l1;
    }

    /** The L2 penalty strength; 0 when there is none. */
    public final double l2() {
        return l2;
    }

    /** {@code l1 * sum|w| + (l2 / 2) * sum w^2}. */
    @Override
    public final double penalty(float[] params) {
        double abs = 0;
        double squares = 0;
        for (float w : params) {
            abs += Math.abs(w);
            squares += (double) w * w;
        }
        return l1 * abs + 0.5 * l2 * squares;
    }

    /** {@code l1 * sum|w| + (l2 / 2) * sum w^2}. */
    @Override
    public final double penalty(double[] params) {
        double abs = 0;
        double squares = 0;
        for (double w : params) {
            abs += Math.abs(w);
            squares += w * w;
        }
        return l1 * abs + 0.5 * l2 * squares;
    }

    /**
     * The global L2 norm of the effective gradient (penalties included) of the last step, before
     * clipping; NaN before the first step.
     */
    public final double lastGradientNorm() {
        return gradientNorm;
    }

    @Override
    public final void step(float[] params, float[] grads) {
        requireNoLoss();
        advance(params, grads, Double.NaN);
    }

    @Override
    public final void step(double[] params, double[] grads) {
        requireNoLoss();
        advance(params, grads, Double.NaN);
    }

    @Override
    public final void step(float[] params, float[] grads, double loss) {
        advance(params, grads, requireFinite(loss));
    }

    @Override
    public final void step(double[] params, double[] grads, double loss) {
        advance(params, grads, requireFinite(loss));
    }

    @Override
    public final void reset() {
        steps = 0;
        gradientNorm = Double.NaN;
        resetSchedule();
    }

    /** Brings a learning-rate schedule that adapts back to its start; optimizers without a schedule have none. */
    void resetSchedule() {}

    @Override
    public final long steps() {
        return steps;
    }

    /** The effective gradient of one parameter, penalties and clipping included. */
    final double gradient(double w, double g, double gradScale) {
        return penalized ? gradScale * (g + l1 * Math.signum(w) + l2 * w) : gradScale * g;
    }

    /** The effective gradient of one {@code float} parameter, in {@code float} arithmetic. */
    final float floatGradient(float w, float g, float gradScale) {
        return penalized ? gradScale * (g + l1f * Math.signum(w) + l2f * w) : gradScale * g;
    }

    /** The sum of squared effective gradients, in four independent partial sums; NaN if a parameter is not finite. */
    private double sumOfSquares(float[] params, float[] grads) {
        if (penalized) {
            double sum = 0;
            for (int i = 0; i < params.length; i++) {
                double g = gradient(params[i], grads[i], 1);
                sum += g * g;
            }
            return sum;
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        // 0 * w is 0 for a finite parameter and NaN otherwise: the sum also checks the parameters
        for (; i + 3 < grads.length; i += 4) {
            s0 += (double) grads[i] * grads[i] + 0 * params[i];
            s1 += (double) grads[i + 1] * grads[i + 1] + 0 * params[i + 1];
            s2 += (double) grads[i + 2] * grads[i + 2] + 0 * params[i + 2];
            s3 += (double) grads[i + 3] * grads[i + 3] + 0 * params[i + 3];
        }
        for (; i < grads.length; i++) {
            s0 += (double) grads[i] * grads[i] + 0 * params[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The sum of squared effective gradients, in four independent partial sums; NaN if a parameter is not finite. */
    private double sumOfSquares(double[] params, double[] grads) {
        if (penalized) {
            double sum = 0;
            for (int i = 0; i < params.length; i++) {
                double g = gradient(params[i], grads[i], 1);
                sum += g * g;
            }
            return sum;
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        // 0 * w is 0 for a finite parameter and NaN otherwise: the sum also checks the parameters
        for (; i + 3 < grads.length; i += 4) {
            s0 += grads[i] * grads[i] + 0 * params[i];
            s1 += grads[i + 1] * grads[i + 1] + 0 * params[i + 1];
            s2 += grads[i + 2] * grads[i + 2] + 0 * params[i + 2];
            s3 += grads[i + 3] * grads[i + 3] + 0 * params[i + 3];
        }
        for (; i < grads.length; i++) {
            s0 += grads[i] * grads[i] + 0 * params[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private void advance(float[] params, float[] grads, double loss) {
        requireSameLength(params.length, grads.length);
        double sumOfSquares = penalized ? sumOfSquares(params, grads) : Kernels.sumOfSquares(grads, params, grads.length);
        if (!Double.isFinite(sumOfSquares)) {
            Checks.finite(grads, 0, grads.length, "gradients");
            Checks.finite(params, 0, params.length, "parameters");
            // finite after all: a block's float sum overflowed
            sumOfSquares = sumOfSquares(params, grads);
        }
        double scale = clipScale(Math.sqrt(sumOfSquares));
        prepareState(params.length, true);
        update(params, grads, scale, loss);
        steps++;
    }

    private void advance(double[] params, double[] grads, double loss) {
        requireSameLength(params.length, grads.length);
        double sumOfSquares = sumOfSquares(params, grads);
        double norm = Math.sqrt(sumOfSquares);
        if (!Double.isFinite(sumOfSquares)) {
            Checks.finite(grads, 0, grads.length, "gradients");
            Checks.finite(params, 0, params.length, "parameters");
            norm = scaledNorm(params, grads);
        }
        double scale = clipScale(norm);
        prepareState(params.length, false);
        update(params, grads, scale, loss);
        steps++;
    }

    /** The norm of finite effective gradients whose sum of squares overflowed. */
    private double scaledNorm(double[] params, double[] grads) {
        double largest = 0;
        for (int i = 0; i < params.length; i++) {
            largest = Math.max(largest, Math.abs(gradient(params[i], grads[i], 1)));
        }
        double sum = 0;
        for (int i = 0; i < params.length; i++) {
            double g = gradient(params[i], grads[i], 1) / largest;
            sum += g * g;
        }
        return largest * Math.sqrt(sum);
    }

    private double clipScale(double norm) {
        gradientNorm = norm;
        double limit = options.clipNorm();
        return norm > limit ? limit / norm : 1;
    }

    private void prepareState(int length, boolean floats) {
        if (steps == 0) {
            if (length != stateLength || floats != stateFloats) {
                allocateState(length, floats);
                stateLength = length;
                stateFloats = floats;
            }
            initializeState();
        } else if (length != stateLength) {
            throw new IllegalArgumentException(
                    name() + " was set up for " + stateLength + " parameters by its first step, but this step has "
                            + length + "; use one optimizer per model, or reset() it first");
        } else if (floats != stateFloats) {
            throw new IllegalArgumentException(
                    name() + " was set up for " + precision(stateFloats) + " parameters by its first step, but this step has "
                            + precision(floats) + " ones; use one optimizer per model, or reset() it first");
        }
    }

    private static String precision(boolean floats) {
        return floats ? "float" : "double";
    }

    private static void requireSameLength(int params, int grads) {
        if (params != grads) {
            throw new IllegalArgumentException(
                    "gradients have length " + grads + " but parameters have length " + params + "; expected equal lengths");
        }
    }

    private void requireNoLoss() {
        if (requiresLoss()) {
            throw new IllegalStateException(name() + " needs the loss at the current parameters: call step(params, grads, loss)");
        }
    }

    private static double requireFinite(double loss) {
        if (!Double.isFinite(loss)) {
            throw new IllegalArgumentException("loss is " + loss + ", expected a finite number");
        }
        return loss;
    }

    /** The name used in messages. */
    String name() {
        return getClass().getSimpleName();
    }

    /** The gradient options, for {@link #toString()}. */
    final String describeOptions() {
        StringBuilder sb = new StringBuilder();
        if (options.clipNorm() < Double.POSITIVE_INFINITY) {
            sb.append(", clipNorm=").append(options.clipNorm());
        }
        if (l1 > 0) {
            sb.append(", l1=").append(l1);
        }
        if (l2 > 0) {
            sb.append(", l2=").append(l2);
        }
        return sb.toString();
    }

    /** The gradient options, for subclasses' copies. */
    final GradientOptions options() {
        return options;
    }
}
