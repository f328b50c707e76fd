package dev.chainrule.data;

import java.util.SplittableRandom;

/**
 * Mini-batch iteration over a dataset with reusable buffers: what {@link Batches} and {@link
 * DoubleBatches} share. Each call to {@link #next()} copies the next rows of the epoch's order into
 * the buffers, so a training step allocates nothing.
 *
 * <h2>Epochs</h2>
 * {@code next()} returns {@code true} for each batch of an epoch, then {@code false} once; the
 * call after that starts the next epoch, in a new shuffled order. So {@code while (batches.next()) { ... }} runs one
 * epoch, and running it again runs the next. Every row is in exactly one batch per epoch; the
 * last batch holds the remaining {@code rows() <= batchSize()} rows.
 *
 * <h2>Order</h2>
 * Made with a seed, the rows are shuffled ({@link Shuffle#shuffle}) at the start of every epoch,
 * drawing from one {@link SplittableRandom} seeded once, so the order of epoch {@code k} depends
 * only on the seed and {@code k}. Made without one, every epoch goes through the rows in order.
 *
 * <p>One instance serves one thread.
 */
public abstract sealed class AbstractBatches permits Batches, DoubleBatches {
    private final AbstractDataset<?> dataset;
    private final int batchSize;
    private final int[] order;
    private final SplittableRandom random;
    private final int[] labels;
    private final double[] sampleWeights;
    private int position;
    private int rows;
    private int epoch;
    private boolean endOfEpochReported;

    AbstractBatches(AbstractDataset<?> dataset, int batchSize, SplittableRandom random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", expected at least 1");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.order = Shuffle.identity(dataset.rows());
        this.random = random;
        this.labels = dataset.hasLabels() ? new int[batchSize] : null;
        this.sampleWeights = dataset.sampleWeights != null ? new double[batchSize] : null;
        shuffle();
    }

    /**
     * Fills the buffers with the next batch of this epoch and returns {@code true}, or returns
     * {@code false} at the end of the epoch (after which the next call starts a new epoch).
     * Allocates nothing.
     */
    public final boolean next() {
        if (position == order.length) {
            if (!endOfEpochReported) {
                endOfEpochReported = true;
                rows = 0;
                return false;
            }
            epoch++;
            position = 0;
            endOfEpochReported = false;
            shuffle();
            if (order.length == 0) {
                endOfEpochReported = true;
                return false;
            }
        }
        rows = Math.min(batchSize, order.length - position);
        for (int i = 0; i < rows; i++) {
            int row = order[position + i];
            copyRow(row, i);
            if (labels != null) {
                labels[i] = dataset.labels[row];
            }
            if (sampleWeights != null) {
                sampleWeights[i] = dataset.sampleWeights[row];
            }
        }
        position += rows;
        return true;
    }

    private void shuffle() {
        if (random != null) {
            Shuffle.shuffle(order, random);
        }
    }

    /** The number of rows in the current batch: {@link #batchSize()} except for the last batch of an epoch. */
    public final int rows() {
        return rows;
    }

    /** The features in each row of the buffers: the dataset's {@code featureCount()}. */
    public final int featureCount() {
        return dataset.featureCount();
    }

    /** The targets in each row of the buffers: the dataset's {@code targetCount()}. */
    public final int targetCount() {
        return dataset.targetCount();
    }

    /** The most rows a batch holds, and the rows the buffers have room for. */
    public final int batchSize() {
        return batchSize;
    }

    /** The 0-based epoch the current batch belongs to. */
    public final int epoch() {
        return epoch;
    }

    /** The number of batches in each epoch. */
    public final int batchesPerEpoch() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /**
     * The live buffer of the current batch's class labels: entries {@code 0 .. rows()-1} hold the
     * labels of the batch's rows; the rest are left over from earlier batches.
     *
     * @throws IllegalStateException if the dataset has no labels
     */
    public final int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("the dataset has no class labels");
        }
        return labels;
    }

    /** Whether the dataset's rows carry training weights ({@link AbstractDataset#withSampleWeights}). */
    public final boolean hasSampleWeights() {
        return sampleWeights != null;
    }

    /**
     * The live buffer of the current batch's sample weights: entries {@code 0 .. rows()-1} hold
     * the weights of the batch's rows, in the order of its rows; the rest are left over from
     * earlier batches.
     *
     * @throws IllegalStateException if the dataset has no sample weights
     */
    public final double[] sampleWeights() {
        if (sampleWeights == null) {
            throw new IllegalStateException("the dataset has no sample weights");
        }
        return sampleWeights;
    }

    /** Copies features and targets of dataset row {@code row} into buffer row {@code slot}. */
    abstract void copyRow(int row, int slot);
}
