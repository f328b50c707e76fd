package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The Java source of a {@code @Network} interface, built from a layer list. */
public record NetworkSource(String packageName, String name, Loss loss, Precision precision, List<LayerSpec> layers) {

    public String qualifiedName() {
        return packageName + "." + name;
    }

    public String modelName() {
        return qualifiedName() + "Model";
    }

    public String source() {
        StringBuilder sb = new StringBuilder()
                .append("package ")
                .append(packageName)
                .append(";\n\n")
                .append("import dev.chainrule.*;\n\n")
                .append("@Network(loss = Loss.")
                .append(loss.name())
                .append(", precision = Precision.")
                .append(precision.name())
                .append(")\n")
                .append("public interface ")
                .append(name)
                .append(" {\n");
        for (LayerSpec layer : layers) {
            sb.append("    ").append(annotation(layer));
            sb.append(" int ")
                    .append(layer.name())
                    .append(" = ")
                    .append(layer.size())
                    .append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** The annotation declaring {@code layer}, with every attribute its spec fixes. */
    static String annotation(LayerSpec layer) {
        if (layer instanceof LayerSpec.InputSpec in) {
            if (in.shape() instanceof Shape.Sequence sequence) {
                return "@Input(steps = " + sequence.steps() + ", features = " + sequence.features() + ")";
            }
            return in.shape() instanceof Shape.Image image
                    ? "@Input(channels = " + image.channels() + ", height = " + image.height() + ", width = "
                            + image.width() + ")"
                    : "@Input";
        } else if (layer instanceof LayerSpec.DenseSpec dense) {
            return "@Dense(activation = Activation." + dense.activation().name()
                    + (dense.dropout() > 0 ? ", dropout = " + dense.dropout() : "") + ")";
        } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
            return "@Conv2D(kernelHeight = " + conv.kernelHeight() + ", kernelWidth = " + conv.kernelWidth()
                    + ", strideHeight = " + conv.strideHeight() + ", strideWidth = " + conv.strideWidth()
                    + ", padding = Padding." + conv.padding().name()
                    + (conv.padding() == Padding.VALID
                            ? ", padHeight = " + conv.padHeight() + ", padWidth = " + conv.padWidth()
                            : "")
                    + ", activation = Activation." + conv.activation().name() + ")";
        } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
            return (pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "@MaxPool2D" : "@AvgPool2D") + "(windowHeight = "
                    + pool.windowHeight() + ", windowWidth = " + pool.windowWidth() + ", strideHeight = "
                    + pool.strideHeight()
                    + ", strideWidth = " + pool.strideWidth() + ")";
        } else if (layer instanceof LayerSpec.FixedPointSpec fixed) {
            return "@FixedPoint(activation = Activation." + fixed.activation().name() + ", tolerance = "
                    + fixed.tolerance() + ", maxIterations = " + fixed.maxIterations() + ", contraction = "
                    + fixed.contraction() + ")";
        } else if (layer instanceof LayerSpec.StepDenseSpec step) {
            return "@Dense(perStep = true, activation = Activation."
                    + step.activation().name() + ")";
        } else if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
            return switch (recurrent.kind()) {
                case SIMPLE_RNN ->
                    "@SimpleRNN(activation = Activation."
                            + recurrent.activation().name() + ", returnSequences = " + recurrent.returnSequences()
                            + ")";
                case LSTM -> "@LSTM(returnSequences = " + recurrent.returnSequences() + ")";
                default -> "@GRU(returnSequences = " + recurrent.returnSequences() + ")";
            };
        }
        return "@GlobalAvgPool2D";
    }

    /**
     * The layers of a network whose hidden layers use every element-wise activation, starting at
     * {@code rotate}; the input and hidden layers have {@code minSize} to {@code maxSize} units.
     */
    public static List<LayerSpec> allActivations(
            Random random, int minSize, int maxSize, int rotate, int outputs, Activation output) {
        List<Activation> hidden = elementWise();
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("IN", minSize + random.nextInt(maxSize - minSize + 1)));
        for (int i = 0; i < hidden.size(); i++) {
            Activation activation = hidden.get((i + rotate) % hidden.size());
            layers.add(LayerSpec.dense("H" + i, minSize + random.nextInt(maxSize - minSize + 1), activation));
        }
        layers.add(LayerSpec.dense("OUT", outputs, output));
        return layers;
    }

    /** Every activation but softmax. */
    public static List<Activation> elementWise() {
        List<Activation> list = new ArrayList<>(List.of(Activation.values()));
        list.remove(Activation.SOFTMAX);
        return list;
    }
}
