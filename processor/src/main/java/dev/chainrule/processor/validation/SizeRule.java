package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.Site;
import java.util.List;

/**
 * Sizes are positive, and the network fits what can be generated: its parameters in one Java
 * array, and a bounded number of layers (each costs a few methods and a few calls in the
 * methods that chain them, which must stay JIT-compilable).
 */
public final class SizeRule implements Rule {
    /** The most elements a Java array reliably holds. */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;
    /** The most layers one network may declare. */
    public static final int MAX_LAYERS = 64;

    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        boolean sizesValid = true;
        for (Layer layer : network.layers()) {
            if (layer.size() < 1) {
                problems.add(new Problem(layer.site(), Message.SIZE_TOO_SMALL, layer.name(), layer.size()));
                sizesValid = false;
            }
        }
        if (network.layers().size() > MAX_LAYERS) {
            problems.add(new Problem(Site.type(), Message.TOO_MANY_LAYERS, network.interfaceName(),
                    network.layers().size(), MAX_LAYERS));
            return;
        }
        if (!sizesValid) {
            return;
        }
        long count = 0;
        Layer previous = null;
        for (Layer layer : network.layers()) {
            if (layer instanceof Layer.Dense && previous != null) {
                count += ((long) previous.size() + 1) * layer.size();
                if (count > MAX_PARAMETERS) {
                    problems.add(new Problem(layer.site(), Message.TOO_MANY_PARAMETERS, layer.name(), count, MAX_PARAMETERS));
                    return;
                }
            }
            previous = layer;
        }
    }
}
