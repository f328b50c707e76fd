package dev.chainrule.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link Trainer#fit} did, epoch by epoch: a table of the figures ({@link #toString()}), a
 * CSV file ({@link #writeCsv(Path)}) and a chart of the loss curves and of the layers' gradient
 * norms ({@link #writeSvg(Path)}).
 *
 * @param epochs the epochs run, in order; at least one
 * @param stopReason why training stopped
 * @param bestEpoch the epoch with the best figure of {@code monitor} (by default the lowest
 *     validation loss), or 0 when nothing was monitored (no validation data and no monitor set)
 * @param restoredBest whether the model was given back the parameters of {@code bestEpoch} at the
 *     end (early stopping does this); otherwise it holds those of the last epoch
 * @param monitor what {@code bestEpoch} and early stopping watched ({@link Trainer#monitor})
 * @param warnings what the trainer warned of, in the order it did, such as a layer whose
 *     gradients vanish ({@link Trainer#gradientWarning(double, int)}); each also went to the
 *     progress output unless the trainer was silent
 */
public record History(
        List<Epoch> epochs,
        StopReason stopReason,
        int bestEpoch,
        boolean restoredBest,
        Monitor monitor,
        List<String> warnings) {

    /** Why training stopped. */
    public enum StopReason {
        /** Every epoch the trainer was set to run was run. */
        EPOCHS_COMPLETED,
        /** The training loss reached the target ({@link Trainer#targetLoss(double)}). */
        TARGET_LOSS,
        /** The monitored figure stopped improving ({@link Trainer#earlyStopping(int, double)}). */
        EARLY_STOPPING,
        /** A {@link TrainingListener} asked to stop. */
        LISTENER
    }

    public History {
        epochs = List.copyOf(epochs);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(monitor, "monitor");
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a history holds at least one epoch");
        }
    }

    /** A history without warnings. */
    public History(List<Epoch> epochs, StopReason stopReason, int bestEpoch, boolean restoredBest, Monitor monitor) {
        this(epochs, stopReason, bestEpoch, restoredBest, monitor, List.of());
    }

    /** A history without warnings whose best epoch is by the validation loss. */
    public History(List<Epoch> epochs, StopReason stopReason, int bestEpoch, boolean restoredBest) {
        this(epochs, stopReason, bestEpoch, restoredBest, Monitor.validationLoss());
    }

    /** The layers whose gradient norms were measured, in the network's order (those of the first epoch). */
    public List<String> gradientLayers() {
        return epochs.get(0).gradientLayers();
    }

    /**
     * The gradient norm of {@code layer} in each epoch, in order ({@link Epoch#gradientNorm(String)});
     * NaN in an epoch that did not measure it.
     *
     * @throws IllegalArgumentException if no epoch measured that layer
     */
    public double[] gradientNorms(String layer) {
        double[] norms = new double[epochs.size()];
        boolean found = false;
        for (int i = 0; i < norms.length; i++) {
            Double norm = epochs.get(i).gradientNorms().get(layer);
            found |= norm != null;
            norms[i] = norm == null ? Double.NaN : norm;
        }
        if (!found) {
            throw new IllegalArgumentException(
                    "no gradient norm of layer " + layer + "; the layers measured are " + gradientLayers());
        }
        return norms;
    }

    /** The last epoch run. */
    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    /** The number of epochs run. */
    public int epochCount() {
        return epochs.size();
    }

    /** The training loss of the last epoch. */
    public double finalLoss() {
        return last().loss();
    }

    /** Whether the epochs were evaluated on validation data. */
    public boolean hasValidation() {
        return epochs.get(0).hasValidation();
    }

    /** The metric reported for the validation data. */
    public Metric metric() {
        return epochs.get(0).metric();
    }

    /**
     * The figures as CSV: a header line, then one line per epoch. Columns: {@code epoch, loss,
     * val_loss, val_<metric>, samples_per_second, seconds}, then {@code grad_norm_<LAYER>} for
     * each layer of {@link #gradientLayers()}; the validation columns are empty without
     * validation data. Numbers are written so that {@link Double#parseDouble} reads back the
     * exact values.
     */
    public String toCsv() {
        List<String> layers = gradientLayers();
        StringBuilder sb =
                new StringBuilder("epoch,loss,val_loss,val_" + metric().label() + ",samples_per_second,seconds");
        for (String layer : layers) {
            sb.append(",grad_norm_").append(layer);
        }
        sb.append('\n');
        for (Epoch e : epochs) {
            sb.append(e.number())
                    .append(',')
                    .append(e.loss())
                    .append(',')
                    .append(e.hasValidation() ? Double.toString(e.validationLoss()) : "")
                    .append(',')
                    .append(e.hasValidation() ? Double.toString(e.validationMetric()) : "")
                    .append(',')
                    .append(e.samplesPerSecond())
                    .append(',')
                    .append(e.seconds());
            for (String layer : layers) {
                Double norm = e.gradientNorms().get(layer);
                sb.append(',').append(norm == null ? "" : norm.toString());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv()} to {@code file} in UTF-8, replacing it. */
    public void writeCsv(Path file) {
        write(file, toCsv());
    }

    /**
     * The loss curves as an SVG document: training loss and validation loss against the epoch on
     * the left axis (logarithmic when they span two decades or more), and the validation metric
     * on its own axis on the right, with ticks, labels and a legend. Below it, when gradient norms
     * were measured, a second chart of each layer's gradient norm against the epoch on a
     * logarithmic axis. Each series is one {@code polyline} with a point per epoch.
     */
    public String toSvg() {
        return new LossChart(this).render();
    }

    /** Writes {@link #toSvg()} to {@code file} in UTF-8, replacing it: open it in a browser. */
    public void writeSvg(Path file) {
        write(file, toSvg());
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.toAbsolutePath(), e);
        }
    }

    /**
     * The figures as an aligned text table, one row per epoch, followed by why training stopped
     * and the warnings, one per line.
     */
    @Override
    public String toString() {
        boolean validation = hasValidation();
        String metricColumn = "val_" + metric().label();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%6s  %12s", "epoch", "loss"));
        if (validation) {
            sb.append(String.format(Locale.ROOT, "  %12s  %12s", "val_loss", metricColumn));
        }
        sb.append(String.format(Locale.ROOT, "  %12s%n", "samples/s"));
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%6d  %12.6g", e.number(), e.loss()));
            if (validation) {
                sb.append(String.format(Locale.ROOT, "  %12.6g  %12.6g", e.validationLoss(), e.validationMetric()));
            }
            sb.append(String.format(Locale.ROOT, "  %12.0f%n", e.samplesPerSecond()));
        }
        sb.append("stopped: ").append(stopReason.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (bestEpoch > 0) {
            sb.append("; best ")
                    .append(monitor.description())
                    .append(" in epoch ")
                    .append(bestEpoch)
                    .append(restoredBest ? ", whose parameters the model holds" : "");
        }
        sb.append('\n');
        for (String warning : warnings) {
            sb.append(warning).append('\n');
        }
        return sb.toString();
    }
}
