package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.OneHot;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code predictClass} is {@code predict} and then the class the outputs stand for, as metrics read it. */
class PredictClassTest {

    private static final NetworkSource SOFTMAX = new NetworkSource(
            "classes",
            "Three",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.input("IN", 2),
                    LayerSpec.dense("H", 6, Activation.TANH),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
    private static final NetworkSource SIGMOID = new NetworkSource(
            "classes",
            "YesNo",
            Loss.BINARY_CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(LayerSpec.input("IN", 2), LayerSpec.dense("P", 1, Activation.SIGMOID)));
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(SOFTMAX, SIGMOID));

    @Test
    void theIndexOfTheLargestProbabilityWithTheProbabilitiesLeftInTheBuffer() {
        FloatModel model = COMPILED.newFloatModel(SOFTMAX, 5);
        float[] probabilities = new float[3];
        float[] expected = new float[3];
        for (float[] x : new float[][] {{1, 2}, {-3, 0.5f}, {0, 0}, {4, -4}}) {
            int predicted = model.predictClass(x, probabilities);
            model.predict(x, expected);
            assertArrayEquals(expected, probabilities);
            assertEquals(OneHot.argmax(expected, 0, 3), predicted);
        }
        assertThrows(
                IllegalArgumentException.class, () -> model.predictClass(new float[] {Float.NaN, 0}, probabilities));
    }

    @Test
    void aSingleSigmoidOutputIsClassOneAboveOneHalf() {
        DoubleModel model = COMPILED.newDoubleModel(SIGMOID, 5);
        model.parameters()[0] = 1; // p = sigmoid(x0)
        model.parameters()[1] = 0;
        model.parameters()[2] = 0;
        double[] p = new double[1];
        assertEquals(1, model.predictClass(new double[] {0.1, 7}, p));
        assertEquals(1 / (1 + Math.exp(-0.1)), p[0], 1e-15);
        assertEquals(0, model.predictClass(new double[] {-0.1, 7}, p));
        assertEquals(0, model.predictClass(new double[] {0, 7}, p), "exactly one half is class 0");
    }

    @Test
    void everyRowOfABatch() {
        FloatModel model = COMPILED.newFloatModel(SOFTMAX, 5);
        float[] x = {1, 2, -3, 0.5f, 0, 0, 4, -4, 2, 2};
        Batches batches =
                Dataset.classification(x, 2, new int[] {0, 1, 2, 0, 1}, 3).batches(4);
        float[] outputs = new float[12];
        int[] classes = new int[4];
        float[] probabilities = new float[3];
        int row = 0;
        while (batches.next()) {
            model.predictClasses(batches, outputs, classes);
            for (int r = 0; r < batches.rows(); r++, row++) {
                assertEquals(model.predictClass(new float[] {x[2 * row], x[2 * row + 1]}, probabilities), classes[r]);
            }
        }
        assertEquals(5, row);
        batches.next();
        assertThrows(IllegalArgumentException.class, () -> model.predictClasses(batches, outputs, new int[3]));
    }
}
