package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.List;

/**
 * The loss fits the output: cross-entropy reads probabilities from a softmax, binary
 * cross-entropy from sigmoids (their gradients are fused with those activations). Mean squared
 * error fits every output.
 */
public final class LossRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        List<Layer> layers = network.layers();
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Dense output)) {
            return;
        }
        Message mismatch = switch (network.loss()) {
            case MSE -> null;
            case CROSS_ENTROPY -> output.activation() == Activation.SOFTMAX ? null : Message.LOSS_NEEDS_SOFTMAX;
            case BINARY_CROSS_ENTROPY -> output.activation() == Activation.SIGMOID ? null : Message.LOSS_NEEDS_SIGMOID;
        };
        if (mismatch != null) {
            problems.add(new Problem(network.lossSite(), mismatch, output.name(), output.activation()));
        }
    }
}
