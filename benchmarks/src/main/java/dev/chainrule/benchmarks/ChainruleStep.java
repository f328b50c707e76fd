package dev.chainrule.benchmarks;

import dev.chainrule.FloatModel;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;

/**
 * Chainrule's training step as a user writes it: zero the gradients, backpropagate the mean
 * loss of the batch, one plain SGD update.
 */
public final class ChainruleStep {
    private final FloatModel model;
    private final Optimizer optimizer = Sgd.of(Workload.LEARNING_RATE);
    private final float[] inputs;
    private final float[] targets;
    private final int rows;

    /** A fresh model of {@code workload}'s network and its batch. */
    public ChainruleStep(Workload workload) {
        model = workload.newChainruleModel();
        inputs = workload.inputs();
        targets = workload.oneHotTargets();
        rows = workload.batch();
    }

    /** Takes one step and returns the batch's mean loss before it. */
    public float run() {
        model.zeroGradients();
        float loss = model.accumulateGradientsBatch(inputs, targets, rows);
        optimizer.step(model.parameters(), model.gradients());
        return loss;
    }

    /** The model being trained. */
    public FloatModel model() {
        return model;
    }
}
