package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ONNX Runtime computes from an exported file what the model's {@code predict} computes. */
class OnnxExportTest {
    static Stream<ModelCases.Case> cases() {
        return Stream.concat(ModelCases.all().stream(), ModelCases.recurrent().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onnxRuntimeComputesWhatPredictComputes(ModelCases.Case c) throws Exception {
        Model model = c.create().apply(11L);
        int rows = 4;
        double[] x = ModelCases.inputs(model, rows, 5L);
        double[] expected = ModelCases.predict(model, x, rows);
        NetworkSpec spec = model.spec();
        boolean doubles = spec.precision() == Precision.DOUBLE;
        byte[] onnx = OnnxExport.toBytes(model);
        double[] actual =
                OrtRunner.run(doubles ? FloatKernels.wrap(onnx) : onnx, doubles, x, shape(rows, spec.shape(0)));
        assertEquals(expected.length, actual.length, "outputs of " + rows + " rows");
        // A double graph that ran in double throughout agrees to rounding; one with float kernels, to float's.
        double tolerance = doubles && !FloatKernels.needsWrapping(onnx) ? 1e-12 : 1e-5;
        double spread = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1, Math.abs(expected[i])), "output " + i);
            spread = Math.max(spread, Math.abs(expected[i] - expected[i % model.outputSize()]));
        }
        assertTrue(spread > 1e-4 || rows == 1, "the rows' outputs differ, so the comparison means something");
    }

    @Test
    void eachOperatorRunInFloatReallyLacksADoubleKernel() throws Exception {
        for (String op : FloatKernels.WITHOUT_DOUBLE_KERNEL) {
            Set<String> others = new HashSet<>(FloatKernels.WITHOUT_DOUBLE_KERNEL);
            others.remove(op);
            int refused = 0;
            for (ModelCases.Case c : cases().toList()) {
                Model model = c.create().apply(1L);
                byte[] onnx = OnnxExport.toBytes(model);
                if (model.precision() != Precision.DOUBLE || !ops(onnx).contains(op)) {
                    continue;
                }
                OrtException e = assertThrows(
                        OrtException.class,
                        () -> OrtRunner.run(
                                FloatKernels.wrap(onnx, others),
                                true,
                                ModelCases.inputs(model, 1, 1L),
                                shape(1, model.spec().shape(0))));
                assertTrue(e.getMessage().contains(op), e.getMessage());
                refused++;
            }
            assertTrue(refused > 0, "a double network with " + op);
        }
    }

    static Set<String> ops(byte[] onnx) throws Exception {
        Set<String> ops = new HashSet<>();
        ModelProto.parseFrom(onnx).getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
        return ops;
    }

    static long[] shape(int rows, Shape shape) {
        if (shape instanceof Shape.Sequence sequence) {
            return new long[] {rows, sequence.steps(), sequence.features()};
        }
        return shape instanceof Shape.Image image
                ? new long[] {rows, image.channels(), image.height(), image.width()}
                : new long[] {rows, shape.size()};
    }

    static List<Long> dims(Shape shape) {
        return shape instanceof Shape.Image image
                ? List.of((long) image.channels(), (long) image.height(), (long) image.width())
                : List.of((long) shape.size());
    }
}
