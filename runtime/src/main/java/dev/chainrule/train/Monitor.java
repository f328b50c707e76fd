package dev.chainrule.train;

import java.util.Objects;

/**
 * The figure of an epoch that {@link Trainer} watches to choose the best epoch, to stop early
 * and to tell a learning-rate schedule that adapts (see {@link
 * dev.chainrule.optim.Optimizer#observe(double)}): the training loss, the validation loss, or a
 * {@link Metric} on the validation data, each with its direction (a loss is better lower,
 * accuracy and R² higher).
 *
 * <pre>{@code
 * Trainer.of(model).validation(validationData)
 *         .monitor(Monitor.validation(Metric.ACCURACY))
 *         .earlyStopping(20, 0.002);     // stop after 20 epochs without a gain of more than 0.002
 * }</pre>
 */
public final class Monitor {
    private static final Monitor TRAINING_LOSS = new Monitor(null, false);
    private static final Monitor VALIDATION_LOSS = new Monitor(null, true);

    /** The metric watched, or {@code null} for a loss. */
    private final Metric metric;

    private final boolean validation;

    private Monitor(Metric metric, boolean validation) {
        this.metric = metric;
        this.validation = validation;
    }

    /** The mean loss on the validation data after the epoch: lower is better. The default. */
    public static Monitor validationLoss() {
        return VALIDATION_LOSS;
    }

    /**
     * The epoch's training loss ({@link Epoch#loss()}): lower is better. It needs no validation
     * data, but says nothing about how the model does on rows it has not seen.
     */
    public static Monitor trainingLoss() {
        return TRAINING_LOSS;
    }

    /**
     * {@code metric} on the validation data after the epoch, in its direction ({@link
     * Metric#higherIsBetter()}): for instance {@link Metric#ACCURACY}, better higher. The trainer
     * reports this metric in its progress lines and {@link Epoch#validationMetric()}, unless
     * {@link Trainer#metric(Metric)} chose another.
     */
    public static Monitor validation(Metric metric) {
        return new Monitor(Objects.requireNonNull(metric, "metric"), true);
    }

    /** Whether a larger value is a better epoch. */
    public boolean higherIsBetter() {
        return metric != null && metric.higherIsBetter();
    }

    /** Whether the value comes from the validation data, which the trainer then needs. */
    public boolean needsValidation() {
        return validation;
    }

    /** The metric watched, or {@code null} for a loss. */
    public Metric metric() {
        return metric;
    }

    /**
     * The value of an epoch.
     *
     * @throws IllegalArgumentException if it needs validation data and the epoch has none
     */
    public double valueOf(Epoch epoch) {
        if (!validation) {
            return epoch.loss();
        }
        if (!epoch.hasValidation()) {
            throw new IllegalArgumentException(
                    "epoch " + epoch.number() + " has no validation figures to watch the " + description() + " in");
        }
        return metric == null ? epoch.validation().loss() : epoch.validation().metric(metric);
    }

    /**
     * Whether {@code value} is better than {@code reference} by more than {@code minDelta}, in
     * this monitor's direction. NaN is never better; any number is better than NaN.
     */
    public boolean improves(double value, double reference, double minDelta) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(reference)) {
            return true;
        }
        return higherIsBetter() ? value > reference + minDelta : value < reference - minDelta;
    }

    /** The column name of the value, as in progress lines and CSV: {@code loss}, {@code val_loss}, {@code val_accuracy}. */
    public String label() {
        return (validation ? "val_" : "") + (metric == null ? "loss" : metric.label());
    }

    /** The value in words, e.g. {@code validation accuracy}. */
    public String description() {
        return (validation ? "validation " : "training ") + (metric == null ? "loss" : metric.label());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Monitor m && m.metric == metric && m.validation == validation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, validation);
    }

    @Override
    public String toString() {
        return "Monitor[" + description() + "]";
    }
}
