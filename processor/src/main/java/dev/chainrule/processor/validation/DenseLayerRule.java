package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.Site;
import java.util.List;

/** A network has at least one layer after its input: something to compute. */
public final class DenseLayerRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        if (network.layers().stream().noneMatch(l -> !(l instanceof Layer.Input))) {
            problems.add(new Problem(Site.type(), Message.NO_DENSE_LAYER, network.interfaceName()));
        }
    }
}
