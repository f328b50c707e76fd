package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After warm-up, prediction and training calls allocate nothing on the calling thread: once the
 * JIT has settled, every one of six windows of 10,000 calls is counted with the thread's
 * allocation counter (see {@link SteadyAllocation#ofWindows(Runnable)}).
 */
class AllocationTest {
    private static final List<NetworkSource> NETWORKS = List.of(
            new NetworkSource(
                    "alloc",
                    "Small",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 4),
                            LayerSpec.dense("HIDDEN", 16, Activation.RELU),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))),
            new NetworkSource(
                    "alloc",
                    "Wide",
                    Loss.BINARY_CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.input("IN", 40),
                            LayerSpec.dense("HIDDEN", 32, Activation.GELU),
                            LayerSpec.dense("OUT", 2, Activation.SIGMOID))),
            new NetworkSource(
                    "alloc",
                    "Regress",
                    Loss.MSE,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 3), LayerSpec.dense("H1", 20, Activation.TANH),
                            LayerSpec.dense("H2", 8, Activation.ELU), LayerSpec.dense("OUT", 2, Activation.SOFTMAX))),
            new NetworkSource(
                    "alloc",
                    "Conv",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.image("IN", 1, 8, 8),
                            new LayerSpec.Conv2DSpec("C", 8, Activation.RELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                            new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 8, 2, 2, 2, 2),
                            LayerSpec.dense("OUT", 10, Activation.SOFTMAX))),
            new NetworkSource(
                    "alloc",
                    "ConvDouble",
                    Loss.MSE,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.image("IN", 2, 7, 6),
                            new LayerSpec.Conv2DSpec("C1", 4, Activation.TANH, 3, 3, 2, 2, Padding.VALID, 1, 1),
                            new LayerSpec.Conv2DSpec("C2", 3, Activation.ELU, 2, 2, 1, 1, Padding.VALID, 0, 0),
                            new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.AVG_POOL2D, 3, 2, 2, 1, 1),
                            new LayerSpec.GlobalAvgPool2DSpec("G", 3),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))),
            new NetworkSource(
                    "alloc",
                    "Recurrent",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.sequence("IN", 6, 3),
                            new LayerSpec.RecurrentSpec("R", LayerSpec.Kind.SIMPLE_RNN, 8, Activation.RELU, true),
                            new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 40, Activation.TANH, true),
                            new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 6, Activation.TANH, false),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))),
            new NetworkSource(
                    "alloc",
                    "Tagger",
                    Loss.CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.sequence("IN", 5, 2),
                            new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 7, Activation.TANH, true),
                            new LayerSpec.StepDenseSpec("OUT", 3, Activation.SOFTMAX))));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(NETWORKS);

    /** Wide enough for the kernels' register blocks, with ReLU layers whose outputs hold zeros. */
    private static final NetworkSource BLOCKS = new NetworkSource(
            "alloc",
            "Blocks",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.input("IN", 48), LayerSpec.dense("H1", 64, Activation.RELU),
                    LayerSpec.dense("H2", 64, Activation.RELU), LayerSpec.dense("OUT", 10, Activation.SOFTMAX)));

    /**
     * Batch training and prediction go through the matrix-product kernels in blocks of rows; on
     * the Vector API path their vectors must stay in registers, whatever the data.
     */
    @org.junit.jupiter.api.Test
    void batchMethodsThroughTheMatrixKernelsAllocateNothing() {
        FloatModel model = CompiledNetworks.compile(List.of(BLOCKS)).newFloatModel(BLOCKS, 3);
        int rows = 37;
        float[] xs = new float[rows * 48];
        float[] ys = new float[rows * 10];
        float[] out = new float[rows * 10];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = random.nextInt(3) == 0 ? 0 : (float) random.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            ys[r * 10 + random.nextInt(10)] = 1;
        }
        float[] rowWeights = new float[rows];
        for (int r = 0; r < rows; r++) {
            rowWeights[r] = r % 3;
        }
        assertEquals(
                0,
                SteadyAllocation.ofWindows(() -> {
                    model.accumulateGradientsBatch(xs, ys, rows);
                    model.accumulateGradientsBatch(xs, 0, ys, 0, rows, 1f / rows, rowWeights, 0);
                    model.predictBatch(xs, out, rows);
                }),
                "bytes allocated by six windows of 10,000 batch steps, weighted ones and predictions");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void predictAndTrainAllocateNothing(int which) {
        NetworkSource source = NETWORKS.get(which);
        var model = COMPILED.newModel(source, 5);
        Runnable predict;
        Runnable train;
        if (model instanceof FloatModel f) {
            float[] x = new float[f.inputSize()];
            float[] y = new float[f.outputSize()];
            float[] out = new float[f.outputSize()];
            float[] xs = new float[4 * f.inputSize()];
            float[] ys = new float[4 * f.outputSize()];
            java.util.Arrays.fill(x, 0.5f);
            y[0] = 1;
            ys[0] = 1;
            float[] rowWeights = {1, 0, 2, 0.5f};
            predict = () -> f.predict(x, out);
            train = () -> {
                f.accumulateGradients(x, y);
                f.accumulateGradientsBatch(xs, ys, 4);
                f.accumulateGradientsBatch(xs, 0, ys, 0, 4, 0.25f, rowWeights, 0);
            };
        } else {
            DoubleModel d = (DoubleModel) model;
            double[] x = new double[d.inputSize()];
            double[] y = new double[d.outputSize()];
            double[] out = new double[d.outputSize()];
            java.util.Arrays.fill(x, 0.5);
            y[0] = 1;
            predict = () -> d.predict(x, out);
            train = () -> d.accumulateGradients(x, y);
        }
        assertEquals(0, SteadyAllocation.ofWindows(predict), "bytes allocated by six windows of 10,000 predictions");
        assertEquals(
                0,
                SteadyAllocation.ofWindows(train),
                "bytes allocated by six windows of 10,000 forward and backward passes");
    }
}
