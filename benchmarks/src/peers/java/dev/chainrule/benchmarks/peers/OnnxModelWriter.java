package dev.chainrule.benchmarks.peers;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Shape;
import dev.chainrule.Window;
import dev.chainrule.benchmarks.Workload;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a workload's network as an ONNX model (a serialised {@code onnx.ModelProto}), because
 * ONNX Runtime's Java API runs models but cannot build them.
 *
 * <p>Input {@code x} and output {@code probabilities} are float matrices of shape {@code [N,
 * features]} and {@code [N, classes]}, whatever the network: an image input is the CHW-flattened
 * row that Chainrule reads. The graph follows the network's layers:
 * <ul>
 *   <li>an image input: {@code Reshape} to {@code [N, channels, height, width]};
 *   <li>a convolution: {@code Conv} with its kernels as a {@code [filters, channels, kh, kw]}
 *       initializer (exactly Chainrule's block, which is in PyTorch's and ONNX's order), its
 *       biases, strides and pads (top, left, bottom, right), then its activation;
 *   <li>max or average pooling: {@code MaxPool} or {@code AveragePool};
 *   <li>a dense layer: {@code Flatten} first if it reads an image (ONNX flattens NCHW as
 *       Chainrule does, channel by channel), then {@code Gemm(h, W, b)} with {@code W} of shape
 *       {@code [inputs, units]}, exactly Chainrule's input-major block, and {@code Relu} on
 *       hidden layers or {@code Softmax} (last axis) on the output;
 *   <li>an LSTM over the sequence input (many-to-one): see {@link #lstm}; {@link #writeStep}
 *       writes one streaming step with the state as inputs and outputs.
 * </ul>
 * IR version 8, default-domain opset 17.
 *
 * <p>Only the few protobuf constructs ONNX needs here are encoded: varints, length-delimited
 * strings, bytes and sub-messages, with field numbers from {@code onnx.proto}.
 */
final class OnnxModelWriter {
    static final String INPUT = "x";
    static final String OUTPUT = "probabilities";

    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int INT64 = 7; // TensorProto.DataType.INT64
    private static final int ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
    private static final int ATTRIBUTE_INTS = 7; // AttributeProto.AttributeType.INTS

    private OnnxModelWriter() {}

    /** The ONNX model of {@code workload}'s network with {@code parameters} (Chainrule's layout). */
    static byte[] write(Workload workload, float[] parameters) {
        NetworkSpec spec = workload.spec();
        List<LayerSpec> layers = spec.layers();
        Message graph = new Message().string(2, "chainrule_" + workload.network().replace('-', '_'));
        String h = INPUT;
        if (spec.shape(0) instanceof Shape.Image image) {
            graph.message(1, node("reshape_input", "Reshape", new String[] {h, "image_shape"}, "image"));
            graph.message(5, longTensor("image_shape", -1, image.channels(), image.height(), image.width()));
            h = "image";
        }
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            String name = layer.name().toLowerCase(Locale.ROOT);
            boolean last = i == layers.size() - 1;
            Shape in = spec.shape(i - 1);
            if (layer instanceof LayerSpec.Conv2DSpec conv) {
                Shape.Image image = (Shape.Image) in;
                Window rows = conv.rows(image);
                Window columns = conv.columns(image);
                graph.message(1, node(name, "Conv", new String[] {h, name + "_W", name + "_b"}, name + "_z")
                        .message(5, ints("kernel_shape", conv.kernelHeight(), conv.kernelWidth()))
                        .message(5, ints("strides", conv.strideHeight(), conv.strideWidth()))
                        .message(5, ints("pads", rows.padBefore(), columns.padBefore(), rows.padAfter(), columns.padAfter())));
                graph.message(5, tensor(name + "_W", block(parameters, workload.weights(i)),
                        conv.size(), image.channels(), conv.kernelHeight(), conv.kernelWidth()));
                graph.message(5, tensor(name + "_b", block(parameters, workload.biases(i)), conv.size()));
                h = activation(graph, name, conv.activation(), name + "_z", last);
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                String op = pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "MaxPool" : "AveragePool";
                graph.message(1, node(name, op, new String[] {h}, name + "_out")
                        .message(5, ints("kernel_shape", pool.windowHeight(), pool.windowWidth()))
                        .message(5, ints("strides", pool.strideHeight(), pool.strideWidth())));
                h = name + "_out";
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
                h = lstm(graph, workload, parameters, i, h, null);
            } else if (layer instanceof LayerSpec.DenseSpec dense) {
                if (in instanceof Shape.Image) {
                    graph.message(1, node(name + "_flatten", "Flatten", new String[] {h}, name + "_in")
                            .message(5, new Message().string(1, "axis").varint(20, ATTRIBUTE_INT).varint(3, 1)));
                    h = name + "_in";
                }
                graph.message(1, node(name, "Gemm", new String[] {h, name + "_W", name + "_b"}, name + "_z"));
                graph.message(5, tensor(name + "_W", block(parameters, workload.weights(i)), in.size(), dense.size()));
                graph.message(5, tensor(name + "_b", block(parameters, workload.biases(i)), dense.size()));
                h = activation(graph, name, dense.activation(), name + "_z", last);
            } else {
                throw new IllegalArgumentException("workload '" + workload.id() + "': layer " + layer.name() + " ("
                        + layer.kind().label() + ") has no ONNX translation here");
            }
        }
        if (!h.equals(OUTPUT)) {
            throw new IllegalArgumentException("workload '" + workload.id() + "': the last layer must be a dense softmax");
        }
        graph.message(11, matrixValue(INPUT, spec.inputSize()));
        graph.message(12, matrixValue(OUTPUT, spec.outputSize()));
        return new Message()
                .varint(1, IR_VERSION)
                .string(2, "chainrule-benchmarks")
                .message(7, graph)
                .message(8, new Message().string(1, "").varint(2, OPSET))
                .bytes();
    }

    static final String STEP_INPUT = "x_t";
    static final String STATE_H = "h";
    static final String STATE_C = "c";
    static final String NEXT_H = "h_next";
    static final String NEXT_C = "c_next";

    /**
     * The ONNX model of one streaming step of {@code workload}'s LSTM network: inputs {@code x_t}
     * {@code [1, features]}, the state {@code h} and cell {@code c}, each {@code [1, 1, units]};
     * outputs {@code probabilities} {@code [1, classes]} and the next state and cell, {@code
     * h_next} and {@code c_next}, which the caller feeds back as the next call's {@code h} and
     * {@code c}. The same nodes as {@link #write}'s, over a sequence of one step from the given
     * state.
     */
    static byte[] writeStep(Workload workload, float[] parameters) {
        NetworkSpec spec = workload.spec();
        Shape.Sequence sequence = (Shape.Sequence) spec.shape(0);
        LayerSpec.RecurrentSpec recurrent = (LayerSpec.RecurrentSpec) spec.layers().get(1);
        LayerSpec.DenseSpec dense = (LayerSpec.DenseSpec) spec.layers().get(2);
        if (spec.layers().size() != 3) {
            throw new IllegalArgumentException("workload '" + workload.id() + "': a step is written here for an LSTM then a dense softmax");
        }
        Message graph = new Message().string(2, "chainrule_" + workload.network() + "_step");
        String h = lstm(graph, workload, parameters, 1, STEP_INPUT, new String[] {STATE_H, STATE_C});
        String name = dense.name().toLowerCase(Locale.ROOT);
        graph.message(1, node(name, "Gemm", new String[] {h, name + "_W", name + "_b"}, name + "_z"));
        graph.message(5, tensor(name + "_W", block(parameters, workload.weights(2)), recurrent.size(), dense.size()));
        graph.message(5, tensor(name + "_b", block(parameters, workload.biases(2)), dense.size()));
        activation(graph, name, dense.activation(), name + "_z", true);
        graph.message(11, tensorValue(STEP_INPUT, 1, sequence.features()));
        graph.message(11, tensorValue(STATE_H, 1, 1, recurrent.size()));
        graph.message(11, tensorValue(STATE_C, 1, 1, recurrent.size()));
        graph.message(12, tensorValue(OUTPUT, 1, dense.size()));
        graph.message(12, tensorValue(NEXT_H, 1, 1, recurrent.size()));
        graph.message(12, tensorValue(NEXT_C, 1, 1, recurrent.size()));
        return new Message()
                .varint(1, IR_VERSION)
                .string(2, "chainrule-benchmarks")
                .message(7, graph)
                .message(8, new Message().string(1, "").varint(2, OPSET))
                .bytes();
    }

    /**
     * Appends layer {@code index}, an LSTM over the sequence input, and returns the name of its
     * last state, {@code [N, units]}: {@code Reshape} of the flat row to {@code [N, steps,
     * features]}, {@code Transpose} to ONNX's {@code [steps, N, features]} (ONNX Runtime's CPU
     * LSTM refuses {@code layout = 1}), {@code LSTM} and a {@code Reshape} of its {@code Y_h}
     * {@code [1, N, units]}. ONNX stacks the gates input, output, forget, cell where Chainrule
     * (and PyTorch) stack input, forget, cell, output, so every block is reordered: {@code W [1][4H][F]},
     * {@code R [1][4H][H]}, {@code B [1][8H]} (the input biases, then the recurrent ones). With
     * {@code state} (the names of {@code initial_h} and {@code initial_c}) the input is one step,
     * {@code [1, features]}, and the next state and cell are the outputs {@link #NEXT_H} and
     * {@link #NEXT_C}.
     */
    private static String lstm(Message graph, Workload workload, float[] parameters, int index, String x, String[] state) {
        NetworkSpec spec = workload.spec();
        LayerSpec.RecurrentSpec recurrent = (LayerSpec.RecurrentSpec) spec.layers().get(index);
        if (recurrent.kind() != LayerSpec.Kind.LSTM || recurrent.returnSequences() || index != 1) {
            throw new IllegalArgumentException("workload '" + workload.id() + "': layer " + recurrent.name()
                    + " has no ONNX translation here (an LSTM's last state over the input is)");
        }
        Shape.Sequence sequence = (Shape.Sequence) spec.shape(0);
        int units = recurrent.size();
        int steps = state == null ? sequence.steps() : 1;
        String name = recurrent.name().toLowerCase(Locale.ROOT);
        graph.message(1, node(name + "_reshape", "Reshape", new String[] {x, name + "_sequence_shape"}, name + "_batch_first"));
        graph.message(5, longTensor(name + "_sequence_shape", -1, steps, sequence.features()));
        graph.message(1, node(name + "_transpose", "Transpose", new String[] {name + "_batch_first"}, name + "_x")
                .message(5, ints("perm", 1, 0, 2)));
        float[] input = gatesInOnnxOrder(block(parameters, workload.weights(index)), units);
        float[] recurrentWeights = gatesInOnnxOrder(block(parameters, workload.block(index, ParameterBlock.Role.RECURRENT_WEIGHTS)), units);
        float[] biases = new float[8 * units];
        System.arraycopy(gatesInOnnxOrder(block(parameters, workload.biases(index)), units), 0, biases, 0, 4 * units);
        System.arraycopy(gatesInOnnxOrder(block(parameters, workload.block(index, ParameterBlock.Role.RECURRENT_BIASES)), units),
                0, biases, 4 * units, 4 * units);
        graph.message(5, tensor(name + "_W", input, 1, 4 * units, sequence.features()));
        graph.message(5, tensor(name + "_R", recurrentWeights, 1, 4 * units, units));
        graph.message(5, tensor(name + "_B", biases, 1, 8 * units));
        Message node = new Message();
        for (String in : state == null ? new String[] {name + "_x", name + "_W", name + "_R", name + "_B"}
                : new String[] {name + "_x", name + "_W", name + "_R", name + "_B", "", state[0], state[1]}) {
            node.string(1, in);
        }
        String last = state == null ? name + "_h_n" : NEXT_H;
        node.string(2, "").string(2, last);
        if (state != null) {
            node.string(2, NEXT_C);
        }
        graph.message(1, node.string(3, name).string(4, "LSTM")
                .message(5, new Message().string(1, "hidden_size").varint(20, ATTRIBUTE_INT).varint(3, units)));
        graph.message(1, node(name + "_last", "Reshape", new String[] {last, name + "_state_shape"}, name + "_h"));
        graph.message(5, longTensor(name + "_state_shape", -1, units));
        return name + "_h";
    }

    /** Rows of four gate blocks, Chainrule's input, forget, cell, output, restacked as ONNX's input, output, forget, cell. */
    static float[] gatesInOnnxOrder(float[] rows, int units) {
        int gate = rows.length / 4;
        float[] onnx = new float[rows.length];
        int[] from = {0, 3, 1, 2};
        for (int g = 0; g < 4; g++) {
            System.arraycopy(rows, from[g] * gate, onnx, g * gate, gate);
        }
        return onnx;
    }

    /** A ValueInfoProto for a float tensor of fixed shape. */
    private static Message tensorValue(String name, long... dims) {
        Message shape = new Message();
        for (long dim : dims) {
            shape.message(1, new Message().varint(1, dim));
        }
        Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    /**
     * Appends layer {@code name}'s activation of {@code z} and returns its output's name: the
     * softmax of the last layer is the graph's output; the identity adds no node.
     */
    private static String activation(Message graph, String name, Activation activation, String z, boolean last) {
        String op = switch (activation) {
            case IDENTITY -> null;
            case RELU -> "Relu";
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case SOFTMAX -> "Softmax";
            default -> throw new IllegalArgumentException("layer " + name + ": activation " + activation.label()
                    + " has no ONNX translation here");
        };
        if (op == null) {
            return z;
        }
        String out = last && activation == Activation.SOFTMAX ? OUTPUT : name + "_h";
        Message act = node(name + "_" + op.toLowerCase(Locale.ROOT), op, new String[] {z}, out);
        if (activation == Activation.SOFTMAX) {
            act.message(5, new Message().string(1, "axis").varint(20, ATTRIBUTE_INT).varint(3, -1));
        }
        graph.message(1, act);
        return out;
    }

    private static float[] block(float[] parameters, ParameterBlock block) {
        return Arrays.copyOfRange(parameters, block.offset(), block.offset() + block.size());
    }

    /** An INTS attribute. */
    private static Message ints(String name, long... values) {
        Message attribute = new Message().string(1, name);
        for (long value : values) {
            attribute.varint(8, value);
        }
        return attribute.varint(20, ATTRIBUTE_INTS);
    }

    /** A one-dimensional INT64 initializer. */
    private static Message longTensor(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return new Message().varint(1, values.length).varint(2, INT64).string(8, name).bytes(9, raw.array());
    }

    private static Message node(String name, String op, String[] inputs, String output) {
        Message node = new Message();
        for (String input : inputs) {
            node.string(1, input);
        }
        return node.string(2, output).string(3, name).string(4, op);
    }

    private static Message tensor(String name, float[] values, long... dims) {
        Message tensor = new Message();
        for (long dim : dims) {
            tensor.varint(1, dim);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    /** A ValueInfoProto for a float matrix of shape [N, columns]. */
    private static Message matrixValue(String name, int columns) {
        Message shape = new Message()
                .message(1, new Message().string(2, "N"))
                .message(1, new Message().varint(1, columns));
        Message tensorType = new Message().varint(1, FLOAT).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    /** A protobuf message being encoded: fields appended in the order given. */
    private static final class Message {
        private static final int VARINT = 0;
        private static final int LENGTH_DELIMITED = 2;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            tag(field, VARINT);
            raw(value);
            return this;
        }

        Message bytes(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message value) {
            return bytes(field, value.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            raw(((long) field << 3) | wireType);
        }

        /** Base-128 varint, low group first; negative values take ten bytes, as protobuf's int64 does. */
        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
