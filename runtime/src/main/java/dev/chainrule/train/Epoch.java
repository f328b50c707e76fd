package dev.chainrule.train;

/**
 * The figures of one finished epoch: what the progress line shows, what a {@link
 * TrainingListener} receives and what a {@link History} row holds.
 *
 * @param number this epoch, from 1
 * @param of the number of epochs the trainer was set to run
 * @param loss the training loss: the mean, over the epoch's rows, of each mini-batch's mean loss
 *     computed just before that batch's step (without any optimizer penalty)
 * @param validation the model on the validation data after the epoch, or {@code null} if the
 *     trainer has no validation data
 * @param metric the metric reported for the validation data
 * @param samples training rows seen in this epoch
 * @param seconds wall-clock time of the epoch, evaluation included
 */
public record Epoch(int number, int of, double loss, Evaluation validation, Metric metric, int samples, double seconds) {

    /** Whether the epoch was evaluated on validation data. */
    public boolean hasValidation() {
        return validation != null;
    }

    /** The mean loss on the validation data; NaN without validation data. */
    public double validationLoss() {
        return validation == null ? Double.NaN : validation.loss();
    }

    /** The value of {@link #metric()} on the validation data; NaN without validation data. */
    public double validationMetric() {
        return validation == null ? Double.NaN : validation.metric(metric);
    }

    /** Training rows per second of wall-clock time in this epoch. */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : Double.POSITIVE_INFINITY;
    }
}
