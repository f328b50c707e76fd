package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleBatches;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Optimizer;

/**
 * One training run's view of a model and its training data with the precision hidden: the
 * mini-batches, the gradient step, and two copies of the parameters, a backup taken before each
 * step and the best seen. Everything is allocated at construction; the per-batch methods
 * allocate nothing.
 */
abstract sealed class Session {
    final Model model;
    /** The model's live parameter array and its two copies, {@code float[]} or {@code double[]}. */
    private final Object parameters;
    private final Object backup;
    private final Object best;
    private final int count;

    private Session(Model model, Object parameters, Object backup, Object best) {
        this.model = model;
        this.parameters = parameters;
        this.backup = backup;
        this.best = best;
        this.count = model.parameterCount();
    }

    static Session of(FloatModel model, Dataset train, int batchSize, long seed) {
        return new Floats(model, train, batchSize, seed);
    }

    static Session of(DoubleModel model, DoubleDataset train, int batchSize, long seed) {
        return new Doubles(model, train, batchSize, seed);
    }

    /** The shuffled mini-batches of the training data. */
    abstract AbstractBatches batches();

    /** Zeroes the gradients, accumulates the current batch's mean gradient and returns its mean loss. */
    abstract double accumulateBatch();

    /** One optimizer step from the accumulated gradients, given the loss at the current parameters. */
    abstract void step(Optimizer optimizer, double loss);

    /** The optimizer's penalty at the current parameters. */
    abstract double penalty(Optimizer optimizer);

    /** Copies the parameters into the backup. */
    final void backup() {
        System.arraycopy(parameters, 0, backup, 0, count);
    }

    /** Copies the backup into the parameters. */
    final void restoreBackup() {
        System.arraycopy(backup, 0, parameters, 0, count);
    }

    /** Copies the parameters into the best copy. */
    final void keepBest() {
        System.arraycopy(parameters, 0, best, 0, count);
    }

    /** Copies the best copy into the parameters. */
    final void restoreBest() {
        System.arraycopy(best, 0, parameters, 0, count);
    }

    /** Whether every parameter is finite. */
    abstract boolean parametersFinite();

    /** Whether every gradient is finite. */
    abstract boolean gradientsFinite();

    private static final class Floats extends Session {
        private final FloatModel model;
        private final Batches batches;
        private final float[] parameters;
        private final float[] gradients;

        Floats(FloatModel model, Dataset train, int batchSize, long seed) {
            super(model, model.parameters(), model.parameters().clone(), model.parameters().clone());
            this.model = model;
            this.batches = train.batches(batchSize, seed);
            this.parameters = model.parameters();
            this.gradients = model.gradients();
        }

        @Override AbstractBatches batches() { return batches; }

        @Override
        double accumulateBatch() {
            model.zeroGradients();
            return model.accumulateGradientsBatch(batches.inputs(), batches.targets(), batches.rows());
        }

        @Override void step(Optimizer optimizer, double loss) { optimizer.step(parameters, gradients, loss); }
        @Override double penalty(Optimizer optimizer) { return optimizer.penalty(parameters); }
        @Override boolean parametersFinite() { return finite(parameters); }
        @Override boolean gradientsFinite() { return finite(gradients); }

        private static boolean finite(float[] values) {
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Doubles extends Session {
        private final DoubleModel model;
        private final DoubleBatches batches;
        private final double[] parameters;
        private final double[] gradients;

        Doubles(DoubleModel model, DoubleDataset train, int batchSize, long seed) {
            super(model, model.parameters(), model.parameters().clone(), model.parameters().clone());
            this.model = model;
            this.batches = train.batches(batchSize, seed);
            this.parameters = model.parameters();
            this.gradients = model.gradients();
        }

        @Override AbstractBatches batches() { return batches; }

        @Override
        double accumulateBatch() {
            model.zeroGradients();
            return model.accumulateGradientsBatch(batches.inputs(), batches.targets(), batches.rows());
        }

        @Override void step(Optimizer optimizer, double loss) { optimizer.step(parameters, gradients, loss); }
        @Override double penalty(Optimizer optimizer) { return optimizer.penalty(parameters); }
        @Override boolean parametersFinite() { return finite(parameters); }
        @Override boolean gradientsFinite() { return finite(gradients); }

        private static boolean finite(double[] values) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }
    }
}
