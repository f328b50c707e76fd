package dev.chainrule.data;

// double twin: DoubleBatches (written from this file at build time by runtime/src/build/Twins.java)

import java.util.SplittableRandom;

/**
 * Mini-batches of a {@link Dataset} in {@code float}, ready for {@code
 * FloatModel.accumulateGradientsBatch(inputs(), targets(), rows())}. See {@link AbstractBatches}
 * for the epochs and the order; made by {@link Dataset#batches(int, long)}.
 */
public final class Batches extends AbstractBatches {
    private final Dataset dataset;
    private final float[] inputs;
    private final float[] targets;

    Batches(Dataset dataset, int batchSize, SplittableRandom random) {
        super(dataset, batchSize, random);
        this.dataset = dataset;
        this.inputs = new float[Math.multiplyExact(batchSize, dataset.featureCount)];
        this.targets = new float[Math.multiplyExact(batchSize, dataset.targetCount)];
    }

    /**
     * The live buffer of the current batch's features, row-major: the first {@code rows() *
     * featureCount} values are the batch; the rest are left over from earlier batches.
     */
    public float[] inputs() {
        return inputs;
    }

    /** The live buffer of the current batch's targets, row-major, like {@link #inputs()}. */
    public float[] targets() {
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
