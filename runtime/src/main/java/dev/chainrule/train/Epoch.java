package dev.chainrule.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param gradientNorms each layer's gradient norm in this epoch, by layer name in the order of the
 *     network's layers (only layers that hold parameters): the L2 norm of the layer's slice of
 *     the mean gradient of a mini-batch (every block of the layer: weights, biases, recurrent
 *     weights and biases), taken just before that batch's optimizer step, then averaged over the
 *     epoch's batches with equal weight, the shorter last batch included. Empty when nothing was
 *     measured
 */
public record Epoch(
        int number,
        int of,
        double loss,
        Evaluation validation,
        Metric metric,
        int samples,
        double seconds,
        Map<String, Double> gradientNorms) {

    public Epoch {
        Objects.requireNonNull(gradientNorms, "gradientNorms");
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : gradientNorms.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "layer"), Objects.requireNonNull(e.getValue(), e.getKey()));
        }
        gradientNorms = Collections.unmodifiableMap(copy);
    }

    /** An epoch without gradient norms. */
    public Epoch(int number, int of, double loss, Evaluation validation, Metric metric, int samples, double seconds) {
        this(number, of, loss, validation, metric, samples, seconds, Map.of());
    }

    /** The layers whose gradient norms were measured, in the network's order; empty if none were. */
    public List<String> gradientLayers() {
        return List.copyOf(gradientNorms.keySet());
    }

    /**
     * The gradient norm of {@code layer} in this epoch (see {@link #gradientNorms()}).
     *
     * @throws IllegalArgumentException if no norm of that layer was measured
     */
    public double gradientNorm(String layer) {
        Double norm = gradientNorms.get(layer);
        if (norm == null) {
            throw new IllegalArgumentException(
                    "no gradient norm of layer " + layer + "; the layers measured are " + gradientNorms.keySet());
        }
        return norm;
    }

    /**
     * The smallest layer's gradient norm over the largest's, from 0 to 1; NaN with fewer than two
     * layers or when every norm is 0.
     */
    public double gradientNormRatio() {
        if (gradientNorms.size() < 2) {
            return Double.NaN;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double norm : gradientNorms.values()) {
            min = Math.min(min, norm);
            max = Math.max(max, norm);
        }
        return max > 0 ? min / max : Double.NaN;
    }

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
