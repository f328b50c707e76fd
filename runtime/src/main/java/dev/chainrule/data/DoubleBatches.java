package dev.chainrule.data;

import java.util.SplittableRandom;

/**
 * Mini-batches of a {@link DoubleDataset} in {@code double}, ready for {@code
 * DoubleModel.accumulateGradientsBatch(inputs(), targets(), rows())}. See {@link AbstractBatches}
 * for the epochs and the order; made by {@link DoubleDataset#batches(int, long)}.
 */
public final class DoubleBatches extends AbstractBatches {
    private final DoubleDataset dataset;
    private final double[] inputs;
    private final double[] targets;

    DoubleBatches(DoubleDataset dataset, int batchSize, SplittableRandom random) {
        super(dataset, batchSize, random);
        this.dataset = dataset;
        this.inputs = new double[Math.multiplyExact(batchSize, dataset.featureCount)];
        this.targets = new double[Math.multiplyExact(batchSize, dataset.targetCount)];
    }

    /**
     * The live buffer of the current batch's features, row-major: the first {@code rows() *
     * featureCount} values are the batch; the rest are left over from earlier batches.
     */
    public double[] inputs() {
        return inputs;
    }

    /** The live buffer of the current batch's targets, row-major, like {@link #inputs()}. */
    public double[] targets() {
        return targets;
    }

    @Override
    void copyRow(int row, int slot) {
        int f = dataset.featureCount;
        int t = dataset.targetCount;
        System.arraycopy(dataset.features, row * f, inputs, slot * f, f);
        System.arraycopy(dataset.targets, row * t, targets, slot * t, t);
    }
}
