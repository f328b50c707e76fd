package dev.chainrule.processor.validation;

import dev.chainrule.Activation;
import dev.chainrule.Padding;
import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import java.util.List;

/**
 * A convolution's attributes are possible on their own: a kernel size, positive kernel and
 * stride, non-negative padding, not both SAME and an explicit pad, an element-wise activation.
 * Whether the kernel fits its input is {@link GeometryRule}'s.
 */
public final class ConvRule extends AttributeRule<Layer.Conv2D> {
    public ConvRule() {
        super(Layer.Conv2D.class);
    }

    @Override
    void checkAttributes(Layer.Conv2D conv, List<Problem> problems) {
        String[] attributes = {"kernel", "kernelHeight", "kernelWidth", "stride", "strideHeight", "strideWidth"};
        int[] values = {
            conv.kernel(),
            conv.kernelHeight(),
            conv.kernelWidth(),
            conv.stride(),
            conv.strideHeight(),
            conv.strideWidth()
        };
        for (int i = 0; i < attributes.length; i++) {
            // 0 leaves an axis to the square attribute; stride itself has no such default
            if (values[i] < 0 || (i == 3 && values[i] == 0)) {
                atLeast(conv, attributes[i], values[i], 1, problems);
            }
        }
        if (conv.kernel() >= 0
                && conv.kernelHeight() >= 0
                && conv.kernelWidth() >= 0
                && (conv.kh() == 0 || conv.kw() == 0)) {
            boolean none = conv.kernel() == 0 && conv.kernelHeight() == 0 && conv.kernelWidth() == 0;
            problems.add(new Problem(
                    conv.at(none ? null : conv.kh() == 0 ? "kernelWidth" : "kernelHeight"),
                    Message.KERNEL_MISSING,
                    conv.name(),
                    "Conv2D",
                    "kernel"));
        }
        atLeast(conv, "pad", conv.pad(), 0, problems);
        if (conv.padHeight() != -1) {
            atLeast(conv, "padHeight", conv.padHeight(), 0, problems);
        }
        if (conv.padWidth() != -1) {
            atLeast(conv, "padWidth", conv.padWidth(), 0, problems);
        }
        if (conv.padding() == Padding.SAME) {
            int[] pads = {conv.pad(), conv.padHeight(), conv.padWidth()};
            String[] names = {"pad", "padHeight", "padWidth"};
            for (int i = 0; i < 3; i++) {
                if (pads[i] > 0) {
                    problems.add(
                            new Problem(conv.at(names[i]), Message.PADDING_CONFLICT, conv.name(), names[i], pads[i]));
                }
            }
        }
        if (conv.activation() == Activation.SOFTMAX) {
            problems.add(new Problem(conv.at("activation"), Message.CONV_SOFTMAX, conv.name()));
        }
    }

    /** Reports {@code attribute} of {@code layer} unless {@code value >= min}. */
    static void atLeast(Layer layer, String attribute, int value, int min, List<Problem> problems) {
        if (value < min) {
            problems.add(new Problem(layer.at(attribute), Message.GEOMETRY_VALUE, layer.name(), attribute, value, min));
        }
    }
}
