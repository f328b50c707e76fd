package dev.chainrule.train;

import java.util.Locale;

/**
 * A figure of merit reported beside the loss. {@link Evaluation} computes all of them; {@link
 * Trainer} reports one for the validation set each epoch.
 */
public enum Metric {
    /** The fraction of rows whose predicted class is the actual one (see {@link Evaluation} for how classes are read). */
    ACCURACY(true),
    /** Mean squared error over every output of every row. */
    MSE(false),
    /** Mean absolute error over every output of every row. */
    MAE(false),
    /** The coefficient of determination, averaged over the outputs; 1 is a perfect fit. */
    R2(true);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** Whether a larger value is a better model. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The lower-case name used in progress lines, tables and CSV headers, e.g. {@code accuracy}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
