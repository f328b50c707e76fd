package dev.chainrule.optim;

/**
 * An {@link Optimizer} whose step can be taken in parts, so that the threads of a training loop
 * share it, with the same bits as one call to {@link #step(float[], float[], double) step} gives
 * on any number of threads. The parameters are cut into fixed blocks of {@link #BLOCK} values
 * (the last one shorter); a step is
 * <ol>
 *   <li>{@link #measure(float[], float[], int) measure} of every block, in any order and on any
 *       threads: each returns that block's part of the figures the step needs as a whole (for
 *       the optimizers of this package, the sum of the squares of its effective gradients);
 *   <li>{@link #begin(float[], float[], double[], double) begin}, on one thread, which combines
 *       the parts in block order into those figures (the global gradient norm, the clipping
 *       factor, this step's learning rate), checks the arrays, and says whether the ranges are
 *       to be updated;
 *   <li>if so, {@link #update(float[], float[], int, int) update} of disjoint ranges of whole
 *       blocks that together cover the parameters, in any order and on any threads;
 *   <li>{@link #end()}, on the thread that began the step, which counts it.
 * </ol>
 * The caller makes the calls of one stage happen before those of the next (joining its threads
 * between stages does). Because every block's part is the same bits however the blocks are
 * spread over threads, and every parameter's update is the same arithmetic in whatever range it
 * falls, the parameters and the state after the step do not depend on the number of threads.
 *
 * <p>If an {@code update} throws, the step is half taken: the caller puts the parameters back
 * (the {@code Trainer} keeps a copy from before every step) and calls {@link #abandon()}, which
 * forgets the optimizer's state as {@link #reset()} does. {@code begin} throws what {@code step}
 * throws, with nothing changed, or takes the whole step itself (a step that needs the guarded
 * path of {@link GradientOptimizer}, which may throw {@link ArithmeticException} after undoing
 * it) and returns {@code false}.
 *
 * <p>Each stage allocates nothing once the first step has allocated the state.
 */
public interface RangeOptimizer extends Optimizer {
    /**
     * Values per block: 1024, the block of {@link dev.chainrule.kernel.Kernels#sumOfSquares} and
     * a multiple of every vector width, so that a range that starts at a block boundary runs
     * vector loops over the same values as the whole array does.
     */
    int BLOCK = 1024;

    /** The blocks of {@code length} parameters. */
    static int blocks(int length) {
        return (length + BLOCK - 1) / BLOCK;
    }

    /**
     * Block {@code block}'s part of the figures of the step about to be taken from {@code grads}
     * at {@code params}; any thread, concurrently with other blocks. Reads the arrays only.
     */
    double measure(float[] params, float[] grads, int block);

    /** Block {@code block}'s part for {@code double} arrays; see {@link #measure(float[], float[], int)}. */
    double measure(double[] params, double[] grads, int block);

    /**
     * Begins a step once every block is measured: {@code parts[b]} is what {@link
     * #measure(float[], float[], int) measure} returned for block {@code b}.
     *
     * @param loss the loss at {@code params}, finite, or NaN when not known (then the optimizer
     *     must not {@link #requiresLoss() require} it)
     * @return {@code true} if the caller is to {@link #update(float[], float[], int, int) update}
     *     every range and then {@link #end()}; {@code false} if the step has been taken whole
     * @throws IllegalArgumentException as {@link #step(float[], float[])} does, nothing changed
     * @throws ArithmeticException as {@link #step(float[], float[])} does, nothing changed
     * @throws IllegalStateException if a step is already begun, or the loss is required but NaN
     */
    boolean begin(float[] params, float[] grads, double[] parts, double loss);

    /** Begins a step on {@code double} arrays; see {@link #begin(float[], float[], double[], double)}. */
    boolean begin(double[] params, double[] grads, double[] parts, double loss);

    /**
     * Updates the parameters and the state in {@code [from, to)} for the step begun; any thread,
     * concurrently with other ranges that do not overlap it.
     *
     * @param from a multiple of {@link #BLOCK}
     * @param to a multiple of {@link #BLOCK} or the number of parameters, at least {@code from}
     * @throws IllegalArgumentException if the range is not one of whole blocks
     * @throws IllegalStateException if no step is begun
     */
    void update(float[] params, float[] grads, int from, int to);

    /** Updates {@code double} arrays; see {@link #update(float[], float[], int, int)}. */
    void update(double[] params, double[] grads, int from, int to);

    /**
     * Ends the step begun, once every range is updated: counts it.
     *
     * @throws IllegalStateException if no step is begun
     */
    void end();

    /**
     * Gives up the step begun after an {@code update} failed: the state is forgotten as by
     * {@link #reset()}, since part of it may hold the step; the caller restores the parameters.
     * Does nothing if no step is begun.
     */
    void abandon();
}
