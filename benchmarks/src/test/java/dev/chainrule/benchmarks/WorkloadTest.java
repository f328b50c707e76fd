package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.FloatModel;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void readsNetworkAndBatch() {
        Workload step = Workload.parse("784-512-512-10:64");
        assertArrayEquals(new int[] {784, 512, 512, 10}, step.sizes());
        assertEquals(64, step.batch());
        assertEquals(3, step.denseLayers());
        assertEquals("784-512-512-10", step.network());
        assertEquals(1, Workload.parse("4-16-3").batch());
    }

    @Test
    void rejectsMalformedNamesSayingWhichPart() {
        assertMessage("784", "at least two layer sizes");
        assertMessage("784-x-10", "layer size 1 must be a positive integer, got 'x'");
        assertMessage("784-0-10", "layer size 1 must be a positive integer, got '0'");
        assertMessage("784-128-10:0", "batch size must be a positive integer, got '0'");
        assertMessage("784-128-10:32:1", "expected NETWORK or NETWORK:BATCH");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Workload.parse("5-5-5").newChainruleModel());
        assertTrue(unknown.getMessage().contains("no generated network 5-5-5"), unknown.getMessage());
    }

    private static void assertMessage(String id, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.parse(id));
        assertTrue(e.getMessage().contains("workload '" + id + "'") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void flopCountsMatchHandArithmetic() {
        // 2 * (784 * 128 + 128 * 10), the forward pass DESIGN.md quotes.
        assertEquals(203_264, Workload.parse("784-128-10").predictionFlop());
        // 4-16-3, batch 2: weights 64 + 48 = 112, first layer 64, parameters 112 + 16 + 3 = 131.
        // Per sample 2*112 + 2*112 + 2*48 = 544; 2 samples 1,088; update 2*131 = 262.
        assertEquals(1_350, Workload.parse("4-16-3:2").trainingStepFlop());
        assertEquals(2 * 224, Workload.parse("4-16-3:2").predictionFlop());
    }

    @Test
    void layoutMatchesTheGeneratedOffsets() {
        Workload mnist = Workload.parse("784-128-10");
        assertEquals(MnistModel.HIDDEN_WEIGHTS + 5 * Mnist.HIDDEN + 7, mnist.weightIndex(0, 5, 7));
        assertEquals(MnistModel.HIDDEN_BIASES + 7, mnist.biasIndex(0, 7));
        assertEquals(MnistModel.CLASSES_WEIGHTS + 3 * Mnist.CLASSES + 2, mnist.weightIndex(1, 3, 2));
        assertEquals(MnistModel.CLASSES_BIASES + 9, mnist.biasIndex(1, 9));
        for (String network : new String[] {"784-128-10", "4-16-3", "784-512-512-10", "784-64-10", "784-256-10", "784-512-10"}) {
            Workload workload = Workload.parse(network);
            FloatModel model = workload.newChainruleModel();
            assertEquals(model.parameterCount(), workload.parameterCount(), network);
            assertEquals(workload.inputSize(), model.inputSize(), network);
            assertEquals(workload.outputSize(), model.outputSize(), network);
        }
    }

    @Test
    void dataIsSeededAndOneHot() {
        Workload step = Workload.parse("4-16-3:5");
        assertArrayEquals(step.inputs(), step.inputs());
        float[] targets = step.oneHotTargets();
        int[] labels = step.labels();
        for (int r = 0; r < 5; r++) {
            float sum = 0;
            for (int k = 0; k < 3; k++) {
                sum += targets[r * 3 + k];
            }
            assertEquals(1, sum);
            assertEquals(1, targets[r * 3 + labels[r]]);
        }
    }
}
