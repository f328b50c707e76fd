package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import dev.chainrule.processor.testing.AnyModel;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.ImageNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.processor.testing.Reference;
import dev.chainrule.processor.testing.Samples;
import dev.chainrule.processor.testing.SequenceNetworks;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every output activation with every loss it fits, hidden layers of every element-wise
 * activation, both precisions, and the shapes of generated code (unrolled, loops over the
 * kernels with layers wide enough for their vector loops, and unrolled split into parts; the
 * parts' networks also have unrolled layers of at most four inputs and
 * eight or more units, whose forward pass is a loop over the units): the forward pass agrees
 * with {@link Reference}, and gradients and Jacobians agree with central finite differences. The
 * same checks run on networks of convolution and pooling layers ({@link ImageNetworks}) and of
 * recurrent layers ({@link SequenceNetworks}).
 */
class GeneratedNetworkTest {

    /**
     * How the processor is asked to shape the code, and the layer sizes that exercise it: the
     * input and hidden layers have {@code minSize} to {@code maxSize} units, the output layer 1
     * (softmax: 2) to {@code maxSize}.
     */
    enum Mode {
        UNROLLED(1, 6),
        /**
         * Loops over the kernels of {@code dev.chainrule.kernel}. The layers are 40 to 72 wide so
         * that the Vector API kernels (the {@code vector-kernels} execution) run their vector
         * loops, not only their scalar tails: one vector is 8 or 16 floats (AVX2, AVX-512), 4 or
         * 8 doubles, and the register-blocked loops take 2 or 4 vectors at a time (up to 64
         * floats), each width with a tail of its own.
         */
        LOOPS(40, 72, "-Achainrule.unrollLimit=0"),
        PARTS(1, 40, "-Achainrule.unrollLimit=100000"),
        /** The convolution and pooling networks of {@link ImageNetworks}. */
        IMAGES(0, 0),
        /** The recurrent networks of {@link SequenceNetworks}. */
        SEQUENCES(0, 0);

        final int minSize;
        final int maxSize;
        final String[] options;

        Mode(int minSize, int maxSize, String... options) {
            this.minSize = minSize;
            this.maxSize = maxSize;
            this.options = options;
        }
    }

    record Case(Mode mode, NetworkSource source) {
        @Override
        public String toString() {
            NetworkSpec spec = specOf(source);
            return mode + " " + spec.describe();
        }
    }

    private static final Map<Mode, CompiledNetworks> COMPILED = new EnumMap<>(Mode.class);
    private static final Map<Mode, List<NetworkSource>> SOURCES = new EnumMap<>(Mode.class);

    /** Output activation and loss pairs that validate: MSE with every output, the fused pairs. */
    static List<Object[]> outputs() {
        List<Object[]> outputs = new ArrayList<>();
        for (Activation a : Activation.values()) {
            outputs.add(new Object[] {Loss.MSE, a});
        }
        outputs.add(new Object[] {Loss.CROSS_ENTROPY, Activation.SOFTMAX});
        outputs.add(new Object[] {Loss.BINARY_CROSS_ENTROPY, Activation.SIGMOID});
        return outputs;
    }

    static synchronized List<NetworkSource> sources(Mode mode) {
        return SOURCES.computeIfAbsent(mode, m -> {
            if (m == Mode.IMAGES) {
                return ImageNetworks.sources("gen.images");
            }
            if (m == Mode.SEQUENCES) {
                return SequenceNetworks.sources("gen.sequences");
            }
            Random random = new Random(20261123L + m.ordinal());
            List<NetworkSource> sources = new ArrayList<>();
            int index = 0;
            for (Precision precision : Precision.values()) {
                for (Object[] output : outputs()) {
                    Loss loss = (Loss) output[0];
                    Activation activation = (Activation) output[1];
                    int outputs = activation == Activation.SOFTMAX
                            ? 2 + random.nextInt(m.maxSize - 1)
                            : 1 + random.nextInt(m.maxSize);
                    List<LayerSpec> layers =
                            NetworkSource.allActivations(random, m.minSize, m.maxSize, index, outputs, activation);
                    sources.add(
                            new NetworkSource("gen." + m.name().toLowerCase(), "Net" + index, loss, precision, layers));
                    index++;
                }
            }
            return sources;
        });
    }

    static synchronized CompiledNetworks compiled(Mode mode) {
        return COMPILED.computeIfAbsent(mode, m -> CompiledNetworks.compile(sources(m), m.options));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (NetworkSource source : sources(mode)) {
                cases.add(Arguments.of(new Case(mode, source)));
            }
        }
        return cases.stream();
    }

    static NetworkSpec specOf(NetworkSource source) {
        return new NetworkSpec(source.qualifiedName(), source.precision(), source.loss(), source.layers());
    }

    private static AnyModel model(Case c, long seed) {
        return AnyModel.of(compiled(c.mode()).newModel(c.source(), seed));
    }

    /**
     * A model whose parameters, biases included, are moved off their initial values: zero biases
     * behind a dead ReLU would put the next layer exactly on a kink, where a finite difference
     * measures the mean of the two one-sided slopes.
     */
    private static AnyModel perturbed(Case c, long seed) {
        AnyModel model = model(c, seed);
        Random random = new Random(seed);
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.1 * random.nextGaussian();
        }
        model.setParameters(p);
        return model;
    }

    private static boolean isDouble(Case c) {
        return c.source().precision() == Precision.DOUBLE;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardPassMatchesReference(Case c) {
        AnyModel model = model(c, 1);
        NetworkSpec spec = specOf(c.source());
        assertEquals(spec, model.spec(), "SPEC describes the interface");
        Random random = new Random(7);
        double tolerance = isDouble(c) ? 1e-12 : 2e-5;
        for (int sample = 0; sample < 5; sample++) {
            double[] x = Samples.input(random, spec.inputSize());
            if (!isDouble(c)) {
                x = AnyModel.widen(AnyModel.narrow(x));
            }
            double[] expected = Reference.forward(spec, model.parameters(), x);
            double[] actual = model.predict(x);
            for (int k = 0; k < expected.length; k++) {
                assertClose(expected[k], actual[k], tolerance, "output " + k + " of sample " + sample);
            }
            double[] y = Samples.target(random, spec.loss(), spec.outputSize());
            if (!isDouble(c)) {
                y = AnyModel.widen(AnyModel.narrow(y));
            }
            assertClose(
                    Reference.loss(spec, model.parameters(), x, y),
                    model.loss(x, y),
                    tolerance,
                    "loss of sample " + sample);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Case c) {
        AnyModel model = perturbed(c, 2);
        NetworkSpec spec = specOf(c.source());
        Random random = new Random(11);
        double[] x = Samples.input(random, spec.inputSize());
        double[] y = Samples.target(random, spec.loss(), spec.outputSize());
        if (!isDouble(c)) {
            x = AnyModel.widen(AnyModel.narrow(x));
            y = AnyModel.widen(AnyModel.narrow(y));
        }
        double[] analytic = model.gradient(x, y);
        double[] p = model.parameters();
        double tolerance = floatTolerance(spec);
        double[] scales = floatScales(spec, analytic, 0, p.length, Reference.loss(spec, p, x, y));
        for (int index : indicesToCheck(p.length, random)) {
            double numeric;
            if (isDouble(c)) {
                // Central difference of the generated model's own loss, in double.
                final double[] xs = x;
                final double[] ys = y;
                numeric = centralDifference(
                        p,
                        index,
                        q -> {
                            model.setParameters(q);
                            return new double[] {model.loss(xs, ys)};
                        },
                        analytic[index])[0];
                model.setParameters(p);
                assertRelative(numeric, analytic[index], 1e-6, 1e-3, "parameter " + index);
            } else {
                // The float model's gradient against the double reference's, at the same parameters.
                final double[] xs = x;
                final double[] ys = y;
                numeric = centralDifference(
                        p, index, q -> new double[] {Reference.loss(spec, q, xs, ys)}, analytic[index])[0];
                assertRelative(numeric, analytic[index], tolerance, scales[index], "parameter " + index);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchGradientIsTheGradientOfTheMeanLoss(Case c) {
        AnyModel model = perturbed(c, 3);
        NetworkSpec spec = specOf(c.source());
        Random random = new Random(13);
        int rows = 37; // a block of 32 rows and a partial one, where batch methods go by blocks
        double[][] xs = new double[rows][];
        double[][] ys = new double[rows][];
        for (int r = 0; r < rows; r++) {
            xs[r] = AnyModel.widen(AnyModel.narrow(Samples.input(random, spec.inputSize())));
            ys[r] = AnyModel.widen(AnyModel.narrow(Samples.target(random, spec.loss(), spec.outputSize())));
        }
        double[] batch = model.batchGradient(Samples.rows(xs), Samples.rows(ys), rows);
        double[] mean = new double[batch.length];
        double meanLoss = 0;
        for (int r = 0; r < rows; r++) {
            double[] g = model.gradient(xs[r], ys[r]);
            for (int i = 0; i < g.length; i++) {
                mean[i] += g[i] / rows;
            }
            meanLoss += model.loss(xs[r], ys[r]) / rows;
        }
        double tolerance = isDouble(c) ? 1e-12 : 1e-4;
        for (int i = 0; i < batch.length; i++) {
            assertRelative(mean[i], batch[i], tolerance, 1e-3, "parameter " + i);
        }
        assertRelative(
                meanLoss, model.lossBatch(Samples.rows(xs), Samples.rows(ys), rows), tolerance, 1e-3, "mean loss");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchPredictionIsRowByRowPrediction(Case c) {
        AnyModel model = perturbed(c, 5);
        NetworkSpec spec = specOf(c.source());
        Random random = new Random(19);
        int rows = 70;
        double[][] xs = new double[rows][];
        for (int r = 0; r < rows; r++) {
            xs[r] = AnyModel.widen(AnyModel.narrow(Samples.input(random, spec.inputSize())));
        }
        double[] batch = model.predictBatch(Samples.rows(xs), rows);
        double tolerance = isDouble(c) ? 1e-12 : 1e-5;
        for (int r = 0; r < rows; r++) {
            double[] one = model.predict(xs[r]);
            for (int k = 0; k < one.length; k++) {
                assertClose(one[k], batch[r * one.length + k], tolerance, "row " + r + " output " + k);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jacobianMatchesFiniteDifferences(Case c) {
        AnyModel model = perturbed(c, 4);
        NetworkSpec spec = specOf(c.source());
        Random random = new Random(17);
        double[] x = AnyModel.widen(AnyModel.narrow(Samples.input(random, spec.inputSize())));
        double[] jacobian = model.jacobian(x);
        double[] p = model.parameters();
        int outputs = spec.outputSize();
        double tolerance = floatTolerance(spec);
        double[] values = Reference.forward(spec, p, x);
        double[][] scales = new double[outputs][];
        for (int k = 0; k < outputs; k++) {
            scales[k] = floatScales(spec, jacobian, k * p.length, p.length, values[k]);
        }
        for (int index : indicesToCheck(p.length, random)) {
            double[] analytics = new double[outputs];
            for (int k = 0; k < outputs; k++) {
                analytics[k] = jacobian[k * p.length + index];
            }
            double[] numerics = centralDifference(p, index, q -> Reference.forward(spec, q, x), analytics);
            for (int k = 0; k < outputs; k++) {
                double numeric = numerics[k];
                double analytic = jacobian[k * p.length + index];
                if (isDouble(c)) {
                    assertRelative(numeric, analytic, 1e-6, 1e-3, "d output " + k + " / d parameter " + index);
                } else {
                    assertRelative(
                            numeric,
                            analytic,
                            tolerance,
                            scales[k][index],
                            "d output " + k + " / d parameter " + index);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameSeedSameBitsAndOtherSeedOtherBits(Case c) {
        double[] a = model(c, 99).parameters();
        assertArrayEquals(a, model(c, 99).parameters());
        double[] b = model(c, 100).parameters();
        if (java.util.Arrays.equals(a, b)) {
            fail("seeds 99 and 100 gave the same parameters");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Float's unit roundoff: a rounded float is within a relative {@code 2^-24} of the exact value. */
    static final double FLOAT_ROUNDOFF = 0x1p-24;

    /**
     * The relative error allowed in a float model's gradient or Jacobian entry, {@code 4 u R} with
     * {@code u} float's unit roundoff and {@code R = roundings(spec)}, measured against the largest
     * entry of the same parameter block (see {@link #floatScales}).
     *
     * <p>Derivation. The float model computes in float and the finite differences of the double
     * {@link Reference} are exact by comparison, so the difference is the model's rounding. A
     * sum of {@code n} products computed in float is within {@code n u} of the exact sum,
     * relative to the sum of the terms' magnitudes (Higham, <i>Accuracy and Stability of
     * Numerical Algorithms</i>, 3.1), and to first order the errors of the steps of a chain
     * add. An entry is such a chain: every layer's forward pass below the output, the backward
     * sums of the layers above the parameter and the parameter's own product or sum. {@link
     * #roundings} counts, per layer, the terms of its longest forward sum and of its longest
     * backward one, plus 8 roundings for the element-wise steps (bias, activation, derivative,
     * product with the delta, the double-computed activations' rounding to float). That is a
     * worst case for the sums themselves; the factor 4 covers what the count leaves out, errors
     * amplified by the network (a softmax Jacobian {@code a (1 - a)} near saturation, a unit on
     * the steep part of a sigmoid). A derivative wrong by a fraction {@code e} moves the entries
     * behind it by {@code e} relative, so the check sees it once {@code e > 4 u R}: 0.1% against
     * allowances from 1.6e-5 (the smallest image network) to 2.8e-4 (the widest loop network).
     *
     * <p>Measured on a correct build, with the plain and the Vector API kernels, in every mode:
     * the largest float error is 0.10 of its allowance. With {@code
     * ActivationMathF.geluDerivative} made 0.1% too large, 33 of the 34 float networks with a
     * GELU layer fail, in both kernel executions; the 34th has a dead one-unit ReLU layer between
     * its GELU layer and the output, so no parameter behind the GELU layer has a gradient at that
     * point. The former fixed tolerance, 2e-3 with a floor of 1e-2, let all 34 pass.
     */
    static double floatTolerance(NetworkSpec spec) {
        return 4 * FLOAT_ROUNDOFF * roundings(spec);
    }

    /**
     * Roundings along the longest chain from a parameter to an output: per layer, the terms of
     * its longest forward sum plus those of its longest backward sum, plus 8 for the element-wise
     * steps. Dense: {@code in} forward (softmax: and the {@code out} exponentials' sum), {@code out}
     * backward (a weight's gradient is a single product). Convolution: {@code channels x kernel}
     * forward; backward, the larger of a weight's sum over the output positions and an input's
     * over the filters and kernel. Pooling: the window, both ways. Global average: the plane.
     * Recurrent: every step is a chain link, so per step the sums forward over the inputs and the
     * state, backward over the gate rows, the step's element-wise roundings, and one more for the
     * weight gradient's sum over the steps.
     */
    static long roundings(NetworkSpec spec) {
        List<Shape> shapes = spec.shapes();
        long roundings = 0;
        for (int l = 1; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            Shape in = shapes.get(l - 1);
            Shape out = shapes.get(l);
            if (layer instanceof LayerSpec.DenseSpec dense) {
                roundings += in.size() + out.size() + (dense.activation() == Activation.SOFTMAX ? out.size() : 0);
            } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
                Shape.Image input = (Shape.Image) in;
                Shape.Image output = (Shape.Image) out;
                int kernel = conv.kernelHeight() * conv.kernelWidth();
                roundings +=
                        (long) input.channels() * kernel + Math.max(output.plane(), (long) output.channels() * kernel);
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                roundings += 2L * pool.windowHeight() * pool.windowWidth();
            } else if (layer instanceof LayerSpec.StepDenseSpec step) {
                Shape.Sequence input = (Shape.Sequence) in;
                roundings += input.features()
                        + step.size()
                        + (step.activation() == Activation.SOFTMAX ? step.size() : 0)
                        + input.steps();
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
                Shape.Sequence input = (Shape.Sequence) in;
                roundings += (long) input.steps() * (input.features() + recurrent.size() + recurrent.gateUnits() + 9);
            } else {
                roundings += ((Shape.Image) in).plane() + 1;
            }
            roundings += 8;
        }
        return roundings;
    }

    /**
     * Per parameter, what a float entry's error is measured against: the largest magnitude in
     * its parameter block of {@code values[from ..]} (the model's gradient, or one output's row
     * of its Jacobian), as rounding errors are relative to the magnitudes in the sums, not to
     * an entry that cancels; at least {@code 1e-4 max(1, |f|)} for the function {@code f}
     * differentiated, far above the finite differences' own noise, about {@code 1e-10 |f|}
     * (double rounding of {@code f} over a step of {@code 1e-6}), so that a block whose
     * gradient is 0, behind a dead ReLU, compares noise with something.
     */
    static double[] floatScales(NetworkSpec spec, double[] values, int from, int count, double f) {
        double[] scales = new double[count];
        double floor = 1e-4 * Math.max(1, Math.abs(f));
        for (ParameterBlock block : spec.parameterBlocks()) {
            double largest = floor;
            for (int i = block.offset(); i < block.offset() + block.size(); i++) {
                largest = Math.max(largest, Math.abs(values[from + i]));
            }
            java.util.Arrays.fill(scales, block.offset(), block.offset() + block.size(), largest);
        }
        return scales;
    }

    /** All parameters of a small network; for a large one, a random 300 plus the first and last. */
    static int[] indicesToCheck(int count, Random random) {
        if (count <= 400) {
            return java.util.stream.IntStream.range(0, count).toArray();
        }
        int[] indices = new int[302];
        indices[0] = 0;
        indices[1] = count - 1;
        for (int i = 2; i < indices.length; i++) {
            indices[i] = random.nextInt(count);
        }
        return indices;
    }

    /**
     * Finite-difference estimates of the derivative of each value of {@code f} with respect to
     * parameter {@code index} at {@code p}, by the five-point central difference {@code (-f(+2h) +
     * 8 f(+h) - 8 f(-h) + f(-2h)) / 12h} at two step sizes, 1e-5 and 1e-6: for each value, the
     * estimate closer to {@code analytic}. No single step serves every network: truncation error
     * is O(h^4) where f is smooth but O(h) near a kink of an activation's derivative (ReLU at 0,
     * ELU's second derivative at 0), which wants a small h, while rounding in f, about 1e-16 |f| /
     * h, wants a large one in deep wide networks. Both estimates are computed without the
     * analytic value, so a wrong gradient disagrees with both.
     */
    static double[] centralDifference(
            double[] p, int index, java.util.function.Function<double[], double[]> f, double... analytic) {
        double[] coarse = centralDifferenceWithStep(p, index, f, 1e-5);
        double[] fine = centralDifferenceWithStep(p, index, f, 1e-6);
        double[] best = new double[coarse.length];
        for (int k = 0; k < best.length; k++) {
            best[k] = Math.abs(coarse[k] - analytic[k]) <= Math.abs(fine[k] - analytic[k]) ? coarse[k] : fine[k];
        }
        return best;
    }

    private static double[] centralDifferenceWithStep(
            double[] p, int index, java.util.function.Function<double[], double[]> f, double h) {
        double[] q = p.clone();
        double[][] values = new double[4][];
        double[] steps = {2 * h, h, -h, -2 * h};
        for (int s = 0; s < 4; s++) {
            q[index] = p[index] + steps[s];
            values[s] = f.apply(q);
        }
        double[] derivative = new double[values[0].length];
        for (int k = 0; k < derivative.length; k++) {
            derivative[k] = (-values[0][k] + 8 * values[1][k] - 8 * values[2][k] + values[3][k]) / (12 * h);
        }
        return derivative;
    }

    static void assertClose(double expected, double actual, double tolerance, String what) {
        if (!(Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)))) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    /**
     * {@code |expected - actual| / max(|expected|, |actual|, floor) <= tolerance}: relative
     * error, with {@code floor} keeping gradients that are nearly zero from dividing by nearly zero.
     */
    static void assertRelative(double expected, double actual, double tolerance, double floor, String what) {
        double scale = Math.max(floor, Math.max(Math.abs(expected), Math.abs(actual)));
        double error = Math.abs(expected - actual) / scale;
        if (!(error <= tolerance)) {
            fail(what + ": expected " + expected + " but was " + actual + " (relative error " + error + ")");
        }
    }
}
