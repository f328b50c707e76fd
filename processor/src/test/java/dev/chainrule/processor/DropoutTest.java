package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.AnyModel;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.processor.testing.Reference;
import dev.chainrule.processor.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inverted dropout: off outside training (the network is the reference network), and in
 * training a seeded mask whose gradients agree with finite differences when the mask is held
 * fixed by re-seeding before every evaluation.
 */
class DropoutTest {
    /** Hidden layers with dropout after activations whose derivative reads z and ones that read a. */
    static NetworkSource network(String name, Precision precision, Loss loss, Activation output, int outputs) {
        return new NetworkSource(
                "drop",
                name,
                loss,
                precision,
                List.of(
                        LayerSpec.input("IN", 5),
                        LayerSpec.dense("H1", 7, Activation.SIGMOID, 0.3),
                        LayerSpec.dense("H2", 6, Activation.RELU, 0.5),
                        LayerSpec.dense("H3", 4, Activation.ELU, 0.25),
                        LayerSpec.dense("H4", 3, Activation.TANH),
                        LayerSpec.dense("OUT", outputs, output)));
    }

    static final List<NetworkSource> NETWORKS = List.of(
            network("CeD", Precision.DOUBLE, Loss.CROSS_ENTROPY, Activation.SOFTMAX, 3),
            network("MseD", Precision.DOUBLE, Loss.MSE, Activation.TANH, 2),
            network("CeF", Precision.FLOAT, Loss.CROSS_ENTROPY, Activation.SOFTMAX, 3),
            network("MseF", Precision.FLOAT, Loss.MSE, Activation.TANH, 2));

    static final List<CompiledNetworks> COMPILED = List.of(
            CompiledNetworks.compile(NETWORKS), CompiledNetworks.compile(NETWORKS, "-Achainrule.unrollLimit=0"));

    static Stream<Arguments> doubleNetworks() {
        List<Arguments> args = new ArrayList<>();
        for (int mode = 0; mode < 2; mode++) {
            args.add(Arguments.of(mode, 0, 2));
            args.add(Arguments.of(mode, 1, 3));
        }
        return args.stream();
    }

    private static Model model(int mode, NetworkSource source, long seed) {
        return COMPILED.get(mode).newModel(source, seed);
    }

    @ParameterizedTest(name = "mode {0}, network {1}")
    @MethodSource("doubleNetworks")
    void gradientUnderAFixedMaskMatchesFiniteDifferences(int mode, int which, int floatTwin) {
        NetworkSource source = NETWORKS.get(which);
        Model raw = model(mode, source, 3);
        AnyModel model = AnyModel.of(raw);
        raw.setTraining(true);
        Random random = new Random(5);
        NetworkSpec spec = raw.spec();
        double[] x = AnyModel.widen(AnyModel.narrow(Samples.input(random, spec.inputSize())));
        double[] y = AnyModel.widen(AnyModel.narrow(Samples.target(random, spec.loss(), spec.outputSize())));
        long maskSeed = 11;
        raw.seedDropout(maskSeed);
        double[] analytic = model.gradient(x, y);
        double[] p = model.parameters();
        int zeros = 0;
        for (int index = 0; index < p.length; index++) {
            double numeric = GeneratedNetworkTest.centralDifference(
                    p,
                    index,
                    q -> {
                        model.setParameters(q);
                        raw.seedDropout(maskSeed);
                        return new double[] {model.loss(x, y)};
                    },
                    analytic[index])[0];
            model.setParameters(p);
            GeneratedNetworkTest.assertRelative(numeric, analytic[index], 1e-6, 1e-3, "parameter " + index);
            if (analytic[index] == 0) {
                zeros++;
            }
        }
        assertTrue(zeros > 0, "some weights feed dropped units and get no gradient under this mask");

        // The float twin, same parameters and mask seed, computes the same gradient to float precision.
        Model twinRaw = model(mode, NETWORKS.get(floatTwin), 3);
        AnyModel twin = AnyModel.of(twinRaw);
        twin.setParameters(p);
        twinRaw.setTraining(true);
        twinRaw.seedDropout(maskSeed);
        double[] floatGradient = twin.gradient(x, y);
        for (int i = 0; i < p.length; i++) {
            GeneratedNetworkTest.assertRelative(analytic[i], floatGradient[i], 1e-3, 1e-2, "float parameter " + i);
        }
    }

    /** Through the block-of-rows path (the loops build): the batch gradient under fixed masks. */
    @ParameterizedTest(name = "network {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1})
    void batchGradientUnderFixedMasksMatchesFiniteDifferences(int which) {
        NetworkSource source = NETWORKS.get(which);
        Model raw = model(1, source, 8);
        AnyModel model = AnyModel.of(raw);
        raw.setTraining(true);
        NetworkSpec spec = raw.spec();
        Random random = new Random(9);
        int rows = 35;
        double[][] xs = new double[rows][];
        double[][] ys = new double[rows][];
        for (int r = 0; r < rows; r++) {
            xs[r] = Samples.input(random, spec.inputSize());
            ys[r] = Samples.target(random, spec.loss(), spec.outputSize());
        }
        double[] x = Samples.rows(xs);
        double[] y = Samples.rows(ys);
        long maskSeed = 12;
        raw.seedDropout(maskSeed);
        double[] analytic = model.batchGradient(x, y, rows);
        double[] p = model.parameters();
        for (int index = 0; index < p.length; index++) {
            double numeric = GeneratedNetworkTest.centralDifference(
                    p,
                    index,
                    q -> {
                        model.setParameters(q);
                        raw.seedDropout(maskSeed);
                        return new double[] {model.lossBatch(x, y, rows)};
                    },
                    analytic[index])[0];
            model.setParameters(p);
            GeneratedNetworkTest.assertRelative(numeric, analytic[index], 1e-6, 1e-3, "parameter " + index);
        }
    }

    @Test
    void outsideTrainingTheNetworkIsTheReferenceNetwork() {
        for (int mode = 0; mode < 2; mode++) {
            for (NetworkSource source : NETWORKS) {
                Model raw = model(mode, source, 4);
                AnyModel model = AnyModel.of(raw);
                Random random = new Random(6);
                double[] x = AnyModel.widen(AnyModel.narrow(Samples.input(random, 5)));
                double[] expected = Reference.forward(raw.spec(), model.parameters(), x);
                assertFalse(raw.isTraining());
                assertClose(expected, model.predict(x), source);
                raw.setTraining(true);
                double[] trained = model.predict(x);
                raw.setTraining(false);
                assertClose(expected, model.predict(x), source);
                assertNotEquals(expected[0], trained[0], "training mode drops units");
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, NetworkSource source) {
        double tolerance = source.precision() == Precision.DOUBLE ? 1e-12 : 1e-5;
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], tolerance, "output " + k + " of " + source.name());
        }
    }

    /** Identity layers with identity weights: each output is its input, dropped or scaled by 1 / keep. */
    @Test
    void masksDropTheRateAndScaleTheRestByTheInverseOfKeep() {
        int n = 2000;
        NetworkSource source = new NetworkSource(
                "drop",
                "Pass",
                Loss.MSE,
                Precision.FLOAT,
                List.of(
                        LayerSpec.input("IN", n),
                        LayerSpec.dense("H", n, Activation.IDENTITY, 0.25),
                        LayerSpec.dense("OUT", n, Activation.IDENTITY)));
        FloatModel model = CompiledNetworks.compile(List.of(source)).newFloatModel(source, 1);
        float[] p = new float[model.parameterCount()];
        int second = n * n + n;
        for (int i = 0; i < n; i++) {
            p[i * n + i] = 1;
            p[second + i * n + i] = 1;
        }
        model.setParameters(p);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + i % 7;
        }
        float[] out = new float[n];
        model.setTraining(true);
        model.seedDropout(42);
        model.predict(x, out);
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            if (out[i] == 0) {
                dropped++;
            } else {
                assertEquals(x[i] / 0.75f, out[i], 1e-5f, "kept output " + i + " is scaled by 1 / keep");
            }
        }
        // 25% of 2000 is 500; the binomial's standard deviation is about 19.
        assertTrue(dropped > 420 && dropped < 580, dropped + " of " + n + " dropped");

        float[] again = new float[n];
        model.seedDropout(42);
        model.predict(x, again);
        assertArrayEquals(out, again, "same seed, same mask");
        model.predict(x, again);
        assertFalse(java.util.Arrays.equals(out, again), "the next call draws a new mask");
    }

    @Test
    void trainingWithDropoutAllocatesNothing() {
        FloatModel model = COMPILED.get(0).newFloatModel(NETWORKS.get(2), 1);
        model.setTraining(true);
        float[] x = new float[5];
        float[] y = {1, 0, 0};
        java.util.Arrays.fill(x, 0.5f);
        assertEquals(0, SteadyAllocation.ofWindows(() -> model.accumulateGradients(x, y)));
    }

    @Test
    void siblingsKeepTheModeAndDrawTheirOwnMasks() {
        FloatModel model = COMPILED.get(0).newFloatModel(NETWORKS.get(2), 1);
        model.setTraining(true);
        FloatModel sibling = model.withSharedParameters();
        assertTrue(sibling.isTraining());
        assertTrue(sibling.parameters() == model.parameters());
        assertTrue(sibling.toString().contains("H1 7 sigmoid dropout 0.3"), sibling.toString());
    }
}
