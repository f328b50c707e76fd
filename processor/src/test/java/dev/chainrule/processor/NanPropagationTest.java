package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.AnyModel;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.processor.testing.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prediction never turns a NaN feature into a plausible output: a NaN anywhere in the input makes
 * every output NaN, through hidden layers of every element-wise activation (a ReLU must not map
 * it to 0), softmax and identity outputs, convolution and every pooling, in both precisions, in
 * unrolled code and in loops (whose skipping of zero inputs must not skip a NaN), row by row and
 * in batches. The build runs it on both kernel paths.
 */
class NanPropagationTest {

    enum Mode {
        UNROLLED,
        LOOPS("-Achainrule.unrollLimit=0");

        final String[] options;

        Mode(String... options) {
            this.options = options;
        }
    }

    record Case(Mode mode, NetworkSource source) {
        @Override
        public String toString() {
            return mode + " " + source.precision() + " " + source.name() + " " + source.layers();
        }
    }

    private static final Map<Mode, CompiledNetworks> COMPILED = new EnumMap<>(Mode.class);
    private static final List<NetworkSource> SOURCES = sources();

    /**
     * For each hidden activation: four inputs into eight units (unrolled, the forward pass is a
     * loop over the units), then five (unrolled straight-line code), then a softmax or identity
     * output; and a convolution with that activation before max pooling, average pooling and a
     * dense layer, or global average pooling.
     */
    private static List<NetworkSource> sources() {
        List<NetworkSource> sources = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            String p = precision.name().charAt(0) + "";
            for (Activation h : NetworkSource.elementWise()) {
                String a = h.name().replace("_", "");
                sources.add(new NetworkSource(
                        "nan",
                        "Soft" + a + p,
                        Loss.CROSS_ENTROPY,
                        precision,
                        List.of(
                                LayerSpec.input("IN", 4),
                                LayerSpec.dense("H1", 8, h),
                                LayerSpec.dense("H2", 5, h),
                                LayerSpec.dense("OUT", 3, Activation.SOFTMAX))));
                sources.add(new NetworkSource(
                        "nan",
                        "Ident" + a + p,
                        Loss.MSE,
                        precision,
                        List.of(
                                LayerSpec.input("IN", 4),
                                LayerSpec.dense("H1", 8, h),
                                LayerSpec.dense("H2", 5, h),
                                LayerSpec.dense("OUT", 2, Activation.IDENTITY))));
                sources.add(new NetworkSource(
                        "nan",
                        "ConvMax" + a + p,
                        Loss.CROSS_ENTROPY,
                        precision,
                        List.of(
                                LayerSpec.image("IN", 1, 6, 6),
                                new LayerSpec.Conv2DSpec("C", 3, h, 3, 3, 1, 1, Padding.VALID, 0, 0),
                                new LayerSpec.Pool2DSpec("P", Kind.MAX_POOL2D, 3, 2, 2, 2, 2),
                                LayerSpec.dense("OUT", 3, Activation.SOFTMAX))));
                sources.add(new NetworkSource(
                        "nan",
                        "ConvAvg" + a + p,
                        Loss.MSE,
                        precision,
                        List.of(
                                LayerSpec.image("IN", 2, 5, 5),
                                new LayerSpec.Conv2DSpec("C", 2, h, 2, 2, 1, 1, Padding.SAME, 0, 0),
                                new LayerSpec.Pool2DSpec("P", Kind.AVG_POOL2D, 2, 2, 2, 1, 1),
                                LayerSpec.dense("H", 4, h),
                                LayerSpec.dense("OUT", 2, Activation.IDENTITY))));
                sources.add(new NetworkSource(
                        "nan",
                        "ConvGap" + a + p,
                        Loss.CROSS_ENTROPY,
                        precision,
                        List.of(
                                LayerSpec.image("IN", 3, 4, 4),
                                new LayerSpec.Conv2DSpec("C", 4, h, 3, 3, 1, 1, Padding.VALID, 0, 0),
                                new LayerSpec.GlobalAvgPool2DSpec("G", 4),
                                LayerSpec.dense("OUT", 3, Activation.SOFTMAX))));
            }
        }
        return sources;
    }

    static synchronized CompiledNetworks compiled(Mode mode) {
        return COMPILED.computeIfAbsent(mode, m -> CompiledNetworks.compile(SOURCES, m.options));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (NetworkSource source : SOURCES) {
                cases.add(Arguments.of(new Case(mode, source)));
            }
        }
        return cases.stream();
    }

    /** A model with every parameter, biases included, moved off its initial value. */
    private static AnyModel model(Case c) {
        AnyModel model = AnyModel.of(compiled(c.mode()).newModel(c.source(), 1));
        Random random = new Random(2);
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.1 * random.nextGaussian();
        }
        model.setParameters(p);
        return model;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aNaNAtAnyFeatureMakesEveryOutputNaN(Case c) {
        AnyModel model = model(c);
        int n = model.spec().inputSize();
        Random random = new Random(3);
        for (int feature = 0; feature < n; feature++) {
            double[] x = Samples.input(random, n);
            x[feature] = Double.NaN;
            assertAllNaN(model.predict(x), "predict with feature " + feature + " NaN");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aNaNInOneRowOfABatchMakesThatRowNaNAndLeavesTheOthers(Case c) {
        AnyModel model = model(c);
        int n = model.spec().inputSize();
        int outputs = model.spec().outputSize();
        int rows = 37; // a block of 32 rows and a partial one, where batch methods go by blocks
        Random random = new Random(5);
        double[][] xs = new double[rows][];
        for (int r = 0; r < rows; r++) {
            xs[r] = AnyModel.widen(AnyModel.narrow(Samples.input(random, n)));
            if (r % 3 == 0) {
                xs[r][r % n] = Double.NaN;
            }
        }
        double[] batch = model.predictBatch(Samples.rows(xs), rows);
        for (int r = 0; r < rows; r++) {
            double[] row = Arrays.copyOfRange(batch, r * outputs, (r + 1) * outputs);
            if (r % 3 == 0) {
                assertAllNaN(row, "row " + r + " of a batch, feature " + r % n + " NaN");
            } else {
                double[] alone = model.predict(xs[r]);
                for (int k = 0; k < outputs; k++) {
                    if (!Double.isFinite(row[k])) {
                        fail("row " + r + " has no NaN feature but output " + k + " is " + row[k]);
                    }
                    assertEquals(alone[k], row[k], 1e-5 * Math.max(1, Math.abs(alone[k])), "row " + r + " output " + k);
                }
            }
        }
    }

    private static void assertAllNaN(double[] outputs, String what) {
        for (double v : outputs) {
            if (!Double.isNaN(v)) {
                fail(what + ": expected every output NaN, got " + Arrays.toString(outputs));
            }
        }
    }
}
