package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
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
                .append("package ").append(packageName).append(";\n\n")
                .append("import dev.chainrule.*;\n\n")
                .append("@Network(loss = Loss.").append(loss.name())
                .append(", precision = Precision.").append(precision.name()).append(")\n")
                .append("public interface ").append(name).append(" {\n");
        for (LayerSpec layer : layers) {
            sb.append("    ");
            if (layer.kind() == LayerSpec.Kind.INPUT) {
                sb.append("@Input");
            } else {
                sb.append("@Dense(activation = Activation.").append(layer.activation().name());
                if (layer.dropout() > 0) {
                    sb.append(", dropout = ").append(layer.dropout());
                }
                sb.append(")");
            }
            sb.append(" int ").append(layer.name()).append(" = ").append(layer.size()).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** The layers of a network whose hidden layers use every element-wise activation, starting at {@code rotate}. */
    public static List<LayerSpec> allActivations(Random random, int maxSize, int rotate, int outputs, Activation output) {
        List<Activation> hidden = elementWise();
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("IN", 1 + random.nextInt(maxSize)));
        for (int i = 0; i < hidden.size(); i++) {
            Activation activation = hidden.get((i + rotate) % hidden.size());
            layers.add(LayerSpec.dense("H" + i, 1 + random.nextInt(maxSize), activation));
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
