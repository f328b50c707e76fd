package dev.chainrule.onnx;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Shape;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Loads the weights of an ONNX model into the generated model of the same network.
 *
 * <p>The graph is read as a chain of layers (see below) and compared, layer by layer, with the
 * network the model was generated from: kind, units or filters, kernel, stride, padding, pooling
 * window and activation must all agree, and the input must have the declared size (an image for
 * an image input). A file whose input is an image may feed a flat input of the same size when the
 * image is flattened before the first dense layer. Names do not matter, nor does the loss.
 *
 * <p>What the graph may hold: {@code Gemm} (PyTorch's {@code Linear} exports {@code transB = 1}
 * and {@code [out][in]} weights, Keras and Chainrule {@code [in][out]}), {@code MatMul} and
 * {@code Add} (as TensorFlow exports a dense layer), {@code Conv} with {@code [out][in][kh][kw]}
 * kernels, {@code MaxPool}, {@code AveragePool}, {@code GlobalAveragePool}, {@code Flatten} or
 * {@code Reshape} between images and dense layers, {@code Identity}, inference {@code Dropout}
 * and a {@code Pad} of zeros (PyTorch 1.13 writes one before {@code AveragePool}), {@code RNN},
 * {@code LSTM} and {@code GRU} (one forward layer from a zero state, gates reordered from ONNX's
 * to PyTorch's, {@code B} split into the two biases) with the {@code Transpose}, {@code Squeeze},
 * {@code Gather} and {@code Slice} nodes PyTorch writes around them, {@code MatMul} and {@code
 * Add} on a sequence (a dense layer per step), and each layer's activation: {@code Softmax}, or
 * element-wise nodes that compute one
 * of Chainrule's activations (a GELU written out in {@code Mul}, {@code Add}, {@code Pow} and
 * {@code Tanh} included). Opsets 1 to 22 of the default domain are read. Weights are initializers
 * or {@code Constant} nodes, stored as {@code raw_data}, {@code float_data} or {@code
 * double_data}, float or double: they are converted to the model's precision (a double too
 * large for a float is refused).
 *
 * <p>Anything else is refused with an {@link OnnxException} that names the node or tensor and
 * says what was expected and what was found: an unsupported operator or attribute, external
 * data, a branch or cycle in the graph, a tensor whose bytes do not hold what its dimensions
 * claim, a truncated or corrupt file, or a layer that does not match the declaration. Loading is
 * all or nothing: the new parameters are built in full and checked before any is copied into the
 * model, so a refused file leaves the model as it was.
 */
public final class OnnxImport {
    private OnnxImport() {}

    /**
     * Loads the weights of the ONNX model in {@code file} into {@code model}.
     *
     * @throws OnnxException if the file is not an ONNX model Chainrule reads, or does not match
     *     the model's network; the model is then unchanged
     * @throws IOException if the file cannot be read
     */
    public static void load(Path file, Model model) throws IOException {
        Objects.requireNonNull(model, "model");
        ModelProto proto = OnnxGraph.parse(file);
        load(proto, file.toString(), model);
    }

    /**
     * Loads the weights of the ONNX model in {@code onnx}, the bytes of a file, into {@code
     * model}.
     *
     * @throws OnnxException as {@link #load(Path, Model)}
     */
    public static void load(byte[] onnx, Model model) throws OnnxException {
        Objects.requireNonNull(model, "model");
        load(OnnxGraph.parse(Objects.requireNonNull(onnx, "onnx"), "ONNX model"), "ONNX model", model);
    }

    private static void load(ModelProto proto, String source, Model model) throws OnnxException {
        double[] values = parameters(OnnxGraph.read(proto, source), model.spec(), source);
        if (model instanceof FloatModel f) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
                if (Float.isInfinite(floats[i])) {
                    throw new OnnxException(source + ": parameter " + i + " (" + block(model.spec(), i) + ") is "
                            + values[i] + ", too large for the float model "
                            + model.spec().name());
                }
            }
            f.setParameters(floats);
        } else if (model instanceof DoubleModel d) {
            d.setParameters(values);
        } else {
            throw new IllegalArgumentException("a model is a FloatModel or a DoubleModel, not "
                    + model.getClass().getName());
        }
    }

    /** The parameter array of {@code declared} that the found network's weights fill, after matching them. */
    static double[] parameters(OnnxGraph.Network found, NetworkSpec declared, String source) throws OnnxException {
        match(found, declared, source);
        double[] values = new double[declared.parameterCount()];
        List<ParameterBlock> blocks = declared.parameterBlocks();
        int b = 0;
        for (OnnxGraph.Layer layer : found.layers()) {
            for (double[] from : layer.parameters()) {
                ParameterBlock block = blocks.get(b++);
                copy(
                        from,
                        values,
                        block,
                        layer,
                        block.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        source);
            }
        }
        return values;
    }

    private static void copy(
            double[] from, double[] to, ParameterBlock block, OnnxGraph.Layer layer, String role, String source)
            throws OnnxException {
        if (from.length != block.size()) {
            throw new OnnxException(source + ": " + layer.nodes() + " holds " + from.length + " " + role + " for layer "
                    + block.layer() + ", which has " + block.size());
        }
        for (int i = 0; i < from.length; i++) {
            if (!Double.isFinite(from[i])) {
                throw new OnnxException(
                        source + ": the " + role + " of " + layer.nodes() + " hold " + from[i] + " at index " + i);
            }
        }
        System.arraycopy(from, 0, to, block.offset(), from.length);
    }

    private static String block(NetworkSpec spec, int index) {
        for (ParameterBlock block : spec.parameterBlocks()) {
            if (index >= block.offset() && index < block.offset() + block.size()) {
                return block.layer() + " " + block.role().name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return "?";
    }

    /** Refuses, naming the first difference, unless the found chain is the declared network. */
    static void match(OnnxGraph.Network found, NetworkSpec declared, String source) throws OnnxException {
        List<LayerSpec> layers = declared.layers();
        LayerSpec.InputSpec input = (LayerSpec.InputSpec) layers.get(0);
        Shape foundInput = found.input().shape();
        boolean inputMatches = input.shape() instanceof Shape.Features
                ? input.size() == foundInput.size()
                : input.shape().equals(foundInput);
        if (!inputMatches) {
            throw new OnnxException(source + ": the graph's input '"
                    + found.input().name() + "' is "
                    + foundInput.describe() + " per sample, but " + declared.name() + " reads " + input.name() + " of "
                    + input.shape().describe());
        }
        if (found.layers().size() != layers.size() - 1) {
            throw new OnnxException(
                    source + ": the graph has " + found.layers().size() + " layers (" + describe(found) + "), but "
                            + declared.name() + " declares " + (layers.size() - 1) + " (" + describe(declared) + ")");
        }
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec expected = layers.get(i);
            OnnxGraph.Layer layer = found.layers().get(i - 1);
            String difference = difference(expected, declared.shape(i - 1), layer.spec(), layer.input());
            if (difference != null) {
                throw new OnnxException(source + ": layer " + expected.name() + " of " + declared.name() + " is "
                        + withoutName(expected) + ", but " + layer.nodes() + " is " + withoutName(layer.spec()) + " ("
                        + difference + ")");
            }
        }
    }

    /** What differs between a declared layer and a found one, e.g. {@code units: expected 7, found 8}; null if nothing. */
    private static String difference(LayerSpec expected, Shape expectedInput, LayerSpec found, Shape foundInput) {
        if (expected.kind() != found.kind()) {
            return "kind: expected " + expected.kind().label() + ", found "
                    + found.kind().label();
        }
        if (expected.size() != found.size()) {
            return (expected.kind() == LayerSpec.Kind.CONV2D
                            ? "filters"
                            : expected instanceof LayerSpec.Pool2DSpec
                                            || expected instanceof LayerSpec.GlobalAvgPool2DSpec
                                    ? "channels"
                                    : "units")
                    + ": expected "
                    + expected.size() + ", found " + found.size();
        }
        if (expected instanceof LayerSpec.RecurrentSpec e
                && found instanceof LayerSpec.RecurrentSpec f
                && e.returnSequences() != f.returnSequences()) {
            return "returnSequences: expected " + e.returnSequences() + ", found " + f.returnSequences()
                    + (f.returnSequences() ? " (the graph reads every state)" : " (the graph reads the last state)");
        }
        if (expected.activation() != found.activation()) {
            return "activation: expected " + expected.activation().label() + ", found "
                    + found.activation().label();
        }
        if (expected instanceof LayerSpec.Conv2DSpec e && found instanceof LayerSpec.Conv2DSpec f) {
            if (e.kernelHeight() != f.kernelHeight() || e.kernelWidth() != f.kernelWidth()) {
                return "kernel: expected " + e.kernelHeight() + "x" + e.kernelWidth() + ", found " + f.kernelHeight()
                        + "x" + f.kernelWidth();
            }
            if (e.strideHeight() != f.strideHeight() || e.strideWidth() != f.strideWidth()) {
                return "stride: expected " + e.strideHeight() + "x" + e.strideWidth() + ", found " + f.strideHeight()
                        + "x" + f.strideWidth();
            }
            Shape.Image ei = (Shape.Image) expectedInput;
            Shape.Image fi = (Shape.Image) foundInput;
            if (!e.rows(ei).equals(f.rows(fi)) || !e.columns(ei).equals(f.columns(fi))) {
                return "padding (top, bottom, left, right): expected " + pads(e, ei) + ", found " + pads(f, fi);
            }
        }
        if (expected instanceof LayerSpec.Pool2DSpec e && found instanceof LayerSpec.Pool2DSpec f) {
            if (e.windowHeight() != f.windowHeight() || e.windowWidth() != f.windowWidth()) {
                return "window: expected " + e.windowHeight() + "x" + e.windowWidth() + ", found " + f.windowHeight()
                        + "x" + f.windowWidth();
            }
            if (e.strideHeight() != f.strideHeight() || e.strideWidth() != f.strideWidth()) {
                return "stride: expected " + e.strideHeight() + "x" + e.strideWidth() + ", found " + f.strideHeight()
                        + "x" + f.strideWidth();
            }
        }
        if (!expectedInput.equals(foundInput) && expected.kind() != LayerSpec.Kind.DENSE) {
            return "input: expected " + expectedInput.describe() + ", found " + foundInput.describe();
        }
        return null;
    }

    private static String pads(LayerSpec.Conv2DSpec conv, Shape.Image input) {
        return conv.rows(input).padBefore() + ", " + conv.rows(input).padAfter() + ", "
                + conv.columns(input).padBefore() + ", " + conv.columns(input).padAfter();
    }

    static String withoutName(LayerSpec layer) {
        return layer.describe().substring(layer.name().length() + 1);
    }

    private static String describe(OnnxGraph.Network found) {
        StringJoiner j = new StringJoiner(", ");
        found.layers().forEach(l -> j.add(withoutName(l.spec())));
        return j.toString();
    }

    private static String describe(NetworkSpec spec) {
        StringJoiner j = new StringJoiner(", ");
        List<LayerSpec> layers = new ArrayList<>(spec.layers());
        layers.remove(0);
        layers.forEach(l -> j.add(withoutName(l)));
        return j.toString();
    }
}
