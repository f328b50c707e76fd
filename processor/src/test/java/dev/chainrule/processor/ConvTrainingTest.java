package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.optim.LevenbergMarquardt;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.train.GradientCheck;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The runtime's public gradient check on generated convolutional networks (it passes a correct
 * backward pass and names the block of a wrong one), and Levenberg-Marquardt, which needs the
 * Jacobian, fitting a tiny convolutional network.
 */
class ConvTrainingTest {
    private static List<LayerSpec> layers() {
        return List.of(
                LayerSpec.image("IN", 2, 5, 4),
                new LayerSpec.Conv2DSpec("C", 3, Activation.TANH, 2, 2, 1, 1, Padding.VALID, 1, 0),
                new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 3, 2, 2, 2, 1),
                LayerSpec.dense("H", 4, Activation.SOFTPLUS),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
    }

    private static final NetworkSource DOUBLE =
            new NetworkSource("check", "CheckDouble", Loss.CROSS_ENTROPY, Precision.DOUBLE, layers());
    private static final NetworkSource FLOAT =
            new NetworkSource("check", "CheckFloat", Loss.CROSS_ENTROPY, Precision.FLOAT, layers());
    /** A tiny regression network: 2x3x3 patches of a 1x4x4 image, averaged, to one output. */
    private static final NetworkSource TINY = new NetworkSource(
            "check",
            "Tiny",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.image("IN", 1, 4, 4),
                    new LayerSpec.Conv2DSpec("C", 2, Activation.TANH, 2, 2, 1, 1, Padding.VALID, 0, 0),
                    new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.AVG_POOL2D, 2, 3, 3, 1, 1),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(DOUBLE, FLOAT, TINY));

    private static double[] sample(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    private static final double[] TARGET = {0.2, 0.5, 0.3};

    @Test
    void aCorrectBackwardPassPassesAndTheModelIsLeftAsItWas() {
        DoubleModel model = COMPILED.newDoubleModel(DOUBLE, 3);
        double[] x = sample(new Random(1), model.inputSize());
        double[] parameters = model.parameters().clone();
        model.gradients()[5] = 42;
        double[] gradients = model.gradients().clone();
        GradientCheck.Report report = GradientCheck.of(model).check(x, TARGET);
        assertTrue(report.passed(), report.describe());
        assertEquals(6, report.blocks().size(), "weights and biases of C, H and OUT");
        assertArrayEquals(parameters, model.parameters(), "parameters restored bit for bit");
        assertArrayEquals(gradients, model.gradients(), "gradients restored");
    }

    @Test
    void aFloatModelPassesTheRougherCheck() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        float[] x = new float[model.inputSize()];
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        GradientCheck.Report report = GradientCheck.of(model).check(x, new float[] {0.2f, 0.5f, 0.3f});
        assertTrue(report.passed(), report.describe());
    }

    /** A backward pass whose convolution kernel gradients are 0.1% too large, as a wrong derivative would make them. */
    @Test
    void aWrongGradientFailsAndTheReportNamesItsBlock() {
        DoubleModel real = COMPILED.newDoubleModel(DOUBLE, 3);
        int kernels = real.spec().parameterBlocks().get(0).size();
        DoubleModel wrong = (DoubleModel) Proxy.newProxyInstance(
                DoubleModel.class.getClassLoader(), new Class<?>[] {DoubleModel.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (method.getName().equals("accumulateGradients")) {
                            for (int i = 0; i < kernels; i++) {
                                real.gradients()[i] *= 1.001;
                            }
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        GradientCheck.Report report = GradientCheck.of(wrong).check(sample(new Random(1), real.inputSize()), TARGET);
        assertFalse(report.passed(), report.describe());
        assertEquals("C", report.worst().block().layer(), report.describe());
        assertTrue(report.describe().contains("FAILED: worst relative error"), report.describe());
        assertTrue(report.describe().contains("in C weights"), report.describe());
    }

    /** Targets from a teacher of the same shape, so an exact fit exists; Levenberg-Marquardt finds it from another start. */
    @Test
    void levenbergMarquardtFitsATinyConvolutionalNetwork() {
        DoubleModel teacher = COMPILED.newDoubleModel(TINY, 11);
        int rows = 40;
        Random random = new Random(5);
        double[] inputs = sample(random, rows * 16);
        double[] targets = new double[rows];
        double[] out = new double[1];
        for (int r = 0; r < rows; r++) {
            teacher.predict(inputs, r * 16, out, 0);
            targets[r] = out[0];
        }
        DoubleModel student = COMPILED.newDoubleModel(TINY, 12);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(student)
                .targetMse(1e-10)
                .maxIterations(300)
                .fit(inputs, targets, rows);
        assertTrue(result.converged(), result.toString());
        assertTrue(result.mse() <= 1e-10, result.toString());
    }
}
