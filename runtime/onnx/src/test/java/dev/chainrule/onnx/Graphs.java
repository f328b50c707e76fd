package dev.chainrule.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.chainrule.Model;
import dev.chainrule.onnx.proto.OnnxProtos.AttributeProto;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import java.util.function.Consumer;

/** Edits of exported graphs, for the import tests: the variants other exporters write, and broken files. */
final class Graphs {
    private Graphs() {}

    static ModelProto export(Model model) {
        try {
            return ModelProto.parseFrom(OnnxExport.toBytes(model));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code model}'s export with {@code edit} applied to its graph. */
    static byte[] edited(Model model, Consumer<GraphProto.Builder> edit) {
        ModelProto.Builder b = export(model).toBuilder();
        edit.accept(b.getGraphBuilder());
        return b.build().toByteArray();
    }

    static NodeProto.Builder node(GraphProto.Builder graph, String name) {
        for (NodeProto.Builder n : graph.getNodeBuilderList()) {
            if (n.getName().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name);
    }

    static int nodeIndex(GraphProto.Builder graph, String name) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            if (graph.getNode(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no node " + name);
    }

    static TensorProto.Builder initializer(GraphProto.Builder graph, String name) {
        for (TensorProto.Builder t : graph.getInitializerBuilderList()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    static int initializerIndex(GraphProto.Builder graph, String name) {
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    /** Replaces (or adds) an attribute of a node. */
    static void attribute(NodeProto.Builder node, AttributeProto attribute) {
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals(attribute.getName())) {
                node.setAttribute(i, attribute);
                return;
            }
        }
        node.addAttribute(attribute);
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value))
                .build();
    }

    /** The tensor's values moved from raw_data to float_data or double_data. */
    static TensorProto typed(TensorProto t) {
        double[] values = Tensors.values(t);
        TensorProto.Builder b = t.toBuilder().clearRawData();
        for (double v : values) {
            if (t.getDataType() == TensorProto.DataType.DOUBLE_VALUE) {
                b.addDoubleData(v);
            } else {
                b.addFloatData((float) v);
            }
        }
        return b.build();
    }

    /** A float tensor of the given values and dimensions, in raw_data. */
    static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(Tensors.rawFloats(values, 0, values.length));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** An INT64 tensor, such as Reshape's shape. */
    static TensorProto longs(String name, long... values) {
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }
}
