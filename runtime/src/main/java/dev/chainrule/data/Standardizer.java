package dev.chainrule.data;

/**
 * Standardisation: feature {@code j} becomes {@code (x - mean_j) / std_j}, with the mean and the
 * population standard deviation (dividing by the number of rows) of the training data. A feature
 * that is constant in the training data has {@code std_j = 0}; it is only centred (scale 1), so it
 * becomes 0 instead of NaN.
 *
 * <p>Every standardizer, fitted or loaded, has a finite mean and a standard deviation that is 0 or
 * a finite number of at least {@link #MIN_STANDARD_DEVIATION}: the smallest positive deviation
 * {@link #fit} can compute, since {@code sqrt(s / n)} of a positive double {@code s / n} is at
 * least {@code sqrt(Double.MIN_VALUE)}. Its scales {@code 1 / std_j} are therefore finite (at most
 * {@code 2^537}) and positive. {@link FeatureScaler#readFrom} refuses a saved deviation outside
 * that rule, such as {@code 4.9E-324}, which would scale a feature to infinity.
 */
public final class Standardizer extends FeatureScaler {
    static final byte TYPE = 1;

    /**
     * {@code 2^-537 = sqrt(Double.MIN_VALUE)}, about {@code 2.2e-162}: the smallest positive
     * standard deviation {@link #fit} computes, and the smallest a loaded standardizer may have.
     */
    public static final double MIN_STANDARD_DEVIATION = 0x1p-537;

    private Standardizer(double[] mean, double[] std, double[] scale) {
        super(mean, std, mean, scale);
    }

    /**
     * A standardizer with the given statistics.
     *
     * @throws DataFormatException if a mean is not finite, or a deviation is neither 0 nor a
     *     finite number of at least {@link #MIN_STANDARD_DEVIATION}; the message names the feature
     */
    static Standardizer of(double[] mean, double[] std) throws DataFormatException {
        double[] scale = new double[mean.length];
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new DataFormatException("mean of feature " + j + " is " + mean[j] + ", expected a finite number");
            }
            if (!(std[j] == 0 || (std[j] >= MIN_STANDARD_DEVIATION && std[j] < Double.POSITIVE_INFINITY))) {
                throw new DataFormatException("standard deviation of feature " + j + " is " + std[j]
                        + ", expected 0 or a finite number of at least " + MIN_STANDARD_DEVIATION
                        + " (the smallest positive deviation a fit computes)");
            }
            scale[j] = std[j] > 0 ? 1 / std[j] : 1;
        }
        return new Standardizer(mean, std, scale);
    }

    /**
     * Sets {@code mean[k]} and {@code std[k]} to the mean and the (population) standard deviation of
     * {@code value(r)} for {@code r < n}; a constant column gets its value exactly and deviation 0.
     *
     * @param what what is being fitted, for messages, e.g. {@code standardize feature 3}
     * @throws IllegalArgumentException if the values or their squared deviations do not sum to a
     *     finite double
     */
    static void meanAndDeviation(
            int n, java.util.function.IntToDoubleFunction value, String what, double[] mean, double[] std, int k) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < n; r++) {
            double x = value.applyAsDouble(r);
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (min == max) { // constant: exact, where sum / n could be off by rounding
            mean[k] = min;
            return;
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("cannot " + what + ": its values sum to " + sum
                    + " (a value is not finite, or the sum overflows a double)");
        }
        mean[k] = sum / n;
        double squares = 0;
        for (int r = 0; r < n; r++) {
            double d = value.applyAsDouble(r) - mean[k];
            squares += d * d;
        }
        if (!Double.isFinite(squares)) {
            throw new IllegalArgumentException(
                    "cannot " + what + ": the sum of its squared deviations from the mean" + " overflows a double");
        }
        std[k] = Math.sqrt(squares / n);
    }

    /**
     * Fits on every row of {@code data}: the training part.
     *
     * @throws IllegalArgumentException if the dataset has no rows, or a feature's values or their
     *     squared deviations do not sum to a finite double (a value is not finite, or the values are
     *     too large to be summed); the message names the feature
     */
    public static Standardizer fit(AbstractDataset<?> data) {
        requireRows(data);
        int n = data.rows();
        int features = data.featureCount();
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int j = 0; j < features; j++) {
            int column = j;
            meanAndDeviation(n, r -> data.featureAt(r, column), "standardize feature " + j, mean, std, j);
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
