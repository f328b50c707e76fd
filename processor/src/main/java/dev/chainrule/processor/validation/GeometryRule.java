package dev.chainrule.processor.validation;

import dev.chainrule.LayerSpec;
import dev.chainrule.Shape;
import dev.chainrule.Window;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.ShapeInference;
import java.util.List;

/**
 * Every shaped layer fits what it reads: a recurrent layer a sequence; an image layer an image
 * (not flat features), a kernel or window no larger than its padded input, and, for pooling, the
 * channels it declares. Checked where the
 * input's shape is known (see {@link ShapeInference}) and the layer's own attributes are valid.
 */
public final class GeometryRule implements Rule {
    private static final ConvRule CONV = new ConvRule();
    private static final PoolRule POOL = new PoolRule();

    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        List<Shape> inputs = ShapeInference.inputs(network);
        List<Layer> layers = network.layers();
        for (int i = 1; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Shape input = inputs.get(i);
            boolean image = layer instanceof Layer.Conv2D
                    || layer instanceof Layer.Pool2D
                    || layer instanceof Layer.GlobalAvgPool2D;
            Layer before = layers.get(i - 1);
            if (input != null
                    && layer instanceof Layer.Dense dense
                    && dense.perStep()
                    && !(input instanceof Shape.Sequence)) {
                problems.add(new Problem(
                        dense.at("perStep"), Message.STEP_WITHOUT_SEQUENCE, layer.name(), before.name(), what(input)));
                continue;
            }
            if (input != null && layer instanceof Layer.Recurrent && !(input instanceof Shape.Sequence)) {
                problems.add(new Problem(
                        layer.site(),
                        Message.NEEDS_SEQUENCE,
                        layer.name(),
                        simpleName(layer),
                        before.name(),
                        what(input)));
                continue;
            }
            if (input == null || !image) {
                continue;
            }
            if (!(input instanceof Shape.Image in)) {
                problems.add(new Problem(
                        layer.site(),
                        Message.NEEDS_IMAGE,
                        layer.name(),
                        simpleName(layer),
                        before.name(),
                        what(input)));
                continue;
            }
            if (layer instanceof Layer.Conv2D conv && CONV.valid(conv)) {
                LayerSpec.Conv2DSpec spec = conv.toSpec();
                fits(layer, "kernel", spec.rows(in), spec.columns(in), before, problems);
            } else if (layer instanceof Layer.Pool2D pool && POOL.valid(pool)) {
                LayerSpec.Pool2DSpec spec = pool.toSpec();
                channels(layer, in, before, problems);
                fits(layer, "window", spec.rows(in), spec.columns(in), before, problems);
            } else if (layer instanceof Layer.GlobalAvgPool2D) {
                channels(layer, in, before, problems);
            }
        }
    }

    /** What a layer writes, for messages: {@code 64 flat features}, {@code an image of 6x12x12}, ... */
    private static String what(Shape shape) {
        if (shape instanceof Shape.Image image) {
            return "an image of " + image.describe();
        }
        if (shape instanceof Shape.Sequence sequence) {
            return "a sequence of " + sequence.describe();
        }
        return shape.size() + " flat features";
    }

    private static String simpleName(Layer layer) {
        return layer.annotation().substring(layer.annotation().lastIndexOf('.') + 1);
    }

    private static void fits(
            Layer layer, String what, Window rows, Window columns, Layer before, List<Problem> problems) {
        if (!rows.fits() || !columns.fits()) {
            problems.add(new Problem(
                    layer.site(),
                    Message.KERNEL_TOO_LARGE,
                    layer.name(),
                    rows.kernel(),
                    columns.kernel(),
                    what,
                    before.name(),
                    rows.padded(),
                    columns.padded()));
        }
    }

    private static void channels(Layer layer, Shape.Image in, Layer before, List<Problem> problems) {
        if (layer.size() != in.channels() && layer.size() >= 1) {
            problems.add(new Problem(
                    layer.site(), Message.POOL_CHANNELS, layer.name(), layer.size(), before.name(), in.channels()));
        }
    }
}
