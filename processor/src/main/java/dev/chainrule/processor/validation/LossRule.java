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
        if (layers.isEmpty() || layers.get(layers.size() - 1) instanceof Layer.Input) {
            return;
        }
        Layer output = layers.get(layers.size() - 1);
        Activation activation = output instanceof Layer.Dense d
                ? d.activation()
                : output instanceof Layer.Conv2D c ? c.activation() : null;
        Message mismatch = switch (network.loss()) {
            case MSE -> null;
            case CROSS_ENTROPY -> activation == Activation.SOFTMAX ? null : Message.LOSS_NEEDS_SOFTMAX;
            case BINARY_CROSS_ENTROPY -> activation == Activation.SIGMOID ? null : Message.LOSS_NEEDS_SIGMOID;
        };
        if (mismatch != null) {
            problems.add(new Problem(
                    network.lossSite(), mismatch, output.name(), activation == null ? "no activation" : activation));
        }
    }
}
