package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.List;

/**
 * A warning, not an error: a softmax output trained with the loss left at its default, MSE, is
 * almost always a classifier that forgot {@code loss = Loss.CROSS_ENTROPY}. Writing {@code loss =
 * Loss.MSE} says it is meant.
 */
public final class DefaultLossRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        List<Layer> layers = network.layers();
        if (network.lossDeclared() || layers.isEmpty()) {
            return;
        }
        if (layers.get(layers.size() - 1) instanceof Layer.Dense output && output.activation() == Activation.SOFTMAX) {
            problems.add(new Problem(network.lossSite(), Message.DEFAULT_LOSS_ON_SOFTMAX, output.name()));
        }
    }
}
