package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.Site;
import java.util.List;

/** Exactly one {@code @Input}, and it comes first. */
public final class InputRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        Layer first = null;
        Layer.Input input = null;
        for (Layer layer : network.layers()) {
            if (layer instanceof Layer.Input in) {
                if (input != null) {
                    problems.add(new Problem(in.site(), Message.TWO_INPUTS, in.name(), input.name()));
                } else {
                    input = in;
                    if (first != null) {
                        problems.add(new Problem(in.site(), Message.INPUT_NOT_FIRST, in.name(), first.name()));
                    }
                }
            }
            if (first == null) {
                first = layer;
            }
        }
        if (input == null) {
            problems.add(new Problem(Site.type(), Message.NO_INPUT, network.interfaceName()));
        }
    }
}
