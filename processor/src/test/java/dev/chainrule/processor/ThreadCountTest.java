package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.train.Trainer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated models trained by the {@link Trainer} on 1, 2, 3 and 8 threads end with the same
 * bits: a convolutional network with dropout (whose masks come from each shard's own seeded
 * stream) in float, and a dense one in double.
 */
class ThreadCountTest {
    private static final NetworkSource CONV = new NetworkSource(
            "threads",
            "ConvNet",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.image("IN", 1, 8, 8),
                    new LayerSpec.Conv2DSpec("C", 6, Activation.RELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                    new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 6, 2, 2, 2, 2),
                    LayerSpec.dense("H", 20, Activation.TANH, 0.2),
                    LayerSpec.dense("OUT", 4, Activation.SOFTMAX)));
    private static final NetworkSource DENSE = new NetworkSource(
            "threads",
            "DenseNet",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.input("IN", 10),
                    LayerSpec.dense("H", 48, Activation.GELU),
                    LayerSpec.dense("OUT", 3, Activation.IDENTITY)));
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(CONV, DENSE));

    private static float[] trainConv(int threads) {
        Random random = new Random(3);
        int rows = 150;
        float[] x = new float[rows * 64];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(4);
            for (int i = 0; i < 64; i++) {
                x[r * 64 + i] = (float) (random.nextGaussian() + (i % 4 == labels[r] ? 1 : 0));
            }
        }
        FloatModel model = COMPILED.newFloatModel(CONV, 7);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(40)
                .shardRows(8)
                .threads(threads)
                .epochs(3)
                .seed(2)
                .silent()
                .fit(Dataset.classification(x, 64, labels, 4));
        return model.parameters();
    }

    private static double[] trainDense(int threads) {
        Random random = new Random(4);
        int rows = 120;
        double[] x = new double[rows * 10];
        double[] y = new double[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(x[i]);
        }
        DoubleModel model = COMPILED.newDoubleModel(DENSE, 7);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(64)
                .shardRows(16)
                .threads(threads)
                .epochs(3)
                .seed(2)
                .silent()
                .fit(DoubleDataset.of(x, 10, y, 3));
        return model.parameters();
    }

    @Test
    void aConvolutionalNetworkWithDropoutTrainsToTheSameBitsOnAnyNumberOfThreads() {
        float[] one = trainConv(1);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, trainConv(threads), threads + " threads");
        }
        assertFalse(
                Arrays.equals(one, COMPILED.newFloatModel(CONV, 7).parameters()), "training changed the parameters");
    }

    @Test
    void aDenseDoubleNetworkTrainsToTheSameBitsOnAnyNumberOfThreads() {
        double[] one = trainDense(1);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, trainDense(threads), threads + " threads");
        }
    }

    /**
     * The validation figures of every epoch, computed slice by slice on the trainer's threads,
     * are the same bits on any number of threads, and the same as {@code Metrics.evaluate} on one
     * model gives.
     */
    @Test
    void validationIsTheSameBitsOnAnyNumberOfThreads() {
        Random random = new Random(5);
        int rows = 300;
        float[] x = new float[rows * 64];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = random.nextInt(4);
            for (int i = 0; i < 64; i++) {
                x[r * 64 + i] = (float) (random.nextGaussian() + (i % 4 == labels[r] ? 1 : 0));
            }
        }
        Dataset train = Dataset.classification(Arrays.copyOf(x, 100 * 64), 64, Arrays.copyOf(labels, 100), 4);
        // 200 validation rows: a chunk of 200 is six full slices and one of 8
        Dataset validation = Dataset.classification(
                Arrays.copyOfRange(x, 100 * 64, rows * 64), 64, Arrays.copyOfRange(labels, 100, rows), 4);
        List<String> first = null;
        FloatModel last = null;
        for (int threads : new int[] {1, 2, 3}) {
            FloatModel model = COMPILED.newFloatModel(CONV, 7);
            dev.chainrule.train.History history = Trainer.of(model)
                    .optimizer(Adam.of(0.01))
                    .batchSize(40)
                    .shardRows(8)
                    .threads(threads)
                    .epochs(2)
                    .seed(2)
                    .validation(validation)
                    .silent()
                    .fit(train);
            List<String> figures = history.epochs().stream()
                    .map(e -> Double.doubleToLongBits(e.validation().loss()) + " "
                            + e.validation().accuracy())
                    .toList();
            if (first == null) {
                first = figures;
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(first, figures, threads + " threads");
            }
            last = model;
        }
        double alone = dev.chainrule.train.Metrics.evaluate(last, validation).loss();
        double reported = Double.longBitsToDouble(Long.parseLong(first.get(1).split(" ")[0]));
        org.junit.jupiter.api.Assertions.assertEquals(
                reported, alone, 0.0, "the trainer's last validation is Metrics.evaluate's");
    }
}
