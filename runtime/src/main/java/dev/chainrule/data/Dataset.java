package dev.chainrule.data;

// double twin: DoubleDataset (written from this file at build time by runtime/src/build/Twins.java)

import java.util.List;
import java.util.SplittableRandom;

// twin: float only
/**
 * An immutable in-memory dataset in {@code float}, the precision of {@link dev.chainrule.FloatModel}.
 * See {@link AbstractDataset} for the layout, the labels and the row operations; {@link
 * DoubleDataset} is its {@code double} twin and {@link #toDouble()} converts.
 */
// twin: double only
// /**
//  * An immutable in-memory dataset in {@code double}, the precision of {@link
//  * dev.chainrule.DoubleModel}. See {@link AbstractDataset} for the layout, the labels and the row
//  * operations; {@link Dataset} is its {@code float} twin and {@link #toFloat()} converts.
//  */
// twin: end
public final class Dataset extends AbstractDataset<Dataset> {
    final float[] features;
    final float[] targets;

    /** Takes ownership of the arrays, which nobody else may hold. */
    Dataset(
            float[] features,
            int featureCount,
            float[] targets,
            int targetCount,
            int[] labels,
            int classCount,
            List<String> classNames) {
        super(
                rowsOf(features.length, featureCount, "features"),
                featureCount,
                targetCount,
                labels,
                classCount,
                classNames);
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
    public static Dataset of(float[] features, int featureCount, float[] targets, int targetCount) {
        Dataset dataset = new Dataset(features.clone(), featureCount, targets.clone(), targetCount, null, 0, List.of());
        checkFinite(dataset.features, featureCount, "feature");
        checkFinite(dataset.targets, targetCount, "target");
        return dataset;
    }

    // twin: float only
    /**
     * A classification dataset: copies of the features, the labels, and one-hot targets made
     * from the labels ({@link OneHot#encode(int[], int)}).
     *
     * @throws IllegalArgumentException if a length does not fit, a feature is not finite, or a
     *     label is outside {@code 0 .. classCount-1}
     */
    // twin: double only
    // /**
    //  * A classification dataset: copies of the features, the labels, and one-hot targets made
    //  * from the labels ({@link OneHot#encodeDouble(int[], int)}).
    //  *
    //  * @throws IllegalArgumentException if a length does not fit, a feature is not finite, or a
    //  *     label is outside {@code 0 .. classCount-1}
    //  */
    // twin: end
    public static Dataset classification(float[] features, int featureCount, int[] labels, int classCount) {
        // twin: float only
        float[] targets = OneHot.encode(labels, classCount);
        // twin: double only
        // double[] targets = OneHot.encodeDouble(labels, classCount);
        // twin: end
        Dataset dataset =
                new Dataset(features.clone(), featureCount, targets, classCount, labels.clone(), classCount, List.of());
        checkFinite(dataset.features, featureCount, "feature");
        return dataset;
    }

    private static void checkFinite(float[] values, int width, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " " + (i % width) + " of row " + (i / width) + " is "
                        + values[i] + ", expected a finite number");
            }
        }
    }

    /**
     * This dataset with names for its classes.
     *
     * @throws IllegalStateException if it has no labels
     * @throws IllegalArgumentException unless there is one name per class
     */
    public Dataset withClassNames(List<String> names) {
        if (!hasLabels()) {
            throw new IllegalStateException("this dataset has no class labels to name");
        }
        return keepWeights(new Dataset(features, featureCount, targets, targetCount, labels, classCount, names));
    }

    /** Feature {@code column} of {@code row}. */
    public float feature(int row, int column) {
        return features[checkRow(row) * featureCount + checkColumn(column, featureCount, "feature")];
    }

    /** Target {@code column} of {@code row}. */
    public float target(int row, int column) {
        return targets[checkRow(row) * targetCount + checkColumn(column, targetCount, "target")];
    }

    /** A copy of all features, row-major. */
    public float[] features() {
        return features.clone();
    }

    /** A copy of all targets, row-major. */
    public float[] targets() {
        return targets.clone();
    }

    // twin: float only
    /** The same data in {@code double}. */
    public DoubleDataset toDouble() {
        double[] f = new double[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = features[i];
        }
        double[] t = new double[targets.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = targets[i];
        }
        return keepWeights(new DoubleDataset(f, featureCount, t, targetCount, labels, classCount, classNames));
    }
    // twin: double only
    // /** The same data in {@code float}, each value rounded to the nearest float. */
    // public Dataset toFloat() {
        // float[] f = new float[features.length];
        // for (int i = 0; i < f.length; i++) {
            // f[i] = (float) features[i];
        // }
        // float[] t = new float[targets.length];
        // for (int i = 0; i < t.length; i++) {
            // t[i] = (float) targets[i];
        // }
        // return keepWeights(new Dataset(f, featureCount, t, targetCount, labels, classCount, classNames));
    // }
    // twin: end

    /** Mini-batches of {@code batchSize} rows in row order, the same every epoch: for evaluation. */
    public Batches batches(int batchSize) {
        return new Batches(this, batchSize, null);
    }

    /**
     * Mini-batches of {@code batchSize} rows in a new random order each epoch, determined by
     * {@code seed} and the epoch number: for training.
     */
    public Batches batches(int batchSize, long seed) {
        return new Batches(this, batchSize, new SplittableRandom(seed));
    }

    /** A dataset with the same features and labels and the given targets, which it takes over. */
    Dataset withTargets(float[] newTargets) {
        return keepWeights(
                new Dataset(features, featureCount, newTargets, targetCount, labels, classCount, classNames));
    }

    /** A dataset with the same targets and labels and the given features, which it takes over. */
    Dataset withFeatures(float[] newFeatures) {
        return keepWeights(
                new Dataset(newFeatures, featureCount, targets, targetCount, labels, classCount, classNames));
    }

    @Override
    Dataset sameRows() {
        return new Dataset(features, featureCount, targets, targetCount, labels, classCount, classNames);
    }

    @Override
    Dataset copyRows(int[] rowIndices, int[] selectedLabels) {
        float[] f = new float[Math.multiplyExact(rowIndices.length, featureCount)];
        float[] t = new float[rowIndices.length * targetCount];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(features, rowIndices[i] * featureCount, f, i * featureCount, featureCount);
            System.arraycopy(targets, rowIndices[i] * targetCount, t, i * targetCount, targetCount);
        }
        return new Dataset(f, featureCount, t, targetCount, selectedLabels, classCount, classNames);
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
