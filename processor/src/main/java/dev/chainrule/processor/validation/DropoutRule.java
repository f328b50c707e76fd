package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.List;

/** A dropout rate lies in {@code [0, 1)}, and neither the output layer nor a per-step layer has one. */
public final class DropoutRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        List<Layer.Dense> dense = network.denseLayers();
        for (int i = 0; i < dense.size(); i++) {
            Layer.Dense layer = dense.get(i);
            if (!(layer.dropout() >= 0 && layer.dropout() < 1)) {
                problems.add(new Problem(layer.dropoutSite(), Message.DROPOUT_RATE, layer.name(), layer.dropout()));
            } else if (layer.hasDropout() && layer.perStep()) {
                problems.add(new Problem(layer.dropoutSite(), Message.STEP_DROPOUT, layer.name(), layer.dropout()));
            } else if (layer.hasDropout()
                    && i == dense.size() - 1
                    && network.layers().get(network.layers().size() - 1) == layer) {
                problems.add(
                        new Problem(layer.dropoutSite(), Message.DROPOUT_ON_OUTPUT, layer.name(), layer.dropout()));
            }
        }
    }
}
