package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Model;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ways other exporters write the same layers all load into the declared network. */
class OnnxImportTest {

    /** Loads {@code onnx} into a fresh model and checks it now holds {@code source}'s parameters. */
    private static void loadsAs(Model source, byte[] onnx, Model fresh) throws Exception {
        OnnxImport.load(onnx, fresh);
        assertArrayEquals(ModelCases.parameters(source), ModelCases.parameters(fresh));
    }

    @Test
    void pyTorchLinearLayoutOutByInWithTransB() throws Exception {
        Networks_MlpModel source = new Networks_MlpModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            for (NodeProto.Builder n : g.getNodeBuilderList()) {
                if (n.getOpType().equals("Gemm")) {
                    TensorProto.Builder w = Graphs.initializer(g, n.getInput(1));
                    int in = (int) w.getDims(0);
                    int out = (int) w.getDims(1);
                    float[] values = floats(w.build());
                    float[] transposed = new float[values.length];
                    for (int i = 0; i < in; i++) {
                        for (int j = 0; j < out; j++) {
                            transposed[j * in + i] = values[i * out + j];
                        }
                    }
                    w.mergeFrom(Graphs.floats(w.getName(), transposed, out, in))
                            .clearDims()
                            .addDims(out)
                            .addDims(in);
                    Graphs.attribute(n, Graphs.integer("transB", 1));
                }
            }
        });
        loadsAs(source, onnx, new Networks_MlpModel(2L));
    }

    @Test
    void kerasLayoutMatMulThenAdd() throws Exception {
        Networks_MlpModel source = new Networks_MlpModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            List<NodeProto> nodes = new ArrayList<>();
            for (NodeProto n : g.getNodeList()) {
                if (n.getOpType().equals("Gemm")) {
                    String product = n.getOutput(0) + ".product";
                    nodes.add(NodeProto.newBuilder()
                            .setOpType("MatMul")
                            .setName(n.getName() + ".matmul")
                            .addInput(n.getInput(0))
                            .addInput(n.getInput(1))
                            .addOutput(product)
                            .build());
                    // the biases first, as some exporters write them
                    nodes.add(NodeProto.newBuilder()
                            .setOpType("Add")
                            .setName(n.getName() + ".add")
                            .addInput(n.getInput(2))
                            .addInput(product)
                            .addOutput(n.getOutput(0))
                            .build());
                } else {
                    nodes.add(n);
                }
            }
            g.clearNode().addAllNode(nodes);
        });
        loadsAs(source, onnx, new Networks_MlpModel(2L));
    }

    @Test
    void typedFloatDataAndDoubleDataInsteadOfRawData() throws Exception {
        for (Model source : List.of(new Networks_CnnModel(1L), new Networks_DoubleCnnModel(1L))) {
            ModelProto.Builder b = Graphs.export(source).toBuilder();
            GraphProto.Builder g = b.getGraphBuilder();
            for (int i = 0; i < g.getInitializerCount(); i++) {
                g.setInitializer(i, Graphs.typed(g.getInitializer(i)));
            }
            Model fresh =
                    source instanceof Networks_CnnModel ? new Networks_CnnModel(2L) : new Networks_DoubleCnnModel(2L);
            loadsAs(source, b.build().toByteArray(), fresh);
        }
    }

    @Test
    void weightsInConstantNodesAndNodesOutOfOrder() throws Exception {
        Networks_ActivationsModel source = new Networks_ActivationsModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            List<NodeProto> nodes = new ArrayList<>(g.getNodeList());
            Collections.reverse(nodes);
            for (TensorProto t : g.getInitializerList()) {
                nodes.add(NodeProto.newBuilder()
                        .setOpType("Constant")
                        .setName(t.getName() + ".constant")
                        .addOutput(t.getName())
                        .addAttribute(dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.newBuilder()
                                .setName("value")
                                .setType(dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.AttributeType.TENSOR)
                                .setT(t.toBuilder().clearName()))
                        .build());
            }
            g.clearInitializer().clearNode().addAllNode(nodes);
        });
        loadsAs(source, onnx, new Networks_ActivationsModel(2L));
    }

    @Test
    void geluAsOneNodeOfOpset20() throws Exception {
        Networks_ActivationsModel source = new Networks_ActivationsModel(1L);
        ModelProto.Builder b = Graphs.export(source).toBuilder();
        b.getOpsetImportBuilder(0).setVersion(20);
        GraphProto.Builder g = b.getGraphBuilder();
        List<NodeProto> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getName().equals("GELU.gelu.square")) {
                nodes.add(NodeProto.newBuilder()
                        .setOpType("Gelu")
                        .setName("gelu")
                        .addInput(n.getInput(0))
                        .addOutput("GELU")
                        .addAttribute(Graphs.string("approximate", "tanh"))
                        .build());
            } else if (!n.getName().startsWith("GELU.gelu.")) {
                nodes.add(n);
            }
        }
        g.clearNode().addAllNode(nodes);
        loadsAs(source, b.build().toByteArray(), new Networks_ActivationsModel(2L));
    }

    @Test
    void reshapeInsteadOfFlatten() throws Exception {
        Networks_ImageDenseModel source = new Networks_ImageDenseModel(1L);
        for (long[] shape : List.of(new long[] {-1, 162}, new long[] {0, -1}, new long[] {0, 162})) {
            byte[] onnx = Graphs.edited(source, g -> {
                NodeProto.Builder flatten = Graphs.node(g, "OUT.flatten");
                flatten.setOpType("Reshape").clearAttribute().addInput("shape");
                g.addInitializer(Graphs.longs("shape", shape));
            });
            loadsAs(source, onnx, new Networks_ImageDenseModel(2L));
        }
    }

    @Test
    void anImageFileFeedsAFlatInputOfTheSameSize() throws Exception {
        Networks_ImageDenseModel source = new Networks_ImageDenseModel(1L);
        loadsAs(source, OnnxExport.toBytes(source), new Networks_FlatDenseModel(2L));
    }

    @Test
    void padsOfOneAreSamesForAThreeByThreeKernel() throws Exception {
        Networks_CnnModel source = new Networks_CnnModel(1L);
        loadsAs(source, OnnxExport.toBytes(source), new Networks_CnnSameModel(2L));
        byte[] autoPad = Graphs.edited(source, g -> {
            NodeProto.Builder conv = Graphs.node(g, "C2.conv");
            List<dev.chainrule.onnx.proto.OnnxProtos.AttributeProto> kept = new ArrayList<>();
            conv.getAttributeList().stream()
                    .filter(a -> !a.getName().equals("pads"))
                    .forEach(kept::add);
            conv.clearAttribute().addAllAttribute(kept).addAttribute(Graphs.string("auto_pad", "SAME_UPPER"));
        });
        loadsAs(source, autoPad, new Networks_CnnModel(2L));
    }

    @Test
    void ceilModeWhereItAddsNoWindow() throws Exception {
        // P pools 5 rows by 2 with stride 1 and 6 columns by 2 with stride 2: whole windows either way
        Networks_ImageOutModel source = new Networks_ImageOutModel(1L);
        byte[] onnx =
                Graphs.edited(source, g -> Graphs.attribute(Graphs.node(g, "P.pool"), Graphs.integer("ceil_mode", 1)));
        loadsAs(source, onnx, new Networks_ImageOutModel(2L));
    }

    @Test
    void identityAndInferenceDropoutPassThrough() throws Exception {
        Networks_MlpModel source = new Networks_MlpModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            // HIDDEN -> Identity -> Dropout(ratio 0.3, training false) -> the next Gemm
            g.addNode(
                    Graphs.nodeIndex(g, "SECOND.gemm"),
                    NodeProto.newBuilder()
                            .setOpType("Identity")
                            .setName("id")
                            .addInput("HIDDEN")
                            .addOutput("HIDDEN.id"));
            g.addNode(
                    Graphs.nodeIndex(g, "SECOND.gemm"),
                    NodeProto.newBuilder()
                            .setOpType("Dropout")
                            .setName("drop")
                            .addInput("HIDDEN.id")
                            .addInput("ratio")
                            .addInput("training")
                            .addOutput("HIDDEN.kept"));
            g.addInitializer(Graphs.floats("ratio", new float[] {0.3f}));
            g.addInitializer(TensorProto.newBuilder()
                    .setName("training")
                    .setDataType(TensorProto.DataType.BOOL_VALUE)
                    .addInt32Data(0));
            Graphs.node(g, "SECOND.gemm").setInput(0, "HIDDEN.kept");
        });
        loadsAs(source, onnx, new Networks_MlpModel(2L));
    }

    @Test
    void theFileDecidesNothingButTheWeights() throws Exception {
        // names of tensors and nodes differ from the declaration's: they do not matter
        Networks_MlpModel source = new Networks_MlpModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            for (NodeProto.Builder n : g.getNodeBuilderList()) {
                n.setName("n" + n.getName().hashCode());
            }
        });
        Networks_MlpModel fresh = new Networks_MlpModel(2L);
        loadsAs(source, onnx, fresh);
        assertEquals(source.spec(), fresh.spec());
    }

    /** An LSTM node of layout 1 reading the input as it is, [batch, steps, features], its Y squeezed on axis 2. */
    @Test
    void aRecurrentNodeOfLayoutOne() throws Exception {
        Networks_FlattenedModel source = new Networks_FlattenedModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            g.removeNode(Graphs.nodeIndex(g, "MEMORY.steps"));
            NodeProto.Builder lstm = Graphs.node(g, "MEMORY.lstm").setInput(0, "SEQUENCE");
            Graphs.attribute(lstm, Graphs.integer("layout", 1));
            g.addInitializer(Graphs.longs("MEMORY.axis2", 2));
            Graphs.node(g, "MEMORY.squeeze").setInput(1, "MEMORY.axis2").setOutput(0, "MEMORY");
            g.removeNode(Graphs.nodeIndex(g, "MEMORY.batch"));
        });
        Networks_FlattenedModel fresh = new Networks_FlattenedModel(2L);
        loadsAs(source, onnx, fresh);
        double[] x = ModelCases.inputs(source, 3, 5L);
        assertArrayEquals(ModelCases.predict(source, x, 3), ModelCases.predict(fresh, x, 3));
    }

    /** Zero initial states as initializers, and an LSTM's Y_h read through a Gather of index 0 instead of a Squeeze. */
    @Test
    void zeroInitialStatesAndALastStateGathered() throws Exception {
        Networks_RecurrentModel source = new Networks_RecurrentModel(1L);
        byte[] onnx = Graphs.edited(source, g -> {
            g.addInitializer(Graphs.floats("zeros4", new float[4], 1, 1, 4));
            g.addInitializer(Graphs.floats("zeros6", new float[6], 1, 1, 6));
            Graphs.node(g, "MEMORY.lstm").addInput("").addInput("zeros4").addInput("zeros4");
            Graphs.node(g, "GATED.gru").addInput("").addInput("zeros6");
            g.addInitializer(TensorProto.newBuilder()
                    .setName("first")
                    .setDataType(TensorProto.DataType.INT64_VALUE)
                    .addInt64Data(0));
            Graphs.node(g, "GATED.last")
                    .setOpType("Gather")
                    .setInput(1, "first")
                    .addAttribute(Graphs.integer("axis", 0));
        });
        loadsAs(source, onnx, new Networks_RecurrentModel(2L));
    }

    /** PyTorch's out[:, -1:, :] then squeeze(1): a Slice of the last step instead of a Gather. */
    @Test
    void theLastStepAsASliceAndASqueeze() throws Exception {
        ModelProto.Builder model = ModelProto.parseFrom(
                java.nio.file.Files.readAllBytes(TorchFixtureImportTest.resource("lstm_classifier.onnx")))
                .toBuilder();
        GraphProto.Builder g = model.getGraphBuilder();
        NodeProto.Builder gather = Graphs.node(g, "/Gather");
        g.addInitializer(Graphs.longs("starts", -1));
        g.addInitializer(Graphs.longs("ends", Long.MAX_VALUE));
        g.addInitializer(Graphs.longs("axes", 1));
        String sequence = gather.getInput(0);
        String last = gather.getOutput(0);
        int at = Graphs.nodeIndex(g, "/Gather");
        g.setNode(
                at,
                NodeProto.newBuilder()
                        .setOpType("Slice")
                        .setName("/Slice")
                        .addInput(sequence)
                        .addInput("starts")
                        .addInput("ends")
                        .addInput("axes")
                        .addOutput("/Slice_output_0"));
        g.addNode(
                at + 1,
                NodeProto.newBuilder()
                        .setOpType("Squeeze")
                        .setName("/Squeeze")
                        .addInput("/Slice_output_0")
                        .addInput("axes")
                        .addOutput(last));
        Model lstm = new TorchNetworks_LstmClassifierModel(2L);
        OnnxImport.load(model.build().toByteArray(), lstm);
        double[][] inputs = TorchFixtureImportTest.rows("lstm_classifier.inputs.csv");
        double[][] expected = TorchFixtureImportTest.rows("lstm_classifier.outputs.csv");
        for (int r = 0; r < inputs.length; r++) {
            double[] actual = ModelCases.predict(lstm, inputs[r], 1);
            for (int j = 0; j < actual.length; j++) {
                assertEquals(expected[r][j], actual[j], 1e-5, "row " + r + " output " + j);
            }
        }
    }

    private static float[] floats(TensorProto t) {
        double[] d = Tensors.values(t);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
