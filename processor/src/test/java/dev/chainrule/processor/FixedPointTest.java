package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FixedPointModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.processor.testing.Reference;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixed-point layers and recurrent backpropagation: the fixed point is the reference's; at a
 * converged fixed point the Almeida-Pineda gradient equals central finite differences and
 * backpropagation through the unrolled iterations (written here, independently); the Jacobian
 * and the batch gradient agree; solves that reach their limit are counted, never silent; the
 * contraction bound holds; nothing allocates.
 */
class FixedPointTest {
    private static LayerSpec.FixedPointSpec fixed(
            String name, int units, Activation activation, double tolerance, int limit, double contraction) {
        return new LayerSpec.FixedPointSpec(name, units, activation, tolerance, limit, contraction);
    }

    /** A fixed point after a dense layer, read by a softmax. */
    private static final NetworkSource DEEP = new NetworkSource(
            "fixed",
            "Deep",
            Loss.CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.input("IN", 4), LayerSpec.dense("H", 6, Activation.TANH),
                    fixed("F", 5, Activation.TANH, 1e-14, 2000, 0), LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    /** A sigmoid fixed point reading the input, as the output (mean squared error). */
    private static final NetworkSource OUTPUT = new NetworkSource(
            "fixed",
            "Output",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(LayerSpec.input("IN", 3), fixed("OUT", 4, Activation.SIGMOID, 1e-14, 2000, 0.9)));

    private static final NetworkSource FLOAT = new NetworkSource(
            "fixed",
            "Single",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.input("IN", 8),
                    fixed("F", 40, Activation.TANH, 1e-6, 200, 0.8),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    /** One iteration can never reach a tolerance of 1e-9. */
    private static final NetworkSource STARVED = new NetworkSource(
            "fixed",
            "Starved",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.input("IN", 3),
                    fixed("F", 4, Activation.TANH, 1e-9, 1, 0),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(DEEP, OUTPUT, FLOAT, STARVED));

    private static double[] gaussian(Random random, int n, double scale) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * random.nextGaussian();
        }
        return x;
    }

    /** A double model whose parameters are moved off their start, the recurrent weights kept contractive (rows summing to 0.6). */
    private static DoubleModel model(NetworkSource source, long seed) {
        DoubleModel model = COMPILED.newDoubleModel(source, seed);
        double[] p = model.parameters();
        Random random = new Random(seed);
        for (ParameterBlock block : model.spec().parameterBlocks()) {
            for (int i = block.offset(); i < block.offset() + block.size(); i++) {
                p[i] += 0.3 * random.nextGaussian();
            }
            if (block.role() == ParameterBlock.Role.RECURRENT_WEIGHTS) {
                int h = block.dimensions().get(0);
                dev.chainrule.kernel.Constraints.boundRows(p, block.offset(), h, h, 0.6);
            }
        }
        return model;
    }

    private static double[] target(NetworkSource source, Random random, int k) {
        if (source.loss() == Loss.MSE) {
            return gaussian(random, k, 0.5);
        }
        double[] y = new double[k];
        y[random.nextInt(k)] = 1;
        return y;
    }

    private static NetworkSpec spec(NetworkSource source) {
        return new NetworkSpec(source.qualifiedName(), source.precision(), source.loss(), source.layers());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theFixedPointIsTheReferences(int which) {
        NetworkSource source = which == 0 ? DEEP : OUTPUT;
        DoubleModel model = model(source, 3);
        Random random = new Random(5);
        for (int sample = 0; sample < 5; sample++) {
            double[] x = gaussian(random, model.inputSize(), 1);
            double[] expected = Reference.forward(spec(source), model.parameters(), x);
            double[] actual = new double[model.outputSize()];
            model.predict(x, actual);
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], actual[k], 1e-12, "output " + k + " of sample " + sample);
            }
        }
        assertEquals(0, ((FixedPointModel) model).convergence().forwardFailures());
        assertEquals(5, ((FixedPointModel) model).convergence().solves());
    }

    /** The Almeida-Pineda gradient at a fixed point converged to 1e-14 against central differences of the loss. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theGradientAtAConvergedFixedPointMatchesFiniteDifferences(int which) {
        NetworkSource source = which == 0 ? DEEP : OUTPUT;
        DoubleModel model = model(source, 7);
        Random random = new Random(11);
        double[] x = gaussian(random, model.inputSize(), 1);
        double[] y = target(source, random, model.outputSize());
        model.zeroGradients();
        model.accumulateGradients(x, y);
        double[] analytic = model.gradients().clone();
        double[] p = model.parameters();
        double largest = 0;
        for (double v : analytic) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < p.length; i++) {
            double original = p[i];
            double h = 1e-6 * Math.max(1, Math.abs(original));
            p[i] = original + h;
            double up = model.loss(x, y);
            p[i] = original - h;
            double down = model.loss(x, y);
            p[i] = original;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-7 * Math.max(largest, Math.abs(numeric)) + 1e-10, "parameter " + i);
        }
        FixedPointModel.Convergence convergence = ((FixedPointModel) model).convergence();
        assertEquals(0, convergence.forwardFailures() + convergence.adjointFailures(), convergence.toString());
    }

    /**
     * Backpropagation through 3,000 unrolled iterations of {@code s <- f(W s + U x + b)} from 0,
     * written here from the chain rule: at a contraction it converges to the same gradient.
     */
    @Test
    void recurrentBackpropagationAgreesWithBackpropagationThroughTheUnrolledIterations() {
        DoubleModel model = model(OUTPUT, 13);
        Random random = new Random(17);
        double[] x = gaussian(random, 3, 1);
        double[] y = target(OUTPUT, random, 4);
        model.zeroGradients();
        model.accumulateGradients(x, y);
        double[] recurrent = model.gradients().clone();
        double[] unrolled = unrolledGradient(model.parameters(), x, y, 3, 4, 3000);
        for (int i = 0; i < recurrent.length; i++) {
            assertEquals(unrolled[i], recurrent[i], 1e-10, "parameter " + i);
        }
    }

    /** The gradient of {@code mean((s_K - y)^2)} for the sigmoid network {@link #OUTPUT}, through {@code K} iterations. */
    private static double[] unrolledGradient(double[] p, double[] x, double[] y, int f, int h, int iterations) {
        int u = 0;
        int w = h * f;
        int b = w + h * h;
        double[][] states = new double[iterations + 1][h];
        for (int k = 0; k < iterations; k++) {
            for (int i = 0; i < h; i++) {
                double z = p[b + i];
                for (int j = 0; j < f; j++) {
                    z += p[u + i * f + j] * x[j];
                }
                for (int j = 0; j < h; j++) {
                    z += p[w + i * h + j] * states[k][j];
                }
                states[k + 1][i] = 1 / (1 + Math.exp(-z));
            }
        }
        double[] grad = new double[p.length];
        double[] ds = new double[h];
        for (int i = 0; i < h; i++) {
            ds[i] = 2 * (states[iterations][i] - y[i]) / h;
        }
        for (int k = iterations - 1; k >= 0; k--) {
            double[] dz = new double[h];
            for (int i = 0; i < h; i++) {
                double s = states[k + 1][i];
                dz[i] = ds[i] * s * (1 - s);
                grad[b + i] += dz[i];
                for (int j = 0; j < f; j++) {
                    grad[u + i * f + j] += dz[i] * x[j];
                }
                for (int j = 0; j < h; j++) {
                    grad[w + i * h + j] += dz[i] * states[k][j];
                }
            }
            double[] before = new double[h];
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < h; i++) {
                    before[j] += p[w + i * h + j] * dz[i];
                }
            }
            ds = before;
        }
        return grad;
    }

    @Test
    void theJacobianMatchesFiniteDifferencesOfTheOutputs() {
        DoubleModel model = model(DEEP, 19);
        double[] x = gaussian(new Random(23), 4, 1);
        double[] jacobian = new double[3 * model.parameterCount()];
        model.jacobian(x, jacobian);
        double[] p = model.parameters();
        double[] up = new double[3];
        double[] down = new double[3];
        for (int i = 0; i < p.length; i++) {
            double original = p[i];
            double h = 1e-6;
            p[i] = original + h;
            model.predict(x, up);
            p[i] = original - h;
            model.predict(x, down);
            p[i] = original;
            for (int k = 0; k < 3; k++) {
                assertEquals(
                        (up[k] - down[k]) / (2 * h),
                        jacobian[k * p.length + i],
                        1e-7,
                        "output " + k + ", parameter " + i);
            }
        }
    }

    @Test
    void theBatchGradientIsTheMeanOfTheSamples() {
        DoubleModel model = model(DEEP, 29);
        Random random = new Random(31);
        int rows = 37;
        double[] xs = gaussian(random, rows * 4, 1);
        double[] ys = new double[rows * 3];
        for (int r = 0; r < rows; r++) {
            ys[r * 3 + random.nextInt(3)] = 1;
        }
        model.zeroGradients();
        model.accumulateGradientsBatch(xs, ys, rows);
        double[] batch = model.gradients().clone();
        model.zeroGradients();
        for (int r = 0; r < rows; r++) {
            model.accumulateGradients(xs, r * 4, ys, r * 3, 1.0 / rows);
        }
        double[] single = model.gradients();
        for (int i = 0; i < batch.length; i++) {
            assertEquals(single[i], batch[i], 1e-14, "parameter " + i);
        }
    }

    @Test
    void solvesThatReachTheirLimitAreCounted() {
        DoubleModel model = model(STARVED, 37);
        FixedPointModel fixed = (FixedPointModel) model;
        double[] x = {0.5, -1, 2};
        model.accumulateGradients(x, new double[] {0.3});
        model.predict(x, new double[1]);
        FixedPointModel.Convergence convergence = fixed.convergence();
        assertEquals(2, convergence.solves());
        assertEquals(2, convergence.forwardFailures(), convergence.toString());
        assertEquals(1, convergence.adjointFailures(), convergence.toString());
        assertTrue(convergence.worstResidual() > 1e-9, convergence.toString());
        assertEquals(1, convergence.mostIterations());
        assertTrue(
                convergence
                        .toString()
                        .startsWith("2 of 2 fixed-point solves and 1 adjoint solves reached the iteration limit"),
                convergence.toString());
        fixed.resetConvergence();
        assertEquals(0, convergence.solves() + convergence.forwardFailures() + convergence.adjointFailures());
    }

    @Test
    void aNaNInputIsAFailureNotAFixedPoint() {
        DoubleModel model = model(DEEP, 41);
        double[] out = new double[3];
        model.predict(new double[] {Double.NaN, 0, 0, 0}, out);
        assertTrue(Double.isNaN(out[0]));
        assertEquals(1, ((FixedPointModel) model).convergence().forwardFailures());
    }

    @Test
    void applyConstraintsBoundsEveryRowOfTheRecurrentWeights() {
        DoubleModel model = COMPILED.newDoubleModel(OUTPUT, 43);
        double[] p = model.parameters();
        ParameterBlock w = model.spec().parameterBlocks().get(1);
        for (int row = 0; row < 4; row++) {
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(p[w.offset() + row * 4 + j]);
            }
            assertTrue(sum <= 0.5 / 0.25 + 1e-12, "a sigmoid layer starts at half the contraction bound of 4: " + sum);
        }
        for (int i = 0; i < 16; i++) {
            p[w.offset() + i] = 3 * (i % 2 == 0 ? 1 : -1);
        }
        ((FixedPointModel) model).applyConstraints();
        for (int row = 0; row < 4; row++) {
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.abs(p[w.offset() + row * 4 + j]);
                assertEquals(
                        3 * 3.6 / 12 * (j % 2 == 0 ? 1 : -1),
                        p[w.offset() + row * 4 + j],
                        1e-15,
                        "rescaled, signs kept");
            }
            assertEquals(0.9 / 0.25, sum, 1e-12, "contraction 0.9 over a largest slope of 1/4");
        }
    }

    @Test
    void predictionAndTrainingAllocateNothing() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 47);
        float[] x = new float[8];
        float[] y = {0, 1, 0};
        float[] out = new float[3];
        float[] xs = new float[5 * 8];
        float[] ys = new float[5 * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(i);
        }
        java.util.Arrays.fill(x, 0.25f);
        ys[1] = 1;
        assertEquals(
                0,
                SteadyAllocation.ofWindows(() -> {
                    model.predict(x, out);
                    model.accumulateGradients(x, y);
                    model.accumulateGradientsBatch(xs, ys, 5);
                }),
                "bytes allocated by six windows of 10,000 predictions and training steps");
        assertEquals(0, ((FixedPointModel) model).convergence().forwardFailures());
    }

    /** A large learning rate pushes W's rows past the bound; the Trainer pulls them back after every step. */
    @Test
    void theTrainerKeepsAContractingLayerContractive() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 53);
        Random random = new Random(59);
        int rows = 256;
        float[] x = new float[rows * 8];
        float[] y = new float[rows * 3];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 8; i++) {
                x[r * 8 + i] = (float) (3 * random.nextGaussian());
            }
            y[r * 3 + random.nextInt(3)] = 1;
        }
        dev.chainrule.train.Trainer.of(model)
                .optimizer(dev.chainrule.optim.Sgd.of(2.0))
                .batchSize(16)
                .epochs(3)
                .seed(1)
                .silent()
                .fit(dev.chainrule.data.Dataset.of(x, 8, y, 3));
        ParameterBlock w = model.spec().parameterBlocks().get(1);
        float[] p = model.parameters();
        double largest = 0;
        for (int row = 0; row < 40; row++) {
            double sum = 0;
            for (int j = 0; j < 40; j++) {
                sum += Math.abs(p[w.offset() + row * 40 + j]);
            }
            largest = Math.max(largest, sum);
        }
        assertTrue(largest <= 0.8 * (1 + 1e-6), "largest absolute row sum " + largest);
        assertTrue(largest > 0.7, "the steps did push rows to the bound: " + largest);
    }

    /** The Trainer takes each epoch's counts: a starved layer warns every epoch, a converging one never. */
    @Test
    void theTrainerWarnsOfEveryEpochWhoseSolvesReachedTheirLimit() {
        Random random = new Random(61);
        double[] x = gaussian(random, 64 * 3, 1);
        double[] y = gaussian(random, 64, 0.5);
        DoubleModel starved = model(STARVED, 67);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.chainrule.train.History history = dev.chainrule.train.Trainer.of(starved)
                .optimizer(dev.chainrule.optim.Sgd.of(0.01))
                .batchSize(16)
                .epochs(2)
                .seed(1)
                .threads(2)
                .progress(new java.io.PrintStream(out, true))
                .fit(dev.chainrule.data.DoubleDataset.of(x, 3, y, 1));
        List<String> limits = history.warnings().stream()
                .filter(w -> w.contains("reached the iteration limit"))
                .toList();
        assertEquals(2, limits.size(), history.warnings().toString());
        assertTrue(
                limits.get(0)
                        .startsWith(
                                "epoch 1: 64 of 64 fixed-point solves and 64 adjoint solves reached the iteration limit"),
                limits.get(0));
        assertTrue(out.toString().contains(limits.get(1)), "printed on the progress output");

        FloatModel converging = COMPILED.newFloatModel(FLOAT, 71);
        float[] fx = new float[64 * 8];
        float[] fy = new float[64 * 3];
        for (int r = 0; r < 64; r++) {
            for (int i = 0; i < 8; i++) {
                fx[r * 8 + i] = (float) random.nextGaussian();
            }
            fy[r * 3 + random.nextInt(3)] = 1;
        }
        dev.chainrule.train.History fine = dev.chainrule.train.Trainer.of(converging)
                .optimizer(dev.chainrule.optim.Adam.of(1e-3))
                .batchSize(16)
                .epochs(2)
                .seed(1)
                .silent()
                .fit(dev.chainrule.data.Dataset.of(fx, 8, fy, 3));
        assertTrue(
                fine.warnings().stream().noneMatch(w -> w.contains("iteration limit")),
                fine.warnings().toString());
    }
}
