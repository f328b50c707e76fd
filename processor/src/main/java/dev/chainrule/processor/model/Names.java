package dev.chainrule.processor.model;

import java.util.List;
import java.util.Locale;

/**
 * The names of what Chainrule generates, in one place: the generator uses them to write code,
 * and validation uses them to find clashes with the user's own names before generating.
 */
public final class Names {
    private Names() {}

    /** Public constants and methods every generated class has, whatever its layers. */
    public static final List<String> FIXED_MEMBERS = List.of(
            "SPEC", "PARAMETER_COUNT", "JACOBIAN_SIZE", "parameters", "gradients", "spec", "inputSize",
            "outputSize", "parameterCount", "precision", "zeroGradients", "setParameters", "withSharedParameters",
            "fromParameters", "predict", "predictBatch", "loss", "lossBatch", "accumulateGradients",
            "accumulateGradientsBatch", "jacobian", "forward", "backward", "outputLoss", "outputDelta",
            "outputSeed", "params", "grads", "training", "dropoutRandom", "setTraining", "isTraining", "seedDropout",
            "BLOCK_ROWS", "scratch", "nonZeroIndex", "nonZeroValue", "forwardRows", "backwardRows", "outputLossRows", "outputDeltaRows");

    /** Offset of a dense layer's weights in the parameter array, e.g. {@code HIDDEN_WEIGHTS}. */
    public static String weights(String layer) {
        return layer + "_WEIGHTS";
    }

    /** Offset of a dense layer's biases, e.g. {@code HIDDEN_BIASES}. */
    public static String biases(String layer) {
        return layer + "_BIASES";
    }

    /** Pre-activation buffer {@code z}, e.g. {@code zHidden}. */
    public static String preActivation(String layer) {
        return "z" + camel(layer);
    }

    /** Activation buffer {@code a}, e.g. {@code aHidden}. */
    public static String activation(String layer) {
        return "a" + camel(layer);
    }

    /** Dropout mask buffer: 0 or {@code 1 / keep} per unit in training, 1 otherwise, e.g. {@code mHidden}. */
    public static String mask(String layer) {
        return "m" + camel(layer);
    }

    /** A dropout layer's output after its mask, e.g. {@code yHidden}. */
    public static String dropped(String layer) {
        return "y" + camel(layer);
    }

    /** The buffer the next layer reads: the masked output of a dropout layer, else the activation. */
    public static String output(Layer.Dense layer) {
        return layer.hasDropout() ? dropped(layer.name()) : activation(layer.name());
    }

    /** Delta buffer {@code dLoss/dz}, e.g. {@code dHidden}. */
    public static String delta(String layer) {
        return "d" + camel(layer);
    }

    /** Method computing a layer's outputs, e.g. {@code forwardHidden}. */
    public static String forward(String layer) {
        return "forward" + camel(layer);
    }

    /** Method accumulating a layer's parameter gradients, e.g. {@code gradientHidden}. */
    public static String gradient(String layer) {
        return "gradient" + camel(layer);
    }

    /** Method carrying a layer's delta back to the layer before it, e.g. {@code propagateHidden}. */
    public static String propagate(String layer) {
        return "propagate" + camel(layer);
    }

    /** The block-of-rows counterpart of a buffer or method, e.g. {@code zHiddenRows}, {@code forwardHiddenRows}. */
    public static String rows(String name) {
        return name + "Rows";
    }

    /** Every member name generated for a dense layer (method parts share their method's prefix). */
    public static List<String> denseMembers(String layer) {
        List<String> single = List.of(weights(layer), biases(layer), preActivation(layer), activation(layer), delta(layer),
                mask(layer), dropped(layer), forward(layer), gradient(layer), propagate(layer));
        List<String> all = new java.util.ArrayList<>(single);
        for (String name : single.subList(2, single.size())) {
            all.add(rows(name));
        }
        for (String name : List.of(forward(layer), rows(gradient(layer)), rows(propagate(layer)))) {
            all.add(name + "Plain");
        }
        return all;
    }

    /**
     * Upper camel case of a field name: {@code HIDDEN_2} and {@code hidden2} give {@code Hidden2},
     * {@code outputProbs} gives {@code OutputProbs}.
     */
    public static String camel(String name) {
        boolean constantCase = name.equals(name.toUpperCase(Locale.ROOT));
        StringBuilder sb = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_' || c == '$') {
                upper = true;
                continue;
            }
            if (upper) {
                sb.append(Character.toUpperCase(c));
                upper = false;
            } else {
                sb.append(constantCase ? Character.toLowerCase(c) : c);
            }
        }
        return sb.length() == 0 ? "Layer" : sb.toString();
    }
}
