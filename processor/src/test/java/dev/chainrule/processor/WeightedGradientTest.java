package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The weighted, offset form {@code accumulateGradients(input, inputOffset, target, targetOffset,
 * weight)} of generated models: it adds {@code weight} times the sample's gradient to what the
 * gradients already hold, reads the sample and the target where the offsets say (the rows
 * around them hold other values), and returns the unweighted loss. Compared with the plain form
 * on copies of the same sample; run on both kernel paths.
 */
class WeightedGradientTest {
    private static final List<NetworkSource> NETWORKS = List.of(
            new NetworkSource(
                    "weighted",
                    "Unrolled",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 5),
                            LayerSpec.dense("H", 7, Activation.TANH),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))),
            new NetworkSource(
                    "weighted",
                    "Looped",
                    Loss.MSE,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.input("IN", 40),
                            LayerSpec.dense("H", 36, Activation.GELU),
                            LayerSpec.dense("OUT", 4, Activation.IDENTITY))),
            new NetworkSource(
                    "weighted",
                    "LoopedDouble",
                    Loss.BINARY_CROSS_ENTROPY,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.input("IN", 40),
                            LayerSpec.dense("H", 36, Activation.RELU),
                            LayerSpec.dense("OUT", 3, Activation.SIGMOID))),
            new NetworkSource(
                    "weighted",
                    "Conv",
                    Loss.CROSS_ENTROPY,
                    Precision.FLOAT,
                    List.of(
                            LayerSpec.image("IN", 2, 6, 6),
                            new LayerSpec.Conv2DSpec("C", 5, Activation.ELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                            new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 5, 2, 2, 2, 2),
                            LayerSpec.dense("OUT", 4, Activation.SOFTMAX))),
            new NetworkSource(
                    "weighted",
                    "Recurrent",
                    Loss.MSE,
                    Precision.DOUBLE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 9, Activation.TANH, true),
                            new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 6, Activation.TANH, false),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(NETWORKS);
    private static final double[] WEIGHTS = {0.37, -2.5, 0};

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void addsTheWeightedGradientOfTheSampleAtTheOffsets(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model model = COMPILED.newModel(source, 17);
        int in = model.inputSize();
        int out = model.outputSize();
        SplittableRandom random = new SplittableRandom(which);
        double[] x = new double[in];
        double[] y = new double[out];
        for (int i = 0; i < in; i++) {
            x[i] = random.nextDouble(-1.5, 1.5);
        }
        for (int k = 0; k < out; k++) {
            y[k] = source.loss() == Loss.MSE ? random.nextDouble(-1, 1) : 0;
        }
        if (source.loss() == Loss.CROSS_ENTROPY) {
            y[random.nextInt(out)] = 1;
        } else if (source.loss() == Loss.BINARY_CROSS_ENTROPY) {
            y[0] = 1;
        }
        // the sample is row 2 of 4 rows, the target row 1 of 3; the other rows hold other values
        int inputOffset = 2 * in + 1;
        int targetOffset = out + 2;
        double[] xs = new double[4 * in + 1];
        double[] ys = new double[3 * out + 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = random.nextDouble(-1.5, 1.5);
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = source.loss() == Loss.MSE ? random.nextDouble(-1, 1) : random.nextInt(2);
        }
        System.arraycopy(x, 0, xs, inputOffset, in);
        System.arraycopy(y, 0, ys, targetOffset, out);

        for (double weight : WEIGHTS) {
            if (model instanceof FloatModel f) {
                checkFloat(
                        source,
                        f,
                        narrow(x),
                        narrow(y),
                        narrow(xs),
                        inputOffset,
                        narrow(ys),
                        targetOffset,
                        (float) weight,
                        random);
            } else {
                checkDouble(source, (DoubleModel) model, x, y, xs, inputOffset, ys, targetOffset, weight, random);
            }
        }
    }

    private static void checkFloat(
            NetworkSource source,
            FloatModel f,
            float[] x,
            float[] y,
            float[] xs,
            int inputOffset,
            float[] ys,
            int targetOffset,
            float weight,
            SplittableRandom random) {
        f.zeroGradients();
        float loss = f.accumulateGradients(x, y);
        float[] gradient = f.gradients().clone();
        assertTrue(maxAbs(gradient) > 1e-4, source.name() + ": the sample has a gradient to weigh");
        float[] before = new float[gradient.length];
        for (int i = 0; i < before.length; i++) {
            before[i] = (float) random.nextDouble(-1, 1);
        }
        System.arraycopy(before, 0, f.gradients(), 0, before.length);
        float weightedLoss = f.accumulateGradients(xs, inputOffset, ys, targetOffset, weight);
        assertEquals(
                loss,
                weightedLoss,
                1e-6 * Math.max(1, Math.abs(loss)),
                source.name() + ": the unweighted loss, weight " + weight);
        float[] after = f.gradients();
        double scale = maxAbs(gradient) * Math.max(1, Math.abs(weight));
        for (int i = 0; i < after.length; i++) {
            double expected = before[i] + (double) weight * gradient[i];
            assertEquals(
                    expected,
                    after[i],
                    1e-5 * scale + 2e-7,
                    source.name() + ": gradient " + i + " after adding " + weight + " x the sample's gradient "
                            + gradient[i]);
        }
    }

    private static void checkDouble(
            NetworkSource source,
            DoubleModel d,
            double[] x,
            double[] y,
            double[] xs,
            int inputOffset,
            double[] ys,
            int targetOffset,
            double weight,
            SplittableRandom random) {
        d.zeroGradients();
        double loss = d.accumulateGradients(x, y);
        double[] gradient = d.gradients().clone();
        assertTrue(maxAbs(gradient) > 1e-4, source.name() + ": the sample has a gradient to weigh");
        double[] before = new double[gradient.length];
        for (int i = 0; i < before.length; i++) {
            before[i] = random.nextDouble(-1, 1);
        }
        System.arraycopy(before, 0, d.gradients(), 0, before.length);
        double weightedLoss = d.accumulateGradients(xs, inputOffset, ys, targetOffset, weight);
        assertEquals(
                loss,
                weightedLoss,
                1e-14 * Math.max(1, Math.abs(loss)),
                source.name() + ": the unweighted loss, weight " + weight);
        double[] after = d.gradients();
        double scale = maxAbs(gradient) * Math.max(1, Math.abs(weight));
        for (int i = 0; i < after.length; i++) {
            assertEquals(
                    before[i] + weight * gradient[i],
                    after[i],
                    1e-13 * scale + 1e-15,
                    source.name() + ": gradient " + i + " after adding " + weight + " x the sample's gradient "
                            + gradient[i]);
        }
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
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
