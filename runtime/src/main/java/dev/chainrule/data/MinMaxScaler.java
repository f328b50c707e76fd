package dev.chainrule.data;

import java.util.Arrays;

/**
 * Min-max scaling: feature {@code j} becomes {@code (x - min_j) / (max_j - min_j)}, which maps the
 * training data onto [0, 1] (new data may fall outside). A feature that is constant in the
 * training data ({@code max_j = min_j}) is only shifted (scale 1), so it becomes 0 instead of NaN.
 */
public final class MinMaxScaler extends FeatureScaler {
    static final byte TYPE = 2;

    private MinMaxScaler(double[] min, double[] max, double[] scale) {
        super(min, max, min, scale);
    }

    /**
     * A scaler with the given ranges.
     *
     * @throws DataFormatException if a maximum is below its minimum
     */
    static MinMaxScaler of(double[] min, double[] max) throws DataFormatException {
        double[] scale = new double[min.length];
        for (int j = 0; j < min.length; j++) {
            if (!(max[j] >= min[j])) {
                throw new DataFormatException("maximum " + max[j] + " of feature " + j + " is below its minimum "
                        + min[j]);
            }
            scale[j] = max[j] > min[j] ? 1 / (max[j] - min[j]) : 1;
        }
        return new MinMaxScaler(min, max, scale);
    }

    /**
     * Fits on every row of {@code data}: the training part.
     *
     * @throws IllegalArgumentException if the dataset has no rows
     */
    public static MinMaxScaler fit(AbstractDataset<?> data) {
        requireRows(data);
        int features = data.featureCount();
        double[] min = new double[features];
        double[] max = new double[features];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int r = 0; r < data.rows(); r++) {
            for (int j = 0; j < features; j++) {
                double x = data.featureAt(r, j);
                min[j] = Math.min(min[j], x);
                max[j] = Math.max(max[j], x);
            }
        }
        try {
            return of(min, max);
        } catch (DataFormatException e) {
            throw new AssertionError("fitted ranges are valid", e);
        }
    }

    /** The training minimum of {@code feature}. */
    public double min(int feature) {
        return first(feature);
    }

    /** The training maximum of {@code feature}. */
    public double max(int feature) {
        return second(feature);
    }

    @Override
    byte typeTag() {
        return TYPE;
    }
}
