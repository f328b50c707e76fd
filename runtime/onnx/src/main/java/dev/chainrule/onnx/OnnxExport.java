package dev.chainrule.onnx;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import dev.chainrule.Window;
import dev.chainrule.onnx.proto.OnnxProtos.AttributeProto;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.OperatorSetIdProto;
import dev.chainrule.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorShapeProto;
import dev.chainrule.onnx.proto.OnnxProtos.TypeProto;
import dev.chainrule.onnx.proto.OnnxProtos.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes a generated model as an ONNX model that computes exactly what its {@code predict}
 * computes: the same layers, the same weights, the same activations, softmax included.
 *
 * <h2>The file</h2>
 * <ul>
 *   <li>IR version {@value #IR_VERSION} and opset {@value #OPSET} of the default domain (ONNX
 *       1.12 and newer read it; ONNX Runtime runs it).
 *   <li>Tensors are {@code float} for a {@link Precision#FLOAT} model and {@code double} for a
 *       {@link Precision#DOUBLE} one, weights stored as little-endian {@code raw_data}.
 *   <li>One input, named after the network's input field ({@code FEATURES}), of shape {@code
 *       [batch, features]}, or {@code [batch, channels, height, width]} for an image input; one
 *       output, named after the last layer's field, of shape {@code [batch, units]} (or the
 *       image or sequence shape when the last layer writes one). {@code batch} is a
 *       symbolic dimension: any number of rows runs.
 *   <li>{@code producer_name} is {@value #PRODUCER}; {@code metadata_props} hold the network's
 *       name ({@value #NETWORK_KEY}), its fingerprint as 16 hex digits ({@value
 *       #FINGERPRINT_KEY}) and its canonical shape ({@value #CANONICAL_KEY}), see {@link
 *       NetworkSpec#fingerprint()}.
 * </ul>
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>dense: {@code Gemm} of the input and the weights as Chainrule stores them, {@code
 *       [inputs][units]} ({@code transB = 0}), plus the biases; a {@code Flatten} before it when
 *       it reads an image. Dropout is active only in training, so it is left out.
 *   <li>convolution: {@code Conv} with the kernel {@code [filters][channels][kh][kw]}, explicit
 *       {@code pads} (top, left, bottom, right; {@link dev.chainrule.Padding#SAME} as its zeros
 *       fall for the input's size) and {@code strides}.
 *   <li>max and average pooling: {@code MaxPool} and {@code AveragePool} with {@code
 *       kernel_shape} and {@code strides}, no padding, floor mode; global average pooling:
 *       {@code GlobalAveragePool}.
 *   <li>recurrent: a sequence input is {@code [batch, steps, features]}; a simple recurrent,
 *       LSTM or GRU layer is ONNX's {@code RNN}, {@code LSTM} or {@code GRU} over the steps
 *       transposed to {@code [steps, batch, features]}, its gate blocks reordered from PyTorch's
 *       (LSTM i, f, g, o to ONNX's i, o, f, c; GRU r, z, n to z, r, h, with {@code
 *       linear_before_reset = 1}, which is PyTorch's GRU), both biases in {@code B}; then its
 *       last state {@code [batch, units]} or every state transposed back to {@code [batch,
 *       steps, units]}. A dense layer per step is {@code MatMul} and {@code Add} on the
 *       sequence (a softmax over each step's units); a plain dense layer after a sequence reads
 *       it through {@code Flatten}. Fixed-point layers are refused: ONNX has no operator that
 *       iterates to a fixed point.
 *   <li>activations: {@code Sigmoid}, {@code Tanh}, {@code Relu}, {@code LeakyRelu} (alpha
 *       0.01), {@code Elu} (alpha 1), {@code Softplus}, {@code Softmax} over the units; none for
 *       identity. Opset {@value #OPSET} has no tanh-approximated GELU, so GELU is written out as
 *       {@code 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))} in {@code Mul}, {@code Add} and
 *       {@code Tanh} nodes.
 * </ul>
 *
 * <p>Initializers are named {@code <LAYER>.weights} and {@code <LAYER>.biases}, and each
 * layer's output tensor is named after its field, so the graph reads like the interface.
 */
public final class OnnxExport {
    /** The ONNX IR version written. */
    public static final int IR_VERSION = 8;
    /** The version of the default ONNX operator set the graph uses. */
    public static final int OPSET = 17;
    /** The {@code producer_name} written. */
    public static final String PRODUCER = "Chainrule";
    /** Key of the metadata entry holding the network's fully qualified name. */
    public static final String NETWORK_KEY = "chainrule.network";
    /** Key of the metadata entry holding the network's fingerprint, 16 lower-case hex digits. */
    public static final String FINGERPRINT_KEY = "chainrule.fingerprint";
    /** Key of the metadata entry holding the network's canonical shape. */
    public static final String CANONICAL_KEY = "chainrule.canonical";

    /** The symbolic name of the batch dimension of the input and output. */
    static final String BATCH = "batch";

    static final double GELU_C = Math.sqrt(2 / Math.PI);
    static final double GELU_K = 0.044715;

    private OnnxExport() {}

    /**
     * Writes {@code model} to {@code file} as ONNX. The bytes go to a temporary file in the same
     * directory, which is then moved over {@code file} (atomically where the file system can), so
     * a failed write never leaves half a file where a good one was.
     *
     * @throws IOException if the file cannot be written
     */
    public static void write(Model model, Path file) throws IOException {
        writeAtomically(toModelProto(model), file);
    }

    /** Writes {@code model} as ONNX to {@code out}, which is left open. */
    public static void write(Model model, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out").write(toBytes(model));
    }

    /** Writes a float network of {@code spec} with {@code parameters} (laid out as {@link Model} says) to {@code file}. */
    public static void write(NetworkSpec spec, float[] parameters, Path file) throws IOException {
        writeAtomically(toModelProto(spec, Parameters.of(spec, parameters)), file);
    }

    /** Writes a double network of {@code spec} with {@code parameters} (laid out as {@link Model} says) to {@code file}. */
    public static void write(NetworkSpec spec, double[] parameters, Path file) throws IOException {
        writeAtomically(toModelProto(spec, Parameters.of(spec, parameters)), file);
    }

    /** The ONNX bytes of {@code model}. */
    public static byte[] toBytes(Model model) {
        return toModelProto(model).toByteArray();
    }

    /** The ONNX bytes of a float network of {@code spec} with {@code parameters}. */
    public static byte[] toBytes(NetworkSpec spec, float[] parameters) {
        return toModelProto(spec, Parameters.of(spec, parameters)).toByteArray();
    }

    /** The ONNX bytes of a double network of {@code spec} with {@code parameters}. */
    public static byte[] toBytes(NetworkSpec spec, double[] parameters) {
        return toModelProto(spec, Parameters.of(spec, parameters)).toByteArray();
    }

    static ModelProto toModelProto(Model model) {
        Objects.requireNonNull(model, "model");
        if (model instanceof FloatModel f) {
            return toModelProto(f.spec(), Parameters.of(f.spec(), f.parameters()));
        }
        if (model instanceof DoubleModel d) {
            return toModelProto(d.spec(), Parameters.of(d.spec(), d.parameters()));
        }
        throw new IllegalArgumentException("a model is a FloatModel or a DoubleModel, not "
                + model.getClass().getName());
    }

    /** The parameters of one model, float or double, checked against its spec. */
    private record Parameters(float[] floats, double[] doubles) {
        static Parameters of(NetworkSpec spec, float[] values) {
            check(spec, Precision.FLOAT, Objects.requireNonNull(values, "parameters").length);
            for (int i = 0; i < values.length; i++) {
                checkFinite(spec, i, values[i]);
            }
            return new Parameters(values, null);
        }

        static Parameters of(NetworkSpec spec, double[] values) {
            check(spec, Precision.DOUBLE, Objects.requireNonNull(values, "parameters").length);
            for (int i = 0; i < values.length; i++) {
                checkFinite(spec, i, values[i]);
            }
            return new Parameters(null, values);
        }

        private static void check(NetworkSpec spec, Precision precision, int length) {
            if (spec.precision() != precision) {
                throw new IllegalArgumentException("network " + spec.name() + " computes in "
                        + spec.precision().label() + ", but its parameters are " + precision.label() + "s");
            }
            if (length != spec.parameterCount()) {
                throw new IllegalArgumentException("network " + spec.name() + " has " + spec.parameterCount()
                        + " parameters, but the array holds " + length);
            }
        }

        private static void checkFinite(NetworkSpec spec, int index, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("parameter " + index + " of network " + spec.name() + " is " + value
                        + ": an ONNX file of it would compute nothing useful");
            }
        }

        /**
         * A tensor of {@code dims} gathered from the parameter array: the runs of {@code length}
         * values starting at each of {@code starts}, one after the other.
         */
        TensorProto gathered(String name, List<Long> dims, int length, int... starts) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).addAllDims(dims);
            if (floats != null) {
                float[] values = new float[length * starts.length];
                for (int k = 0; k < starts.length; k++) {
                    System.arraycopy(floats, starts[k], values, k * length, length);
                }
                t.setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(Tensors.rawFloats(values, 0, values.length));
            } else {
                double[] values = new double[length * starts.length];
                for (int k = 0; k < starts.length; k++) {
                    System.arraycopy(doubles, starts[k], values, k * length, length);
                }
                t.setDataType(TensorProto.DataType.DOUBLE_VALUE)
                        .setRawData(Tensors.rawDoubles(values, 0, values.length));
            }
            return t.build();
        }

        TensorProto tensor(String name, ParameterBlock block) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name);
            for (int d : block.dimensions()) {
                t.addDims(d);
            }
            if (floats != null) {
                t.setDataType(TensorProto.DataType.FLOAT_VALUE);
                t.setRawData(Tensors.rawFloats(floats, block.offset(), block.size()));
            } else {
                t.setDataType(TensorProto.DataType.DOUBLE_VALUE);
                t.setRawData(Tensors.rawDoubles(doubles, block.offset(), block.size()));
            }
            return t.build();
        }
    }

    /**
     * Refuses a network with a layer or input this exporter does not write (any kind beside
     * dense, convolution and pooling), before anything is built.
     */
    private static void checkExportable(NetworkSpec spec) {
        Shape input = spec.shape(0);
        for (LayerSpec layer : spec.layers().subList(1, spec.layers().size())) {
            if (layer instanceof LayerSpec.FixedPointSpec) {
                throw new IllegalArgumentException("network " + spec.name() + ": layer " + layer.name() + " is "
                        + layer.kind().label()
                        + "; ONNX export writes dense, convolution, pooling and recurrent layers "
                        + "(ONNX has no operator that iterates to a fixed point)");
            }
        }
    }

    private static ModelProto toModelProto(NetworkSpec spec, Parameters parameters) {
        checkExportable(spec);
        int type = spec.precision() == Precision.DOUBLE
                ? TensorProto.DataType.DOUBLE_VALUE
                : TensorProto.DataType.FLOAT_VALUE;
        GraphBuilder g = new GraphBuilder(parameters, type);
        List<LayerSpec> layers = spec.layers();
        String current = layers.get(0).name();
        g.graph.addInput(valueInfo(current, type, spec.shape(0)));
        int block = 0;
        List<ParameterBlock> blocks = spec.parameterBlocks();
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            Shape input = spec.shape(i - 1);
            String name = layer.name();
            if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
                current = g.recurrent(
                        recurrent,
                        (Shape.Sequence) input,
                        current,
                        blocks.get(block).offset());
                block += 4;
            } else if (layer instanceof LayerSpec.StepDenseSpec step) {
                String weights = g.initializer(name + ".weights", blocks.get(block++));
                String biases = g.initializer(name + ".biases", blocks.get(block++));
                String product = g.node("MatMul", name + ".matmul", name + ".product", List.of(current, weights));
                String z = step.activation() == Activation.IDENTITY ? name : name + ".z";
                current = g.node("Add", name + ".add", z, List.of(product, biases));
                current = step.activation() == Activation.SOFTMAX
                        ? g.node("Softmax", name + ".softmax", name, List.of(current), intAttribute("axis", -1))
                        : g.activation(step.activation(), name, current);
            } else if (layer instanceof LayerSpec.DenseSpec dense) {
                if (input instanceof Shape.Image || input instanceof Shape.Sequence) {
                    current = g.node(
                            "Flatten", name + ".flatten", name + ".flat", List.of(current), intAttribute("axis", 1));
                }
                String weights = g.initializer(name + ".weights", blocks.get(block++));
                String biases = g.initializer(name + ".biases", blocks.get(block++));
                String z = dense.activation() == Activation.IDENTITY ? name : name + ".z";
                current = g.node("Gemm", name + ".gemm", z, List.of(current, weights, biases));
                current = g.activation(dense.activation(), name, current);
            } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
                Shape.Image image = (Shape.Image) input;
                Window rows = conv.rows(image);
                Window columns = conv.columns(image);
                String weights = g.initializer(name + ".weights", blocks.get(block++));
                String biases = g.initializer(name + ".biases", blocks.get(block++));
                String z = conv.activation() == Activation.IDENTITY ? name : name + ".z";
                current = g.node(
                        "Conv",
                        name + ".conv",
                        z,
                        List.of(current, weights, biases),
                        ints("kernel_shape", conv.kernelHeight(), conv.kernelWidth()),
                        ints("strides", conv.strideHeight(), conv.strideWidth()),
                        ints("pads", rows.padBefore(), columns.padBefore(), rows.padAfter(), columns.padAfter()),
                        ints("dilations", 1, 1),
                        intAttribute("group", 1));
                current = g.activation(conv.activation(), name, current);
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                current = g.node(
                        pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "MaxPool" : "AveragePool",
                        name + ".pool",
                        name,
                        List.of(current),
                        ints("kernel_shape", pool.windowHeight(), pool.windowWidth()),
                        ints("strides", pool.strideHeight(), pool.strideWidth()));
            } else if (layer instanceof LayerSpec.GlobalAvgPool2DSpec) {
                current = g.node("GlobalAveragePool", name + ".pool", name, List.of(current));
            } else {
                throw new IllegalStateException("checkExportable lets no " + layer.kind() + " through");
            }
        }
        g.graph.addOutput(valueInfo(current, type, spec.outputShape()));
        g.graph.setName(simpleName(spec.name())).setDocString(spec.describe());
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName(PRODUCER)
                .setProducerVersion(Version.CHAINRULE)
                .setDocString("Generated by Chainrule from " + spec.name() + ": " + spec.describe())
                .addMetadataProps(entry(NETWORK_KEY, spec.name()))
                .addMetadataProps(entry(FINGERPRINT_KEY, String.format("%016x", spec.fingerprint())))
                .addMetadataProps(entry(CANONICAL_KEY, spec.canonicalShape()))
                .setGraph(g.graph)
                .build();
    }

    /** The nodes and initializers of one graph, added in order. */
    private static final class GraphBuilder {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Parameters parameters;
        final int type;

        GraphBuilder(Parameters parameters, int type) {
            this.parameters = parameters;
            this.type = type;
        }

        String initializer(String name, ParameterBlock block) {
            graph.addInitializer(parameters.tensor(name, block));
            return name;
        }

        String scalar(String name, double value) {
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
            if (type == TensorProto.DataType.DOUBLE_VALUE) {
                t.addDoubleData(value);
            } else {
                t.addFloatData((float) value);
            }
            graph.addInitializer(t);
            return name;
        }

        String node(String op, String name, String output, List<String> inputs, AttributeProto... attributes) {
            NodeProto.Builder n = NodeProto.newBuilder()
                    .setOpType(op)
                    .setName(name)
                    .addAllInput(inputs)
                    .addOutput(output);
            for (AttributeProto a : attributes) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            return output;
        }

        String int64s(String name, long... values) {
            TensorProto.Builder t = TensorProto.newBuilder()
                    .setName(name)
                    .setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length);
            for (long v : values) {
                t.addInt64Data(v);
            }
            graph.addInitializer(t);
            return name;
        }

        /**
         * A recurrent layer reading {@code x} of {@code [N][T][F]}, its parameters from {@code
         * offset}: ONNX's RNN, LSTM or GRU node over the steps transposed to {@code [T][N][F]},
         * the gate blocks reordered from PyTorch's (LSTM i,f,g,o to ONNX's i,o,f,c; GRU r,z,n to
         * z,r,h with {@code linear_before_reset}, PyTorch's GRU), the two biases as {@code B}; then
         * the last state {@code [N][H]} or every state {@code [N][T][H]}.
         */
        String recurrent(LayerSpec.RecurrentSpec layer, Shape.Sequence input, String x, int offset) {
            String name = layer.name();
            int h = layer.size();
            int f = input.features();
            int rows = layer.gateUnits();
            int[] order = switch (layer.kind()) {
                case LSTM -> new int[] {0, 3, 1, 2};
                case GRU -> new int[] {1, 0, 2};
                default -> new int[] {0};
            };
            int w = offset;
            int r = w + rows * f;
            int bi = r + rows * h;
            int bh = bi + rows;
            int[] wStarts = new int[order.length];
            int[] rStarts = new int[order.length];
            int[] bStarts = new int[2 * order.length];
            for (int k = 0; k < order.length; k++) {
                wStarts[k] = w + order[k] * h * f;
                rStarts[k] = r + order[k] * h * h;
                bStarts[k] = bi + order[k] * h;
                bStarts[order.length + k] = bh + order[k] * h;
            }
            graph.addInitializer(parameters.gathered(name + ".W", List.of(1L, (long) rows, (long) f), h * f, wStarts));
            graph.addInitializer(parameters.gathered(name + ".R", List.of(1L, (long) rows, (long) h), h * h, rStarts));
            graph.addInitializer(parameters.gathered(name + ".B", List.of(1L, 2L * rows), h, bStarts));
            String steps = node("Transpose", name + ".steps", name + ".x", List.of(x), ints("perm", 1, 0, 2));
            String op = switch (layer.kind()) {
                case LSTM -> "LSTM";
                case GRU -> "GRU";
                default -> "RNN";
            };
            NodeProto.Builder n = NodeProto.newBuilder()
                    .setOpType(op)
                    .setName(name + "." + op.toLowerCase(java.util.Locale.ROOT))
                    .addInput(steps)
                    .addInput(name + ".W")
                    .addInput(name + ".R")
                    .addInput(name + ".B")
                    .addOutput(name + ".y")
                    .addOutput(name + ".h")
                    .addAttribute(intAttribute("hidden_size", h));
            if (layer.kind() == LayerSpec.Kind.GRU) {
                n.addAttribute(intAttribute("linear_before_reset", 1));
            }
            if (layer.kind() == LayerSpec.Kind.SIMPLE_RNN) {
                n.addAttribute(AttributeProto.newBuilder()
                        .setName("activations")
                        .setType(AttributeProto.AttributeType.STRINGS)
                        .addStrings(com.google.protobuf.ByteString.copyFromUtf8(
                                layer.activation() == Activation.RELU ? "Relu" : "Tanh")));
            }
            graph.addNode(n);
            if (!layer.returnSequences()) {
                return node("Squeeze", name + ".last", name, List.of(name + ".h", int64s(name + ".axis0", 0)));
            }
            String states = node(
                    "Squeeze", name + ".squeeze", name + ".states", List.of(name + ".y", int64s(name + ".axis1", 1)));
            return node("Transpose", name + ".batch", name, List.of(states), ints("perm", 1, 0, 2));
        }

        /** Applies {@code activation} to {@code z}, the output of layer {@code layer}, ending in a tensor named {@code layer}. */
        String activation(Activation activation, String layer, String z) {
            String node = layer + "." + activation.label();
            return switch (activation) {
                case IDENTITY -> z;
                case SIGMOID -> node("Sigmoid", node, layer, List.of(z));
                case TANH -> node("Tanh", node, layer, List.of(z));
                case RELU -> node("Relu", node, layer, List.of(z));
                case LEAKY_RELU -> node("LeakyRelu", node, layer, List.of(z), floats("alpha", 0.01f));
                case ELU -> node("Elu", node, layer, List.of(z), floats("alpha", 1f));
                case SOFTPLUS -> node("Softplus", node, layer, List.of(z));
                case SOFTMAX -> node("Softmax", node, layer, List.of(z), intAttribute("axis", 1));
                case GELU -> gelu(layer, z);
            };
        }

        /** {@code 0.5 z (1 + tanh(c (z + k z^3)))} in primitive operators. */
        private String gelu(String layer, String z) {
            String p = layer + ".gelu.";
            String z2 = node("Mul", p + "square", p + "z2", List.of(z, z));
            String z3 = node("Mul", p + "cube", p + "z3", List.of(z2, z));
            String kz3 = node("Mul", p + "scale_cube", p + "kz3", List.of(z3, scalar(p + "k", GELU_K)));
            String inner = node("Add", p + "inner", p + "inner", List.of(z, kz3));
            String scaled = node("Mul", p + "scale_inner", p + "scaled", List.of(inner, scalar(p + "c", GELU_C)));
            String t = node("Tanh", p + "tanh", p + "tanh", List.of(scaled));
            String onePlus = node("Add", p + "one_plus", p + "one_plus", List.of(t, scalar(p + "one", 1)));
            String half = node("Mul", p + "half_z", p + "half_z", List.of(z, scalar(p + "half", 0.5)));
            return node("Mul", p + "product", layer, List.of(half, onePlus));
        }
    }

    static ValueInfoProto valueInfo(String name, int type, Shape shape) {
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        int[] sizes = shape instanceof Shape.Image image
                ? new int[] {image.channels(), image.height(), image.width()}
                : shape instanceof Shape.Sequence sequence
                        ? new int[] {sequence.steps(), sequence.features()}
                        : new int[] {shape.size()};
        for (int size : sizes) {
            dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder().setElemType(type).setShape(dims)))
                .build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    private static AttributeProto floats(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static void writeAtomically(ModelProto model, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                model.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
