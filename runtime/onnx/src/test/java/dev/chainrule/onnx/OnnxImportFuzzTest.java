package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Model;
import dev.chainrule.onnx.proto.OnnxProtos.AttributeProto;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damaged files, seeded: whatever the damage, a load either succeeds or throws an {@link OnnxException}. */
class OnnxImportFuzzTest {

    @Test
    void damagedFilesFailOnlyWithOnnxExceptionsAndLeaveTheModelAlone() throws Exception {
        byte[] torchLstm = java.nio.file.Files.readAllBytes(TorchFixtureImportTest.resource("lstm_classifier.onnx"));
        java.util.Map<byte[], java.util.function.Supplier<Model>> files = new java.util.LinkedHashMap<>();
        files.put(OnnxExport.toBytes(new Networks_CnnModel(1L)), () -> new Networks_CnnModel(2L));
        files.put(OnnxExport.toBytes(new Networks_ActivationsModel(1L)), () -> new Networks_ActivationsModel(2L));
        files.put(OnnxExport.toBytes(new Networks_RecurrentModel(1L)), () -> new Networks_RecurrentModel(2L));
        files.put(OnnxExport.toBytes(new Networks_TaggerModel(1L)), () -> new Networks_TaggerModel(2L));
        files.put(torchLstm, () -> new TorchNetworks_LstmClassifierModel(2L));
        for (var file : files.entrySet()) {
            byte[] good = file.getKey();
            Random random = new Random(42);
            int refused = 0;
            for (int trial = 0; trial < 400; trial++) {
                byte[] bad = good.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    bad = Arrays.copyOf(bad, random.nextInt(bad.length));
                }
                Model target = file.getValue().get();
                double[] before = ModelCases.parameters(target);
                try {
                    OnnxImport.load(bad, target);
                } catch (OnnxException e) {
                    refused++;
                    assertTrue(e.getMessage().startsWith("ONNX model: "), e.getMessage());
                    assertArrayEquals(before, ModelCases.parameters(target), "trial " + trial + ": " + e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError("trial " + trial + " threw " + e, e);
                }
            }
            assertTrue(refused > 100, "most damaged files are refused: " + refused);
        }
    }

    @Test
    void messagesNestedDeeperThanProtobufAllows() {
        // a node whose attribute holds a graph whose node holds an attribute ... 150 levels down
        NodeProto node =
                NodeProto.newBuilder().setOpType("Identity").setName("deepest").build();
        for (int level = 0; level < 150; level++) {
            node = NodeProto.newBuilder()
                    .setOpType("If")
                    .setName("level" + level)
                    .addAttribute(AttributeProto.newBuilder()
                            .setName("then_branch")
                            .setType(AttributeProto.AttributeType.GRAPH)
                            .setG(GraphProto.newBuilder().addNode(node)))
                    .build();
        }
        NodeProto deep = node;
        byte[] onnx = Graphs.edited(new Networks_MlpModel(1L), g -> g.addNode(deep));
        Networks_MlpModel model = new Networks_MlpModel(2L);
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.load(onnx, model));
        assertTrue(
                e.getMessage()
                        .startsWith("ONNX model: not an ONNX model, its protobuf is truncated or corrupt"
                                + " (Protocol message had too many levels of nesting"),
                e.getMessage());
        assertEquals(new Networks_MlpModel(2L).parameters().length, model.parameters().length);
        if (!Arrays.equals(new Networks_MlpModel(2L).parameters(), model.parameters())) {
            fail("the model changed");
        }
    }
}
