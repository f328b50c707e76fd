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
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Generated methods refuse arguments that would poison the gradients, naming them, and change nothing then. */
class ArgumentChecksTest {

    private static NetworkSource network(Precision precision) {
        return new NetworkSource(
                "checks",
                "Net" + precision.name().charAt(0),
                Loss.CROSS_ENTROPY,
                precision,
                List.of(
                        LayerSpec.input("IN", 4),
                        LayerSpec.dense("H", 5, Activation.RELU),
                        LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    }

    private static final NetworkSource FLOAT = network(Precision.FLOAT);
    private static final NetworkSource DOUBLE = network(Precision.DOUBLE);
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(FLOAT, DOUBLE));

    @Test
    void aNonFiniteSampleWeightIsRefusedAndTheGradientsAreUntouched() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 1);
        float[] in = {5.1f, 3.5f, 1.4f, 0.2f};
        float[] target = {1, 0, 0};
        model.zeroGradients();
        model.accumulateGradients(in, 0, target, 0, 0.5f);
        float[] before = model.gradients().clone();
        for (float weight : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.accumulateGradients(in, 0, target, 0, weight));
            assertEquals("weight is " + weight + ", expected a finite number", e.getMessage());
            assertArrayEquals(before, model.gradients(), "gradients after weight " + weight);
        }
    }

    @Test
    void aNonFiniteSampleWeightIsRefusedInDoubleToo() {
        DoubleModel model = COMPILED.newDoubleModel(DOUBLE, 1);
        double[] in = {5.1, 3.5, 1.4, 0.2};
        double[] target = {0, 1, 0};
        model.zeroGradients();
        for (double weight : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.accumulateGradients(in, 0, target, 0, weight));
            assertEquals("weight is " + weight + ", expected a finite number", e.getMessage());
            assertArrayEquals(
                    new double[model.parameterCount()], model.gradients(), "gradients after weight " + weight);
        }
    }

    @Test
    void finiteWeightsAnyOfThemAreAccepted() {
        DoubleModel model = COMPILED.newDoubleModel(DOUBLE, 1);
        double[] in = {5.1, 3.5, 1.4, 0.2};
        double[] target = {0, 1, 0};
        model.zeroGradients();
        double loss = model.accumulateGradients(in, 0, target, 0, 1);
        double[] once = model.gradients().clone();
        assertEquals(loss, model.accumulateGradients(in, 0, target, 0, -1), "the loss is unweighted");
        assertArrayEquals(new double[once.length], model.gradients(), 1e-15, "weight -1 takes back weight 1");
        model.accumulateGradients(in, 0, target, 0, 0);
        assertArrayEquals(new double[once.length], model.gradients(), 1e-15, "weight 0 adds nothing");
    }

    /** A slice of a batch, by offsets, gives what the same rows give on their own; a slice past the end is refused by name. */
    @Test
    void batchSlicesAreTheirRowsAndStayInsideTheirArrays() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 2);
        float[] inputs = new float[7 * 4];
        float[] targets = new float[7 * 3];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) Math.sin(i);
        }
        for (int r = 0; r < 7; r++) {
            targets[r * 3 + r % 3] = 1;
        }
        float[] sliceIn = java.util.Arrays.copyOfRange(inputs, 2 * 4, 6 * 4);
        float[] sliceTargets = java.util.Arrays.copyOfRange(targets, 2 * 3, 6 * 3);
        assertEquals(model.lossBatch(sliceIn, sliceTargets, 4), model.lossBatch(inputs, 8, targets, 6, 4));
        float[] expected = new float[4 * 3];
        model.predictBatch(sliceIn, expected, 4);
        float[] outputs = new float[10 * 3];
        model.predictBatch(inputs, 8, outputs, 9, 4);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(outputs, 9, 21));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> model.lossBatch(inputs, 5 * 4, targets, 0, 3));
        assertTrue(e.getMessage().contains("inputs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.predictBatch(inputs, 0, outputs, 28, 2));
        assertTrue(e.getMessage().contains("outputs"), e.getMessage());
    }
}
