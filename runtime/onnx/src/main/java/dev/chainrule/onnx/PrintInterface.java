package dev.chainrule.onnx;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints the {@code @Network} interface that declares the network of an ONNX file: the first of
 * three steps to run a model trained elsewhere. Compile the printed interface with the Chainrule
 * processor, then load the file's weights into the generated model with {@link OnnxImport}.
 *
 * <pre>{@code
 * java -cp chainrule-runtime.jar:chainrule-onnx.jar:protobuf-java.jar \
 *     dev.chainrule.onnx.PrintInterface model.onnx --package com.acme --name Classifier
 * }</pre>
 *
 * <p>The graph is read as {@link OnnxImport} reads it, so a file it prints an interface for loads
 * into that interface's model. Field names come from the weights' names ({@code fc1.weight}
 * gives {@code FC1}) or, where those are numbers or absent, from the layer's kind and position.
 * The loss is {@code CROSS_ENTROPY} after a softmax output and left to its default otherwise: it
 * is not in the file, and it matters only for training.
 */
public final class PrintInterface {
    private PrintInterface() {}

    /**
     * Prints the interface for the file named by the first argument. Options: {@code --package
     * NAME} (none by default), {@code --name NAME} (by default the file's name in upper camel
     * case: {@code global_pool.onnx} gives {@code GlobalPool}). Exits with status 1 if the file
     * cannot be read as a network, 2 for wrong arguments.
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        String packageName = "";
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--package") || arg.equals("--name")) && i + 1 < args.length) {
                if (arg.equals("--package")) {
                    packageName = args[++i];
                } else {
                    name = args[++i];
                }
            } else if (arg.startsWith("--") || file != null) {
                err.println("unexpected argument " + arg);
                err.println(usage());
                return 2;
            } else {
                file = arg;
            }
        }
        if (file == null) {
            err.println(usage());
            return 2;
        }
        try {
            Path path = Path.of(file);
            out.print(print(path, packageName, name == null ? interfaceName(path) : name));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static String usage() {
        return "usage: java dev.chainrule.onnx.PrintInterface MODEL.onnx [--package NAME] [--name NAME]";
    }

    /**
     * The source of the interface declaring the network of {@code file}.
     *
     * @param packageName the interface's package; empty for none
     * @param interfaceName the interface's simple name
     * @throws OnnxException if the file is not a network Chainrule reads
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a name is not a Java identifier
     */
    public static String print(Path file, String packageName, String interfaceName) throws IOException {
        if (!packageName.isEmpty() && !isQualifiedName(packageName)) {
            throw new IllegalArgumentException("'" + packageName + "' is not a package name");
        }
        if (!isIdentifier(interfaceName)) {
            throw new IllegalArgumentException("'" + interfaceName + "' is not an interface name");
        }
        OnnxGraph.Network network = OnnxGraph.read(OnnxGraph.parse(file), file.toString());
        NetworkSpec spec = network.spec(interfaceName);
        List<String> annotations = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            annotations.add(annotation(layer, i == 0 ? null : spec.shape(i - 1)));
            fields.add(fieldName(layer, i, used) + " = " + layer.size() + ";");
        }
        int width = annotations.stream().mapToInt(String::length).max().orElse(0) + 1;
        StringBuilder sb = new StringBuilder();
        if (!packageName.isEmpty()) {
            sb.append("package ").append(packageName).append(";\n\n");
        }
        sb.append("import dev.chainrule.*;\n\n");
        String exported = network.metadata().get(OnnxExport.NETWORK_KEY);
        sb.append("/** The network of ")
                .append(file.getFileName())
                .append(exported == null ? "" : " (exported by Chainrule from " + exported + ")")
                .append(", as Chainrule reads it. */\n");
        List<String> options = new ArrayList<>();
        if (spec.outputActivation() == Activation.SOFTMAX) {
            options.add("loss = Loss.CROSS_ENTROPY");
        }
        if (spec.precision() == Precision.DOUBLE) {
            options.add("precision = Precision.DOUBLE");
        }
        sb.append("@Network")
                .append(options.isEmpty() ? "" : "(" + String.join(", ", options) + ")")
                .append('\n');
        sb.append("public interface ").append(interfaceName).append(" {\n");
        for (int i = 0; i < annotations.size(); i++) {
            sb.append("    ")
                    .append(String.format("%-" + width + "s", annotations.get(i)))
                    .append("int ")
                    .append(fields.get(i))
                    .append('\n');
        }
        return sb.append("}\n").toString();
    }

    private static String annotation(LayerSpec layer, Shape input) {
        List<String> a = new ArrayList<>();
        if (layer instanceof LayerSpec.InputSpec in) {
            if (in.shape() instanceof Shape.Image image) {
                a.add("channels = " + image.channels());
                a.add("height = " + image.height());
                a.add("width = " + image.width());
            } else if (in.shape() instanceof Shape.Sequence sequence) {
                a.add("steps = " + sequence.steps());
                a.add("features = " + sequence.features());
            }
            return "@Input" + attributes(a);
        }
        if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
            if (recurrent.activation() != Activation.TANH) {
                a.add("activation = Activation."
                        + recurrent.activation().name()); // a simple layer's relu; tanh is the default
            }
            if (recurrent.returnSequences()) {
                a.add("returnSequences = true");
            }
            return switch (recurrent.kind()) {
                        case LSTM -> "@LSTM";
                        case GRU -> "@GRU";
                        default -> "@SimpleRNN";
                    }
                    + attributes(a);
        }
        if (layer instanceof LayerSpec.StepDenseSpec step) {
            a.add("perStep = true");
            activation(a, step.activation());
            return "@Dense" + attributes(a);
        }
        if (layer instanceof LayerSpec.DenseSpec dense) {
            activation(a, dense.activation());
            return "@Dense" + attributes(a);
        }
        if (layer instanceof LayerSpec.Conv2DSpec conv) {
            pair(a, "kernel", "kernelHeight", "kernelWidth", conv.kernelHeight(), conv.kernelWidth(), 0);
            pair(a, "stride", "strideHeight", "strideWidth", conv.strideHeight(), conv.strideWidth(), 1);
            if (conv.padding() == Padding.SAME) {
                a.add("padding = Padding.SAME");
            } else {
                pair(a, "pad", "padHeight", "padWidth", conv.padHeight(), conv.padWidth(), 0);
            }
            activation(a, conv.activation());
            return "@Conv2D" + attributes(a);
        }
        if (layer instanceof LayerSpec.Pool2DSpec pool) {
            pair(a, "window", "windowHeight", "windowWidth", pool.windowHeight(), pool.windowWidth(), 0);
            if (pool.strideHeight() != pool.windowHeight() || pool.strideWidth() != pool.windowWidth()) {
                pair(a, "stride", "strideHeight", "strideWidth", pool.strideHeight(), pool.strideWidth(), 0);
            }
            return (pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "@MaxPool2D" : "@AvgPool2D") + attributes(a);
        }
        return "@GlobalAvgPool2D";
    }

    /** {@code name = v} when both axes agree, else the two; nothing when both are {@code omitted}. */
    private static void pair(List<String> a, String name, String first, String second, int v1, int v2, int omitted) {
        if (v1 == v2) {
            if (v1 != omitted) {
                a.add(name + " = " + v1);
            }
        } else {
            a.add(first + " = " + v1);
            a.add(second + " = " + v2);
        }
    }

    private static void activation(List<String> a, Activation activation) {
        if (activation != Activation.IDENTITY) {
            a.add("activation = Activation." + activation.name());
        }
    }

    private static String attributes(List<String> a) {
        return a.isEmpty() ? "" : "(" + String.join(", ", a) + ")";
    }

    /**
     * A constant's name for the layer: its name in the file in upper case ({@code fc1} gives
     * {@code FC1}, {@code features.0} gives {@code FEATURES_0}); for a name that is a number, a
     * node's path or absent, the kind and position ({@code DENSE_3}); made unique.
     */
    static String fieldName(LayerSpec layer, int index, Set<String> used) {
        String raw = layer.name()
                .replaceAll("[^A-Za-z0-9]+", "_")
                .replaceAll("^_+|_+$", "")
                .toUpperCase(Locale.ROOT);
        boolean usable = !raw.isEmpty()
                && Character.isLetter(raw.charAt(0))
                && !raw.contains("_OUTPUT")
                && !layer.name().startsWith("/")
                && isIdentifier(raw);
        String base = usable ? raw : index == 0 ? "INPUT" : kindName(layer) + "_" + index;
        String name = base;
        for (int n = 2; !used.add(name); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    private static String kindName(LayerSpec layer) {
        return switch (layer.kind()) {
            case INPUT -> "INPUT";
            case DENSE -> "DENSE";
            case CONV2D -> "CONV";
            case MAX_POOL2D -> "MAX_POOL";
            case AVG_POOL2D -> "AVG_POOL";
            case GLOBAL_AVG_POOL2D -> "GLOBAL_POOL";
            case SIMPLE_RNN -> "RNN";
            case STEP_DENSE -> "DENSE";
            default -> layer.kind().name();
        };
    }

    /** {@code global_pool.onnx} gives {@code GlobalPool}; a name that would not be an identifier gives {@code Network}. */
    static String interfaceName(Path file) {
        String base = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        StringBuilder sb = new StringBuilder();
        for (String part : base.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        String name = sb.toString();
        return isIdentifier(name) && Character.isLetter(name.charAt(0)) ? name : "Network";
    }

    private static boolean isIdentifier(String s) {
        return javax.lang.model.SourceVersion.isIdentifier(s) && !javax.lang.model.SourceVersion.isKeyword(s);
    }

    private static boolean isQualifiedName(String s) {
        for (String part : s.split("\\.", -1)) {
            if (!isIdentifier(part)) {
                return false;
            }
        }
        return true;
    }
}
