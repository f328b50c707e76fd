package dev.chainrule.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;

/**
 * Standardisation of regression targets, with the inverse that maps predictions back: target
 * {@code k} becomes {@code (y - mean_k) / std_k}, with the mean and the population standard
 * deviation of the training data, and a prediction {@code p} of the scaled target means {@code
 * p * std_k + mean_k} in the original units. A target that is constant in the training data has
 * {@code std_k = 0}; it is only centred (scale 1).
 *
 * <pre>{@code
 * TargetScaler prices = TargetScaler.fit(split.train());
 * Dataset train = prices.apply(split.train());        // fit and train on scaled targets
 * ...
 * model.predict(features, output);
 * prices.inverseInPlace(output, 0);                   // back to the original units
 * }</pre>
 *
 * <p>Fit it on the training part only and apply it to every part, as a {@link FeatureScaler};
 * save it with the model with {@code dev.chainrule.serve.Preprocessing}. Metrics of a model on
 * scaled targets are in scaled units: its MSE is the original units' MSE divided by {@code
 * std_k^2} and its MAE divided by {@code std_k} (for one target); R² is the same in both. Float
 * rows are computed in double and rounded once. An instance is immutable and may be shared by
 * threads; the in-place methods allocate nothing.
 *
 * <h2>Saving</h2>
 * {@link #writeTo(DataOutput)} writes, big-endian: the magic {@code 0x43525453} ("CRTS"), a type
 * byte (1, standardisation), a version short (1), the target count (an int, at most {@value
 * #MAX_TARGETS}), then the mean of every target and its standard deviation (doubles). {@link
 * #readFrom(DataInput)} reads it back and checks every part.
 */
public final class TargetScaler {
    /** The most targets a saved scaler may declare, so a corrupt count cannot allocate much. */
    public static final int MAX_TARGETS = 1 << 20;

    static final int MAGIC = 0x43525453;
    static final byte TYPE = 1;
    static final short VERSION = 1;

    private final double[] mean;
    private final double[] std;
    private final double[] scale;

    private TargetScaler(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
        this.scale = new double[mean.length];
        for (int k = 0; k < mean.length; k++) {
            scale[k] = std[k] > 0 ? std[k] : 1;
        }
    }

    /**
     * Fits on every row of {@code data}: the training part.
     *
     * @throws IllegalArgumentException if the dataset has no rows or no targets, has class labels
     *     (its targets then stand for classes, which scaling would break), or a target's values or
     *     their squared deviations do not sum to a finite double; the message names the target
     */
    public static TargetScaler fit(AbstractDataset<?> data) {
        FeatureScaler.requireRows(data);
        if (data.hasLabels()) {
            throw new IllegalArgumentException("the dataset has class labels: its targets stand for the classes, and"
                    + " a target scaler is for regression targets");
        }
        int targets = data.targetCount();
        if (targets == 0) {
            throw new IllegalArgumentException("the dataset has no targets to scale");
        }
        int n = data.rows();
        double[] mean = new double[targets];
        double[] std = new double[targets];
        for (int k = 0; k < targets; k++) {
            int column = k;
            Standardizer.meanAndDeviation(n, r -> data.targetAt(r, column), "scale target " + k, mean, std, k);
        }
        return new TargetScaler(mean, std);
    }

    /** The number of targets this scaler was fitted on: the model's {@code outputSize()}. */
    public int targetCount() {
        return mean.length;
    }

    /** The training mean of {@code target}. */
    public double mean(int target) {
        return mean[target];
    }

    /** The training (population) standard deviation of {@code target}; 0 for a constant target. */
    public double standardDeviation(int target) {
        return std[target];
    }

    /** A new dataset with every row's targets standardised; features unchanged. */
    public Dataset apply(Dataset data) {
        checkTargetCount(data);
        float[] targets = data.targets();
        for (int r = 0; r < data.rows(); r++) {
            applyInPlace(targets, r * mean.length);
        }
        return data.withTargets(targets);
    }

    /** A new dataset with every row's targets standardised; features unchanged. */
    public DoubleDataset apply(DoubleDataset data) {
        checkTargetCount(data);
        double[] targets = data.targets();
        for (int r = 0; r < data.rows(); r++) {
            applyInPlace(targets, r * mean.length);
        }
        return data.withTargets(targets);
    }

    /**
     * Standardises the {@link #targetCount()} targets at {@code row[offset ..]} in place.
     *
     * @throws IllegalArgumentException if the row does not hold the targets from {@code offset}
     */
    public void applyInPlace(float[] row, int offset) {
        checkRange(row.length, offset);
        for (int k = 0; k < mean.length; k++) {
            row[offset + k] = (float) ((row[offset + k] - mean[k]) / scale[k]);
        }
    }

    /** Like {@link #applyInPlace(float[], int)}, in double. */
    public void applyInPlace(double[] row, int offset) {
        checkRange(row.length, offset);
        for (int k = 0; k < mean.length; k++) {
            row[offset + k] = (row[offset + k] - mean[k]) / scale[k];
        }
    }

    /**
     * Maps the {@link #targetCount()} predictions at {@code row[offset ..]}, made on the scaled
     * targets, back to the original units in place: {@code p * std_k + mean_k}.
     *
     * @throws IllegalArgumentException if the row does not hold the targets from {@code offset}
     */
    public void inverseInPlace(float[] row, int offset) {
        checkRange(row.length, offset);
        for (int k = 0; k < mean.length; k++) {
            row[offset + k] = (float) (row[offset + k] * scale[k] + mean[k]);
        }
    }

    /** Like {@link #inverseInPlace(float[], int)}, in double. */
    public void inverseInPlace(double[] row, int offset) {
        checkRange(row.length, offset);
        for (int k = 0; k < mean.length; k++) {
            row[offset + k] = row[offset + k] * scale[k] + mean[k];
        }
    }

    /** One prediction of scaled target {@code target} in the original units. */
    public double inverse(double prediction, int target) {
        return prediction * scale[target] + mean[target];
    }

    private void checkRange(int length, int offset) {
        if (offset < 0 || offset > length - mean.length) {
            throw new IllegalArgumentException(
                    "row of length " + length + " does not hold " + mean.length + " targets from offset " + offset);
        }
    }

    private void checkTargetCount(AbstractDataset<?> data) {
        if (data.targetCount() != mean.length) {
            throw new IllegalArgumentException(
                    "dataset has " + data.targetCount() + " targets, this scaler was fitted on " + mean.length);
        }
    }

    /** Writes this scaler in the format described above. */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(TYPE);
        out.writeShort(VERSION);
        out.writeInt(mean.length);
        for (double v : mean) {
            out.writeDouble(v);
        }
        for (double v : std) {
            out.writeDouble(v);
        }
    }

    /**
     * Reads a scaler written by {@link #writeTo(DataOutput)}.
     *
     * @throws DataFormatException if the data is not a saved target scaler (wrong magic, unknown
     *     type or version, a target count out of range, a value that is not finite, a negative
     *     deviation) or ends early
     */
    public static TargetScaler readFrom(DataInput in) throws IOException {
        String reading = "the magic number";
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new DataFormatException(
                        String.format("not a saved target scaler: magic 0x%08x, expected 0x%08x", magic, MAGIC));
            }
            reading = "the type";
            byte type = in.readByte();
            if (type != TYPE) {
                throw new DataFormatException(
                        "unknown target scaler type " + type + ", expected " + TYPE + " (standardisation)");
            }
            reading = "the version";
            short version = in.readShort();
            if (version != VERSION) {
                throw new DataFormatException(
                        "target scaler version " + version + " is not supported, expected " + VERSION);
            }
            reading = "the target count";
            int count = in.readInt();
            if (count < 1 || count > MAX_TARGETS) {
                throw new DataFormatException("target count " + count + " is not in 1 .. " + MAX_TARGETS);
            }
            double[][] stats = new double[2][count];
            for (int s = 0; s < 2; s++) {
                for (int k = 0; k < count; k++) {
                    reading = (s == 0 ? "the mean" : "the standard deviation") + " of target " + k + " of " + count;
                    stats[s][k] = in.readDouble();
                    if (!Double.isFinite(stats[s][k])) {
                        throw new DataFormatException(reading + " is " + stats[s][k] + ", expected a finite number");
                    }
                    if (s == 1 && !(stats[s][k] == 0 || stats[s][k] >= Standardizer.MIN_STANDARD_DEVIATION)) {
                        // no fit produces a smaller positive deviation; one would scale to infinity
                        throw new DataFormatException(reading + " is " + stats[s][k] + ", expected 0 or at least "
                                + Standardizer.MIN_STANDARD_DEVIATION);
                    }
                }
            }
            return new TargetScaler(stats[0], stats[1]);
        } catch (EOFException e) {
            throw new DataFormatException("truncated target scaler: the data ends while reading " + reading);
        }
    }

    @Override
    public String toString() {
        return "TargetScaler[" + mean.length + " targets]";
    }
}
