package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void readsConvolutionalNetworksByName() {
        Workload step = Workload.parse("lenet5:64");
        assertEquals("lenet5", step.network());
        assertEquals(64, step.batch());
        assertEquals(784, step.inputSize());
        assertEquals(10, step.outputSize());
        assertFalse(step.isDense());
        assertTrue(Workload.parse("784-128-10").isDense());
        IllegalStateException dense = assertThrows(IllegalStateException.class, step::sizes);
        assertTrue(dense.getMessage().contains("'lenet5:64' is convolutional"), dense.getMessage());
        assertEquals(
                "1x28x28, conv 6@5x5 pad 2 relu, max pool 2, conv 16@5x5 relu, max pool 2, 120 relu, 84 relu, 10 softmax",
                step.describe());
        assertEquals(
                "1x28x28, conv 32@3x3 relu, max pool 2, conv 64@3x3 relu, max pool 2, 128 relu, 10 softmax",
                Workload.parse("cnn32x64").describe());
        assertEquals("128 relu, 10 softmax", Workload.parse("784-128-10").describe());
    }

    @Test
    void rejectsMalformedNamesSayingWhichPart() {
        assertMessage("784", "at least two layer sizes");
        assertMessage("784-x-10", "layer size 1 must be a positive integer, got 'x'");
        assertMessage("784-0-10", "layer size 1 must be a positive integer, got '0'");
        assertMessage("784-128-10:0", "batch size must be a positive integer, got '0'");
        assertMessage("784-128-10:32:1", "expected NETWORK or NETWORK:BATCH");
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> Workload.parse("5-5-5").newChainruleModel());
        assertTrue(unknown.getMessage().contains("no generated network 5-5-5"), unknown.getMessage());
    }

    private static void assertMessage(String id, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.parse(id));
        assertTrue(
                e.getMessage().contains("workload '" + id + "'")
                        && e.getMessage().contains(expected),
                e.getMessage());
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
    void convolutionFlopCountsMatchHandArithmetic() {
        // LeNet-5: conv 2*6*1*5*5*28*28 = 235,200; conv 2*16*6*5*5*10*10 = 480,000;
        // dense 2*(400*120 + 120*84 + 84*10) = 117,840.
        Workload lenet = Workload.parse("lenet5");
        assertEquals(235_200, lenet.forwardFlop(1));
        assertEquals(0, lenet.forwardFlop(2));
        assertEquals(480_000, lenet.forwardFlop(3));
        assertEquals(235_200 + 480_000 + 117_840, lenet.predictionFlop());
        // A step: the first convolution twice (forward, weight gradients), every later layer with
        // weights three times (and its deltas), per sample; then 2 * 61,706 parameters.
        long perSample = 2 * 235_200 + 3 * (480_000 + 117_840);
        assertEquals(64 * perSample + 2 * 61_706, Workload.parse("lenet5:64").trainingStepFlop());
        // 32@3x3 on 1x28x28: 2*32*9*26*26 = 389,376; 64@3x3 on 32x13x13: 2*64*32*9*11*11 = 4,460,544;
        // dense 2*(1,600*128 + 128*10) = 412,160.
        assertEquals(389_376 + 4_460_544 + 412_160, Workload.parse("cnn32x64").predictionFlop());
    }

    @Test
    void readsTheRecurrentWorkload() {
        Workload lstm = Workload.parse("lstm28:64");
        assertEquals("lstm28", lstm.network());
        assertEquals(64, lstm.batch());
        assertEquals(784, lstm.inputSize());
        assertEquals(10, lstm.outputSize());
        assertTrue(lstm.isRecurrent());
        assertFalse(lstm.isDense());
        assertFalse(Workload.parse("lenet5").isRecurrent());
        IllegalStateException dense = assertThrows(IllegalStateException.class, lstm::sizes);
        assertTrue(dense.getMessage().contains("'lstm28:64' is recurrent"), dense.getMessage());
        assertEquals("28 steps of 28, lstm 128, 10 softmax", lstm.describe());
        // 4 * 128 * (28 + 128 + 2) LSTM parameters, then 128 * 10 + 10.
        assertEquals(4 * 128 * 158 + 1290, lstm.parameterCount());
        assertEquals(
                Lstm28Model.MEMORY_RECURRENT_WEIGHTS,
                lstm.block(1, dev.chainrule.ParameterBlock.Role.RECURRENT_WEIGHTS)
                        .offset());
    }

    @Test
    void recurrentFlopCountsMatchHandArithmetic() {
        // Per step 2 * 512 * (28 + 128) = 159,744; 28 steps 4,472,832; dense 2 * 128 * 10 = 2,560.
        Workload lstm = Workload.parse("lstm28");
        assertEquals(4_472_832, lstm.forwardFlop(1));
        assertEquals(4_472_832 + 2_560, lstm.predictionFlop());
        // A step: the LSTM's forward and weight gradients, its deltas back through the recurrent
        // weights at every step (2 * 28 * 512 * 128 = 3,670,016); the dense layer three times.
        long perSample = 2 * 4_472_832 + 3_670_016 + 3 * 2_560;
        assertEquals(
                64 * perSample + 2L * lstm.parameterCount(),
                Workload.parse("lstm28:64").trainingStepFlop());
    }

    @Test
    void layoutMatchesTheGeneratedOffsets() {
        Workload lenet = Workload.parse("lenet5");
        assertEquals(LeNet5Model.C2_WEIGHTS, lenet.weights(3).offset());
        assertEquals(LeNet5Model.C2_BIASES, lenet.biases(3).offset());
        assertEquals(LeNet5Model.F1_WEIGHTS, lenet.weights(5).offset());
        assertEquals(null, lenet.weights(2));
        Workload mnist = Workload.parse("784-128-10");
        assertEquals(MnistModel.HIDDEN_WEIGHTS + 5 * Mnist.HIDDEN + 7, mnist.weightIndex(0, 5, 7));
        assertEquals(MnistModel.HIDDEN_BIASES + 7, mnist.biasIndex(0, 7));
        assertEquals(MnistModel.CLASSES_WEIGHTS + 3 * Mnist.CLASSES + 2, mnist.weightIndex(1, 3, 2));
        assertEquals(MnistModel.CLASSES_BIASES + 9, mnist.biasIndex(1, 9));
        for (String network : new String[] {
            "784-128-10",
            "4-16-3",
            "784-512-512-10",
            "784-64-10",
            "784-256-10",
            "784-512-10",
            "lenet5",
            "cnn32x64",
            "lstm28"
        }) {
            Workload workload = Workload.parse(network);
            FloatModel model = workload.newChainruleModel();
            assertEquals(model.spec().canonicalShape(), workload.spec().canonicalShape(), network);
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
