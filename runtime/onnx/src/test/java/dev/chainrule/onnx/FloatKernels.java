package dev.chainrule.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.chainrule.onnx.proto.OnnxProtos.AttributeProto;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import java.util.Set;

/**
 * ONNX Runtime's CPU provider has no {@code double} kernel for some operators (among them
 * {@code Conv}, {@code Elu}, {@code Softplus}, {@code AveragePool}, {@code
 * GlobalAveragePool}). To run a
 * double file all the same, the tests wrap each such node, and only those, in {@code Cast}s: its
 * inputs are narrowed to float, the operator runs in float, and its output is widened back.
 * Every other node, and every weight, stays as the file has it.
 */
final class FloatKernels {
    /** The operators Chainrule writes that ONNX Runtime 1.29 cannot run on doubles. */
    static final Set<String> WITHOUT_DOUBLE_KERNEL =
            Set.of("Conv", "Elu", "Softplus", "AveragePool", "GlobalAveragePool", "RNN", "LSTM", "GRU");

    private FloatKernels() {}

    static byte[] wrap(byte[] onnx) throws InvalidProtocolBufferException {
        return wrap(onnx, WITHOUT_DOUBLE_KERNEL);
    }

    /** Whether {@code onnx} has a node that {@link #wrap} wraps. */
    static boolean needsWrapping(byte[] onnx) throws InvalidProtocolBufferException {
        return ModelProto.parseFrom(onnx).getGraph().getNodeList().stream()
                .anyMatch(n -> WITHOUT_DOUBLE_KERNEL.contains(n.getOpType()));
    }

    static byte[] wrap(byte[] onnx, Set<String> ops) throws InvalidProtocolBufferException {
        ModelProto model = ModelProto.parseFrom(onnx);
        GraphProto.Builder graph = model.getGraph().toBuilder().clearNode();
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (!ops.contains(node.getOpType())) {
                graph.addNode(node);
                continue;
            }
            NodeProto.Builder narrowed = node.toBuilder().clearInput().clearOutput();
            for (String input : node.getInputList()) {
                String cast = input + ".as_float";
                graph.addNode(cast(input, cast, TensorProto.DataType.FLOAT));
                narrowed.addInput(cast);
            }
            for (String output : node.getOutputList()) {
                narrowed.addOutput(output + ".float");
            }
            graph.addNode(narrowed);
            for (String output : node.getOutputList()) {
                graph.addNode(cast(output + ".float", output, TensorProto.DataType.DOUBLE));
            }
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    private static NodeProto cast(String input, String output, TensorProto.DataType to) {
        return NodeProto.newBuilder()
                .setOpType("Cast")
                .setName(output + ".cast")
                .addInput(input)
                .addOutput(output)
                .addAttribute(AttributeProto.newBuilder()
                        .setName("to")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(to.getNumber()))
                .build();
    }
}
