package dev.chainrule.benchmarks.peers;

import dev.chainrule.benchmarks.Workload;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a relu/softmax network as an ONNX model (a serialised {@code onnx.ModelProto}), because
 * ONNX Runtime's Java API runs models but cannot build them.
 *
 * <p>The graph is, per dense layer {@code l}, {@code Gemm(h, W_l, b_l)} followed by {@code Relu}
 * on hidden layers and {@code Softmax} (last axis) on the output. Input {@code x} and output
 * {@code probabilities} are float matrices of shape {@code [N, features]} and {@code [N,
 * classes]}; {@code W_l} is a float initializer of shape {@code [inputs, units]}, which is
 * exactly Chainrule's input-major block, and {@code b_l} one of shape {@code [units]}. IR
 * version 8, default-domain opset 17.
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
    private static final int ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT

    private OnnxModelWriter() {}

    /** The ONNX model of {@code workload}'s network with {@code parameters} (Chainrule's layout). */
    static byte[] write(Workload workload, float[] parameters) {
        int[] sizes = workload.sizes();
        int layers = workload.denseLayers();
        Message graph = new Message().string(2, "chainrule_" + workload.network().replace('-', '_'));
        String h = INPUT;
        for (int l = 0; l < layers; l++) {
            String weights = "W" + l;
            String biases = "b" + l;
            String logits = "z" + l;
            boolean last = l == layers - 1;
            String activation = last ? OUTPUT : "h" + (l + 1);
            graph.message(1, node("gemm" + l, "Gemm", new String[] {h, weights, biases}, logits));
            Message act = node((last ? "softmax" : "relu") + l, last ? "Softmax" : "Relu", new String[] {logits}, activation);
            if (last) {
                act.message(5, new Message().string(1, "axis").varint(20, ATTRIBUTE_INT).varint(3, -1));
            }
            graph.message(1, act);
            float[] w = new float[sizes[l] * sizes[l + 1]];
            System.arraycopy(parameters, workload.weightIndex(l, 0, 0), w, 0, w.length);
            float[] b = new float[sizes[l + 1]];
            System.arraycopy(parameters, workload.biasIndex(l, 0), b, 0, b.length);
            graph.message(5, tensor(weights, w, sizes[l], sizes[l + 1]));
            graph.message(5, tensor(biases, b, sizes[l + 1]));
            h = activation;
        }
        graph.message(11, matrixValue(INPUT, sizes[0]));
        graph.message(12, matrixValue(OUTPUT, sizes[layers]));
        return new Message()
                .varint(1, IR_VERSION)
                .string(2, "chainrule-benchmarks")
                .message(7, graph)
                .message(8, new Message().string(1, "").varint(2, OPSET))
                .bytes();
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
