package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.processor.testing.Samples;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch form with a weight per row, {@code accumulateGradientsBatch(inputs, inputOffset,
 * targets, targetOffset, rows, weight, rowWeights, rowWeightOffset)}: its gradient is that of
 * {@code sum_r weight * rowWeights[r] * loss_r} (central finite differences in double), it equals
 * the sum of the rows' single-sample gradients with weights {@code weight * rowWeights[r]}, unit
 * weights give the bits of the unweighted batch form, and bad row weights are refused before the
 * gradients change. Dense networks unrolled (row by row) and looped (by blocks of rows), a
 * convolutional and a recurrent one with a sequence layer; run on both kernel paths.
 */
class WeightedRowsGradientTest {
    private static final List<NetworkSource> NETWORKS = List.of(
            new NetworkSource(
                    "weightedrows",
                    "Unrolled",
                    Loss.CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.input("IN", 5),
                            LayerSpec.dense("H", 7, Activation.TANH),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))),
            new NetworkSource(
                    "weightedrows",
                    "Looped",
                    Loss.MSE,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.input("IN", 40),
                            LayerSpec.dense("H", 36, Activation.GELU),
                            LayerSpec.dense("OUT", 4, Activation.IDENTITY))),
            new NetworkSource(
                    "weightedrows",
                    "Conv",
                    Loss.CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.image("IN", 2, 6, 6),
                            new LayerSpec.Conv2DSpec("C", 3, Activation.TANH, 3, 3, 1, 1, Padding.SAME, 0, 0),
                            new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.AVG_POOL2D, 3, 2, 2, 2, 2),
                            LayerSpec.dense("OUT", 4, Activation.SOFTMAX))),
            new NetworkSource(
                    "weightedrows",
                    "Recurrent",
                    Loss.BINARY_CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 5, Activation.TANH, true),
                            new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 4, Activation.TANH, false),
                            LayerSpec.dense("OUT", 2, Activation.SIGMOID))),
            new NetworkSource(
                    "weightedrows",
                    "UnrolledFloat",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 5),
                            LayerSpec.dense("H", 7, Activation.RELU),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))),
            new NetworkSource(
                    "weightedrows",
                    "LoopedFloat",
                    Loss.BINARY_CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 40),
                            LayerSpec.dense("H", 36, Activation.RELU),
                            LayerSpec.dense("OUT", 3, Activation.SIGMOID))));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(NETWORKS);
    /** More than one block of rows, the last one partial. */
    private static final int ROWS = 37;

    private static final double WEIGHT = 0.25;

    /** The rows of one batch, at offsets, with their weights at an offset too; some weights are 0. */
    private record Batch(double[] inputs, int io, double[] targets, int to, double[] weights, int wo) {
        static Batch of(Model model, Loss loss, long seed) {
            Random random = new Random(seed);
            int in = model.inputSize();
            int out = model.outputSize();
            int io = 3;
            int to = 2;
            int wo = 5;
            double[] inputs = new double[io + ROWS * in + 4];
            double[] targets = new double[to + ROWS * out + 1];
            double[] weights = new double[wo + ROWS + 2];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = random.nextGaussian();
            }
            for (int r = 0; r < ROWS; r++) {
                System.arraycopy(Samples.target(random, loss, out), 0, targets, to + r * out, out);
                weights[wo + r] = r % 5 == 0 ? 0 : 0.1 + 3 * random.nextDouble();
            }
            weights[0] = Double.NaN; // outside the rows: never read
            weights[weights.length - 1] = -1;
            return new Batch(inputs, io, targets, to, weights, wo);
        }

        double rowWeight(int r) {
            return weights[wo + r];
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void theGradientIsThatOfTheWeightedSumOfTheLosses(int which) {
        NetworkSource source = NETWORKS.get(which);
        DoubleModel model = COMPILED.newDoubleModel(source, 5);
        Batch b = Batch.of(model, source.loss(), which);
        int in = model.inputSize();
        int out = model.outputSize();
        model.zeroGradients();
        double weighted = model.accumulateGradientsBatch(
                b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT, b.weights(), b.wo());
        double[] analytic = model.gradients().clone();
        double[] p = model.parameters().clone();

        double expectedLoss = 0;
        for (int r = 0; r < ROWS; r++) {
            expectedLoss += b.rowWeight(r) * model.loss(b.inputs(), b.io() + r * in, b.targets(), b.to() + r * out);
        }
        assertEquals(expectedLoss, weighted, 1e-12 * Math.abs(expectedLoss), "the rows' weighted loss sum");

        Random random = new Random(which);
        int checked = 0;
        for (int index = 0; index < p.length; index += 1 + random.nextInt(Math.max(1, p.length / 40))) {
            double numeric = GeneratedNetworkTest.centralDifference(
                    p,
                    index,
                    q -> {
                        model.setParameters(q);
                        double sum = 0;
                        for (int r = 0; r < ROWS; r++) {
                            sum += WEIGHT
                                    * b.rowWeight(r)
                                    * model.loss(b.inputs(), b.io() + r * in, b.targets(), b.to() + r * out);
                        }
                        return new double[] {sum};
                    },
                    analytic[index])[0];
            GeneratedNetworkTest.assertRelative(
                    numeric, analytic[index], 1e-6, 1e-3, source.name() + ": parameter " + index);
            checked++;
        }
        model.setParameters(p);
        assertTrue(checked >= 20, "checked " + checked + " parameters");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void theBatchIsTheSumOfItsRowsEachWithItsWeight(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model model = COMPILED.newModel(source, 7);
        Batch b = Batch.of(model, source.loss(), 100 + which);
        int in = model.inputSize();
        int out = model.outputSize();
        if (model instanceof DoubleModel d) {
            d.zeroGradients();
            for (int r = 0; r < ROWS; r++) {
                d.accumulateGradients(
                        b.inputs(), b.io() + r * in, b.targets(), b.to() + r * out, WEIGHT * b.rowWeight(r));
            }
            double[] byRows = d.gradients().clone();
            d.zeroGradients();
            d.accumulateGradientsBatch(b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT, b.weights(), b.wo());
            double[] batch = d.gradients();
            double scale = maxAbs(byRows);
            assertTrue(scale > 1e-4, source.name() + ": the batch has a gradient");
            for (int i = 0; i < batch.length; i++) {
                assertEquals(byRows[i], batch[i], 1e-13 * scale, source.name() + ": gradient " + i);
            }
        } else {
            FloatModel f = (FloatModel) model;
            float[] xs = narrow(b.inputs());
            float[] ys = narrow(b.targets());
            float[] ws = narrow(b.weights());
            float weight = (float) WEIGHT;
            f.zeroGradients();
            for (int r = 0; r < ROWS; r++) {
                f.accumulateGradients(xs, b.io() + r * in, ys, b.to() + r * out, weight * ws[b.wo() + r]);
            }
            float[] byRows = f.gradients().clone();
            f.zeroGradients();
            f.accumulateGradientsBatch(xs, b.io(), ys, b.to(), ROWS, weight, ws, b.wo());
            float[] batch = f.gradients();
            double scale = maxAbs(byRows);
            assertTrue(scale > 1e-4, source.name() + ": the batch has a gradient");
            for (int i = 0; i < batch.length; i++) {
                assertEquals(byRows[i], batch[i], 2e-5 * scale, source.name() + ": gradient " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void unitWeightsGiveTheBitsOfTheUnweightedBatch(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model model = COMPILED.newModel(source, 9);
        Batch b = Batch.of(model, source.loss(), 200 + which);
        double[] ones = new double[b.wo() + ROWS];
        java.util.Arrays.fill(ones, 1);
        if (model instanceof DoubleModel d) {
            d.zeroGradients();
            double mean = d.accumulateGradientsBatch(b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT);
            double[] plain = d.gradients().clone();
            d.zeroGradients();
            double sum = d.accumulateGradientsBatch(b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT, ones, 0);
            assertArrayEquals(plain, d.gradients(), source.name());
            assertEquals(mean * ROWS, sum, 1e-12 * Math.abs(sum), source.name() + ": the summed loss");
        } else {
            FloatModel f = (FloatModel) model;
            float[] xs = narrow(b.inputs());
            float[] ys = narrow(b.targets());
            f.zeroGradients();
            f.accumulateGradientsBatch(xs, b.io(), ys, b.to(), ROWS, (float) WEIGHT);
            float[] plain = f.gradients().clone();
            f.zeroGradients();
            f.accumulateGradientsBatch(xs, b.io(), ys, b.to(), ROWS, (float) WEIGHT, narrow(ones), 0);
            assertArrayEquals(plain, f.gradients(), source.name());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 5})
    void badRowWeightsAreRefusedBeforeTheGradientsChange(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model model = COMPILED.newModel(source, 11);
        Batch b = Batch.of(model, source.loss(), 300 + which);
        double[][] bad = {
            withRow(b, 6, Double.NaN), withRow(b, 30, -0.5), withRow(b, 36, Double.POSITIVE_INFINITY),
        };
        String[] expected = {
            "rowWeights[6] is NaN, expected a finite weight of at least 0",
            "rowWeights[30] is -0.5, expected a finite weight of at least 0",
            "rowWeights[36] is Infinity, expected a finite weight of at least 0",
        };
        Random random = new Random(which);
        if (model instanceof DoubleModel d) {
            double[] before = new double[d.parameterCount()];
            for (int i = 0; i < before.length; i++) {
                before[i] = random.nextGaussian();
            }
            System.arraycopy(before, 0, d.gradients(), 0, before.length);
            for (int k = 0; k < bad.length; k++) {
                double[] w = bad[k];
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> d.accumulateGradientsBatch(
                                b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT, w, b.wo()));
                assertEquals(expected[k], e.getMessage());
            }
            IllegalArgumentException shorter = assertThrows(
                    IllegalArgumentException.class,
                    () -> d.accumulateGradientsBatch(
                            b.inputs(), b.io(), b.targets(), b.to(), ROWS, WEIGHT, new double[ROWS + 4], 5));
            assertEquals("rowWeights needs 37 rows of 1 values from offset 5 but has length 41", shorter.getMessage());
            assertArrayEquals(before, d.gradients(), "the gradients are unchanged");
        } else {
            FloatModel f = (FloatModel) model;
            float[] before = new float[f.parameterCount()];
            for (int i = 0; i < before.length; i++) {
                before[i] = (float) random.nextGaussian();
            }
            System.arraycopy(before, 0, f.gradients(), 0, before.length);
            float[] xs = narrow(b.inputs());
            float[] ys = narrow(b.targets());
            for (int k = 0; k < bad.length; k++) {
                float[] w = narrow(bad[k]);
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class,
                        () -> f.accumulateGradientsBatch(xs, b.io(), ys, b.to(), ROWS, (float) WEIGHT, w, b.wo()));
                assertEquals(expected[k], e.getMessage());
            }
            IllegalArgumentException negativeOffset = assertThrows(
                    IllegalArgumentException.class,
                    () -> f.accumulateGradientsBatch(
                            xs, b.io(), ys, b.to(), ROWS, (float) WEIGHT, new float[ROWS], -1));
            assertEquals(
                    "rowWeights needs 37 rows of 1 values from offset -1 but has length 37",
                    negativeOffset.getMessage());
            assertArrayEquals(before, f.gradients(), "the gradients are unchanged");
        }
    }

    private static double[] withRow(Batch b, int row, double value) {
        double[] w = b.weights().clone();
        w[b.wo() + row] = value;
        return w;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
