package dev.chainrule.processor.validation;

import dev.chainrule.LayerSpec;
import dev.chainrule.Shape;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.ShapeInference;
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
            problems.add(new Problem(
                    Site.type(),
                    Message.TOO_MANY_LAYERS,
                    network.interfaceName(),
                    network.layers().size(),
                    MAX_LAYERS));
            return;
        }
        if (!sizesValid) {
            return;
        }
        long count = 0;
        List<Shape> inputs = ShapeInference.inputs(network);
        for (int i = 1; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            Shape input = inputs.get(i);
            if (input == null) {
                return; // another rule says why the shapes stop here
            }
            LayerSpec spec;
            try {
                spec = layer.toSpec();
                if (spec instanceof LayerSpec.Conv2DSpec conv && input instanceof Shape.Image in) {
                    long positions =
                            (long) conv.rows(in).output() * conv.columns(in).output();
                    long buffer = Math.max(
                            positions * in.channels() * conv.kernelHeight() * conv.kernelWidth(),
                            positions * conv.size());
                    if (buffer > MAX_PARAMETERS) {
                        problems.add(new Problem(
                                layer.site(), Message.LAYER_TOO_LARGE, layer.name(), buffer, MAX_PARAMETERS));
                        return;
                    }
                }
                count += spec.parameterCount(input);
            } catch (IllegalArgumentException | IllegalStateException e) {
                return; // impossible geometry: the kind's own rule reports it
            }
            if (count > MAX_PARAMETERS) {
                problems.add(
                        new Problem(layer.site(), Message.TOO_MANY_PARAMETERS, layer.name(), count, MAX_PARAMETERS));
                return;
            }
        }
    }
}
