package dev.chainrule.processor.model;

import dev.chainrule.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Infers the shape every layer reads and writes, layer after layer, with the runtime's own
 * arithmetic ({@link dev.chainrule.LayerSpec#outputShape}). It reports nothing: where a layer's
 * attributes are impossible its output, and every shape after it, is unknown ({@code null}), and
 * the validation rule for that kind says why.
 */
public final class ShapeInference {
    private ShapeInference() {}

    /** The output shape of each layer in order, {@code null} from the first layer whose shape cannot be known. */
    public static List<Shape> outputs(NetworkModel network) {
        List<Shape> shapes = new ArrayList<>();
        Shape shape = null;
        boolean known = true;
        for (Layer layer : network.layers()) {
            if (known && (shape != null || layer instanceof Layer.Input)) {
                try {
                    shape = layer.toSpec().outputShape(shape);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    shape = null;
                }
            } else {
                shape = null;
            }
            known = shape != null;
            shapes.add(shape);
        }
        return Collections.unmodifiableList(shapes);
    }

    /** The shape each layer reads (the output of the layer before), {@code null} where unknown and for the first. */
    public static List<Shape> inputs(NetworkModel network) {
        List<Shape> outputs = outputs(network);
        List<Shape> inputs = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            inputs.add(i == 0 ? null : outputs.get(i - 1));
        }
        return Collections.unmodifiableList(inputs);
    }
}
