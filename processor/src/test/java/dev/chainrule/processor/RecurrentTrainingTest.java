package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LevenbergMarquardt;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.train.GradientCheck;
import dev.chainrule.train.Trainer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Recurrent networks in training: the runtime's gradient check passes them, the LSTM's forget
 * bias starts where declared, Levenberg-Marquardt (through the Jacobian) fits a tiny recurrent
 * network, and the Trainer teaches an LSTM a task that needs memory.
 */
class RecurrentTrainingTest {
    private static final NetworkSource CHECK = new NetworkSource(
            "rtrain",
            "Check",
            Loss.CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.sequence("IN", 5, 3),
                    new LayerSpec.RecurrentSpec("G", Kind.GRU, 4, Activation.TANH, true),
                    new LayerSpec.RecurrentSpec("L", Kind.LSTM, 3, Activation.TANH, false),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    /** A tiny regression network: a simple recurrent layer of 2 units over 6 steps of 1 feature. */
    private static final NetworkSource TINY = new NetworkSource(
            "rtrain",
            "Tiny",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.sequence("IN", 6, 1),
                    new LayerSpec.RecurrentSpec("R", Kind.SIMPLE_RNN, 2, Activation.TANH, false),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)));
    /** Whether the first of 12 steps was positive: the answer has to be carried through 11 more steps. */
    private static final NetworkSource MEMORY = new NetworkSource(
            "rtrain",
            "Memory",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.sequence("IN", 12, 1),
                    new LayerSpec.RecurrentSpec("L", Kind.LSTM, 8, Activation.TANH, false),
                    LayerSpec.dense("OUT", 2, Activation.SOFTMAX)));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(CHECK, TINY, MEMORY));

    private static double[] sample(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    /**
     * With weights as a trained network's (N(0, 0.5)) rather than the initial ones, and a step of
     * 1e-5: two recurrent layers deep the gradients are 1e-5 to 1e-4 against a loss of 1, where
     * the default step's rounding noise, {@code 1e-16 / 1e-6 = 1e-10}, is 1e-6 of the check's
     * floor (the PyTorch fixtures agree with these gradients to 1e-15).
     */
    @Test
    void theGradientCheckPassesEveryBlockOfAStack() {
        DoubleModel model = COMPILED.newDoubleModel(CHECK, 3);
        model.setParameters(sample(new Random(2), model.parameterCount()));
        for (int i = 0; i < model.parameterCount(); i++) {
            model.parameters()[i] *= 0.5;
        }
        GradientCheck.Report report = GradientCheck.of(model)
                .step(1e-5)
                .check(sample(new Random(1), model.inputSize()), new double[] {0.2, 0.5, 0.3});
        assertTrue(report.passed(), report.describe());
        assertEquals(10, report.blocks().size(), "four blocks of G and of L, two of OUT");
    }

    @Test
    void theForgetGateStartsAtItsBiasAndTheRestAsPyTorchDraws() {
        DoubleModel model = COMPILED.newDoubleModel(CHECK, 5);
        double[] p = model.parameters();
        ParameterBlock biases = model.spec().parameterBlocks().get(6);
        assertEquals("L", biases.layer());
        assertEquals(ParameterBlock.Role.BIASES, biases.role());
        for (int j = 0; j < 12; j++) {
            assertEquals(
                    j >= 3 && j < 6 ? 1.0 : 0.0, p[biases.offset() + j], "input bias " + j + " (forget gate: 3 to 5)");
            assertEquals(0.0, p[biases.offset() + 12 + j], "recurrent bias " + j);
        }
        double bound = 1 / Math.sqrt(3);
        ParameterBlock weights = model.spec().parameterBlocks().get(4);
        double largest = 0;
        for (int i = weights.offset(); i < weights.offset() + weights.size(); i++) {
            largest = Math.max(largest, Math.abs(p[i]));
        }
        assertTrue(largest <= bound && largest > bound / 2, "weights within 1/sqrt(units): " + largest);
    }

    /** Targets from a teacher of the same shape, so an exact fit exists; Levenberg-Marquardt finds it from another start. */
    @Test
    void levenbergMarquardtFitsATinyRecurrentNetwork() {
        DoubleModel teacher = COMPILED.newDoubleModel(TINY, 11);
        int rows = 40;
        Random random = new Random(5);
        double[] inputs = sample(random, rows * 6);
        double[] targets = new double[rows];
        double[] out = new double[1];
        for (int r = 0; r < rows; r++) {
            teacher.predict(inputs, r * 6, out, 0);
            targets[r] = out[0];
        }
        DoubleModel student = COMPILED.newDoubleModel(TINY, 12);
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(student)
                .targetMse(1e-10)
                .maxIterations(500)
                .fit(inputs, targets, rows);
        assertTrue(result.converged(), result.toString());
        assertTrue(result.mse() <= 1e-10, result.toString());
    }

    @Test
    void theTrainerTeachesAnLstmToRememberItsFirstStep() {
        int rows = 1024;
        Random random = new Random(7);
        float[] features = new float[rows * 12];
        float[] targets = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < 12; t++) {
                features[r * 12 + t] = (float) random.nextGaussian();
            }
            targets[r * 2 + (features[r * 12] > 0 ? 1 : 0)] = 1;
        }
        Dataset all = Dataset.of(features, 12, targets, 2);
        FloatModel model = COMPILED.newFloatModel(MEMORY, 1);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(32)
                .epochs(120)
                .seed(3)
                .silent()
                .fit(all);
        int right = 0;
        float[] p = new float[2];
        for (int r = 0; r < rows; r++) {
            model.predict(features, r * 12, p, 0);
            right += (p[1] > p[0]) == (features[r * 12] > 0) ? 1 : 0;
        }
        assertTrue(right > 0.95 * rows, right + " of " + rows + " right");
    }
}
