package dev.chainrule.data;

import java.util.Arrays;

/**
 * Min-max scaling: feature {@code j} becomes {@code (x - min_j) / (max_j - min_j)}, which maps the
 * training data onto [0, 1] (new data may fall outside). A feature that is constant in the
 * training data ({@code max_j = min_j}) is only shifted (scale 1), so it becomes 0 instead of NaN;
 * so is one whose range is below {@link Double#MIN_NORMAL} (values a few subnormals apart), whose
 * reciprocal could be infinite.
 *
 * <p>Every min-max scaler, fitted or loaded, has finite bounds {@code min_j <= max_j} whose range
 * {@code max_j - min_j} is a finite double: its scales are finite and positive, and {@code x -
 * min_j} is finite for the training data. {@link #fit} refuses data whose range overflows, and
 * {@link FeatureScaler#readFrom} a saved scaler that breaks the rule.
 */
public final class MinMaxScaler extends FeatureScaler {
    static final byte TYPE = 2;

    private MinMaxScaler(double[] min, double[] max, double[] scale) {
        super(min, max, min, scale);
    }

    /**
     * A scaler with the given ranges.
     *
     * @throws DataFormatException if a bound is not finite, a maximum is below its minimum, or a
     *     range overflows; the message names the feature
     */
    static MinMaxScaler of(double[] min, double[] max) throws DataFormatException {
        double[] scale = new double[min.length];
        for (int j = 0; j < min.length; j++) {
            String problem = problem(j, min[j], max[j]);
            if (problem != null) {
                throw new DataFormatException(problem);
            }
            double range = max[j] - min[j];
            scale[j] = range >= Double.MIN_NORMAL ? 1 / range : 1;
        }
        return new MinMaxScaler(min, max, scale);
    }

    /** What is wrong with the bounds of feature {@code j}, or null if nothing is. */
    private static String problem(int j, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            return "feature " + j + " ranges from " + min + " to " + max + ", expected finite bounds";
        }
        if (!(max >= min)) {
            return "maximum " + max + " of feature " + j + " is below its minimum " + min;
        }
        if (max - min == Double.POSITIVE_INFINITY) {
            return "feature " + j + " ranges from " + min + " to " + max + ", wider than the largest double";
        }
        return null;
    }

    /**
     * Fits on every row of {@code data}: the training part.
     *
     * @throws IllegalArgumentException if the dataset has no rows, or a feature has a value that is
     *     not finite or a range wider than the largest double; the message names the feature
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
        for (int j = 0; j < features; j++) {
            String problem = problem(j, min[j], max[j]);
            if (problem != null) {
                throw new IllegalArgumentException("cannot scale this data: " + problem);
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
