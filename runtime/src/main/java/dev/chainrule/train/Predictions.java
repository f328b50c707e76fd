package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleBatches;
import dev.chainrule.data.DoubleDataset;

/**
 * A model run over a dataset in row order, each row predicted into a reused buffer and handed to
 * a {@link Tally} in {@code double}: the one place evaluation meets the model's precision. The
 * buffers are allocated at construction; each {@link #evaluate()} allocates only its tally.
 */
abstract sealed class Predictions {
    /** Rows per batch read from the dataset; the loss is computed a batch at a time. */
    private static final int CHUNK = 256;

    final int inputs;
    final int outputs;
    final double[] prediction;
    final double[] target;
    private final int labelClasses;

    private Predictions(Model model, AbstractDataset<?> data, String role) {
        Shapes.check(model, data, role);
        if (data.rows() == 0) {
            throw new IllegalArgumentException("the " + role + " data has no rows; expected at least one to evaluate on");
        }
        this.inputs = model.inputSize();
        this.outputs = model.outputSize();
        this.prediction = new double[outputs];
        this.target = new double[outputs];
        this.labelClasses = data.hasLabels() ? data.classCount() : 0;
    }

    static Predictions of(FloatModel model, Dataset data, String role) {
        return new Floats(model, data, role);
    }

    static Predictions of(DoubleModel model, DoubleDataset data, String role) {
        return new Doubles(model, data, role);
    }

    /** Runs the model over every row and returns the mean loss and the metrics. */
    final Evaluation evaluate() {
        Tally tally = new Tally(outputs, labelClasses);
        AbstractBatches batches = batches();
        int[] labels = labelClasses > 0 ? batches.labels() : null;
        double lossSum = 0;
        while (batches.next()) {
            int rows = batches.rows();
            lossSum += batchLoss(rows) * rows;
            for (int r = 0; r < rows; r++) {
                predict(r);
                tally.add(prediction, target, labels == null ? -1 : labels[r]);
            }
        }
        return Evaluation.of(tally, lossSum / tally.rows());
    }

    /** The batch iterator, in row order. */
    abstract AbstractBatches batches();

    /** The model's mean loss over the current batch's first {@code rows} rows. */
    abstract double batchLoss(int rows);

    /** Fills {@link #prediction} and {@link #target} for row {@code r} of the current batch. */
    abstract void predict(int r);

    private static final class Floats extends Predictions {
        private final FloatModel model;
        private final Batches batches;
        private final float[] output;

        Floats(FloatModel model, Dataset data, String role) {
            super(model, data, role);
            this.model = model;
            this.batches = data.batches(Math.min(CHUNK, data.rows()));
            this.output = new float[outputs];
        }

        @Override
        AbstractBatches batches() {
            return batches;
        }

        @Override
        double batchLoss(int rows) {
            return model.lossBatch(batches.inputs(), batches.targets(), rows);
        }

        @Override
        void predict(int r) {
            model.predict(batches.inputs(), r * inputs, output, 0);
            float[] targets = batches.targets();
            for (int k = 0; k < outputs; k++) {
                prediction[k] = output[k];
                target[k] = targets[r * outputs + k];
            }
        }
    }

    private static final class Doubles extends Predictions {
        private final DoubleModel model;
        private final DoubleBatches batches;

        Doubles(DoubleModel model, DoubleDataset data, String role) {
            super(model, data, role);
            this.model = model;
            this.batches = data.batches(Math.min(CHUNK, data.rows()));
        }

        @Override
        AbstractBatches batches() {
            return batches;
        }

        @Override
        double batchLoss(int rows) {
            return model.lossBatch(batches.inputs(), batches.targets(), rows);
        }

        @Override
        void predict(int r) {
            model.predict(batches.inputs(), r * inputs, prediction, 0);
            System.arraycopy(batches.targets(), r * outputs, target, 0, outputs);
        }
    }
}
