package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorShapeProto;
import dev.chainrule.onnx.proto.OnnxProtos.ValueInfoProto;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an exported file says about itself: versions, names, shapes, types and metadata. */
class OnnxExportFileTest {
    @TempDir
    Path dir;

    @Test
    void theFileNamesItsProducerOpsetNetworkAndFingerprint() throws Exception {
        for (ModelCases.Case c : ModelCases.all()) {
            Model model = c.create().apply(2L);
            NetworkSpec spec = model.spec();
            ModelProto proto = ModelProto.parseFrom(OnnxExport.toBytes(model));
            assertEquals(OnnxExport.IR_VERSION, proto.getIrVersion());
            assertEquals(1, proto.getOpsetImportCount());
            assertEquals("", proto.getOpsetImport(0).getDomain());
            assertEquals(17, proto.getOpsetImport(0).getVersion());
            assertEquals("Chainrule", proto.getProducerName());
            assertTrue(proto.getProducerVersion().matches("\\d+\\.\\d+\\.\\d+.*"), proto.getProducerVersion());
            Map<String, String> metadata = new HashMap<>();
            for (StringStringEntryProto e : proto.getMetadataPropsList()) {
                metadata.put(e.getKey(), e.getValue());
            }
            assertEquals(spec.name(), metadata.get("chainrule.network"));
            assertEquals(String.format("%016x", spec.fingerprint()), metadata.get("chainrule.fingerprint"));
            assertEquals(spec.canonicalShape(), metadata.get("chainrule.canonical"));
            assertEquals(
                    spec.name().substring(spec.name().lastIndexOf('.') + 1),
                    proto.getGraph().getName());

            int type = spec.precision() == dev.chainrule.Precision.DOUBLE
                    ? TensorProto.DataType.DOUBLE_VALUE
                    : TensorProto.DataType.FLOAT_VALUE;
            checkValue(
                    proto.getGraph().getInput(0),
                    spec.layers().get(0).name(),
                    type,
                    OnnxExportTest.dims(spec.shape(0)));
            checkValue(
                    proto.getGraph().getOutput(0),
                    spec.layers().get(spec.layers().size() - 1).name(),
                    type,
                    OnnxExportTest.dims(spec.outputShape()));
            assertEquals(1, proto.getGraph().getInputCount(), c.name());
            assertEquals(1, proto.getGraph().getOutputCount(), c.name());
            long weights = proto.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().endsWith(".weights") || t.getName().endsWith(".biases"))
                    .mapToLong(t -> t.getRawData().size())
                    .sum();
            assertEquals(
                    (long) spec.parameterCount() * (type == TensorProto.DataType.DOUBLE_VALUE ? 8 : 4),
                    weights,
                    "every parameter is in the file once");
        }
    }

    private static void checkValue(ValueInfoProto value, String name, int type, List<Long> dims) {
        assertEquals(name, value.getName());
        assertEquals(type, value.getType().getTensorType().getElemType());
        List<TensorShapeProto.Dimension> shape =
                value.getType().getTensorType().getShape().getDimList();
        assertEquals(dims.size() + 1, shape.size());
        assertEquals("batch", shape.get(0).getDimParam(), "the batch dimension is symbolic");
        for (int i = 0; i < dims.size(); i++) {
            assertEquals(dims.get(i), shape.get(i + 1).getDimValue());
        }
    }

    @Test
    void pathStreamAndBytesGiveTheSameFile() throws Exception {
        Networks_CnnModel model = new Networks_CnnModel(4L);
        Path file = dir.resolve("cnn.onnx");
        OnnxExport.write(model, file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OnnxExport.write(model, out);
        assertArrayEquals(OnnxExport.toBytes(model), Files.readAllBytes(file));
        assertArrayEquals(OnnxExport.toBytes(model), out.toByteArray());
        assertArrayEquals(OnnxExport.toBytes(model), OnnxExport.toBytes(Networks_CnnModel.SPEC, model.parameters()));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(file), entries.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void refusesParametersThatDoNotFitTheSpec() {
        NetworkSpec spec = Networks_MlpModel.SPEC;
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(spec, new float[3]));
        assertEquals(
                "network " + spec.name() + " has " + spec.parameterCount() + " parameters, but the array holds 3",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> OnnxExport.toBytes(spec, new double[spec.parameterCount()]));
        assertEquals("network " + spec.name() + " computes in float, but its parameters are doubles", e.getMessage());
        float[] p = new Networks_MlpModel(1L).parameters().clone();
        p[7] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(spec, p));
        assertTrue(e.getMessage().startsWith("parameter 7 of network " + spec.name() + " is NaN"), e.getMessage());
    }

    /** Fixed-point layers have no ONNX operator: refused by name, before anything is built. */
    @Test
    void refusesFixedPointLayersByName() {
        NetworkSpec fixed = new NetworkSpec(
                "test.Fixed",
                dev.chainrule.Precision.FLOAT,
                dev.chainrule.Loss.MSE,
                List.of(
                        dev.chainrule.LayerSpec.input("IN", 3),
                        new dev.chainrule.LayerSpec.FixedPointSpec("F", 2, dev.chainrule.Activation.TANH, 1e-6, 10, 0),
                        dev.chainrule.LayerSpec.dense("OUT", 1, dev.chainrule.Activation.IDENTITY)));
        var e = assertThrows(
                IllegalArgumentException.class, () -> OnnxExport.toBytes(fixed, new float[fixed.parameterCount()]));
        assertEquals(
                "network test.Fixed: layer F is fixedpoint; ONNX export writes dense, convolution, pooling and recurrent "
                        + "layers (ONNX has no operator that iterates to a fixed point)",
                e.getMessage());
    }
}
