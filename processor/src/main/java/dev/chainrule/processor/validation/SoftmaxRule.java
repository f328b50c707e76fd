package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.List;

/** Softmax only on the output layer, and over more than one unit. */
public final class SoftmaxRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Layer.Dense d && d.activation() == Activation.SOFTMAX) {
                if (i + 1 < layers.size()) {
                    problems.add(new Problem(
                            d.activationSite(),
                            Message.SOFTMAX_NOT_LAST,
                            d.name(),
                            layers.get(i + 1).name()));
                } else if (d.size() == 1) {
                    problems.add(new Problem(d.activationSite(), Message.SOFTMAX_ONE_UNIT, d.name()));
                }
            }
        }
    }
}
