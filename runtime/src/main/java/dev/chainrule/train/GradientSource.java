package dev.chainrule.train;

import dev.chainrule.Model;

/**
 * Training data whose mini-batch gradients are computed somewhere else than in the {@link
 * Trainer}'s own threads, for example on a cluster: {@link Trainer#fit(GradientSource)} runs the
 * same loop over it as over a dataset (the progress line, validation, early stopping, divergence
 * handling, listeners, {@link History}), and only asks the source for each batch's mean gradient.
 *
 * <p>For each {@code fit} the trainer {@link #open opens} the source once with its batch size,
 * seed and shard rows, then, for every batch, calls {@link Steps#next()} and {@link
 * Steps#accumulate()}, runs its checks and takes the optimizer step on the model's parameters in
 * this JVM. It closes the steps before {@code fit} returns or throws.
 */
public interface GradientSource {
    /** The training rows, counted once per epoch; at least 1. */
    int rows();

    /** The features of every row: the model's {@code inputSize()}. */
    int featureCount();

    /** The targets of every row: the model's {@code outputSize()}. */
    int targetCount();

    /**
     * Starts a training run of {@code model}: the returned steps read the model's {@code
     * parameters()} and write its {@code gradients()}.
     *
     * @param batchSize the trainer's {@link Trainer#batchSize(int) batch size}, how the source
     *     divides an epoch being its own to document
     * @param seed the trainer's {@link Trainer#seed(long) seed} of the order of the rows
     * @param shardRows the trainer's {@link Trainer#shardRows(int) shard rows}
     */
    Steps open(Model model, int batchSize, long seed, int shardRows);

    /** One training run's batches: like {@link dev.chainrule.data.AbstractBatches}, one epoch per {@code while (next())}. */
    interface Steps extends AutoCloseable {
        /**
         * Moves to the next batch of this epoch and returns {@code true}, or returns {@code false}
         * once at the end of the epoch; the call after that starts the next epoch.
         */
        boolean next();

        /** The rows of the current batch, at least 1. */
        int rows();

        /** The batches of each epoch. */
        int batchesPerEpoch();

        /**
         * Sets the model's {@code gradients()} to the current batch's mean gradient at the model's
         * current {@code parameters()} and returns the batch's mean loss.
         */
        double accumulate();

        /** Ends the run and frees what it holds. */
        @Override
        void close();
    }
}
