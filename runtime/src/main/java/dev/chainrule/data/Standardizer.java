package dev.chainrule.data;

/**
 * Standardisation: feature {@code j} becomes {@code (x - mean_j) / std_j}, with the mean and the
 * population standard deviation (dividing by the number of rows) of the training data. A feature
 * that is constant in the training data has {@code std_j = 0}; it is only centred (scale 1), so it
 * becomes 0 instead of NaN.
 */
public final class Standardizer extends FeatureScaler {
    static final byte TYPE = 1;

    private Standardizer(double[] mean, double[] std, double[] scale) {
        super(mean, std, mean, scale);
    }

    /**
     * A standardizer with the given statistics.
     *
     * @throws DataFormatException if the lengths differ, a value is not finite, or a deviation is negative
     */
    static Standardizer of(double[] mean, double[] std) throws DataFormatException {
        double[] scale = new double[mean.length];
        for (int j = 0; j < mean.length; j++) {
            if (!(std[j] >= 0)) {
                throw new DataFormatException("standard deviation of feature " + j + " is " + std[j]
                        + ", expected at least 0");
            }
            scale[j] = std[j] > 0 ? 1 / std[j] : 1;
        }
        return new Standardizer(mean, std, scale);
    }

    /**
     * Fits on every row of {@code data}: the training part.
     *
     * @throws IllegalArgumentException if the dataset has no rows
     */
    public static Standardizer fit(AbstractDataset<?> data) {
        requireRows(data);
        int n = data.rows();
        int features = data.featureCount();
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int j = 0; j < features; j++) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < n; r++) {
                double x = data.featureAt(r, j);
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            if (min == max) { // constant: exact, where sum / n could be off by rounding
                mean[j] = min;
                continue;
            }
            mean[j] = sum / n;
            double squares = 0;
            for (int r = 0; r < n; r++) {
                double d = data.featureAt(r, j) - mean[j];
                squares += d * d;
            }
            std[j] = Math.sqrt(squares / n);
        }
        try {
            return of(mean, std);
        } catch (DataFormatException e) {
            throw new AssertionError("fitted statistics are valid", e);
        }
    }

    /** The training mean of {@code feature}. */
    public double mean(int feature) {
        return first(feature);
    }

    /** The training (population) standard deviation of {@code feature}; 0 for a constant feature. */
    public double standardDeviation(int feature) {
        return second(feature);
    }

    @Override
    byte typeTag() {
        return TYPE;
    }
}
