package dev.chainrule.optim;

import dev.chainrule.kernel.Checks;
import dev.chainrule.kernel.Kernels;
import java.lang.reflect.Array;

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
 * <h2>The norm, by blocks</h2>
 * The global norm is the root of a sum of squares taken by blocks of {@link #BLOCK} values: each
 * block's sum ({@link #measure(float[], float[], int)}: for a {@code float} model without
 * penalties, {@link dev.chainrule.kernel.Kernels#sumOfSquares}'s block sum in float; otherwise
 * four partial sums in {@code double}), and the blocks' sums added in block order. A step
 * taken whole and a step taken in ranges on several threads ({@link RangeOptimizer}) add the same
 * values in the same order, so they give the same bits; so does every update, value by value.
 *
 * <h2>Checks</h2>
 * Each step checks that the arrays have equal lengths and that every gradient (and every
 * parameter) is finite, in the pass that computes the norm: a NaN or infinite value throws {@link
 * IllegalArgumentException} naming its index, e.g. {@code gradients[7] is NaN}, before anything is
 * changed.
 *
 * <h2>Every step ends finite</h2>
 * Finite parameters and gradients can still overflow: a gradient near the largest float, a
 * parameter near it moved further, a learning rate of {@code 1e38}. A step never leaves a NaN or
 * infinite parameter or value of its state behind. If its arithmetic overflows, it throws {@link
 * ArithmeticException} naming the first such value and the parameter and gradient it came from,
 * after putting the parameters and the state back as they were before the step, and without
 * counting it: the next step goes on as if it had not been tried (the {@code Trainer} reports it
 * as divergence).
 *
 * <p>How, without slowing the update: before the update, each optimizer bounds in a few
 * arithmetic operations the magnitude of every value it is about to write, from the gradient
 * norm this class computes anyway, its hyperparameters, and bounds of its state that it carries
 * from step to step (the largest velocity, moment or sum of squares, advanced by the same
 * recurrences as the state itself, with room for rounding). A parameter {@code w} changed by less
 * than half the spacing of the values next to the largest one ({@code 2^103} for float, {@code
 * 2^970} for double) stays finite however large {@code w} is, so parameters need no bound of
 * their own. When the bounds prove the step finite, which they do by a wide margin in ordinary
 * training, the update runs as it always did: no copy, no check, no extra pass. Only a step they
 * cannot clear is guarded: the parameters and the state are first copied into backup arrays
 * (allocated on the first such step and kept), then updated, then checked, and put back if a
 * value is not finite. Checking finiteness in the update's own pass instead would leave nothing
 * to restore from, and copying before every step would add a pass over every array to every step.
 *
 * @param <O> the concrete optimizer, returned by the fluent options
 */
public abstract sealed class GradientOptimizer<O extends GradientOptimizer<O>> implements RangeOptimizer
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
    /** The state arrays of the current allocation, from {@link #stateArrays()}. */
    private Object[] state = new Object[0];
    /** Copies of the parameters and the state for a guarded step; allocated by the first one. */
    private Object parameterBackup;

    private Object[] stateBackup;
    /** The largest magnitude in each state array after a guarded step. */
    private double[] stateMaxima;

    /** Steps that took the guarded path, for tests: ordinary training should take none. */
    private long guardedSteps;

    /** Whether a step is begun by {@link #begin} and not yet ended; its clipping factor and loss. */
    private boolean begun;

    private double stepScale;
    private double stepLoss;

    /** Room for the rounding of the bounds' recurrences: far more than a few roundings of 2^-24 each. */
    static final double SLACK = 1 + 0x1p-20;

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
     * Allocates the state arrays for {@code length} parameters: single precision when {@code
     * floats} is true (the parameters are single precision too), double precision otherwise.
     */
    abstract void allocateState(int length, boolean floats);

    /**
     * The arrays of state the update writes, each {@code float[]} or {@code double[]} of the
     * parameters' length, in a fixed order; empty when the update writes none.
     */
    abstract Object[] stateArrays();

    /** What state array {@code k} of {@link #stateArrays()} holds, for messages. */
    abstract String stateName(int k);

    /** Sets the allocated state, and the bounds carried between steps, to their values before the first step. */
    abstract void initializeState();

    /**
     * Whether this step's update provably writes only finite parameters and state, given that the
     * magnitude of every effective gradient it computes (penalties and clipping included, as
     * {@link #gradient} or {@link #floatGradient} give it) is at most {@code gradientBound}, which
     * is NaN or infinite when unknown. {@code floats} tells the arithmetic. Bounds the update may
     * need, and those of the state after it, are prepared here for {@link #stepTaken}.
     */
    abstract boolean provablyFinite(double gradientBound, boolean floats);

    /**
     * The step was taken: {@code proved} tells whether {@link #provablyFinite} held; if not, {@code
     * stateMaxima[k]} is the largest magnitude in state array {@code k} now. Advances the bounds
     * carried between steps.
     */
    abstract void stepTaken(boolean proved, double[] stateMaxima);

    /** Saves the state that is not in {@link #stateArrays()} (scalars) before a guarded update. */
    void saveScalars() {}

    /** Puts back what {@link #saveScalars()} saved, after a guarded update that is undone. */
    void restoreScalars() {}

    /** The largest finite value of the arithmetic. */
    static double largest(boolean floats) {
        return floats ? Float.MAX_VALUE : Double.MAX_VALUE;
    }

    /**
     * Half the spacing of the values next to the largest one: a finite value changed by less
     * than this rounds to a finite value, however large it is.
     */
    static double reach(boolean floats) {
        return floats ? 0x1p103 : 0x1p970;
    }

    /**
     * Updates {@code params[from, to)} and their state given the gradients, the clipping factor of
     * this step and the loss (NaN when not given): element by element, so that any split of the
     * array into ranges gives the same bits. Called between {@link #beginUpdate} and {@link
     * #endUpdate}, on any thread, for disjoint ranges.
     */
    abstract void update(float[] params, float[] grads, int from, int to, double gradScale, double loss);

    /** Updates {@code double} {@code params}; see {@link #update(float[], float[], int, int, double, double)}. */
    abstract void update(double[] params, double[] grads, int from, int to, double gradScale, double loss);

    /** Before the ranges of a step are updated: global figures the update needs, from the loss. */
    void beginUpdate(double loss) {}

    /** After every range of a step is updated. */
    void endUpdate(double loss) {}

    /** The whole update of a step, on the calling thread. */
    private void updateAll(float[] params, float[] grads, double gradScale, double loss) {
        beginUpdate(loss);
        update(params, grads, 0, params.length, gradScale, loss);
        endUpdate(loss);
    }

    private void updateAll(double[] params, double[] grads, double gradScale, double loss) {
        beginUpdate(loss);
        update(params, grads, 0, params.length, gradScale, loss);
        endUpdate(loss);
    }

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
        begun = false;
        resetSchedule();
    }

    /**
     * The sum of the squares of block {@code block}'s effective gradients (penalties included,
     * before clipping), in {@code double}; NaN or infinite if a value in the block is not finite
     * (or, without penalties, if the block's float sum overflows). The global gradient norm is the
     * root of these sums added in block order, whether a step is taken whole or in ranges.
     */
    @Override
    public final double measure(float[] params, float[] grads, int block) {
        int from = block * BLOCK;
        int to = Math.min(Math.min(params.length, grads.length), from + BLOCK);
        if (penalized) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                double g0 = floatGradient(params[i], grads[i], 1);
                double g1 = floatGradient(params[i + 1], grads[i + 1], 1);
                double g2 = floatGradient(params[i + 2], grads[i + 2], 1);
                double g3 = floatGradient(params[i + 3], grads[i + 3], 1);
                s0 += g0 * g0;
                s1 += g1 * g1;
                s2 += g2 * g2;
                s3 += g3 * g3;
            }
            for (; i < to; i++) {
                double g = floatGradient(params[i], grads[i], 1);
                s0 += g * g;
            }
            return (s0 + s1) + (s2 + s3);
        }
        // the kernels' own block sum in float, read in place, lanes counted from the block's start
        return Kernels.sumOfSquares(grads, params, from, to - from);
    }

    /** The sum of the squares of block {@code block}'s effective gradients; see {@link #measure(float[], float[], int)}. */
    @Override
    public final double measure(double[] params, double[] grads, int block) {
        int from = block * BLOCK;
        int to = Math.min(Math.min(params.length, grads.length), from + BLOCK);
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        if (penalized) {
            for (; i + 3 < to; i += 4) {
                double g0 = gradient(params[i], grads[i], 1);
                double g1 = gradient(params[i + 1], grads[i + 1], 1);
                double g2 = gradient(params[i + 2], grads[i + 2], 1);
                double g3 = gradient(params[i + 3], grads[i + 3], 1);
                s0 += g0 * g0;
                s1 += g1 * g1;
                s2 += g2 * g2;
                s3 += g3 * g3;
            }
            for (; i < to; i++) {
                double g = gradient(params[i], grads[i], 1);
                s0 += g * g;
            }
            return (s0 + s1) + (s2 + s3);
        }
        // 0 * w is 0 for a finite parameter and NaN otherwise: the sum also checks the parameters
        for (; i + 3 < to; i += 4) {
            s0 += grads[i] * grads[i] + 0 * params[i];
            s1 += grads[i + 1] * grads[i + 1] + 0 * params[i + 1];
            s2 += grads[i + 2] * grads[i + 2] + 0 * params[i + 2];
            s3 += grads[i + 3] * grads[i + 3] + 0 * params[i + 3];
        }
        for (; i < to; i++) {
            s0 += grads[i] * grads[i] + 0 * params[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public final boolean begin(float[] params, float[] grads, double[] parts, double loss) {
        requireIdle();
        requireSameLength(params.length, grads.length);
        return begin(params, grads, sum(parts, params.length), stepLoss(loss));
    }

    @Override
    public final boolean begin(double[] params, double[] grads, double[] parts, double loss) {
        requireIdle();
        requireSameLength(params.length, grads.length);
        return begin(params, grads, sum(parts, params.length), stepLoss(loss));
    }

    @Override
    public final void update(float[] params, float[] grads, int from, int to) {
        requireRange(params.length, grads.length, from, to);
        update(params, grads, from, to, stepScale, stepLoss);
    }

    @Override
    public final void update(double[] params, double[] grads, int from, int to) {
        requireRange(params.length, grads.length, from, to);
        update(params, grads, from, to, stepScale, stepLoss);
    }

    @Override
    public final void end() {
        if (!begun) {
            throw new IllegalStateException(name() + " has no step begun to end");
        }
        endUpdate(stepLoss);
        stepTaken(true, null);
        begun = false;
        steps++;
    }

    @Override
    public final void abandon() {
        if (begun) {
            reset();
        }
    }

    /** The parts of {@code length} parameters' blocks added in block order. */
    private static double sum(double[] parts, int length) {
        int blocks = RangeOptimizer.blocks(length);
        if (parts.length < blocks) {
            throw new IllegalArgumentException(
                    "parts has length " + parts.length + " but " + length + " parameters have " + blocks + " blocks");
        }
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            sum += parts[b];
        }
        return sum;
    }

    private double stepLoss(double loss) {
        if (Double.isNaN(loss)) {
            requireNoLoss();
            return loss;
        }
        return requireFinite(loss);
    }

    private void requireIdle() {
        if (begun) {
            throw new IllegalStateException(name() + " has a step begun: end() or abandon() it first");
        }
    }

    private void requireRange(int params, int grads, int from, int to) {
        if (!begun) {
            throw new IllegalStateException(name() + " has no step begun: begin(...) it first");
        }
        requireSameLength(params, grads);
        if (from < 0 || from % BLOCK != 0 || to < from || to > params || (to % BLOCK != 0 && to != params)) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") of " + params
                    + " parameters is not one of whole blocks of " + BLOCK);
        }
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

    /**
     * The sum of squared gradients without penalties, in {@code double} in four independent
     * partial sums: when a block's float sum overflowed although every value is finite.
     */
    private static double sumOfSquares(float[] params, float[] grads) {
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

    /** A whole step: the same stages as a step taken in ranges, on the calling thread. */
    private void advance(float[] params, float[] grads, double loss) {
        requireIdle();
        requireSameLength(params.length, grads.length);
        double sumOfSquares = 0;
        for (int b = 0, blocks = RangeOptimizer.blocks(params.length); b < blocks; b++) {
            sumOfSquares += measure(params, grads, b);
        }
        if (begin(params, grads, sumOfSquares, loss)) {
            update(params, grads, 0, params.length, stepScale, loss);
            end();
        }
    }

    private void advance(double[] params, double[] grads, double loss) {
        requireIdle();
        requireSameLength(params.length, grads.length);
        double sumOfSquares = 0;
        for (int b = 0, blocks = RangeOptimizer.blocks(params.length); b < blocks; b++) {
            sumOfSquares += measure(params, grads, b);
        }
        if (begin(params, grads, sumOfSquares, loss)) {
            update(params, grads, 0, params.length, stepScale, loss);
            end();
        }
    }

    /**
     * Begins a step from the sum of the squares of the effective gradients, {@link #measure}'s
     * parts added in block order: checks, the norm and the clipping factor, the state. Returns
     * whether the update is to run (then {@link #begun}); otherwise the step was guarded, and is
     * taken and counted.
     */
    private boolean begin(float[] params, float[] grads, double sumOfSquares, double loss) {
        if (!Double.isFinite(sumOfSquares)) {
            Checks.finite(grads, 0, grads.length, "gradients");
            Checks.finite(params, 0, params.length, "parameters");
            if (!penalized) {
                // finite after all: a block's float sum overflowed
                sumOfSquares = sumOfSquares(params, grads);
            }
        }
        double norm = Math.sqrt(sumOfSquares);
        double scale = clipScale(norm);
        prepareState(params.length, true);
        // twice the clipped norm: no effective gradient the update computes exceeds it
        if (provablyFinite(2 * scale * norm, true)) {
            return started(scale, loss);
        }
        guardedUpdate(params, grads, scale, loss);
        steps++;
        return false;
    }

    private boolean begin(double[] params, double[] grads, double sumOfSquares, double loss) {
        double norm = Math.sqrt(sumOfSquares);
        if (!Double.isFinite(sumOfSquares)) {
            Checks.finite(grads, 0, grads.length, "gradients");
            Checks.finite(params, 0, params.length, "parameters");
            norm = scaledNorm(params, grads);
        }
        double scale = clipScale(norm);
        prepareState(params.length, false);
        if (provablyFinite(2 * scale * norm, false)) {
            return started(scale, loss);
        }
        guardedUpdate(params, grads, scale, loss);
        steps++;
        return false;
    }

    private boolean started(double scale, double loss) {
        stepScale = scale;
        stepLoss = loss;
        begun = true;
        beginUpdate(loss);
        return true;
    }

    /** Steps since construction that could not be proved finite and were guarded. */
    final long guardedSteps() {
        return guardedSteps;
    }

    /** The update with a backup, checked, and undone if a value is not finite. */
    private void guardedUpdate(float[] params, float[] grads, double scale, double loss) {
        guardedSteps++;
        Object backup = backup(params);
        saveScalars();
        updateAll(params, grads, scale, loss);
        finishGuarded(params, backup, grads);
    }

    private void guardedUpdate(double[] params, double[] grads, double scale, double loss) {
        guardedSteps++;
        Object backup = backup(params);
        saveScalars();
        updateAll(params, grads, scale, loss);
        finishGuarded(params, backup, grads);
    }

    /** Copies the parameters and the state into the backup arrays, allocating them the first time; returns the parameters' copy. */
    private Object backup(Object params) {
        int n = Array.getLength(params);
        if (parameterBackup == null
                || parameterBackup.getClass() != params.getClass()
                || Array.getLength(parameterBackup) != n
                || stateBackup.length != state.length) {
            parameterBackup = params instanceof float[] ? new float[n] : new double[n];
            stateBackup = new Object[state.length];
            stateMaxima = new double[state.length];
        }
        for (int k = 0; k < state.length; k++) {
            if (stateBackup[k] == null
                    || stateBackup[k].getClass() != state[k].getClass()
                    || Array.getLength(stateBackup[k]) != n) {
                stateBackup[k] = state[k] instanceof float[] ? new float[n] : new double[n];
            }
            System.arraycopy(state[k], 0, stateBackup[k], 0, n);
        }
        System.arraycopy(params, 0, parameterBackup, 0, n);
        return parameterBackup;
    }

    /**
     * After a guarded update: if a parameter or a value of the state is not finite, restores
     * both from the backup and throws; otherwise advances the state's bounds from its maxima.
     */
    private void finishGuarded(Object params, Object backup, Object grads) {
        int n = Array.getLength(params);
        String what = null;
        int index = firstNotFinite(params);
        if (index >= 0) {
            what = "parameters[" + index + "] " + text(params, index);
        } else {
            for (int k = 0; k < state.length && what == null; k++) {
                int i = firstNotFinite(state[k]);
                if (i >= 0) {
                    index = i;
                    what = "its " + stateName(k) + " for parameters[" + i + "] " + text(state[k], i);
                }
            }
        }
        if (what == null) {
            for (int k = 0; k < state.length; k++) {
                stateMaxima[k] = largestMagnitude(state[k]);
            }
            stepTaken(false, stateMaxima);
            return;
        }
        String cause = "(the parameter is " + text(backup, index) + ", its gradient " + text(grads, index) + ")";
        System.arraycopy(backup, 0, params, 0, n);
        for (int k = 0; k < state.length; k++) {
            System.arraycopy(stateBackup[k], 0, state[k], 0, n);
        }
        restoreScalars();
        throw new ArithmeticException(name() + "'s step would make " + what + " " + cause + ": its arithmetic"
                + " overflows; the parameters and the state are as they were before the step. Try a smaller learning rate"
                + " or step size, or clip the gradient norm");
    }

    private static int firstNotFinite(Object array) {
        if (array instanceof float[] f) {
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    return i;
                }
            }
        } else {
            double[] d = (double[]) array;
            for (int i = 0; i < d.length; i++) {
                if (!Double.isFinite(d[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static double largestMagnitude(Object array) {
        double largest = 0;
        if (array instanceof float[] f) {
            for (float v : f) {
                largest = Math.max(largest, Math.abs(v));
            }
        } else {
            for (double v : (double[]) array) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        return largest;
    }

    private static String text(Object array, int i) {
        return array instanceof float[] f ? Float.toString(f[i]) : Double.toString(((double[]) array)[i]);
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
                state = stateArrays();
            }
            initializeState();
        } else if (length != stateLength) {
            throw new IllegalArgumentException(
                    name() + " was set up for " + stateLength + " parameters by its first step, but this step has "
                            + length + "; use one optimizer per model, or reset() it first");
        } else if (floats != stateFloats) {
            throw new IllegalArgumentException(name() + " was set up for " + precision(stateFloats)
                    + " parameters by its first step, but this step has " + precision(floats)
                    + " ones; use one optimizer per model, or reset() it first");
        }
    }

    private static String precision(boolean floats) {
        return floats ? "float" : "double";
    }

    private static void requireSameLength(int params, int grads) {
        if (params != grads) {
            throw new IllegalArgumentException("gradients have length " + grads + " but parameters have length "
                    + params + "; expected equal lengths");
        }
    }

    private void requireNoLoss() {
        if (requiresLoss()) {
            throw new IllegalStateException(
                    name() + " needs the loss at the current parameters: call step(params, grads, loss)");
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
