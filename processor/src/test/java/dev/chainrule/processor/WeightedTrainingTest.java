package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.chainrule.optim.Sgd;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated models trained by the {@link Trainer} with sample and class weights: a convolutional
 * network ends with the same bits on 1, 2 and 3 threads, and a dense one trained full-batch with
 * class weight 2 on a class ends where training on that class's rows twice does.
 */
class WeightedTrainingTest {
    private static final NetworkSource CONV = new NetworkSource(
            "weightedtraining",
            "ConvNet",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.image("IN", 1, 6, 6),
                    new LayerSpec.Conv2DSpec("C", 4, Activation.RELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                    new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 4, 2, 2, 2, 2),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    private static final NetworkSource DENSE = new NetworkSource(
            "weightedtraining",
            "DenseNet",
            Loss.CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.input("IN", 6),
                    LayerSpec.dense("H", 40, Activation.TANH),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(CONV, DENSE));

    private static Dataset images(int rows) {
        Random random = new Random(3);
        float[] x = new float[rows * 36];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 5 == 0 ? 2 : random.nextInt(2); // class 2 is rare
            for (int i = 0; i < 36; i++) {
                x[r * 36 + i] = (float) (random.nextGaussian() + (i % 3 == labels[r] ? 1 : 0));
            }
        }
        double[] w = new double[rows];
        for (int r = 0; r < rows; r++) {
            w[r] = r % 7 == 3 ? 0 : 0.5 + random.nextDouble();
        }
        return Dataset.classification(x, 36, labels, 3).withSampleWeights(w);
    }

    private static float[] trainConv(int threads) {
        FloatModel model = COMPILED.newFloatModel(CONV, 7);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(40)
                .shardRows(8)
                .threads(threads)
                .epochs(3)
                .seed(2)
                .silent()
                .balancedClassWeights()
                .fit(images(110));
        return model.parameters();
    }

    @Test
    void weightedTrainingGivesTheSameBitsOnAnyThreadCount() {
        float[] one = trainConv(1);
        assertArrayEquals(one, trainConv(2), "2 threads");
        assertArrayEquals(one, trainConv(3), "3 threads");
        FloatModel unweighted = COMPILED.newFloatModel(CONV, 7);
        Trainer.of(unweighted)
                .optimizer(Adam.of(0.01))
                .batchSize(40)
                .shardRows(8)
                .threads(1)
                .epochs(3)
                .seed(2)
                .silent()
                .fit(Dataset.of(images(110).features(), 36, images(110).targets(), 3));
        double difference = 0;
        for (int i = 0; i < one.length; i++) {
            difference = Math.max(difference, Math.abs(one[i] - unweighted.parameters()[i]));
        }
        assertTrue(difference > 1e-4, "the weights mattered: " + difference);
    }

    @Test
    void classWeightTwoTrainsAsTheClassRowsTwice() {
        Random random = new Random(5);
        int rows = 45;
        double[] x = new double[rows * 6];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 3;
            for (int i = 0; i < 6; i++) {
                x[r * 6 + i] = random.nextGaussian() + (i == labels[r] ? 1 : 0);
            }
        }
        DoubleDataset data = DoubleDataset.classification(x, 6, labels, 3);
        List<Integer> twice = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            twice.add(r);
            if (labels[r] == 0) {
                twice.add(r);
            }
        }
        DoubleDataset copies =
                data.select(twice.stream().mapToInt(Integer::intValue).toArray());
        DoubleModel weighted = COMPILED.newDoubleModel(DENSE, 9);
        Trainer.of(weighted)
                .optimizer(Sgd.of(0.3))
                .batchSize(copies.rows())
                .shardRows(16)
                .threads(2)
                .epochs(10)
                .silent()
                .classWeights(2, 1, 1)
                .fit(data);
        DoubleModel copied = COMPILED.newDoubleModel(DENSE, 9);
        Trainer.of(copied)
                .optimizer(Sgd.of(0.3))
                .batchSize(copies.rows())
                .shardRows(16)
                .threads(2)
                .epochs(10)
                .silent()
                .fit(copies);
        double[] p = weighted.parameters();
        double[] q = copied.parameters();
        double moved = 0;
        DoubleModel start = COMPILED.newDoubleModel(DENSE, 9);
        for (int i = 0; i < p.length; i++) {
            assertEquals(q[i], p[i], 1e-12, "parameter " + i);
            moved = Math.max(moved, Math.abs(p[i] - start.parameters()[i]));
        }
        assertTrue(moved > 1e-3, "training moved the parameters: " + moved);
    }
}
