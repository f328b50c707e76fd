package dev.chainrule.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;

/**
 * A per-feature affine rescaling fitted on training data, {@code x' = (x - shift[j]) * scale[j]}
 * for feature {@code j}: {@link Standardizer} or {@link MinMaxScaler}.
 *
 * <p>Fit it on the training part only, then apply it to every part and, at serving time, to each
 * request's row in place ({@link #applyInPlace(float[], int)} allocates nothing). Float rows are
 * computed in double and rounded once. An instance is immutable and may be shared by threads.
 *
 * <h2>Saving</h2>
 * {@link #writeTo(DataOutput)} writes, big-endian: the magic {@code 0x43524653} ("CRFS"), a type
 * byte (1 standardizer, 2 min-max), a version short (1), the feature count (an int, at most
 * {@value #MAX_FEATURES}), then the first statistic of every feature and the second (doubles:
 * mean and standard deviation, or minimum and maximum). {@link #readFrom(DataInput)} reads it back
 * and checks every part.
 */
public abstract sealed class FeatureScaler permits Standardizer, MinMaxScaler {
    /** The most features a saved scaler may declare, so a corrupt count cannot allocate much. */
    public static final int MAX_FEATURES = 1 << 20;

    static final int MAGIC = 0x43524653;
    static final short VERSION = 1;

    private final double[] first;
    private final double[] second;
    private final double[] shift;
    private final double[] scale;

    /** Takes ownership of the arrays; {@code shift} and {@code scale} define the transformation. */
    FeatureScaler(double[] first, double[] second, double[] shift, double[] scale) {
        this.first = first;
        this.second = second;
        this.shift = shift;
        this.scale = scale;
    }

    /** The number of features this scaler was fitted on. */
    public final int featureCount() {
        return shift.length;
    }

    /** What {@code feature} has subtracted from it. */
    public final double shift(int feature) {
        return shift[feature];
    }

    /** What {@code feature} is multiplied by after the shift. */
    public final double scale(int feature) {
        return scale[feature];
    }

    final double first(int feature) {
        return first[feature];
    }

    final double second(int feature) {
        return second[feature];
    }

    /**
     * Rescales the {@link #featureCount()} features at {@code row[offset ..]} in place. Allocates nothing.
     *
     * @throws IllegalArgumentException if the row does not hold the features from {@code offset}
     */
    public final void applyInPlace(float[] row, int offset) {
        checkRange(row.length, offset);
        for (int j = 0; j < shift.length; j++) {
            row[offset + j] = (float) ((row[offset + j] - shift[j]) * scale[j]);
        }
    }

    /** Like {@link #applyInPlace(float[], int)}, in double. */
    public final void applyInPlace(double[] row, int offset) {
        checkRange(row.length, offset);
        for (int j = 0; j < shift.length; j++) {
            row[offset + j] = (row[offset + j] - shift[j]) * scale[j];
        }
    }

    private void checkRange(int length, int offset) {
        if (offset < 0 || offset > length - shift.length) {
            throw new IllegalArgumentException(
                    "row of length " + length + " does not hold " + shift.length + " features from offset " + offset);
        }
    }

    /** A new dataset with every row's features rescaled; targets and labels unchanged. */
    public final Dataset apply(Dataset data) {
        checkFeatureCount(data);
        float[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            applyInPlace(features, r * shift.length);
        }
        return data.withFeatures(features);
    }

    /** A new dataset with every row's features rescaled; targets and labels unchanged. */
    public final DoubleDataset apply(DoubleDataset data) {
        checkFeatureCount(data);
        double[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            applyInPlace(features, r * shift.length);
        }
        return data.withFeatures(features);
    }

    private void checkFeatureCount(AbstractDataset<?> data) {
        if (data.featureCount() != shift.length) {
            throw new IllegalArgumentException(
                    "dataset has " + data.featureCount() + " features, this scaler was fitted on " + shift.length);
        }
    }

    /** Fitting needs at least one row. */
    static void requireRows(AbstractDataset<?> data) {
        if (data.rows() == 0) {
            throw new IllegalArgumentException("cannot fit on a dataset without rows");
        }
    }

    abstract byte typeTag();

    /** Writes this scaler in the format described above. */
    public final void writeTo(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(typeTag());
        out.writeShort(VERSION);
        out.writeInt(shift.length);
        for (double v : first) {
            out.writeDouble(v);
        }
        for (double v : second) {
            out.writeDouble(v);
        }
    }

    /**
     * Reads a scaler written by {@link #writeTo(DataOutput)}.
     *
     * @throws DataFormatException if the data is not a saved scaler (wrong magic, unknown type or
     *     version, a feature count out of range, values that no fitted scaler has) or ends early
     */
    public static FeatureScaler readFrom(DataInput in) throws IOException {
        String reading = "the magic number";
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new DataFormatException(
                        String.format("not a saved feature scaler: magic 0x%08x, expected 0x%08x", magic, MAGIC));
            }
            reading = "the type";
            byte type = in.readByte();
            if (type != Standardizer.TYPE && type != MinMaxScaler.TYPE) {
                throw new DataFormatException("unknown feature scaler type " + type + ", expected " + Standardizer.TYPE
                        + " (standardizer) or " + MinMaxScaler.TYPE + " (min-max)");
            }
            reading = "the version";
            short version = in.readShort();
            if (version != VERSION) {
                throw new DataFormatException(
                        "feature scaler version " + version + " is not supported, expected " + VERSION);
            }
            reading = "the feature count";
            int count = in.readInt();
            if (count < 1 || count > MAX_FEATURES) {
                throw new DataFormatException("feature count " + count + " is not in 1 .. " + MAX_FEATURES);
            }
            double[][] stats = new double[2][count];
            for (int s = 0; s < 2; s++) {
                for (int j = 0; j < count; j++) {
                    reading = "statistic " + (s + 1) + " of feature " + j + " of " + count;
                    stats[s][j] = in.readDouble();
                    if (!Double.isFinite(stats[s][j])) {
                        throw new DataFormatException(reading + " is " + stats[s][j] + ", expected a finite number");
                    }
                }
            }
            return type == Standardizer.TYPE
                    ? Standardizer.of(stats[0], stats[1])
                    : MinMaxScaler.of(stats[0], stats[1]);
        } catch (EOFException e) {
            throw new DataFormatException("truncated feature scaler: the data ends while reading " + reading);
        }
    }
}
