package dev.chainrule.optim;

/**
 * Updates a flat parameter array from the flat gradient array of the same layout, one step at a
 * time: the arrays {@link dev.chainrule.FloatModel#parameters()} and {@link
 * dev.chainrule.FloatModel#gradients()} (or the {@code double} ones of a {@link
 * dev.chainrule.DoubleModel}).
 *
 * <h2>What one step is</h2>
 * One call to a {@code step} method is one step: it reads the gradients, updates the parameters
 * in place and adds one to {@link #steps()}. Learning-rate schedules are functions of the
 * number of steps taken before the current one, so the first step uses the schedule's rate at
 * step 0. Whether a step covers a mini-batch or the whole data set is the caller's choice.
 *
 * <h2>Gradients are read, never written</h2>
 * The gradient array is neither modified nor zeroed: the caller zeroes it (for example with
 * {@link dev.chainrule.Model#zeroGradients()}) before accumulating the next step's gradients.
 * Options that change the gradient (penalties, clipping) are applied to each value as it is
 * read.
 *
 * <h2>State and allocation</h2>
 * An optimizer owns its state (moments, velocities, step sizes). It allocates that state once,
 * on the first step, for the length of the arrays it is given, and reuses it: steps allocate
 * nothing. {@link Sgd}, {@link Adagrad}, {@link RmsProp} and {@link Adam} keep a {@code float}
 * model's state in {@code float} and update it in {@code float} arithmetic, as the parameters
 * are, so that the JIT can run the update in vector instructions; a {@code double} model's state
 * is {@code double}, and so is {@link Rprop}'s for both. A later step with a different length
 * or precision throws {@link IllegalArgumentException}; {@link #reset()} forgets the state and
 * allows a new length and precision. One optimizer trains one model; it is not safe for concurrent
 * use, except where a {@link RangeOptimizer}'s step in stages says which calls may run on several
 * threads at once.
 *
 * <h2>The loss</h2>
 * Most optimizers need only the gradient. Those that also need the current loss (such as
 * {@link Rprop}) say so through {@link #requiresLoss()}; a training loop that always calls
 * {@link #step(float[], float[], double)} serves every optimizer, and the others ignore the
 * value.
 */
public interface Optimizer {

    /**
     * Takes one step.
     *
     * @param params the parameters; modified in place
     * @param grads the gradient of the loss with respect to {@code params}, same length; not modified
     * @throws IllegalArgumentException if the lengths differ, differ from the length of earlier
     *     steps, or a gradient or parameter is not finite (the message names the index); the
     *     parameters and the state are then unchanged
     * @throws ArithmeticException if the step would leave a parameter or a value of the state NaN
     *     or infinite although everything given is finite: its arithmetic overflows (a learning
     *     rate or gradient too large). The optimizers of this package then put the parameters and
     *     the state back as they were and do not count the step (see {@link GradientOptimizer})
     * @throws IllegalStateException if this optimizer {@link #requiresLoss() requires the loss}
     */
    void step(float[] params, float[] grads);

    /** Takes one step on {@code double} arrays; see {@link #step(float[], float[])}. */
    void step(double[] params, double[] grads);

    /**
     * Takes one step, given the loss at the current parameters (including any penalty the
     * optimizer adds, see {@link #penalty(float[])}). Optimizers that do not use the loss
     * ignore it: this default calls {@link #step(float[], float[])}.
     */
    default void step(float[] params, float[] grads, double loss) {
        step(params, grads);
    }

    /** Takes one step on {@code double} arrays, given the loss; see {@link #step(float[], float[], double)}. */
    default void step(double[] params, double[] grads, double loss) {
        step(params, grads);
    }

    /** Whether steps need the loss, that is must be taken with {@code step(params, grads, loss)}. */
    default boolean requiresLoss() {
        return false;
    }

    /**
     * The value of the penalty this optimizer adds to the loss (L1, L2), at {@code params}: add
     * it to the model's loss to report the loss actually minimised. Zero when there is none.
     */
    default double penalty(float[] params) {
        return 0;
    }

    /** The penalty at {@code double} parameters; see {@link #penalty(float[])}. */
    default double penalty(double[] params) {
        return 0;
    }

    /**
     * Tells the optimizer the figure of an epoch that has just ended, oriented so that lower is
     * better: a loss as it is, a figure where higher is better (accuracy, R²) negated. A
     * learning-rate schedule that adapts, such as {@link LearningRateSchedule#reduceOnPlateau},
     * takes its rate from these; the default, and the optimizers with fixed schedules, ignore it.
     * {@code Trainer} calls it after every epoch with the figure it monitors; a hand-written loop
     * calls it after each epoch itself, e.g. {@code adam.observe(Metrics.evaluate(model,
     * validation).loss())}.
     */
    default void observe(double value) {}

    /** Forgets the state and the step count, as if no step had been taken; a schedule that adapts starts over too. */
    void reset();

    /** Steps taken since construction or the last {@link #reset()}. */
    long steps();
}
