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
            "SPEC",
            "PARAMETER_COUNT",
            "JACOBIAN_SIZE",
            "parameters",
            "gradients",
            "spec",
            "inputSize",
            "outputSize",
            "parameterCount",
            "precision",
            "zeroGradients",
            "setParameters",
            "withSharedParameters",
            "fromParameters",
            "predict",
            "predictBatch",
            "loss",
            "lossBatch",
            "accumulateGradients",
            "accumulateGradientsBatch",
            "jacobian",
            "forward",
            "backward",
            "outputLoss",
            "outputDelta",
            "outputSeed",
            "params",
            "grads",
            "training",
            "dropoutRandom",
            "setTraining",
            "isTraining",
            "seedDropout",
            "BLOCK_ROWS",
            "scratch",
            "plainRows",
            "deltaGroups",
            "nonZeroIndex",
            "nonZeroValue",
            "forwardRows",
            "backwardRows",
            "outputLossRows",
            "outputDeltaRows",
            "predictRows",
            "lossRows");

    /** The members a model with a fixed-point layer adds. */
    public static final List<String> FIXED_POINT_MEMBERS =
            List.of("convergence", "resetConvergence", "applyConstraints");

    /** The members a model that scores streams adds (a network with a sequence input may be one). */
    public static final List<String> STREAMING_MEMBERS =
            List.of("State", "newState", "step", "stepInputSize", "stepOutputSize");

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
    public static String output(Layer layer) {
        return layer instanceof Layer.Dense d && d.hasDropout() ? dropped(layer.name()) : activation(layer.name());
    }

    /**
     * The constant holding the number of values {@code layer} writes: the field itself for the
     * input and dense layers, {@code <LAYER>_SIZE} for image and recurrent layers (their field counts channels or units).
     */
    public static String size(Layer layer) {
        boolean flat = layer instanceof Layer.Input
                || (layer instanceof Layer.Dense d && !d.perStep())
                || layer instanceof Layer.FixedPoint;
        return flat ? layer.name() : flatSize(layer.name());
    }

    /** Channels of an image layer's output, e.g. {@code FEATURES_CHANNELS}. */
    public static String channels(String layer) {
        return layer + "_CHANNELS";
    }

    /** Rows of an image layer's output, e.g. {@code FEATURES_HEIGHT}. */
    public static String height(String layer) {
        return layer + "_HEIGHT";
    }

    /** Columns of an image layer's output, e.g. {@code FEATURES_WIDTH}. */
    public static String width(String layer) {
        return layer + "_WIDTH";
    }

    /** Steps of a sequence layer's output, e.g. {@code ROWS_STEPS}. */
    public static String steps(String layer) {
        return layer + "_STEPS";
    }

    /** Values of each step of a sequence layer's output, e.g. {@code ROWS_FEATURES}. */
    public static String features(String layer) {
        return layer + "_FEATURES";
    }

    /** Offset of a recurrent layer's recurrent weights, e.g. {@code MEMORY_RECURRENT_WEIGHTS}. */
    public static String recurrentWeights(String layer) {
        return layer + "_RECURRENT_WEIGHTS";
    }

    /** Offset of a recurrent layer's recurrent biases, e.g. {@code MEMORY_RECURRENT_BIASES}. */
    public static String recurrentBiases(String layer) {
        return layer + "_RECURRENT_BIASES";
    }

    /** Values of a convolution's, pooling or recurrent layer's output, e.g. {@code FEATURES_SIZE}. */
    public static String flatSize(String layer) {
        return layer + "_SIZE";
    }

    /** A convolution's input patches, one row per kernel value (im2col), e.g. {@code colFeatures}. */
    public static String columns(String layer) {
        return "col" + camel(layer);
    }

    /** The gradient of a convolution's input patches, e.g. {@code dcolFeatures}. */
    public static String columnDeltas(String layer) {
        return "dcol" + camel(layer);
    }

    /** Where each of a max pooling layer's outputs came from in its input, e.g. {@code argPooled}. */
    public static String argmax(String layer) {
        return "arg" + camel(layer);
    }

    /** Every member name generated for {@code layer}. */
    public static List<String> members(Layer layer) {
        String name = layer.name();
        if (layer instanceof Layer.Dense d) {
            List<String> dense = new java.util.ArrayList<>(denseMembers(name));
            if (d.perStep()) {
                dense.addAll(List.of(
                        flatSize(name), steps(name), features(name), step(name), backward(name), rows(backward(name))));
            }
            return dense;
        }
        List<String> image = List.of(channels(name), height(name), width(name));
        List<String> all = new java.util.ArrayList<>();
        if (layer instanceof Layer.Input in) {
            if (in.isImage()) {
                all.addAll(image);
            } else if (in.isSequence()) {
                all.addAll(List.of(steps(name), features(name)));
            }
            return all;
        }
        if (layer instanceof Layer.Recurrent) {
            return recurrentMembers(name);
        }
        if (layer instanceof Layer.FixedPoint) {
            String c = camel(name);
            List<String> fixed = new java.util.ArrayList<>(List.of(
                    weights(name),
                    recurrentWeights(name),
                    biases(name),
                    forward(name),
                    backward(name),
                    "solve" + c,
                    "adjoint" + c,
                    "c" + c,
                    "next" + c,
                    "slope" + c,
                    "v" + c,
                    "u" + c));
            for (String member :
                    List.of(activation(name), preActivation(name), delta(name), forward(name), backward(name))) {
                fixed.add(rows(member));
            }
            fixed.addAll(List.of(activation(name), preActivation(name), delta(name)));
            return fixed;
        }
        all.addAll(image);
        all.addAll(List.of(flatSize(name), activation(name), delta(name), forward(name), propagate(name)));
        if (layer instanceof Layer.Conv2D) {
            all.addAll(List.of(
                    weights(name),
                    biases(name),
                    preActivation(name),
                    columns(name),
                    columnDeltas(name),
                    gradient(name),
                    "dw" + camel(name)));
            all.add("t" + camel(name) + "Rows");
            // the plain-Java path's one-array-per-row twins of the block buffers
            all.addAll(List.of(
                    rows(columns(name)) + "Plain",
                    rows(columns(name)) + "TPlain",
                    "t" + camel(name) + "RowsPlain",
                    "dw" + camel(name) + "Plain",
                    rows(columnDeltas(name)) + "Plain"));
        } else if (layer instanceof Layer.Pool2D) {
            all.add(argmax(name));
        }
        for (String member : List.copyOf(all)) {
            if (!member.equals(member.toUpperCase(Locale.ROOT)) && !member.endsWith("Rows")) {
                all.add(rows(member)); // block-of-rows twins of buffers and methods
            }
        }
        return all;
    }

    /** Every member name generated for a recurrent layer, block-of-rows twins included. */
    private static List<String> recurrentMembers(String name) {
        String c = camel(name);
        List<String> all = new java.util.ArrayList<>(List.of(
                weights(name),
                recurrentWeights(name),
                biases(name),
                recurrentBiases(name),
                flatSize(name),
                steps(name),
                features(name)));
        for (String member : List.of(
                activation(name),
                delta(name),
                "s" + c,
                "gate" + c,
                "cell" + c,
                "tanhCell" + c,
                "hn" + c,
                "pre" + c,
                "rec" + c,
                "dh" + c,
                "dc" + c,
                forward(name),
                step(name),
                backward(name),
                backwardStep(name))) {
            all.add(member);
            all.add(rows(member));
        }
        return all;
    }

    /** Method running one step of a recurrent layer, e.g. {@code stepMemory}. */
    public static String step(String layer) {
        return "step" + camel(layer);
    }

    /** Method backpropagating through a recurrent layer over every step, e.g. {@code backwardMemory}. */
    public static String backward(String layer) {
        return "backward" + camel(layer);
    }

    /** Method backpropagating through one step of a recurrent layer, e.g. {@code backwardStepMemory}. */
    public static String backwardStep(String layer) {
        return "backwardStep" + camel(layer);
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
        List<String> single = List.of(
                weights(layer),
                biases(layer),
                preActivation(layer),
                activation(layer),
                delta(layer),
                mask(layer),
                dropped(layer),
                forward(layer),
                gradient(layer),
                propagate(layer));
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
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
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
