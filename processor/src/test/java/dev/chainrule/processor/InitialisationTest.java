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
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeded initialisation of every layer kind, as {@code Initializers} and the README state it:
 * He normal {@code N(0, 2/fanIn)} for rectifier layers, Glorot uniform {@code U(-l, l)} with
 * {@code l = sqrt(6/(fanIn + fanOut))} otherwise (a convolution's fans counting its kernel's
 * positions), PyTorch's {@code U(-1/sqrt(H), 1/sqrt(H))} for recurrent weights, zero biases, and
 * an LSTM's forget-gate input biases at {@code forgetBias = 1}. Each weight block's mean,
 * variance, fourth moment (3 for a normal, 1.8 for a uniform) and bound are checked within five
 * standard errors or so of the sample statistics in blocks of 4,000 values or more; smaller blocks
 * are checked against the bound only.
 */
class InitialisationTest {
    private static List<LayerSpec> dense() {
        return List.of(
                LayerSpec.input("IN", 200),
                LayerSpec.dense("H1", 150, Activation.RELU),
                LayerSpec.dense("H2", 120, Activation.TANH),
                LayerSpec.dense("H3", 100, Activation.GELU),
                LayerSpec.dense("H4", 90, Activation.LEAKY_RELU),
                LayerSpec.dense("H5", 80, Activation.SOFTPLUS),
                LayerSpec.dense("OUT", 70, Activation.SIGMOID));
    }

    private static List<LayerSpec> convolutional() {
        return List.of(
                LayerSpec.image("IN", 16, 10, 10),
                new LayerSpec.Conv2DSpec("C1", 32, Activation.RELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                new LayerSpec.Conv2DSpec("C2", 24, Activation.TANH, 3, 3, 1, 1, Padding.SAME, 0, 0),
                new LayerSpec.Conv2DSpec("C3", 20, Activation.ELU, 3, 4, 1, 1, Padding.VALID, 0, 0),
                new LayerSpec.GlobalAvgPool2DSpec("G", 20),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
    }

    private static List<LayerSpec> recurrent() {
        return List.of(
                LayerSpec.sequence("IN", 4, 40),
                new LayerSpec.RecurrentSpec("R", LayerSpec.Kind.SIMPLE_RNN, 64, Activation.TANH, true),
                new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 48, Activation.TANH, true),
                new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 56, Activation.TANH, true),
                new LayerSpec.StepDenseSpec("OUT", 2, Activation.IDENTITY));
    }

    private static final List<NetworkSource> NETWORKS = List.of(
            new NetworkSource("init", "DenseNet", Loss.BINARY_CROSS_ENTROPY, Precision.FLOAT, dense()),
            new NetworkSource("init", "DenseNetDouble", Loss.BINARY_CROSS_ENTROPY, Precision.DOUBLE, dense()),
            new NetworkSource("init", "ConvNet", Loss.CROSS_ENTROPY, Precision.FLOAT, convolutional()),
            new NetworkSource("init", "ConvNetDouble", Loss.CROSS_ENTROPY, Precision.DOUBLE, convolutional()),
            new NetworkSource("init", "RecurrentNet", Loss.MSE, Precision.FLOAT, recurrent()),
            new NetworkSource("init", "RecurrentNetDouble", Loss.MSE, Precision.DOUBLE, recurrent()));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(NETWORKS);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyBlockIsDrawnAsItsLayerKindSays(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model model = COMPILED.newModel(source, 123);
        double[] p = parameters(model);
        int checked = 0;
        for (ParameterBlock block : model.spec().parameterBlocks()) {
            LayerSpec layer = layer(source, block.layer());
            double[] values = new double[block.size()];
            System.arraycopy(p, block.offset(), values, 0, values.length);
            String what = source.name() + ": " + block.describe();
            if (block.role().isBias()) {
                for (int i = 0; i < values.length; i++) {
                    double expected = layer.kind() == LayerSpec.Kind.LSTM
                                    && block.role() == ParameterBlock.Role.BIASES
                                    && i >= layer.size()
                                    && i < 2 * layer.size()
                            ? 1
                            : 0;
                    assertEquals(
                            expected,
                            values[i],
                            0,
                            what + ", value " + i + (expected == 1 ? " (an LSTM's forget-gate input bias)" : ""));
                }
            } else if (layer instanceof LayerSpec.RecurrentSpec) {
                uniform(what, values, 1 / Math.sqrt(layer.size()));
            } else {
                List<Integer> d = block.dimensions();
                int fanIn;
                int fanOut;
                if (d.size() == 4) { // [filters][channels][kh][kw]
                    int kernel = d.get(2) * d.get(3);
                    fanIn = d.get(1) * kernel;
                    fanOut = d.get(0) * kernel;
                } else { // [inputs][units]
                    fanIn = d.get(0);
                    fanOut = d.get(1);
                }
                if (rectifier(activation(layer))) {
                    normal(what, values, 2.0 / fanIn);
                } else {
                    uniform(what, values, Math.sqrt(6.0 / (fanIn + fanOut)));
                }
            }
            checked += values.length >= SAMPLE ? 1 : 0;
        }
        assertTrue(checked >= 3, source.name() + " has weight blocks large enough to judge: " + checked);
    }

    /** Blocks of fewer values get only the checks that need no statistics (the output layers). */
    private static final int SAMPLE = 4000;

    /** He normal: mean 0, variance {@code variance}, fourth standardised moment 3. */
    private static void normal(String what, double[] v, double variance) {
        double[] m = moments(v);
        int n = v.length;
        assertTrue(m[1] > 0, what + ": drawn, not constant");
        if (n < SAMPLE) {
            return;
        }
        assertEquals(0, m[0], 5 * Math.sqrt(variance / n), what + ": mean");
        assertEquals(1, m[1] / variance, 5 * Math.sqrt(2.0 / n), what + ": variance over 2/fanIn = " + variance);
        assertEquals(3, m[2], 8 * Math.sqrt(24.0 / n), what + ": fourth moment of a normal");
    }

    /** {@code U(-bound, bound)}: within the bound and close to it, variance {@code bound^2/3}, fourth moment 1.8. */
    private static void uniform(String what, double[] v, double bound) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= bound * (1 + 1e-6), what + ": |w| <= " + bound + ", got " + max);
        double[] m = moments(v);
        int n = v.length;
        if (n < SAMPLE) {
            return;
        }
        double variance = bound * bound / 3;
        assertEquals(0, m[0], 5 * Math.sqrt(variance / n), what + ": mean");
        assertEquals(1, m[1] / variance, 5 * Math.sqrt(0.8 / n), what + ": variance over bound^2/3, bound " + bound);
        assertEquals(1.8, m[2], 8 * Math.sqrt(0.4 / n) + 0.01, what + ": fourth moment of a uniform");
        assertTrue(
                max >= bound * (1 - 20.0 / n), what + ": the largest |w| reaches the bound " + bound + ", got " + max);
    }

    /** Mean, variance (about the mean) and fourth standardised moment. */
    private static double[] moments(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double m2 = 0;
        double m4 = 0;
        for (double x : v) {
            double d = (x - mean) * (x - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= v.length;
        m4 /= v.length;
        return new double[] {mean, m2, m4 / (m2 * m2)};
    }

    private static boolean rectifier(Activation a) {
        return a == Activation.RELU || a == Activation.LEAKY_RELU || a == Activation.ELU || a == Activation.GELU;
    }

    private static Activation activation(LayerSpec layer) {
        if (layer instanceof LayerSpec.DenseSpec dense) {
            return dense.activation();
        } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
            return conv.activation();
        } else if (layer instanceof LayerSpec.StepDenseSpec step) {
            return step.activation();
        }
        throw new AssertionError("no activation on " + layer);
    }

    private static LayerSpec layer(NetworkSource source, String name) {
        List<String> names = new ArrayList<>();
        for (LayerSpec layer : source.layers()) {
            if (layer.name().equals(name)) {
                return layer;
            }
            names.add(layer.name());
        }
        throw new AssertionError("no layer " + name + " in " + names);
    }

    private static double[] parameters(Model model) {
        if (model instanceof DoubleModel d) {
            return d.parameters().clone();
        }
        float[] f = ((FloatModel) model).parameters();
        double[] p = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            p[i] = f[i];
        }
        return p;
    }
}
