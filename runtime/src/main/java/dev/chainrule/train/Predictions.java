package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import java.util.function.IntConsumer;

/**
 * A model run over a dataset in row order, each row's prediction handed to a {@link Tally} in
 * {@code double}: the one place evaluation meets the model's precision. The dataset is read in
 * chunks of {@value #CHUNK} rows, each cut into slices of {@value #SLICE} at fixed boundaries;
 * slice {@code s} goes through model {@code s % m} of the {@code m} given (the model and its
 * {@code withSharedParameters()} siblings), which predicts it and computes its loss by blocks of
 * rows, on the trainer's threads when it has several. The slices' losses are then summed and the
 * rows tallied in row order, so the figures are the same bits on any number of threads, and with
 * one model (as {@link Metrics} evaluates). The buffers are allocated at construction; each
 * {@link #evaluate()} allocates only its tally.
 */
abstract sealed class Predictions permits FloatPredictions, DoublePredictions {
    /** Rows per batch read from the dataset. */
    static final int CHUNK = 256;
    /** Rows of a slice: predicted and scored by one model at a time. */
    static final int SLICE = 32;

    final int inputs;
    final int outputs;
    final double[] prediction;
    final double[] target;
    private final int labelClasses;
    /** Each slice's mean loss in the current chunk. */
    final double[] sliceLosses = new double[CHUNK / SLICE];

    private final int models;
    private final Workers workers;
    private final IntConsumer task = this::runModel;
    /** Rows of the current chunk, read by the tasks. */
    int rows;

    Predictions(Model model, int models, Workers workers, AbstractDataset<?> data, String role) {
        Shapes.check(model, data, role);
        if (data.rows() == 0) {
            throw new IllegalArgumentException(
                    "the " + role + " data has no rows; expected at least one to evaluate on");
        }
        this.inputs = model.inputSize();
        this.outputs = model.outputSize();
        this.prediction = new double[outputs];
        this.target = new double[outputs];
        this.labelClasses = data.hasLabels() ? data.classCount() : 0;
        this.models = models;
        this.workers = workers;
    }

    static Predictions of(FloatModel model, Dataset data, String role) {
        return new FloatPredictions(new FloatModel[] {model}, null, data, role);
    }

    static Predictions of(DoubleModel model, DoubleDataset data, String role) {
        return new DoublePredictions(new DoubleModel[] {model}, null, data, role);
    }

    /** Predictions through {@code models} (a model and its siblings), on {@code workers} if not {@code null}. */
    static Predictions of(FloatModel[] models, Workers workers, Dataset data, String role) {
        return new FloatPredictions(models.clone(), workers, data, role);
    }

    /** Predictions through {@code models} (a model and its siblings), on {@code workers} if not {@code null}. */
    static Predictions of(DoubleModel[] models, Workers workers, DoubleDataset data, String role) {
        return new DoublePredictions(models.clone(), workers, data, role);
    }

    /** Runs the model over every row and returns the mean loss and the metrics. */
    final Evaluation evaluate() {
        Tally tally = new Tally(outputs, labelClasses);
        AbstractBatches batches = batches();
        int[] labels = labelClasses > 0 ? batches.labels() : null;
        double lossSum = 0;
        while (batches.next()) {
            rows = batches.rows();
            int slices = (rows + SLICE - 1) / SLICE;
            int used = Math.min(models, slices);
            if (workers == null || used == 1) {
                for (int m = 0; m < used; m++) {
                    runModel(m);
                }
            } else {
                workers.run(used, task);
            }
            for (int s = 0; s < slices; s++) {
                lossSum += sliceLosses[s] * Math.min(SLICE, rows - s * SLICE);
            }
            for (int r = 0; r < rows; r++) {
                row(r);
                tally.add(prediction, target, labels == null ? -1 : labels[r]);
            }
        }
        return Evaluation.of(tally, lossSum / tally.rows());
    }

    /** Model {@code m}'s slices of the current chunk: {@code m}, {@code m + models}, ... */
    private void runModel(int m) {
        for (int s = m; s * SLICE < rows; s += models) {
            int from = s * SLICE;
            sliceLosses[s] = slice(m, from, Math.min(SLICE, rows - from));
        }
    }

    /** The batch iterator, in row order. */
    abstract AbstractBatches batches();

    /** Predicts the {@code count} rows of the current chunk from {@code from} with model {@code m} and returns their mean loss. */
    abstract double slice(int m, int from, int count);

    /** Fills {@link #prediction} and {@link #target} for row {@code r} of the current chunk. */
    abstract void row(int r);
}
