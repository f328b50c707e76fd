package dev.chainrule.onnx;

import com.google.protobuf.CodedInputStream;
import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import dev.chainrule.Window;
import dev.chainrule.kernel.ActivationMathD;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.StringJoiner;

/**
 * An ONNX graph read as the chain of layers Chainrule declares: the one reading that both {@link
 * OnnxImport} (compare it with a declared network, then take its weights) and {@link
 * PrintInterface} (print the interface that declares it) use.
 *
 * <p>The graph is sorted topologically (a cycle is refused) and walked from its one input to its
 * one output. Every node must read the tensor the node before it wrote, and any other input must
 * be an initializer or a {@code Constant}: a branch, a second input or a weight computed at run
 * time is refused. The operators it accepts:
 * <ul>
 *   <li>a dense layer: {@code Gemm} ({@code transB} 0 with weights {@code [in][out]}, as Keras
 *       and Chainrule store them, or 1 with {@code [out][in]}, as PyTorch's {@code Linear}
 *       exports them), or {@code MatMul} with {@code [in][out]} weights and an optional {@code
 *       Add} of the biases;
 *   <li>a convolution: {@code Conv} with {@code [out][in][kh][kw]} weights, no groups, no
 *       dilation, symmetric pads or those of {@link Padding#SAME} ({@code auto_pad} {@code
 *       SAME_UPPER} too);
 *   <li>{@code MaxPool} and {@code AveragePool} without padding, {@code GlobalAveragePool};
 *   <li>a recurrent layer: {@code RNN}, {@code LSTM} or {@code GRU}, one forward direction,
 *       default activations (or {@code Relu} for {@code RNN}), no clip, no sequence lengths or
 *       peepholes, a zero initial state (absent, zero constants, or the {@code ConstantOfShape}
 *       of 0 that PyTorch sizes from the batch), {@code linear_before_reset = 1} for a GRU, layout
 *       0 or 1; its every state {@code Y} or its last state {@code Y_h}, and around it the
 *       {@code Transpose}, {@code Squeeze}, {@code Gather} and {@code Slice} nodes that move the
 *       batch and step axes or take the last step (which makes the layer one giving its last
 *       state). The axes of each tensor are followed, so that nothing mixes the
 *       samples of a batch. {@code MatMul} and {@code Add} on a sequence are a dense layer per
 *       step;
 *   <li>{@code Flatten} (axis 1) and {@code Reshape} to {@code [-1 or 0, features]} before a
 *       dense layer; {@code Identity}, inference {@code Dropout} and a {@code Pad} of zeros
 *       between layers;
 *   <li>after a dense layer or a convolution, its activation: {@code Softmax} over the units
 *       (dense only), or any run of element-wise nodes with scalar constants ({@code Relu},
 *       {@code Sigmoid}, {@code Tanh}, {@code LeakyRelu}, {@code Elu}, {@code Softplus}, {@code
 *       Gelu}, {@code Add}, {@code Mul}, {@code Pow}, ...) that computes one of Chainrule's
 *       activations. The run is recognised by what it computes, evaluated at fixed points from
 *       -6 to 6, so a GELU written out in primitive operators is a GELU whatever their order.
 * </ul>
 */
final class OnnxGraph {
    /** The oldest default-domain opset read. */
    static final int MIN_OPSET = 1;
    /** The newest default-domain opset read. */
    static final int MAX_OPSET = 22;

    /** Values at which a run of element-wise nodes is compared with each activation. */
    private static final double[] PROBES = {
        -6, -4, -3, -2, -1.5, -1, -0.7, -0.3, -0.1, -0.01, 0, 0.01, 0.1, 0.3, 0.7, 1, 1.5, 2, 3, 4, 6
    };
    /**
     * The attributes each operator may carry; any other is refused, so that nothing the file
     * asks for is silently ignored. ({@code consumed_inputs}, {@code broadcast}, {@code axis} of
     * element-wise nodes and {@code is_test} are the first opsets' and change nothing here.)
     */
    private static final Map<String, Set<String>> ATTRIBUTES = Map.ofEntries(
            Map.entry("Gemm", Set.of("alpha", "beta", "transA", "transB", "broadcast")),
            Map.entry("MatMul", Set.of()),
            Map.entry("Conv", Set.of("kernel_shape", "strides", "pads", "dilations", "group", "auto_pad")),
            Map.entry(
                    "MaxPool",
                    Set.of("kernel_shape", "strides", "pads", "dilations", "ceil_mode", "storage_order", "auto_pad")),
            Map.entry(
                    "AveragePool",
                    Set.of(
                            "kernel_shape",
                            "strides",
                            "pads",
                            "dilations",
                            "ceil_mode",
                            "count_include_pad",
                            "auto_pad")),
            Map.entry("GlobalAveragePool", Set.of()),
            Map.entry("Flatten", Set.of("axis")),
            Map.entry("Reshape", Set.of("allowzero")),
            Map.entry("Identity", Set.of()),
            Map.entry("Dropout", Set.of("ratio", "seed", "is_test", "consumed_inputs")),
            Map.entry("Pad", Set.of("mode", "pads", "value")),
            Map.entry("Softmax", Set.of("axis")),
            Map.entry("Relu", Set.of("consumed_inputs")),
            Map.entry("Sigmoid", Set.of("consumed_inputs")),
            Map.entry("Tanh", Set.of("consumed_inputs")),
            Map.entry("LeakyRelu", Set.of("alpha", "consumed_inputs")),
            Map.entry("Elu", Set.of("alpha", "consumed_inputs")),
            Map.entry("Softplus", Set.of()),
            Map.entry("Gelu", Set.of("approximate")),
            Map.entry("Exp", Set.of("consumed_inputs")),
            Map.entry("Log", Set.of("consumed_inputs")),
            Map.entry("Sqrt", Set.of("consumed_inputs")),
            Map.entry("Neg", Set.of("consumed_inputs")),
            Map.entry("Abs", Set.of("consumed_inputs")),
            Map.entry("Reciprocal", Set.of("consumed_inputs")),
            Map.entry("Add", Set.of("broadcast", "axis", "consumed_inputs")),
            Map.entry("Sub", Set.of("broadcast", "axis", "consumed_inputs")),
            Map.entry("Mul", Set.of("broadcast", "axis", "consumed_inputs")),
            Map.entry("Div", Set.of("broadcast", "axis", "consumed_inputs")),
            Map.entry("Pow", Set.of("broadcast", "axis")),
            Map.entry("Transpose", Set.of("perm")),
            Map.entry("Squeeze", Set.of("axes")),
            Map.entry("Gather", Set.of("axis")),
            Map.entry("Slice", Set.of("starts", "ends", "axes")),
            Map.entry(
                    "RNN",
                    Set.of(
                            "activation_alpha",
                            "activation_beta",
                            "activations",
                            "clip",
                            "direction",
                            "hidden_size",
                            "layout")),
            Map.entry(
                    "LSTM",
                    Set.of(
                            "activation_alpha",
                            "activation_beta",
                            "activations",
                            "clip",
                            "direction",
                            "hidden_size",
                            "input_forget",
                            "layout")),
            Map.entry(
                    "GRU",
                    Set.of(
                            "activation_alpha",
                            "activation_beta",
                            "activations",
                            "clip",
                            "direction",
                            "hidden_size",
                            "linear_before_reset",
                            "layout")));

    /** The operators that compute a shape from a shape, as PyTorch writes them to size a zero initial state. */
    private static final Set<String> SHAPE_ARITHMETIC =
            Set.of("Shape", "Gather", "Unsqueeze", "Concat", "Slice", "Squeeze", "Cast", "Reshape");

    private static final Set<String> RECURRENT = Set.of("RNN", "LSTM", "GRU");

    private static final Set<String> ELEMENT_WISE = Set.of(
            "Identity",
            "Relu",
            "Sigmoid",
            "Tanh",
            "LeakyRelu",
            "Elu",
            "Softplus",
            "Gelu",
            "Exp",
            "Log",
            "Sqrt",
            "Neg",
            "Abs",
            "Reciprocal",
            "Add",
            "Sub",
            "Mul",
            "Div",
            "Pow");

    /**
     * One layer found in the graph, its parameter blocks already in Chainrule's layout and order
     * (weights and biases; for a recurrent layer input weights, recurrent weights, input biases,
     * recurrent biases); none for a layer without parameters.
     */
    record Layer(LayerSpec spec, Shape input, String nodes, List<double[]> parameters) {
        Layer(LayerSpec spec, Shape input, String nodes, double[] weights, double[] biases) {
            this(spec, input, nodes, weights == null ? List.of() : List.of(weights, biases));
        }
    }

    /** The chain found in a graph. */
    record Network(Precision precision, LayerSpec.InputSpec input, List<Layer> layers, Map<String, String> metadata) {
        /** The network as a spec named {@code name}; the loss follows the output (cross-entropy after softmax). */
        NetworkSpec spec(String name) {
            List<LayerSpec> specs = new ArrayList<>();
            specs.add(input);
            for (Layer layer : layers) {
                specs.add(layer.spec());
            }
            Activation last = specs.get(specs.size() - 1).activation();
            return new NetworkSpec(name, precision, last == Activation.SOFTMAX ? Loss.CROSS_ENTROPY : Loss.MSE, specs);
        }
    }

    private final String source;
    private final Map<String, TensorProto> constants = new HashMap<>();
    private final int opset;
    private final List<NodeProto> nodes;
    private final List<Layer> layers = new ArrayList<>();
    /** Zero initial states computed from the input's batch size ({@code ConstantOfShape} of 0), by tensor name. */
    private final Set<String> zeros = new HashSet<>();

    private String graphOutput;
    private int next;
    private String current;
    private Shape shape;
    /**
     * The axes of {@code current}, one letter each: {@code N} the batch, {@code T} the steps,
     * {@code F} the features, {@code 1} an axis of size one (a recurrent node's direction),
     * {@code CHW} an image's.
     */
    private String axes;
    /** The index in {@link #layers} of the recurrent layer whose every state {@code current} holds, or -1. */
    private int sequenceLayer = -1;

    private OnnxGraph(String source, int opset, List<NodeProto> nodes) {
        this.source = source;
        this.opset = opset;
        this.nodes = nodes;
    }

    /** Reads and parses an ONNX file. */
    static ModelProto parse(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new OnnxException(
                    file + ": " + size + " bytes, more than one protobuf message holds (2 GB): a model this"
                            + " large keeps its weights in external data, which Chainrule does not read");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses the bytes of an ONNX file; {@code source} names it in messages. */
    static ModelProto parse(byte[] bytes, String source) throws OnnxException {
        if (bytes.length == 0) {
            throw new OnnxException(source + ": empty, not an ONNX model");
        }
        ModelProto model;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new OnnxException(
                    source + ": not an ONNX model, its protobuf is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        if (model.getIrVersion() <= 0) {
            throw new OnnxException(source + ": not an ONNX model: it has no ir_version");
        }
        if (!model.hasGraph()) {
            throw new OnnxException(source + ": not an ONNX model: it has no graph");
        }
        return model;
    }

    /**
     * Reads {@code model}'s graph as a chain of layers.
     *
     * @throws OnnxException if the graph is not one Chainrule imports, naming the node and why
     */
    static Network read(ModelProto model, String source) throws OnnxException {
        int opset = -1;
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                opset = (int) Math.min(Integer.MAX_VALUE, id.getVersion());
            }
        }
        if (opset < 0) {
            throw new OnnxException(source + ": imports no opset of the default ONNX domain");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new OnnxException(source + ": uses opset " + opset + " of the default domain; Chainrule reads opsets "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        GraphProto graph = model.getGraph();
        OnnxGraph reader = new OnnxGraph(source, opset, new ArrayList<>());
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        try {
            return reader.walk(graph, metadata);
        } catch (Tensors.Refused e) {
            throw new OnnxException(source + ": " + e.getMessage(), e);
        }
    }

    private OnnxException fail(String message) {
        return new OnnxException(source + ": " + message);
    }

    private static String describe(NodeProto node) {
        return "node '" + node.getName() + "' (" + node.getOpType() + ")";
    }

    private Network walk(GraphProto graph, Map<String, String> metadata) throws OnnxException {
        if (graph.getSparseInitializerCount() > 0) {
            throw fail("the graph has sparse initializers ("
                    + graph.getSparseInitializer(0).getValues().getName() + "), which Chainrule does not read");
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (constants.put(t.getName(), t) != null) {
                throw fail("two initializers are named '" + t.getName() + "'");
            }
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto input : graph.getInputList()) {
            if (!constants.containsKey(input.getName())) {
                inputs.add(input);
            }
        }
        if (inputs.size() != 1) {
            throw fail("the graph has " + inputs.size() + " inputs besides its initializers " + names(inputs)
                    + "; Chainrule reads a network of one input");
        }
        if (graph.getOutputCount() != 1) {
            throw fail("the graph has " + graph.getOutputCount() + " outputs " + names(graph.getOutputList())
                    + "; Chainrule reads a network of one output");
        }
        ValueInfoProto input = inputs.get(0);
        Precision precision = precision(input);
        List<NodeProto> operators = new ArrayList<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw fail(describe(node) + " is of domain '" + node.getDomain()
                        + "'; Chainrule reads operators of the default ONNX domain only");
            }
            if (node.getOpType().equals("Constant")) {
                constant(node);
            } else {
                operators.add(node);
            }
        }
        String output = graph.getOutput(0).getName();
        graphOutput = output;
        operators = withoutZeroStates(withLastStatesOfStacks(operators), output);
        nodes.addAll(sorted(operators, input.getName()));
        LayerSpec.InputSpec inputSpec = inputSpec(input);
        current = input.getName();
        shape = inputSpec.shape();
        while (next < nodes.size()) {
            layer(nodes.get(next));
        }
        if (!current.equals(output)) {
            throw fail("the graph's output '" + output + "' is not the end of its chain of layers, '" + current + "'");
        }
        String sampleAxes = axes.replace("1", "");
        if (!sampleAxes.equals("NF") && !sampleAxes.equals("NTF") && !sampleAxes.equals("NCHW")) {
            throw fail("the graph's output '" + output + "' has axes " + axesDescription(axes) + "; Chainrule writes"
                    + " each sample's outputs together, [batch, features] or [batch, steps, features]");
        }
        if (layers.isEmpty()) {
            throw fail("the graph has no layer: its output is its input");
        }
        return new Network(precision, inputSpec, List.copyOf(layers), Map.copyOf(metadata));
    }

    private static String names(List<ValueInfoProto> values) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        values.forEach(v -> j.add(v.getName()));
        return j.toString();
    }

    private Precision precision(ValueInfoProto input) throws OnnxException {
        int type = input.getType().getTensorType().getElemType();
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            return Precision.FLOAT;
        }
        if (type == TensorProto.DataType.DOUBLE_VALUE) {
            return Precision.DOUBLE;
        }
        throw fail("input '" + input.getName() + "' is a tensor of " + Tensors.typeName(type)
                + "; Chainrule reads FLOAT and DOUBLE inputs");
    }

    private LayerSpec.InputSpec inputSpec(ValueInfoProto input) throws OnnxException {
        TypeProto.Tensor tensor = input.getType().getTensorType();
        if (!tensor.hasShape()) {
            throw fail("input '" + input.getName() + "' has no shape; Chainrule needs [batch, features] or [batch,"
                    + " channels, height, width]");
        }
        List<TensorShapeProto.Dimension> dims = tensor.getShape().getDimList();
        if (dims.size() < 2 || dims.size() > 4) {
            throw fail("input '" + input.getName() + "' has " + dims.size() + " dimensions; Chainrule reads [batch,"
                    + " features], [batch, steps, features] or [batch, channels, height, width]");
        }
        // a sequence is [batch, steps, features], unless a recurrent node of layout 0 reads it as it is: [steps, batch,
        // features]
        NodeProto first = null;
        for (NodeProto node : nodes) {
            if (node.getInputCount() > 0 && node.getInput(0).equals(input.getName())) {
                first = node;
                break;
            }
        }
        boolean timeMajor = dims.size() == 3
                && first != null
                && RECURRENT.contains(first.getOpType())
                && intAttribute(first, "layout", 0) == 0;
        int batch = timeMajor ? 1 : 0;
        axes = switch (dims.size()) {
            case 2 -> "NF";
            case 3 -> timeMajor ? "TNF" : "NTF";
            default -> "NCHW";
        };
        int[] sizes = new int[dims.size() - 1];
        for (int i = 0, k = 0; i < dims.size(); i++) {
            if (i == batch) {
                continue;
            }
            TensorShapeProto.Dimension d = dims.get(i);
            if (!d.hasDimValue()) {
                throw fail("dimension " + i + " of input '" + input.getName() + "' is "
                        + (d.hasDimParam() ? "the symbol '" + d.getDimParam() + "'" : "unknown")
                        + "; only the batch dimension may vary");
            }
            if (d.getDimValue() < 1 || d.getDimValue() > Tensors.MAX_VALUES) {
                throw fail("dimension " + i + " of input '" + input.getName() + "' is " + d.getDimValue()
                        + ", not a size from 1 to " + Tensors.MAX_VALUES);
            }
            sizes[k++] = (int) d.getDimValue();
        }
        try {
            return switch (sizes.length) {
                case 1 -> LayerSpec.input(input.getName(), sizes[0]);
                case 2 -> LayerSpec.sequence(input.getName(), sizes[0], sizes[1]);
                default -> LayerSpec.image(input.getName(), sizes[0], sizes[1], sizes[2]);
            };
        } catch (IllegalArgumentException e) {
            throw fail("input '" + input.getName() + "': " + e.getMessage());
        }
    }

    private void constant(NodeProto node) throws OnnxException {
        if (node.getOutputCount() != 1) {
            throw fail(describe(node) + " has " + node.getOutputCount() + " outputs");
        }
        TensorProto.Builder value = null;
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> value = a.getT().toBuilder();
                case "value_float" ->
                    value = TensorProto.newBuilder()
                            .setDataType(TensorProto.DataType.FLOAT_VALUE)
                            .addFloatData(a.getF());
                case "value_floats" ->
                    value = TensorProto.newBuilder()
                            .setDataType(TensorProto.DataType.FLOAT_VALUE)
                            .addDims(a.getFloatsCount())
                            .addAllFloatData(a.getFloatsList());
                case "value_int" ->
                    value = TensorProto.newBuilder()
                            .setDataType(TensorProto.DataType.INT64_VALUE)
                            .addInt64Data(a.getI());
                case "value_ints" ->
                    value = TensorProto.newBuilder()
                            .setDataType(TensorProto.DataType.INT64_VALUE)
                            .addDims(a.getIntsCount())
                            .addAllInt64Data(a.getIntsList());
                default ->
                    throw fail(describe(node) + " has attribute '" + a.getName() + "', which Chainrule does not read");
            }
        }
        if (value == null) {
            throw fail(describe(node) + " has no value");
        }
        String name = node.getOutput(0);
        if (constants.put(name, value.setName(name).build()) != null) {
            throw fail("tensor '" + name + "' is both an initializer and the output of " + describe(node));
        }
    }

    /**
     * The nodes in an order where each comes after those it reads from (ties in file order), or a
     * refusal naming a node that reads what nothing produces, a tensor two nodes produce, or the
     * nodes of a cycle.
     */
    private List<NodeProto> sorted(List<NodeProto> operators, String input) throws OnnxException {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < operators.size(); i++) {
            for (String output : operators.get(i).getOutputList()) {
                if (output.isEmpty()) {
                    continue;
                }
                if (output.equals(input) || constants.containsKey(output)) {
                    throw fail(describe(operators.get(i)) + " writes '" + output + "', which is the graph's input or a"
                            + " constant");
                }
                Integer other = producer.put(output, i);
                if (other != null) {
                    throw fail("tensor '" + output + "' is written by both " + describe(operators.get(other)) + " and "
                            + describe(operators.get(i)));
                }
            }
        }
        int[] waiting = new int[operators.size()];
        List<List<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < operators.size(); i++) {
            readers.add(new ArrayList<>());
        }
        for (int i = 0; i < operators.size(); i++) {
            for (String in : operators.get(i).getInputList()) {
                if (in.isEmpty() || in.equals(input) || constants.containsKey(in) || zeros.contains(in)) {
                    continue;
                }
                Integer from = producer.get(in);
                if (from == null) {
                    throw fail(describe(operators.get(i)) + " reads '" + in + "', which no node, initializer or input"
                            + " provides");
                }
                waiting[i]++;
                readers.get(from).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < operators.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(operators.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(operators.get(i));
            for (int reader : readers.get(i)) {
                if (--waiting[reader] == 0) {
                    ready.add(reader);
                }
            }
        }
        if (order.size() < operators.size()) {
            throw fail("the graph has a cycle: " + cycle(operators, producer, waiting, input));
        }
        return order;
    }

    /**
     * One cycle among the nodes left unsorted, in the direction the data flows: from a node that
     * waits, step back to a waiting node it reads from until a node repeats.
     */
    private String cycle(List<NodeProto> operators, Map<String, Integer> producer, int[] waiting, String input) {
        int start = 0;
        while (waiting[start] == 0) {
            start++;
        }
        List<Integer> path = new ArrayList<>();
        int at = start;
        while (!path.contains(at)) {
            path.add(at);
            int from = -1;
            for (String in : operators.get(at).getInputList()) {
                Integer p = producer.get(in);
                if (p != null && waiting[p] > 0 && !in.equals(input)) {
                    from = p;
                    break;
                }
            }
            at = from;
        }
        List<Integer> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        java.util.Collections.reverse(loop);
        // start the loop at its first node in file order, and close it
        int first = loop.indexOf(java.util.Collections.min(loop));
        StringJoiner j = new StringJoiner(" -> ");
        for (int k = 0; k <= loop.size(); k++) {
            j.add(describe(operators.get(loop.get((first + k) % loop.size()))));
        }
        return j.toString();
    }

    /**
     * The operators without those that only compute a zero initial state for recurrent nodes: a
     * {@code ConstantOfShape} of 0 read only as a recurrent node's {@code initial_h} or {@code
     * initial_c}, and the shape arithmetic ({@code Shape}, {@code Gather}, {@code Concat}, ...)
     * that sizes it from the input's batch dimension, as {@code torch.onnx.export} writes for a
     * dynamic batch. Their outputs go into {@link #zeros}; anything else is left for the walk,
     * which refuses what it does not read.
     */
    private List<NodeProto> withoutZeroStates(List<NodeProto> operators, String graphOutput) throws OnnxException {
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> readers = new HashMap<>();
        for (NodeProto node : operators) {
            node.getOutputList().forEach(o -> producer.put(o, node));
            for (String in : node.getInputList()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
        // the zeros, and the slices of them that a stack of layers (num_layers > 1) reads, one per layer
        Set<NodeProto> fills = new HashSet<>();
        Set<NodeProto> states = new HashSet<>();
        for (NodeProto node : operators) {
            if (node.getOpType().equals("ConstantOfShape")
                    && node.getOutputCount() == 1
                    && !node.getOutput(0).equals(graphOutput)
                    && readsAsInitialState(node.getOutput(0), readers, true)) {
                if (!zeroFill(node)) {
                    NodeProto reader = readers.get(node.getOutput(0)).get(0);
                    String role = reader.getInputList().indexOf(node.getOutput(0)) == 5 ? "initial_h" : "initial_c";
                    throw fail(describe(reader) + " starts from " + role + " '" + node.getOutput(0) + "', which "
                            + describe(node) + " fills with " + fillDescription(node) + " (expected zeros): Chainrule's"
                            + " recurrent layers start from a zero state");
                }
                fills.add(node);
                states.add(node);
                for (NodeProto reader : readers.get(node.getOutput(0))) {
                    if (reader.getOpType().equals("Slice")) {
                        states.add(reader);
                    }
                }
            }
        }
        if (states.isEmpty()) {
            return operators;
        }
        Set<NodeProto> removed = new HashSet<>(states);
        List<String> pending = new ArrayList<>();
        fills.forEach(n -> pending.addAll(n.getInputList()));
        while (!pending.isEmpty()) {
            NodeProto from = producer.get(pending.remove(pending.size() - 1));
            if (from == null || removed.contains(from)) {
                continue;
            }
            if (!SHAPE_ARITHMETIC.contains(from.getOpType())) {
                return operators;
            }
            removed.add(from);
            if (!from.getOpType().equals("Shape")) {
                pending.addAll(from.getInputList());
            }
        }
        for (NodeProto node : removed) {
            for (String out : node.getOutputList()) {
                if (out.equals(graphOutput)) {
                    return operators;
                }
                for (NodeProto reader : readers.getOrDefault(out, List.of())) {
                    if (!removed.contains(reader)
                            && !(states.contains(node) && RECURRENT.contains(reader.getOpType()))) {
                        return operators;
                    }
                }
            }
        }
        // a node whose output only a removed Shape read (PyTorch sizes a layer's state from a transpose the layer
        // skips)
        boolean more = true;
        while (more) {
            more = false;
            for (NodeProto node : operators) {
                if (removed.contains(node)
                        || !Set.of("Transpose", "Squeeze", "Unsqueeze", "Identity")
                                .contains(node.getOpType())
                        || node.getOutputCount() != 1
                        || node.getOutput(0).equals(graphOutput)) {
                    continue;
                }
                List<NodeProto> r = readers.getOrDefault(node.getOutput(0), List.of());
                if (!r.isEmpty() && removed.containsAll(r)) {
                    removed.add(node);
                    more = true;
                }
            }
        }
        states.forEach(n -> zeros.add(n.getOutput(0)));
        List<NodeProto> kept = new ArrayList<>();
        for (NodeProto node : operators) {
            if (!removed.contains(node)) {
                kept.add(node);
            }
        }
        return kept;
    }

    /**
     * The operators with the last state of a stack of layers ({@code num_layers > 1}) read from
     * its last layer: PyTorch concatenates every layer's {@code Y_h} on axis 0 for {@code h_n},
     * and {@code h_n[-1]} is a {@code Gather} of index -1 of that, which is the last layer's
     * {@code Y_h}. Any other {@code Concat} is left for the walk, which refuses it.
     */
    private List<NodeProto> withLastStatesOfStacks(List<NodeProto> operators) {
        Map<String, NodeProto> producer = new HashMap<>();
        Map<String, List<NodeProto>> readers = new HashMap<>();
        for (NodeProto node : operators) {
            node.getOutputList().forEach(o -> producer.put(o, node));
            for (String in : node.getInputList()) {
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
        }
        Map<NodeProto, NodeProto> replaced = new HashMap<>();
        Set<NodeProto> dropped = new HashSet<>();
        for (NodeProto concat : operators) {
            if (!concat.getOpType().equals("Concat")
                    || concat.getOutputCount() != 1
                    || intAttribute(concat, "axis", -99) != 0
                    || concat.getInputCount() < 2) {
                continue;
            }
            boolean states = true;
            for (String in : concat.getInputList()) {
                NodeProto from = producer.get(in);
                states &= from != null
                        && RECURRENT.contains(from.getOpType())
                        && from.getOutputCount() > 1
                        && from.getOutput(1).equals(in)
                        && intAttribute(from, "layout", 0) == 0
                        && readers.get(in).size() == 1;
            }
            List<NodeProto> r = readers.getOrDefault(concat.getOutput(0), List.of());
            if (!states
                    || r.size() != 1
                    || !r.get(0).getOpType().equals("Gather")
                    || intAttribute(r.get(0), "axis", 0) != 0
                    || r.get(0).getInputCount() != 2
                    || !constants.containsKey(r.get(0).getInput(1))) {
                continue;
            }
            TensorProto index = constants.get(r.get(0).getInput(1));
            try {
                Tensors.check(index);
                long[] i = Tensors.integers(index);
                if (!Tensors.dimensions(index).isEmpty() || i[0] != -1 && i[0] != concat.getInputCount() - 1) {
                    continue;
                }
            } catch (Tensors.Refused e) {
                continue;
            }
            dropped.add(concat);
            replaced.put(
                    r.get(0),
                    r.get(0).toBuilder()
                            .setInput(0, concat.getInput(concat.getInputCount() - 1))
                            .build());
        }
        if (dropped.isEmpty()) {
            return operators;
        }
        List<NodeProto> kept = new ArrayList<>();
        for (NodeProto node : operators) {
            if (!dropped.contains(node)) {
                kept.add(replaced.getOrDefault(node, node));
            }
        }
        return kept;
    }

    /** Whether a {@code ConstantOfShape} fills with zeros (its default) and has no other attribute. */
    private static boolean zeroFill(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (!a.getName().equals("value")) {
                return false;
            }
            TensorProto t = a.getT();
            int type = t.getDataType();
            try {
                Tensors.check(t);
                if (type == TensorProto.DataType.FLOAT_VALUE || type == TensorProto.DataType.DOUBLE_VALUE) {
                    for (double v : Tensors.values(t)) {
                        if (v != 0) {
                            return false;
                        }
                    }
                } else {
                    return false;
                }
            } catch (Tensors.Refused e) {
                return false;
            }
        }
        return true;
    }

    private static String fillDescription(NodeProto node) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("value")) {
                try {
                    Tensors.check(a.getT());
                    return java.util.Arrays.toString(Tensors.values(a.getT()));
                } catch (Tensors.Refused e) {
                    return "a value Chainrule does not read (" + e.getMessage() + ")";
                }
            }
        }
        return "attributes "
                + node.getAttributeList().stream().map(AttributeProto::getName).toList();
    }

    /** Whether only recurrent nodes read {@code tensor}, as an initial state (or slices of it, with {@code slices}). */
    private static boolean readsAsInitialState(String tensor, Map<String, List<NodeProto>> readers, boolean slices) {
        List<NodeProto> r = readers.getOrDefault(tensor, List.of());
        if (r.isEmpty()) {
            return false;
        }
        for (NodeProto reader : r) {
            if (slices
                    && reader.getOpType().equals("Slice")
                    && reader.getInput(0).equals(tensor)
                    && reader.getOutputCount() == 1
                    && readsAsInitialState(reader.getOutput(0), readers, false)) {
                continue;
            }
            if (!RECURRENT.contains(reader.getOpType())) {
                return false;
            }
            for (int i = 0; i < reader.getInputCount(); i++) {
                if (reader.getInput(i).equals(tensor) && i != 5 && i != 6) {
                    return false;
                }
            }
        }
        return true;
    }

    // --- the walk ---

    private void layer(NodeProto node) throws OnnxException {
        requireReadsCurrent(node);
        switch (node.getOpType()) {
            case "Identity", "Dropout" -> passThrough(node);
            case "Pad" -> zeroPad(node);
            case "Flatten" -> flatten(node);
            case "Reshape" -> reshape(node);
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Conv" -> conv(node);
            case "MaxPool", "AveragePool" -> pool(node);
            case "GlobalAveragePool" -> globalPool(node);
            case "RNN", "LSTM", "GRU" -> recurrent(node);
            case "Transpose" -> transpose(node);
            case "Squeeze" -> squeeze(node);
            case "Gather" -> gather(node);
            case "Slice" -> slice(node);
            case "Shape" ->
                throw fail(describe(node) + " reads the shape of '" + current + "' at run time, as"
                        + " x.view(x.size(0), -1) exports; Chainrule reads a flatten of fixed sizes: use torch.flatten(x, 1)"
                        + " or nn.Flatten()");
            default -> {
                if (ELEMENT_WISE.contains(node.getOpType()) || node.getOpType().equals("Softmax")) {
                    throw fail(describe(node) + " follows "
                            + (layers.isEmpty()
                                    ? "the input"
                                    : "a "
                                            + layers.get(layers.size() - 1)
                                                    .spec()
                                                    .kind()
                                                    .label() + " layer")
                            + "; Chainrule applies activations only as part of a dense layer or a convolution");
                }
                throw unsupported(node);
            }
        }
    }

    private OnnxException unsupported(NodeProto node) {
        if (node.getOpType().equals("Erf")) {
            return fail(describe(node) + ": the exact, erf-based GELU; Chainrule's GELU is the tanh approximation"
                    + " (PyTorch's nn.GELU(approximate='tanh'))");
        }
        return fail(describe(node) + ": operator " + node.getOpType() + " is not one Chainrule imports (it reads Gemm,"
                + " MatMul, Add, Conv, MaxPool, AveragePool, GlobalAveragePool, RNN, LSTM, GRU, Flatten, Reshape,"
                + " Softmax, Identity, Dropout, Pad of zeros, element-wise activations, and Transpose, Squeeze, Gather"
                + " and Slice around recurrent nodes)");
    }

    /** Refuses an attribute the operator does not define or Chainrule would ignore. */
    private void checkAttributes(NodeProto node) throws OnnxException {
        Set<String> known = ATTRIBUTES.get(node.getOpType());
        if (known == null) {
            return; // refused by operator elsewhere
        }
        for (AttributeProto a : node.getAttributeList()) {
            if (!known.contains(a.getName())) {
                throw fail(describe(node) + " has attribute '" + a.getName() + "', which Chainrule does not read for "
                        + node.getOpType());
            }
        }
    }

    private void requireReadsCurrent(NodeProto node) throws OnnxException {
        checkAttributes(node);
        if (node.getInputCount() == 0 || !node.getInput(0).equals(current)) {
            throw fail(describe(node) + " reads "
                    + (node.getInputCount() == 0 ? "nothing" : "'" + node.getInput(0) + "'")
                    + " where the chain of layers has reached '" + current + "': Chainrule reads a chain of layers,"
                    + " each reading the one before");
        }
        for (int i = 1; i < node.getInputCount(); i++) {
            String in = node.getInput(i);
            if (!in.isEmpty() && !constants.containsKey(in) && !zeros.contains(in)) {
                if (RECURRENT.contains(node.getOpType()) && (i == 5 || i == 6)) {
                    throw fail(describe(node) + " reads its initial state " + (i == 5 ? "initial_h" : "initial_c")
                            + " '" + in + "', which is computed in the graph and not a ConstantOfShape of zeros;"
                            + " Chainrule's recurrent layers start from a zero state");
                }
                throw fail(describe(node) + " reads '" + in + "' as its input " + i
                        + ", which is computed in the graph; Chainrule needs it to be an initializer or a constant");
            }
        }
    }

    private void consume(NodeProto node) throws OnnxException {
        int outputs = 0;
        for (int i = 0; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty() && i > 0) {
                outputs++;
            }
        }
        if (outputs > 0 && !node.getOpType().equals("Dropout")) {
            throw fail(describe(node) + " has " + (outputs + 1) + " outputs; Chainrule reads only the first");
        }
        current = node.getOutput(0);
        next++;
    }

    private void passThrough(NodeProto node) throws OnnxException {
        if (node.getOpType().equals("Dropout")) {
            if (node.getInputCount() > 2 && !node.getInput(2).isEmpty() && training(constant(node, 2))) {
                throw fail(describe(node) + " drops values (training_mode true); export the model for inference");
            }
            for (int i = 1; i < node.getOutputCount(); i++) {
                if (!node.getOutput(i).isEmpty() && readByLaterNode(node.getOutput(i))) {
                    throw fail(describe(node) + " gives its mask '" + node.getOutput(i) + "' to another node");
                }
            }
        }
        consume(node);
    }

    /**
     * A {@code Pad} that adds nothing, as PyTorch 1.13 writes before {@code AveragePool}: passed
     * through. One that pads is refused: Chainrule pads only inside a convolution.
     */
    private void zeroPad(NodeProto node) throws OnnxException {
        long[] pads = node.getInputCount() > 1
                ? Tensors.integers(constant(node, 1))
                : intsAttribute(node, "pads", new long[0]);
        for (long pad : pads) {
            if (pad != 0) {
                throw fail(describe(node) + " pads '" + current + "' by " + java.util.Arrays.toString(pads)
                        + "; Chainrule pads only inside a convolution (its pads attribute)");
            }
        }
        consume(node);
    }

    /** Whether a Dropout's {@code training_mode} tensor says true (any non-zero value, as BOOL stores it). */
    private static boolean training(TensorProto mode) {
        if (mode.hasRawData()) {
            for (byte b : mode.getRawData().toByteArray()) {
                if (b != 0) {
                    return true;
                }
            }
            return false;
        }
        return mode.getInt32DataList().stream().anyMatch(v -> v != 0)
                || mode.getInt64DataList().stream().anyMatch(v -> v != 0);
    }

    private boolean readByLaterNode(String tensor) {
        for (NodeProto n : nodes) {
            if (n.getInputList().contains(tensor)) {
                return true;
            }
        }
        return false;
    }

    private void flatten(NodeProto node) throws OnnxException {
        long axis = intAttribute(node, "axis", 1);
        if (axis != 1) {
            throw fail(
                    describe(node) + " flattens from axis " + axis + "; Chainrule flattens each sample, from axis 1");
        }
        if (axes.charAt(0) != 'N') {
            throw fail(describe(node) + " flattens '" + current + "' of axes " + axesDescription(axes)
                    + " from axis 1, which mixes the samples of a batch; Chainrule flattens [batch, ...]");
        }
        consume(node);
        shape = Shape.features(shape.size());
        axes = "NF";
        sequenceLayer = -1;
    }

    private void reshape(NodeProto node) throws OnnxException {
        if (node.getInputCount() < 2) {
            throw fail(describe(node) + " has no shape input (opset " + opset + ")");
        }
        long[] target = Tensors.integers(constant(node, 1));
        int size = shape.size();
        if (intAttribute(node, "allowzero", 0) != 0 && target.length > 0 && target[0] == 0) {
            throw fail(describe(node) + " reshapes to a batch of 0 rows (allowzero 1 with shape "
                    + java.util.Arrays.toString(target) + ")");
        }
        boolean flat = target.length == 2
                && (target[0] == -1 || target[0] == 0)
                && (target[1] == -1 || target[1] == size)
                && !(target[0] == -1 && target[1] == -1);
        if (!flat) {
            throw fail(describe(node) + " reshapes '" + current + "' (" + shape.describe() + " per sample) to "
                    + java.util.Arrays.toString(target) + "; Chainrule reads a reshape to [-1, " + size + "] or [0, -1]"
                    + " before a dense layer");
        }
        if ((target[0] == 0 ? axes : axes.replace("1", "")).charAt(0) != 'N') {
            throw fail(describe(node) + " reshapes '" + current + "' of axes " + axesDescription(axes) + " to "
                    + java.util.Arrays.toString(target) + ", which mixes the samples of a batch");
        }
        consume(node);
        shape = Shape.features(size);
        axes = "NF";
        sequenceLayer = -1;
    }

    private void gemm(NodeProto node) throws OnnxException {
        requireFeatures(node);
        if (!axes.equals("NF")) {
            throw fail(describe(node) + " reads '" + current + "' of axes " + axesDescription(axes) + "; a Gemm reads a"
                    + " matrix [batch, features]" + (axes.contains("1") ? " (squeeze the axis of size 1 first)" : ""));
        }
        if (floatAttribute(node, "alpha", 1) != 1 || intAttribute(node, "transA", 0) != 0) {
            throw fail(describe(node) + " scales its input (alpha " + floatAttribute(node, "alpha", 1) + ", transA "
                    + intAttribute(node, "transA", 0) + "); Chainrule reads alpha 1 and transA 0");
        }
        boolean transposed = intAttribute(node, "transB", 0) != 0;
        boolean hasBias = node.getInputCount() > 2 && !node.getInput(2).isEmpty();
        if (hasBias && floatAttribute(node, "beta", 1) != 1) {
            throw fail(describe(node) + " scales its biases by beta " + floatAttribute(node, "beta", 1)
                    + "; Chainrule reads beta 1");
        }
        if (node.getInputCount() < 2) {
            throw fail(describe(node) + " has no weights");
        }
        TensorProto weights = constant(node, 1);
        List<Integer> dims = Tensors.dimensions(weights);
        if (dims.size() != 2) {
            throw fail(describe(node) + ": weights '" + weights.getName() + "' have dimensions " + dims
                    + ", a Gemm's are a matrix");
        }
        int in = transposed ? dims.get(1) : dims.get(0);
        int out = transposed ? dims.get(0) : dims.get(1);
        checkInputs(node, weights, dims, in, transposed ? "[units][inputs] (transB 1)" : "[inputs][units]");
        double[] w = Tensors.values(weights);
        double[] kernel = transposed ? transpose(w, out, in) : w;
        double[] biases = hasBias ? biases(node, constant(node, 2), out) : new double[out];
        String name = layerName(weights.getName(), node);
        consume(node);
        dense(name, describe(node), kernel, biases, out);
    }

    private void matMul(NodeProto node) throws OnnxException {
        requireFeatures(node);
        if (axes.charAt(axes.length() - 1) != 'F') {
            throw fail(describe(node) + " multiplies '" + current + "' of axes " + axesDescription(axes)
                    + " over its last axis, which is not its features");
        }
        TensorProto weights = constant(node, 1);
        List<Integer> dims = Tensors.dimensions(weights);
        if (dims.size() != 2) {
            throw fail(describe(node) + ": weights '" + weights.getName() + "' have dimensions " + dims
                    + "; Chainrule reads a matrix of [inputs][units]");
        }
        int in = dims.get(0);
        int out = dims.get(1);
        checkInputs(node, weights, dims, in, "[inputs][units]");
        double[] kernel = Tensors.values(weights);
        boolean perStep = shape instanceof Shape.Sequence;
        String name = layerName(weights.getName(), node);
        String nodesRead = describe(node);
        consume(node);
        double[] biases = new double[out];
        NodeProto add = next < nodes.size() ? nodes.get(next) : null;
        if (add != null
                && add.getOpType().equals("Add")
                && add.getInputCount() == 2
                && add.getInputList().contains(current)) {
            String other = add.getInput(0).equals(current) ? add.getInput(1) : add.getInput(0);
            TensorProto bias = constants.get(other);
            if (bias != null && Tensors.count(Tensors.dimensions(bias)) == out) {
                biases = biases(add, bias, out);
                nodesRead += " and " + describe(add);
                current = add.getOutput(0);
                next++;
            }
        }
        if (perStep) {
            Shape input = shape;
            Activation activation = activation(nodesRead, true);
            LayerSpec.StepDenseSpec spec = new LayerSpec.StepDenseSpec(name, out, activation);
            layers.add(new Layer(spec, input, nodesRead, kernel, biases));
            shape = spec.outputShape(input);
            sequenceLayer = -1;
        } else {
            dense(name, nodesRead, kernel, biases, out);
        }
    }

    private void dense(String name, String nodesRead, double[] kernel, double[] biases, int out) throws OnnxException {
        Shape input = shape;
        Activation activation = activation(nodesRead, true);
        LayerSpec.DenseSpec spec = LayerSpec.dense(name, out, activation);
        layers.add(new Layer(spec, input, nodesRead, kernel, biases));
        shape = spec.outputShape(input);
        sequenceLayer = -1;
    }

    private void checkInputs(NodeProto node, TensorProto weights, List<Integer> dims, int in, String layout)
            throws OnnxException {
        int features = shape instanceof Shape.Sequence sequence ? sequence.features() : shape.size();
        if (in != features) {
            throw fail(describe(node) + ": weights '" + weights.getName() + "' of " + dims + " read " + in
                    + " inputs as " + layout + ", but the layer before gives " + features
                    + (shape instanceof Shape.Sequence ? " per step" : ""));
        }
    }

    private void requireFeatures(NodeProto node) throws OnnxException {
        if (shape instanceof Shape.Image image) {
            throw fail(describe(node) + " reads '" + current + "', an image of " + image.describe()
                    + "; put a Flatten before a dense layer");
        }
    }

    /** Biases of {@code count} units: a vector of them ({@code [count]} or {@code [1, count]}), or one value for all. */
    private double[] biases(NodeProto node, TensorProto bias, int count) throws OnnxException {
        List<Integer> dims = Tensors.dimensions(bias);
        boolean vector = dims.equals(List.of(count)) || dims.equals(List.of(1, count));
        boolean scalar = dims.isEmpty() || dims.equals(List.of(1)) || dims.equals(List.of(1, 1));
        if (!vector && !scalar) {
            throw fail(describe(node) + ": biases '" + bias.getName() + "' have dimensions " + dims + ", expected ["
                    + count + "]");
        }
        double[] values = Tensors.values(bias);
        if (vector) {
            return values;
        }
        double[] broadcast = new double[count];
        java.util.Arrays.fill(broadcast, values[0]);
        return broadcast;
    }

    private static double[] transpose(double[] w, int rows, int columns) {
        double[] t = new double[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                t[c * rows + r] = w[r * columns + c];
            }
        }
        return t;
    }

    private void conv(NodeProto node) throws OnnxException {
        Shape.Image image = requireImage(node);
        if (node.getInputCount() < 2) {
            throw fail(describe(node) + " has no kernel");
        }
        TensorProto weights = constant(node, 1);
        List<Integer> dims = Tensors.dimensions(weights);
        if (dims.size() != 4) {
            throw fail(describe(node) + ": kernel '" + weights.getName() + "' has dimensions " + dims
                    + "; Chainrule reads a 2-D convolution's [filters][channels][kh][kw]");
        }
        if (intAttribute(node, "group", 1) != 1) {
            throw fail(describe(node) + " is a grouped convolution (group " + intAttribute(node, "group", 1)
                    + "); Chainrule's convolutions read every channel");
        }
        if (dims.get(1) != image.channels()) {
            throw fail(describe(node) + ": kernel '" + weights.getName() + "' of " + dims + " reads " + dims.get(1)
                    + " channels, but its input '" + current + "' has " + image.channels());
        }
        int filters = dims.get(0);
        int kh = dims.get(2);
        int kw = dims.get(3);
        long[] kernelShape = intsAttribute(node, "kernel_shape", new long[] {kh, kw});
        if (kernelShape.length != 2 || kernelShape[0] != kh || kernelShape[1] != kw) {
            throw fail(describe(node) + " declares kernel_shape " + java.util.Arrays.toString(kernelShape)
                    + " for a kernel of " + kh + "x" + kw);
        }
        requireOnes(node, "dilations");
        long[] strides = pair(node, "strides");
        Padding padding;
        int padHeight = 0;
        int padWidth = 0;
        String autoPad = stringAttribute(node, "auto_pad", "NOTSET");
        long[] pads = intsAttribute(node, "pads", new long[4]);
        if (pads.length != 4) {
            throw fail(describe(node) + " has pads " + java.util.Arrays.toString(pads) + "; a 2-D convolution has 4");
        }
        int sh = checkedInt(node, "strides", strides[0]);
        int sw = checkedInt(node, "strides", strides[1]);
        Window sameRows = Window.same(image.height(), kh, sh);
        Window sameColumns = Window.same(image.width(), kw, sw);
        switch (autoPad) {
            case "NOTSET" -> {
                if (pads[0] == pads[2] && pads[1] == pads[3]) {
                    padding = Padding.VALID;
                    padHeight = checkedInt(node, "pads", pads[0]);
                    padWidth = checkedInt(node, "pads", pads[1]);
                } else if (pads[0] == sameRows.padBefore()
                        && pads[2] == sameRows.padAfter()
                        && pads[1] == sameColumns.padBefore()
                        && pads[3] == sameColumns.padAfter()) {
                    padding = Padding.SAME;
                } else {
                    throw fail(describe(node) + " pads " + java.util.Arrays.toString(pads) + " (top, left, bottom,"
                            + " right): neither the same on both sides nor SAME's for this input");
                }
            }
            case "VALID" -> padding = Padding.VALID;
            case "SAME_UPPER" -> padding = Padding.SAME;
            default ->
                throw fail(describe(node) + " has auto_pad " + autoPad + "; Chainrule's SAME puts the odd zero"
                        + " after (SAME_UPPER)");
        }
        if (padHeight < 0 || padWidth < 0) {
            throw fail(describe(node) + " has negative pads " + java.util.Arrays.toString(pads));
        }
        double[] kernel = Tensors.values(weights);
        double[] biases = node.getInputCount() > 2 && !node.getInput(2).isEmpty()
                ? biases(node, constant(node, 2), filters)
                : new double[filters];
        String name = layerName(weights.getName(), node);
        String nodesRead = describe(node);
        consume(node);
        Activation activation = activation(nodesRead, false);
        LayerSpec.Conv2DSpec spec;
        try {
            spec = new LayerSpec.Conv2DSpec(name, filters, activation, kh, kw, sh, sw, padding, padHeight, padWidth);
            shape = spec.outputShape(image);
        } catch (IllegalArgumentException e) {
            throw fail(nodesRead + ": " + e.getMessage());
        }
        layers.add(new Layer(spec, image, nodesRead, kernel, biases));
    }

    private void pool(NodeProto node) throws OnnxException {
        Shape.Image image = requireImage(node);
        long[] window = intsAttribute(node, "kernel_shape", new long[0]);
        if (window.length != 2) {
            throw fail(describe(node) + " has kernel_shape " + java.util.Arrays.toString(window)
                    + "; a 2-D pooling has 2");
        }
        long[] strides = pair(node, "strides");
        requireOnes(node, "dilations");
        for (long pad : intsAttribute(node, "pads", new long[4])) {
            if (pad != 0) {
                throw fail(describe(node) + " pads its input "
                        + java.util.Arrays.toString(intsAttribute(node, "pads", null))
                        + "; Chainrule's pooling layers do not pad");
            }
        }
        String autoPad = stringAttribute(node, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw fail(describe(node) + " has auto_pad " + autoPad + "; Chainrule's pooling layers do not pad");
        }
        int wh = checkedInt(node, "kernel_shape", window[0]);
        int ww = checkedInt(node, "kernel_shape", window[1]);
        int sh = checkedInt(node, "strides", strides[0]);
        int sw = checkedInt(node, "strides", strides[1]);
        if (intAttribute(node, "ceil_mode", 0) != 0
                && image.height() >= wh
                && image.width() >= ww
                && ((image.height() - wh) % sh != 0 || (image.width() - ww) % sw != 0)) {
            throw fail(describe(node) + " rounds its output up (ceil_mode 1) over a " + image.describe()
                    + " input where that adds a partial window; Chainrule pools whole windows (floor mode)");
        }
        LayerSpec.Kind kind =
                node.getOpType().equals("MaxPool") ? LayerSpec.Kind.MAX_POOL2D : LayerSpec.Kind.AVG_POOL2D;
        String name = layerName(node.getName(), node);
        String nodesRead = describe(node);
        consume(node);
        LayerSpec.Pool2DSpec spec;
        try {
            spec = new LayerSpec.Pool2DSpec(name, kind, image.channels(), wh, ww, sh, sw);
            shape = spec.outputShape(image);
        } catch (IllegalArgumentException e) {
            throw fail(nodesRead + ": " + e.getMessage());
        }
        layers.add(new Layer(spec, image, nodesRead, null, null));
    }

    private void globalPool(NodeProto node) throws OnnxException {
        Shape.Image image = requireImage(node);
        String nodesRead = describe(node);
        LayerSpec.GlobalAvgPool2DSpec spec =
                new LayerSpec.GlobalAvgPool2DSpec(layerName(node.getName(), node), image.channels());
        consume(node);
        shape = spec.outputShape(image);
        layers.add(new Layer(spec, image, nodesRead, null, null));
    }

    // --- recurrent layers and the nodes around them ---

    /**
     * An {@code RNN}, {@code LSTM} or {@code GRU} node: one forward layer from a zero state, with
     * the gate blocks of {@code W}, {@code R} and {@code B} reordered from ONNX's (LSTM i, o, f, c;
     * GRU z, r, h) to PyTorch's (i, f, g, o; r, z, n) and {@code B} split into the input and the
     * recurrent biases. Its output is its every state {@code Y} (a sequence) or its last state
     * {@code Y_h}, whichever the graph reads.
     */
    private void recurrent(NodeProto node) throws OnnxException {
        String op = node.getOpType();
        LayerSpec.Kind kind = switch (op) {
            case "LSTM" -> LayerSpec.Kind.LSTM;
            case "GRU" -> LayerSpec.Kind.GRU;
            default -> LayerSpec.Kind.SIMPLE_RNN;
        };
        int gates = kind.gates();
        long layout = intAttribute(node, "layout", 0);
        if (layout != 0 && layout != 1) {
            throw fail(describe(node) + " has layout " + layout + "; ONNX defines layout 0 ([steps, batch, features])"
                    + " and 1 ([batch, steps, features])");
        }
        String expectedAxes = layout == 0 ? "TNF" : "NTF";
        if (!(shape instanceof Shape.Sequence sequence) || !axes.equals(expectedAxes)) {
            throw fail(
                    describe(node) + " of layout " + layout + " reads its input X as " + axesDescription(expectedAxes)
                            + ", but '" + current + "' is "
                            + (shape instanceof Shape.Sequence
                                    ? axesDescription(axes)
                                    : shape.describe() + " per sample, not a sequence"));
        }
        String direction = stringAttribute(node, "direction", "forward");
        if (!direction.equals("forward")) {
            throw fail(describe(node) + " has direction '" + direction + "' (expected 'forward'): Chainrule's recurrent"
                    + " layers run forward over the steps, one direction each");
        }
        if (attribute(node, "clip") != null) {
            throw fail(describe(node) + " has clip " + floatAttribute(node, "clip", 0) + " (expected none): Chainrule's"
                    + " recurrent layers do not clip their gates' inputs");
        }
        for (String name : List.of("activation_alpha", "activation_beta")) {
            AttributeProto a = attribute(node, name);
            if (a != null && a.getFloatsCount() > 0) {
                throw fail(describe(node) + " has " + name + " " + a.getFloatsList() + " (expected none): Chainrule's"
                        + " recurrent activations take no parameters");
            }
        }
        Activation activation = Activation.TANH;
        List<String> defaults = switch (kind) {
            case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
            case GRU -> List.of("Sigmoid", "Tanh");
            default -> List.of("Tanh");
        };
        AttributeProto activations = attribute(node, "activations");
        if (activations != null) {
            List<String> found = new ArrayList<>();
            activations.getStringsList().forEach(b -> found.add(b.toStringUtf8()));
            boolean relu = kind == LayerSpec.Kind.SIMPLE_RNN && found.equals(List.of("Relu"));
            if (!found.equals(defaults) && !relu) {
                throw fail(describe(node) + " has activations " + found + " (expected " + defaults
                        + (kind == LayerSpec.Kind.SIMPLE_RNN ? " or [Relu]" : "") + "): Chainrule's " + kind.label()
                        + " layer "
                        + (kind == LayerSpec.Kind.SIMPLE_RNN
                                ? "applies tanh or relu"
                                : "has PyTorch's fixed activations"));
            }
            if (relu) {
                activation = Activation.RELU;
            }
        }
        if (kind == LayerSpec.Kind.LSTM && intAttribute(node, "input_forget", 0) != 0) {
            throw fail(describe(node) + " has input_forget " + intAttribute(node, "input_forget", 0) + " (expected 0):"
                    + " Chainrule's LSTM has independent input and forget gates");
        }
        if (kind == LayerSpec.Kind.GRU && intAttribute(node, "linear_before_reset", 0) != 1) {
            throw fail(describe(node) + " has linear_before_reset " + intAttribute(node, "linear_before_reset", 0)
                    + " (expected 1): Chainrule's GRU is PyTorch's, which applies the reset gate to the recurrent"
                    + " product after its biases (linear_before_reset = 1)");
        }
        String[] roles = {"X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"};
        if (node.getInputCount() > roles.length) {
            throw fail(describe(node) + " has " + node.getInputCount() + " inputs; " + op + " has at most "
                    + roles.length);
        }
        if (node.getInputCount() < 3
                || node.getInput(1).isEmpty()
                || node.getInput(2).isEmpty()) {
            throw fail(describe(node) + " has no "
                    + (node.getInputCount() < 2 || node.getInput(1).isEmpty() ? "W" : "R") + " (its weights)");
        }
        if (node.getInputCount() > 4 && !node.getInput(4).isEmpty()) {
            throw fail(describe(node) + " reads sequence_lens '" + node.getInput(4) + "' (expected none): every"
                    + " sequence of a Chainrule network has its declared " + sequence.steps() + " steps");
        }
        for (int i = 5; i < node.getInputCount() && i < 7; i++) {
            String in = node.getInput(i);
            if (in.isEmpty() || zeros.contains(in)) {
                continue;
            }
            for (double v : Tensors.values(constant(node, i))) {
                if (v != 0) {
                    throw fail(describe(node) + " starts from " + roles[i] + " '" + in + "', which holds " + v
                            + " (expected zeros): Chainrule's recurrent layers start from a zero state");
                }
            }
        }
        if (node.getInputCount() > 7 && !node.getInput(7).isEmpty()) {
            throw fail(describe(node) + " has peepholes P '" + node.getInput(7) + "' (expected none): Chainrule's LSTM"
                    + " has no peephole connections");
        }
        int f = sequence.features();
        TensorProto w = constant(node, 1);
        List<Integer> wDims = Tensors.dimensions(w);
        if (wDims.size() != 3
                || wDims.get(0) != 1
                || wDims.get(1) % gates != 0
                || wDims.get(1) == 0
                || wDims.get(2) != f) {
            throw fail(describe(node) + ": W '" + w.getName() + "' has dimensions " + wDims + "; expected [1, " + gates
                    + " x hidden_size, " + f + "] (one direction, " + gates + " gate" + (gates == 1 ? "" : "s")
                    + ", the "
                    + f + " features of its input)");
        }
        int h = wDims.get(1) / gates;
        AttributeProto hiddenSize = attribute(node, "hidden_size");
        if (hiddenSize != null && hiddenSize.getI() != h) {
            throw fail(describe(node) + " has hidden_size " + hiddenSize.getI() + ", but W '" + w.getName() + "' of "
                    + wDims + " holds " + gates + " gate" + (gates == 1 ? "" : "s") + " of " + h + " units");
        }
        TensorProto r = constant(node, 2);
        List<Integer> rDims = Tensors.dimensions(r);
        if (!rDims.equals(List.of(1, gates * h, h))) {
            throw fail(describe(node) + ": R '" + r.getName() + "' has dimensions " + rDims + "; expected "
                    + List.of(1, gates * h, h) + " (" + gates + " gate" + (gates == 1 ? "" : "s") + " of " + h
                    + " units)");
        }
        double[] b = new double[2 * gates * h];
        if (node.getInputCount() > 3 && !node.getInput(3).isEmpty()) {
            TensorProto bias = constant(node, 3);
            List<Integer> bDims = Tensors.dimensions(bias);
            if (!bDims.equals(List.of(1, 2 * gates * h))) {
                throw fail(describe(node) + ": B '" + bias.getName() + "' has dimensions " + bDims + "; expected "
                        + List.of(1, 2 * gates * h) + " (the input and the recurrent biases of " + gates + " gate"
                        + (gates == 1 ? "" : "s") + " of " + h + " units)");
            }
            b = Tensors.values(bias);
        }
        // ONNX's gate block k is PyTorch's block ORDER[k]: LSTM i,o,f,c = i,o,f,g; GRU z,r,h = z,r,n
        int[] order = switch (kind) {
            case LSTM -> new int[] {0, 3, 1, 2};
            case GRU -> new int[] {1, 0, 2};
            default -> new int[] {0};
        };
        double[] wv = Tensors.values(w);
        double[] rv = Tensors.values(r);
        double[] inputWeights = new double[wv.length];
        double[] recurrentWeights = new double[rv.length];
        double[] inputBiases = new double[gates * h];
        double[] recurrentBiases = new double[gates * h];
        for (int k = 0; k < gates; k++) {
            int to = order[k];
            System.arraycopy(wv, k * h * f, inputWeights, to * h * f, h * f);
            System.arraycopy(rv, k * h * h, recurrentWeights, to * h * h, h * h);
            System.arraycopy(b, k * h, inputBiases, to * h, h);
            System.arraycopy(b, (gates + k) * h, recurrentBiases, to * h, h);
        }
        // which output the graph goes on with: every state Y, or the last state Y_h (an LSTM's cell state Y_c is not a
        // layer's output)
        int used = -1;
        for (int i = 0; i < node.getOutputCount(); i++) {
            String out = node.getOutput(i);
            if (!out.isEmpty() && (readByLaterNode(out) || out.equals(graphOutput))) {
                if (i == 2) {
                    throw fail(describe(node) + " gives its cell state Y_c '" + out + "' to the graph; Chainrule's LSTM"
                            + " layer outputs its hidden states (Y or Y_h)");
                }
                if (used >= 0) {
                    throw fail(
                            describe(node) + " gives both Y '" + node.getOutput(0) + "' and Y_h '" + node.getOutput(1)
                                    + "' to the graph; Chainrule reads a chain of layers, each giving one output");
                }
                used = i;
            }
        }
        if (used < 0) {
            throw fail(describe(node) + ": nothing reads its outputs");
        }
        String name = layerName(w.getName(), node);
        Shape input = shape;
        LayerSpec.RecurrentSpec spec;
        try {
            spec = new LayerSpec.RecurrentSpec(name, kind, h, activation, used == 0);
        } catch (IllegalArgumentException e) {
            throw fail(describe(node) + ": " + e.getMessage());
        }
        layers.add(new Layer(
                spec, input, describe(node), List.of(inputWeights, recurrentWeights, inputBiases, recurrentBiases)));
        shape = spec.outputShape(input);
        current = node.getOutput(used);
        next++;
        if (used == 0) {
            axes = layout == 0 ? "T1NF" : "NT1F";
            sequenceLayer = layers.size() - 1;
        } else {
            axes = layout == 0 ? "1NF" : "N1F";
            sequenceLayer = -1;
        }
    }

    /** A permutation of the axes of a sequence or of a recurrent node's output, as PyTorch writes around batch_first layers. */
    private void transpose(NodeProto node) throws OnnxException {
        if (!axes.contains("T") && !axes.contains("1")) {
            throw unsupported(node);
        }
        long[] perm = intsAttribute(node, "perm", null);
        int rank = axes.length();
        if (perm == null) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        boolean[] seen = new boolean[rank];
        StringBuilder permuted = new StringBuilder();
        if (perm.length != rank) {
            throw fail(describe(node) + " has perm " + java.util.Arrays.toString(perm) + ", not a permutation of the "
                    + rank + " axes of '" + current + "' " + axesDescription(axes));
        }
        for (long p : perm) {
            if (p < 0 || p >= rank || seen[(int) p]) {
                throw fail(describe(node) + " has perm " + java.util.Arrays.toString(perm)
                        + ", not a permutation of the " + rank + " axes of '" + current + "' " + axesDescription(axes));
            }
            seen[(int) p] = true;
            permuted.append(axes.charAt((int) p));
        }
        consume(node);
        axes = permuted.toString();
    }

    /** The axes a {@code Squeeze} or {@code Gather} names, each checked and made non-negative. */
    private int axis(NodeProto node, long axis) throws OnnxException {
        int rank = axes.length();
        if (axis < -rank || axis >= rank) {
            throw fail(describe(node) + " names axis " + axis + " of '" + current + "', which has " + rank + " "
                    + axesDescription(axes));
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Removes axes of size one: a recurrent node's direction axis. */
    private void squeeze(NodeProto node) throws OnnxException {
        long[] squeezed = node.getInputCount() > 1 && !node.getInput(1).isEmpty()
                ? Tensors.integers(constant(node, 1))
                : intsAttribute(node, "axes", null);
        if (squeezed == null || squeezed.length == 0) {
            throw fail(describe(node) + " names no axes; Chainrule reads a Squeeze of the axes of size one it names");
        }
        boolean[] remove = new boolean[axes.length()];
        for (long a : squeezed) {
            int i = axis(node, a);
            if (axes.charAt(i) != '1') {
                throw fail(describe(node) + " squeezes axis " + a + " of '" + current + "' " + axesDescription(axes)
                        + ", which is not of size one");
            }
            remove[i] = true;
        }
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < axes.length(); i++) {
            if (!remove[i]) {
                kept.append(axes.charAt(i));
            }
        }
        consume(node);
        axes = kept.toString();
    }

    /** A {@code Gather} of one index: the one entry of an axis of size one, or a recurrent layer's last step. */
    private void gather(NodeProto node) throws OnnxException {
        if (node.getInputCount() < 2) {
            throw fail(describe(node) + " has no indices");
        }
        TensorProto indices = constant(node, 1);
        List<Integer> dims = Tensors.dimensions(indices);
        if (!dims.isEmpty() && !dims.equals(List.of(1))) {
            throw fail(describe(node) + " gathers indices of dimensions " + dims + "; Chainrule reads one index");
        }
        long index = Tensors.integers(indices)[0];
        int i = axis(node, intAttribute(node, "axis", 0));
        char letter = axes.charAt(i);
        int size = letter == 'T' ? ((Shape.Sequence) shape).steps() : 1;
        if (letter != 'T' && letter != '1') {
            throw fail(describe(node) + " picks index " + index + " of the " + axisName(letter) + " axis of '" + current
                    + "' " + axesDescription(axes) + "; Chainrule reads a Gather of a recurrent layer's last step");
        }
        if (index != -1 && index != size - 1) {
            throw fail(describe(node) + " picks step " + index + " of '" + current + "', which has " + size
                    + "; Chainrule" + " reads a recurrent layer's last step (index -1 or " + (size - 1) + ")");
        }
        if (letter == 'T') {
            lastStep(node);
        }
        consume(node);
        axes = dims.isEmpty()
                ? axes.substring(0, i) + axes.substring(i + 1)
                : axes.substring(0, i) + "1" + axes.substring(i + 1);
    }

    /** A {@code Slice} that keeps a whole axis, or the last step of a recurrent layer's states. */
    private void slice(NodeProto node) throws OnnxException {
        long[] starts;
        long[] ends;
        long[] sliced;
        long[] steps;
        if (opset < 10) {
            starts = intsAttribute(node, "starts", new long[0]);
            ends = intsAttribute(node, "ends", new long[0]);
            sliced = intsAttribute(node, "axes", null);
            steps = null;
        } else {
            if (node.getInputCount() < 3) {
                throw fail(describe(node) + " has no starts and ends");
            }
            starts = Tensors.integers(constant(node, 1));
            ends = Tensors.integers(constant(node, 2));
            sliced = node.getInputCount() > 3 && !node.getInput(3).isEmpty()
                    ? Tensors.integers(constant(node, 3))
                    : null;
            steps = node.getInputCount() > 4 && !node.getInput(4).isEmpty()
                    ? Tensors.integers(constant(node, 4))
                    : null;
        }
        if (sliced == null) {
            sliced = new long[starts.length];
            for (int k = 0; k < sliced.length; k++) {
                sliced[k] = k;
            }
        }
        if (starts.length != ends.length
                || sliced.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw fail(describe(node) + " has " + starts.length + " starts, " + ends.length + " ends and "
                    + sliced.length + " axes");
        }
        boolean last = false;
        char[] result = axes.toCharArray();
        for (int k = 0; k < starts.length; k++) {
            int i = axis(node, sliced[k]);
            char letter = axes.charAt(i);
            long step = steps == null ? 1 : steps[k];
            int size = letter == 'T' ? ((Shape.Sequence) shape).steps() : letter == '1' ? 1 : -1;
            long start = starts[k] < 0 ? starts[k] + size : starts[k];
            long end = ends[k] < 0 ? ends[k] + size : Math.min(ends[k], size);
            boolean whole = step == 1 && start <= 0 && end >= size;
            boolean lastStep = letter == 'T' && step == 1 && start == size - 1 && end >= size;
            if (size < 0 || !whole && !lastStep) {
                throw fail(describe(node) + " slices the " + axisName(letter) + " axis of '" + current + "' "
                        + axesDescription(axes) + " from " + starts[k] + " to " + ends[k]
                        + (step == 1 ? "" : " by " + step)
                        + "; Chainrule reads a Slice of a recurrent layer's last step");
            }
            if (lastStep && !whole) {
                last = true;
                result[i] = '1';
            }
        }
        if (last) {
            lastStep(node);
        }
        consume(node);
        axes = new String(result);
    }

    /** The recurrent layer whose states {@code current} holds writes its last state instead. */
    private void lastStep(NodeProto node) throws OnnxException {
        if (sequenceLayer < 0) {
            throw fail(
                    describe(node) + " takes the last step of '" + current + "', which is not the states of a recurrent"
                            + " layer; Chainrule reads a recurrent layer's last step as its last state (returnSequences = false)");
        }
        Layer layer = layers.get(sequenceLayer);
        LayerSpec.RecurrentSpec r = (LayerSpec.RecurrentSpec) layer.spec();
        LayerSpec.RecurrentSpec lastState =
                new LayerSpec.RecurrentSpec(r.name(), r.kind(), r.size(), r.activation(), false);
        layers.set(
                sequenceLayer,
                new Layer(lastState, layer.input(), layer.nodes() + " and " + describe(node), layer.parameters()));
        shape = Shape.features(r.size());
        sequenceLayer = -1;
    }

    private static String axisName(char letter) {
        return switch (letter) {
            case 'N' -> "batch";
            case 'T' -> "steps";
            case 'F' -> "features";
            case '1' -> "size-one";
            default -> "image";
        };
    }

    /** Axes as {@code [batch, steps, features]}. */
    static String axesDescription(String axes) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (char c : axes.toCharArray()) {
            j.add(
                    switch (c) {
                        case 'N' -> "batch";
                        case 'T' -> "steps";
                        case 'F' -> "features";
                        case '1' -> "1";
                        case 'C' -> "channels";
                        case 'H' -> "height";
                        default -> "width";
                    });
        }
        return j.toString();
    }

    private Shape.Image requireImage(NodeProto node) throws OnnxException {
        if (shape instanceof Shape.Image image) {
            return image;
        }
        throw fail(describe(node) + " reads '" + current + "', " + shape.size() + " flat features; it needs an image");
    }

    // --- activations ---

    /**
     * The activation that follows a dense layer or a convolution: {@code Softmax}, a run of
     * element-wise nodes recognised by what it computes, or none (identity).
     */
    private Activation activation(String layerNodes, boolean dense) throws OnnxException {
        NodeProto first = next < nodes.size() ? nodes.get(next) : null;
        if (first == null || first.getInputCount() == 0 || !first.getInput(0).equals(current)) {
            return Activation.IDENTITY;
        }
        if (first.getOpType().equals("Softmax") || first.getOpType().equals("LogSoftmax")) {
            if (!dense) {
                throw fail(describe(first) + " after " + layerNodes
                        + ": Chainrule's softmax is over a dense layer's units");
            }
            if (first.getOpType().equals("LogSoftmax")) {
                throw fail(describe(first) + ": Chainrule's outputs are softmax probabilities, not their logarithms;"
                        + " export the model with Softmax");
            }
            long axis = intAttribute(first, "axis", opset >= 13 ? -1 : 1);
            int last = axes.length() - 1;
            if (axis != last && axis != -1) {
                throw fail(describe(first) + " normalises over axis " + axis + " of " + axesDescription(axes)
                        + "; Chainrule's softmax is over the units (axis " + last + ")");
            }
            consume(first);
            return Activation.SOFTMAX;
        }
        List<NodeProto> run = new ArrayList<>();
        Set<String> produced = new HashSet<>(Set.of(current));
        int end = next;
        while (end < nodes.size()) {
            NodeProto node = nodes.get(end);
            if (node.getOpType().equals("Erf")) {
                throw unsupported(node);
            }
            if (!ELEMENT_WISE.contains(node.getOpType()) || !readsOnly(node, produced)) {
                break;
            }
            checkAttributes(node);
            run.add(node);
            produced.add(node.getOutput(0));
            end++;
        }
        if (run.isEmpty()) {
            return Activation.IDENTITY;
        }
        String z = current;
        String out = run.get(run.size() - 1).getOutput(0);
        double[] values = new double[PROBES.length];
        for (int p = 0; p < PROBES.length; p++) {
            Map<String, Double> env = new HashMap<>();
            env.put(z, PROBES[p]);
            for (NodeProto node : run) {
                env.put(node.getOutput(0), evaluate(node, env));
            }
            values[p] = env.get(out);
        }
        for (Activation activation : Activation.values()) {
            if (activation != Activation.SOFTMAX && computes(activation, values)) {
                for (NodeProto node : run) {
                    passThroughChecks(node);
                }
                current = out;
                next = end;
                return activation;
            }
        }
        StringJoiner names = new StringJoiner(", ");
        run.forEach(n -> names.add(describe(n)));
        throw fail(names + " after " + layerNodes + " compute an activation Chainrule does not have (at -1, 0 and 1: "
                + values[5] + ", " + values[10] + ", " + values[15] + "); it has "
                + java.util.Arrays.toString(Activation.values()).toLowerCase(java.util.Locale.ROOT));
    }

    private void passThroughChecks(NodeProto node) throws OnnxException {
        int outputs = 0;
        for (int i = 1; i < node.getOutputCount(); i++) {
            if (!node.getOutput(i).isEmpty()) {
                outputs++;
            }
        }
        if (outputs > 0 && !node.getOpType().equals("Dropout")) {
            throw fail(describe(node) + " has " + (outputs + 1) + " outputs; Chainrule reads only the first");
        }
    }

    /** Whether every input of {@code node} is in {@code produced} or a scalar constant, and one is in {@code produced}. */
    private boolean readsOnly(NodeProto node, Set<String> produced) throws OnnxException {
        if (node.getOutputCount() == 0) {
            return false;
        }
        boolean data = false;
        for (int i = 0; i < node.getInputCount(); i++) {
            String in = node.getInput(i);
            if (produced.contains(in)) {
                data = true;
            } else if (!in.isEmpty()
                    && (!constants.containsKey(in) || Tensors.count(Tensors.dimensions(constants.get(in))) != 1)) {
                return false;
            }
        }
        return data;
    }

    private double scalar(String name, Map<String, Double> env) throws OnnxException {
        Double value = env.get(name);
        if (value != null) {
            return value;
        }
        TensorProto t = constants.get(name);
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT_VALUE || type == TensorProto.DataType.DOUBLE_VALUE) {
            return Tensors.values(t)[0];
        }
        return Tensors.integers(t)[0];
    }

    private double evaluate(NodeProto node, Map<String, Double> env) throws OnnxException {
        double x = scalar(node.getInput(0), env);
        return switch (node.getOpType()) {
            case "Identity" -> x;
            case "Relu" -> x < 0 ? 0 : x;
            case "Sigmoid" -> 1 / (1 + Math.exp(-x));
            case "Tanh" -> Math.tanh(x);
            case "LeakyRelu" -> x >= 0 ? x : floatAttribute(node, "alpha", 0.01f) * x;
            case "Elu" -> x >= 0 ? x : floatAttribute(node, "alpha", 1) * Math.expm1(x);
            case "Softplus" -> Math.log1p(Math.exp(x));
            case "Gelu" -> {
                String approximate = stringAttribute(node, "approximate", "none");
                if (!approximate.equals("tanh")) {
                    throw fail(describe(node) + " is the exact GELU (approximate '" + approximate
                            + "'); Chainrule's GELU is the tanh approximation");
                }
                yield ActivationMathD.gelu(x);
            }
            case "Exp" -> Math.exp(x);
            case "Log" -> Math.log(x);
            case "Sqrt" -> Math.sqrt(x);
            case "Neg" -> -x;
            case "Abs" -> Math.abs(x);
            case "Reciprocal" -> 1 / x;
            case "Add" -> x + scalar(node.getInput(1), env);
            case "Sub" -> x - scalar(node.getInput(1), env);
            case "Mul" -> x * scalar(node.getInput(1), env);
            case "Div" -> x / scalar(node.getInput(1), env);
            case "Pow" -> Math.pow(x, scalar(node.getInput(1), env));
            default -> throw new IllegalStateException(node.getOpType());
        };
    }

    private static boolean computes(Activation activation, double[] values) {
        for (int p = 0; p < PROBES.length; p++) {
            double expected = apply(activation, PROBES[p]);
            if (!(Math.abs(values[p] - expected) <= 1e-6 * Math.max(1, Math.abs(expected)))) {
                return false;
            }
        }
        return true;
    }

    /** Chainrule's activation, in double. */
    static double apply(Activation activation, double z) {
        return switch (activation) {
            case IDENTITY -> z;
            case SIGMOID -> ActivationMathD.sigmoid(z);
            case TANH -> ActivationMathD.tanh(z);
            case RELU -> ActivationMathD.relu(z);
            case LEAKY_RELU -> ActivationMathD.leakyRelu(z);
            case ELU -> ActivationMathD.elu(z);
            case SOFTPLUS -> ActivationMathD.softplus(z);
            case GELU -> ActivationMathD.gelu(z);
            case SOFTMAX -> throw new IllegalArgumentException("softmax is not element-wise");
        };
    }

    // --- attributes and constants ---

    private TensorProto constant(NodeProto node, int input) throws OnnxException {
        String name = node.getInput(input);
        TensorProto t = constants.get(name);
        if (t == null) {
            throw fail(describe(node) + " reads '" + name + "' as input " + input
                    + ", which is not an initializer or a constant");
        }
        Tensors.check(t);
        return t;
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static long intAttribute(NodeProto node, String name, long otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getI();
    }

    private static double floatAttribute(NodeProto node, String name, float otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getF();
    }

    private static String stringAttribute(NodeProto node, String name, String otherwise) {
        AttributeProto a = attribute(node, name);
        return a == null ? otherwise : a.getS().toStringUtf8();
    }

    private static long[] intsAttribute(NodeProto node, String name, long[] otherwise) {
        AttributeProto a = attribute(node, name);
        if (a == null) {
            return otherwise;
        }
        long[] values = new long[a.getIntsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.getInts(i);
        }
        return values;
    }

    private long[] pair(NodeProto node, String name) throws OnnxException {
        long[] values = intsAttribute(node, name, new long[] {1, 1});
        if (values.length != 2) {
            throw fail(describe(node) + " has " + name + " " + java.util.Arrays.toString(values) + "; 2-D needs 2");
        }
        return values;
    }

    private void requireOnes(NodeProto node, String name) throws OnnxException {
        for (long v : pair(node, name)) {
            if (v != 1) {
                throw fail(describe(node) + " has " + name + " "
                        + java.util.Arrays.toString(intsAttribute(node, name, null)) + "; Chainrule reads " + name
                        + " of 1");
            }
        }
    }

    private int checkedInt(NodeProto node, String attribute, long value) throws OnnxException {
        if (value < 1 && !attribute.equals("pads") || value < 0 || value > Tensors.MAX_VALUES) {
            throw fail(describe(node) + " has " + attribute + " " + value + ", out of range");
        }
        return (int) value;
    }

    /**
     * A layer's name from its weights' name ({@code fc1.weight} gives {@code fc1}, {@code
     * MEMORY.W} gives {@code MEMORY}); for a name PyTorch made up ({@code onnx::LSTM_110}), from
     * the module path of the node ({@code /lstm/LSTM} gives {@code lstm}); else the node's name,
     * else its kind.
     */
    private String layerName(String tensorName, NodeProto node) {
        String name = tensorName;
        if (name.contains("::")) {
            String path = node.getName();
            int slash = path.lastIndexOf('/');
            name = slash > 0 ? path.substring(path.lastIndexOf('/', slash - 1) + 1, slash) : "";
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        if (name.isEmpty()) {
            name = node.getName().isEmpty() ? node.getOpType() + "_" + (layers.size() + 1) : node.getName();
        }
        return name;
    }
}
