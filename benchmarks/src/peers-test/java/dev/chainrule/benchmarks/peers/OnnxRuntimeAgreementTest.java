package dev.chainrule.benchmarks.peers;

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
    @ValueSource(strings = {"784-128-10", "4-16-3", "lenet5", "cnn32x64"})
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
