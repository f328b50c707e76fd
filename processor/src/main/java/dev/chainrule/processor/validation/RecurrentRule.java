package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import java.util.List;

/**
 * A recurrent layer's attributes are possible on their own: a simple recurrent layer's
 * activation is tanh or relu, an LSTM's initial forget bias is finite. Whether it reads a
 * sequence is {@link GeometryRule}'s.
 */
public final class RecurrentRule extends AttributeRule<Layer.Recurrent> {
    public RecurrentRule() {
        super(Layer.Recurrent.class);
    }

    @Override
    void checkAttributes(Layer.Recurrent layer, List<Problem> problems) {
        if (layer.kind() == LayerSpec.Kind.SIMPLE_RNN
                && layer.activation() != Activation.TANH
                && layer.activation() != Activation.RELU) {
            problems.add(new Problem(
                    layer.at("activation"),
                    Message.RECURRENT_ACTIVATION,
                    layer.name(),
                    layer.activation().name()));
        }
        if (!Double.isFinite(layer.forgetBias())) {
            problems.add(new Problem(layer.at("forgetBias"), Message.FORGET_BIAS, layer.name(), layer.forgetBias()));
        }
    }
}
