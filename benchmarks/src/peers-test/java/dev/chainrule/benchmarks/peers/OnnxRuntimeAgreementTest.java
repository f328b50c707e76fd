package dev.chainrule.benchmarks.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX Runtime computes Chainrule's outputs from the model {@link OnnxModelWriter} writes: the
 * benchmark's own setup check, on every network it times ({@code mvn -Ppeers test}).
 */
class OnnxRuntimeAgreementTest {

    @ParameterizedTest
    @ValueSource(strings = {"784-128-10", "4-16-3", "lenet5", "cnn32x64", "lstm28"})
    void predictionAgreesWithChainrule(String network) throws OrtException {
        OnnxRuntimeBenchmark.Prediction state = new OnnxRuntimeBenchmark.Prediction();
        state.network = network;
        state.setUp(); // throws unless the outputs agree
        try {
            Agreement.requireSameOutputs("ONNX Runtime again", Agreement.chainruleOutputs(Workload.parse(network), state.x),
                    OnnxRuntimeBenchmark.run(state));
        } finally {
            state.tearDown();
        }
    }

    @org.junit.jupiter.api.Test
    void streamingStepAgreesWithChainrule() throws OrtException {
        OnnxRuntimeBenchmark.Streaming state = new OnnxRuntimeBenchmark.Streaming();
        state.stream = "lstm28";
        state.setUp(); // throws unless 28 steps from a zero state give Chainrule's outputs
        state.tearDown();
    }

    @org.junit.jupiter.api.Test
    void lstmGatesAreRestackedInOnnxOrder() {
        // Chainrule's blocks i, f, g, o (one row each here) become ONNX's i, o, f, c.
        assertArrayEquals(new float[] {1, 4, 2, 3}, OnnxModelWriter.gatesInOnnxOrder(new float[] {1, 2, 3, 4}, 1));
        // Left in Chainrule's order, the LSTM computes a different function, and the check says so.
        Workload workload = Workload.parse("lstm28");
        float[] parameters = workload.newChainruleModel().parameters().clone();
        var block = workload.weights(1);
        float[] swapped = OnnxModelWriter.gatesInOnnxOrder(
                java.util.Arrays.copyOfRange(parameters, block.offset(), block.offset() + block.size()), 128);
        // Restacking once more before the writer restacks: the gates land in the wrong places.
        System.arraycopy(swapped, 0, parameters, block.offset(), swapped.length);
        float[] x = workload.inputs();
        float[] onnx;
        try {
            onnx = OnnxRuntimeBenchmark.predictOnce(workload, parameters, x);
        } catch (OrtException e) {
            throw new AssertionError(e);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.requireSameOutputs("ONNX Runtime", Agreement.chainruleOutputs(workload, x), onnx));
        assertTrue(e.getMessage().contains("computes a different function"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "cnn32x64"})
    void theCheckNoticesKernelsInAnotherOrder(String network) throws OrtException {
        // Kernels read as [kh][kw][channels][filters] (Keras's order) instead: a different function.
        Workload workload = Workload.parse(network);
        float[] parameters = workload.newChainruleModel().parameters().clone();
        var block = workload.weights(3);
        var dims = block.dimensions();
        int filters = dims.get(0), channels = dims.get(1), kh = dims.get(2), kw = dims.get(3);
        float[] original = java.util.Arrays.copyOfRange(parameters, block.offset(), block.offset() + block.size());
        for (int f = 0; f < filters; f++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        parameters[block.offset() + ((i * kw + j) * channels + c) * filters + f] =
                                original[((f * channels + c) * kh + i) * kw + j];
                    }
                }
            }
        }
        float[] x = workload.inputs();
        float[] onnx = OnnxRuntimeBenchmark.predictOnce(workload, parameters, x);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Agreement.requireSameOutputs("ONNX Runtime", Agreement.chainruleOutputs(workload, x), onnx));
        assertTrue(e.getMessage().contains("computes a different function"), e.getMessage());
    }
}
