package dev.chainrule.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * An immutable in-memory dataset in {@code double}, the precision of {@link
 * dev.chainrule.DoubleModel}. See {@link AbstractDataset} for the layout, the labels and the row
 * operations; {@link Dataset} is its {@code float} twin and {@link #toFloat()} converts.
 */
public final class DoubleDataset extends AbstractDataset<DoubleDataset> {
    final double[] features;
    final double[] targets;

    /** Takes ownership of the arrays, which nobody else may hold. */
    DoubleDataset(double[] features, int featureCount, double[] targets, int targetCount,
            int[] labels, int classCount, List<String> classNames) {
        super(rowsOf(features.length, featureCount, "features"), featureCount, targetCount, labels, classCount, classNames);
        if (targets.length != (long) rows * targetCount) {
            throw new IllegalArgumentException("targets has length " + targets.length + ", expected "
                    + (long) rows * targetCount + " (" + rows + " rows of " + targetCount + ")");
        }
        this.features = features;
        this.targets = targets;
    }

    /**
     * A dataset of copies of the given row-major arrays.
     *
     * @param features {@code rows * featureCount} values
     * @param targets {@code rows * targetCount} values (empty for unlabelled data)
     * @throws IllegalArgumentException if a length does not fit or a value is NaN or infinite
     */
    public static DoubleDataset of(double[] features, int featureCount, double[] targets, int targetCount) {
        DoubleDataset dataset = new DoubleDataset(features.clone(), featureCount, targets.clone(), targetCount, null, 0, List.of());
        checkFinite(dataset.features, featureCount, "feature");
        checkFinite(dataset.targets, targetCount, "target");
        return dataset;
    }

    /**
     * A classification dataset: copies of the features, the labels, and one-hot targets made
     * from the labels ({@link OneHot#encodeDouble(int[], int)}).
     *
     * @throws IllegalArgumentException if a length does not fit, a feature is not finite, or a
     *     label is outside {@code 0 .. classCount-1}
     */
    public static DoubleDataset classification(double[] features, int featureCount, int[] labels, int classCount) {
        DoubleDataset dataset = new DoubleDataset(features.clone(), featureCount, OneHot.encodeDouble(labels, classCount), classCount,
                labels.clone(), classCount, List.of());
        checkFinite(dataset.features, featureCount, "feature");
        return dataset;
    }

    private static void checkFinite(double[] values, int width, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " " + (i % width) + " of row " + (i / width)
                        + " is " + values[i] + ", expected a finite number");
            }
        }
    }

    /**
     * This dataset with names for its classes.
     *
     * @throws IllegalStateException if it has no labels
     * @throws IllegalArgumentException unless there is one name per class
     */
    public DoubleDataset withClassNames(List<String> names) {
        if (!hasLabels()) {
            throw new IllegalStateException("this dataset has no class labels to name");
        }
        return new DoubleDataset(features, featureCount, targets, targetCount, labels, classCount, names);
    }

    /** Feature {@code column} of {@code row}. */
    public double feature(int row, int column) {
        return features[checkRow(row) * featureCount + checkColumn(column, featureCount, "feature")];
    }

    /** Target {@code column} of {@code row}. */
    public double target(int row, int column) {
        return targets[checkRow(row) * targetCount + checkColumn(column, targetCount, "target")];
    }

    /** A copy of all features, row-major. */
    public double[] features() {
        return features.clone();
    }

    /** A copy of all targets, row-major. */
    public double[] targets() {
        return targets.clone();
    }

    /** The same data in {@code float}, each value rounded to the nearest float. */
    public Dataset toFloat() {
        float[] f = new float[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) features[i];
        }
        float[] t = new float[targets.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) targets[i];
        }
        return new Dataset(f, featureCount, t, targetCount, labels, classCount, classNames);
    }

    /** Mini-batches of {@code batchSize} rows in row order, the same every epoch: for evaluation. */
    public DoubleBatches batches(int batchSize) {
        return new DoubleBatches(this, batchSize, null);
    }

    /**
     * Mini-batches of {@code batchSize} rows in a new random order each epoch, determined by
     * {@code seed} and the epoch number: for training.
     */
    public DoubleBatches batches(int batchSize, long seed) {
        return new DoubleBatches(this, batchSize, new SplittableRandom(seed));
    }

    /** A dataset with the same features and labels and the given targets, which it takes over. */
    DoubleDataset withTargets(double[] newTargets) {
        return new DoubleDataset(features, featureCount, newTargets, targetCount, labels, classCount, classNames);
    }

    /** A dataset with the same targets and labels and the given features, which it takes over. */
    DoubleDataset withFeatures(double[] newFeatures) {
        return new DoubleDataset(newFeatures, featureCount, targets, targetCount, labels, classCount, classNames);
    }

    @Override
    DoubleDataset copyRows(int[] rowIndices, int[] selectedLabels) {
        double[] f = new double[Math.multiplyExact(rowIndices.length, featureCount)];
        double[] t = new double[rowIndices.length * targetCount];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(features, rowIndices[i] * featureCount, f, i * featureCount, featureCount);
            System.arraycopy(targets, rowIndices[i] * targetCount, t, i * targetCount, targetCount);
        }
        return new DoubleDataset(f, featureCount, t, targetCount, selectedLabels, classCount, classNames);
    }

    @Override
    double featureAt(int row, int column) {
        return features[row * featureCount + column];
    }

    @Override
    double targetAt(int row, int column) {
        return targets[row * targetCount + column];
    }
}
