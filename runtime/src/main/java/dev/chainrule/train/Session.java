package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.RangeOptimizer;
import java.util.function.IntConsumer;

/**
 * One training run's view of a model and its training data with the precision hidden: the
 * mini-batches, the gradient step, and two copies of the parameters, a backup taken before each
 * step and the best seen. Everything is allocated at construction; the per-batch methods
 * allocate nothing.
 *
 * <h2>Shards</h2>
 * A mini-batch is cut into shards of {@code shardRows} rows at fixed boundaries. Shard {@code s}
 * always goes through its own model instance, {@code shards[s]} (the model itself for shard 0,
 * {@code withSharedParameters()} siblings for the others), which adds {@code 1 / rows} times its
 * rows' gradients to its own gradient array; the shards' gradients are then added into the
 * model's in shard order. Which thread runs a shard changes nothing of this arithmetic, so the
 * parameters after a step are the same bits whatever the number of threads.
 *
 * <h2>The step on the threads too</h2>
 * What follows the shards is spread over the same threads, by blocks of {@link
 * RangeOptimizer#BLOCK} parameters, each thread taking a run of whole blocks: {@link
 * #prepareStep()} adds the shards' gradients into the model's (in shard order, value by value),
 * copies the parameters into the backup, and sums each block's squares for the {@link
 * GradientNorms} and for a {@link RangeOptimizer}; the caller then adds the blocks' sums in block
 * order, and the optimizer's {@link RangeOptimizer#update update} runs on the threads by ranges of
 * whole blocks. Every value's arithmetic, and every block's sum, is the same on any number of
 * threads, so the step is the same bits too. An optimizer that is not a {@link RangeOptimizer}
 * steps on the caller's thread.
 */
abstract sealed class Session implements AutoCloseable permits FloatSession, DoubleSession {
    final Model model;
    /** The model's live parameter array and its two copies, {@code float[]} or {@code double[]}. */
    private final Object parameters;

    final Object backup;
    private final Object best;
    final int count;
    /** Rows per shard. */
    final int shardRows;
    /** Each shard's model: the model itself for shard 0. */
    private final Model[] shards;
    /** Each shard's mean loss in the current batch; with weighted rows, its rows' weighted loss sum. */
    final double[] shardLosses;
    /** The threads besides the caller's, or {@code null} for one. */
    final Workers workers;
    /** {@link #accumulateShard}, made once so that a step allocates nothing. */
    private final IntConsumer shardTask = this::accumulateShard;
    /** {@link #prepareRange} and {@link #updateRange}, made once. */
    private final IntConsumer prepareTask = this::prepareRange;

    private final IntConsumer updateTask = this::updateRange;
    /** Blocks of {@link RangeOptimizer#BLOCK} values, and the tasks (one per thread) that share them. */
    final int blocks;

    private final int tasks;
    /** Each block's part of the optimizer's figures, from {@link RangeOptimizer#measure}. */
    final double[] parts;
    /** The optimizer, if it steps in ranges, and the gradient norms, set by {@link #plan}. */
    RangeOptimizer ranged;

    private GradientNorms norms;
    /** The shards of the current batch. */
    int used = 1;
    /** The batches' gradients when a {@link GradientSource} computes them, else {@code null}. */
    GradientSource.Steps remote;

    Session(Model model, Object parameters, Object backup, Object best, int threads, int shardRows, Model[] shards) {
        this.model = model;
        this.parameters = parameters;
        this.backup = backup;
        this.best = best;
        this.count = model.parameterCount();
        this.shardRows = shardRows;
        this.shards = shards;
        this.shardLosses = new double[shards.length];
        int team = Math.min(threads, shards.length);
        this.workers = team > 1 ? new Workers(team, "chainrule-trainer") : null;
        this.blocks = RangeOptimizer.blocks(Math.max(count, java.lang.reflect.Array.getLength(parameters)));
        this.tasks = Math.max(1, Math.min(team, blocks));
        this.parts = new double[blocks];
    }

    /** Sets the optimizer that steps and the norms measured, before the first batch. */
    final void plan(Optimizer optimizer, GradientNorms norms) {
        this.ranged = optimizer instanceof RangeOptimizer r ? r : null;
        this.norms = norms;
    }

    /**
     * Completes the batch's gradient and readies the step, on the session's threads: adds the
     * shards' gradients into the model's, copies the parameters into the backup, and sums the
     * squares of every block for the norms and the optimizer. A failure leaves the parameters as
     * they were (the backup may be part copied).
     */
    final void prepareStep() {
        run(prepareTask);
        if (norms != null) {
            norms.measure();
        }
    }

    private void run(IntConsumer task) {
        if (workers == null || tasks == 1) {
            task.accept(0);
        } else {
            workers.run(tasks, task);
        }
    }

    /** The first block of task {@code t}'s run. */
    private int firstBlock(int t) {
        return (int) ((long) t * blocks / tasks);
    }

    private void prepareRange(int t) {
        for (int b = firstBlock(t), end = firstBlock(t + 1); b < end; b++) {
            prepareBlock(b);
            if (norms != null) {
                norms.measureBlock(this, b);
            }
        }
    }

    private void updateRange(int t) {
        updateBlocks(firstBlock(t) * RangeOptimizer.BLOCK, firstBlock(t + 1) * RangeOptimizer.BLOCK);
    }

    /**
     * The step of a {@link RangeOptimizer}, begun on the caller's thread and updated on the
     * session's: if an update fails, the parameters are restored from the backup, the optimizer
     * gives the step up, and the failure is thrown.
     */
    final void rangeStep(boolean begun) {
        if (!begun) {
            return; // taken whole by begin
        }
        try {
            run(updateTask);
        } catch (RuntimeException | Error e) {
            restoreBackup();
            ranged.abandon();
            throw e;
        }
        ranged.end();
    }

    /** Adds the shards' gradients of block {@code b} into the model's, backs it up, and measures it for the optimizer. */
    abstract void prepareBlock(int b);

    /** The optimizer's update of the values {@code [from, to)}, clipped to the parameters. */
    abstract void updateBlocks(int from, int to);

    /** The sum of the shards' fixed-point counts, filled by {@link #takeConvergence()}. */
    private final dev.chainrule.FixedPointModel.Convergence convergence =
            new dev.chainrule.FixedPointModel.Convergence();

    /**
     * The fixed-point solves of the model and of its shards since the last call (summed, the
     * shards' own counts reset), or {@code null} when the model has no fixed-point layer.
     */
    final dev.chainrule.FixedPointModel.Convergence takeConvergence() {
        if (!(model instanceof dev.chainrule.FixedPointModel)) {
            return null;
        }
        convergence.reset();
        for (Model shard : shards) {
            dev.chainrule.FixedPointModel fixed = (dev.chainrule.FixedPointModel) shard;
            convergence.add(fixed.convergence());
            fixed.resetConvergence();
        }
        return convergence;
    }

    /** Shards of a batch of {@code batchSize} rows. */
    static int shardCount(int batchSize, int shardRows) {
        return (batchSize + shardRows - 1) / shardRows;
    }

    /** Puts every shard's model in training or inference mode. */
    final void setTraining(boolean training) {
        for (Model shard : shards) {
            shard.setTraining(training);
        }
    }

    /**
     * Zeroes the gradients, accumulates the current batch's gradient shard by shard (on the
     * session's threads) and returns its mean loss; {@link #prepareStep()} then adds the shards'
     * gradients into the model's mean gradient.
     */
    final double accumulateBatch() {
        if (remote != null) {
            used = 1;
            return remote.accumulate();
        }
        int rows = batches().rows();
        int used = shardCount(rows, shardRows);
        this.used = used;
        prepare(rows);
        if (workers == null) {
            for (int s = 0; s < used; s++) {
                accumulateShard(s);
            }
        } else {
            workers.run(used, shardTask);
        }
        double loss = 0;
        if (weightSum > 0) { // the shards' weighted loss sums, over the batch's summed weight
            for (int s = 0; s < used; s++) {
                loss += shardLosses[s];
            }
            return loss / weightSum;
        }
        for (int s = 0; s < used; s++) {
            loss += shardLosses[s] * Math.min(shardRows, rows - s * shardRows);
        }
        return loss / rows;
    }

    /**
     * The sum of the current batch's row weights when its rows are weighted, set by {@link
     * #prepare}; 0 when they are not.
     */
    double weightSum;

    /**
     * Sets up the weight of the current batch: {@code 1 / rows}, or with weighted rows each row's
     * weight and {@code 1 / sum_r w_r}.
     *
     * @throws IllegalArgumentException if the rows are weighted and every weight of the batch is 0
     */
    abstract void prepare(int rows);

    /**
     * Weighs each row of every batch by {@code perClass[c]} for its class {@code c} (times its
     * sample weight, if the data has them), before the first batch.
     */
    abstract void weighClasses(double[] perClass);

    /** Zeroes shard {@code s}'s gradients and accumulates its rows' into them. */
    abstract void accumulateShard(int s);

    /** Stops the session's threads. */
    @Override
    public final void close() {
        if (workers != null) {
            workers.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    /** Moves to the next batch, or returns {@code false} at the end of the epoch (see {@link AbstractBatches#next()}). */
    final boolean next() {
        return remote != null ? remote.next() : batches().next();
    }

    /** The rows of the current batch. */
    final int batchRows() {
        return remote != null ? remote.rows() : batches().rows();
    }

    /** The batches of each epoch. */
    final int batchesPerEpoch() {
        return remote != null ? remote.batchesPerEpoch() : batches().batchesPerEpoch();
    }

    /** The shuffled mini-batches of the training data; {@code null} when a {@link GradientSource} has them. */
    abstract AbstractBatches batches();

    /** One optimizer step from the accumulated gradients, given the loss at the current parameters. */
    abstract void step(Optimizer optimizer, double loss);

    /** The optimizer's penalty at the current parameters. */
    abstract double penalty(Optimizer optimizer);

    /** Copies the parameters into the backup. */
    final void backup() {
        System.arraycopy(parameters, 0, backup, 0, count);
    }

    /** Copies the backup into the parameters. */
    final void restoreBackup() {
        System.arraycopy(backup, 0, parameters, 0, count);
    }

    /** Copies the parameters into the best copy. */
    final void keepBest() {
        System.arraycopy(parameters, 0, best, 0, count);
    }

    /** Copies the best copy into the parameters. */
    final void restoreBest() {
        System.arraycopy(best, 0, parameters, 0, count);
    }

    /** Whether every parameter is finite. */
    abstract boolean parametersFinite();

    /** Whether every gradient is finite. */
    abstract boolean gradientsFinite();

    /**
     * The sum of the squares of the model's gradients in {@code [from, to)}, in {@code double}.
     * After {@link #accumulateBatch()} the model's gradient array holds the batch's mean gradient,
     * every shard's added in, so this reads the same bits whatever the number of threads.
     */
    abstract double gradientSquares(int from, int to);
}
