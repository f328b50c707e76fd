package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import java.util.List;

/**
 * A fixed-point layer's attributes are possible: a tanh or sigmoid activation (whose slopes bound
 * the map's contraction), a tolerance in {@code (0, 1)}, at least one iteration, and a contraction
 * factor in {@code [0, 1)}.
 */
public final class FixedPointRule extends AttributeRule<Layer.FixedPoint> {
    public FixedPointRule() {
        super(Layer.FixedPoint.class);
    }

    @Override
    void checkAttributes(Layer.FixedPoint layer, List<Problem> problems) {
        if (layer.activation() != Activation.TANH && layer.activation() != Activation.SIGMOID) {
            problems.add(new Problem(
                    layer.at("activation"),
                    Message.FIXED_POINT_ACTIVATION,
                    layer.name(),
                    layer.activation().name()));
        }
        if (!(layer.tolerance() > 0 && layer.tolerance() < 1)) {
            problems.add(
                    new Problem(layer.at("tolerance"), Message.FIXED_POINT_TOLERANCE, layer.name(), layer.tolerance()));
        }
        if (layer.maxIterations() < 1) {
            problems.add(new Problem(
                    layer.at("maxIterations"), Message.FIXED_POINT_ITERATIONS, layer.name(), layer.maxIterations()));
        }
        if (!(layer.contraction() >= 0 && layer.contraction() < 1)) {
            problems.add(new Problem(
                    layer.at("contraction"), Message.FIXED_POINT_CONTRACTION, layer.name(), layer.contraction()));
        }
    }
}
