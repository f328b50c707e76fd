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
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleBatches;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch forms of the generated models check the widths of the batch's rows, which the array
 * forms cannot: a hand-written loop that feeds one-hot targets of two classes to a single sigmoid
 * output is refused on its first step instead of training on misread rows.
 */
class BatchWidthTest {

    private static NetworkSource network(Precision precision) {
        return new NetworkSource(
                "widths",
                "Yes" + precision.name().charAt(0),
                Loss.BINARY_CROSS_ENTROPY,
                precision,
                List.of(
                        LayerSpec.input("IN", 2),
                        LayerSpec.dense("H", 4, Activation.TANH),
                        LayerSpec.dense("P", 1, Activation.SIGMOID)));
    }

    private static final NetworkSource FLOAT = network(Precision.FLOAT);
    private static final NetworkSource DOUBLE = network(Precision.DOUBLE);
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(FLOAT, DOUBLE));

    /** Eight rows of two features, labelled 0 or 1: one-hot targets of two columns. */
    private static Dataset oneHot() {
        float[] x = new float[16];
        int[] labels = new int[8];
        for (int r = 0; r < 8; r++) {
            x[2 * r] = r % 2;
            x[2 * r + 1] = r / 4;
            labels[r] = (r % 2) ^ (r / 4);
        }
        return Dataset.classification(x, 2, labels, 2);
    }

    @Test
    void oneHotTargetsOfTwoClassesForOneOutputAreRefused() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        Batches batches = oneHot().batches(4, 1L);
        batches.next();
        // the array form cannot tell: 4 rows of 2 targets are at least 4 rows of 1
        model.accumulateGradientsBatch(batches.inputs(), batches.targets(), batches.rows());
        model.zeroGradients();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> model.accumulateGradientsBatch(batches));
        assertEquals(
                "the batch has 2 targets per row but the model has 1 output (one-hot targets for a single"
                        + " output? give one 0/1 target per row instead, e.g. with Csv.binaryLabelColumn)",
                e.getMessage());
        assertArrayEquals(new float[model.parameterCount()], model.gradients(), "the gradients are unchanged");
        assertEquals(
                e.getMessage(),
                assertThrows(IllegalArgumentException.class, () -> model.lossBatch(batches))
                        .getMessage());
    }

    @Test
    void featuresOfTheWrongWidthAreRefusedEvenForPrediction() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        Dataset three = Dataset.of(new float[12], 3, new float[4], 1);
        Batches batches = three.batches(4);
        batches.next();
        float[] outputs = new float[4];
        assertEquals(
                "the batch has 3 features per row but the model takes 2 inputs",
                assertThrows(IllegalArgumentException.class, () -> model.predictBatch(batches, outputs))
                        .getMessage());
    }

    @Test
    void theBatchFormsComputeWhatTheArrayFormsDoOnEveryBatchTheLastShortOneIncluded() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        FloatModel twin = COMPILED.newFloatModel(FLOAT, 3);
        Dataset data = oneHot();
        float[] y = new float[8];
        for (int r = 0; r < 8; r++) {
            y[r] = data.label(r);
        }
        Dataset binary = Dataset.of(data.features(), 2, y, 1);
        Batches batches = binary.batches(3, 5L);
        float[] outputs = new float[3];
        float[] expected = new float[3];
        int seen = 0;
        while (batches.next()) {
            seen += batches.rows();
            model.zeroGradients();
            twin.zeroGradients();
            assertEquals(
                    twin.accumulateGradientsBatch(batches.inputs(), batches.targets(), batches.rows()),
                    model.accumulateGradientsBatch(batches));
            assertArrayEquals(twin.gradients(), model.gradients());
            assertEquals(twin.lossBatch(batches.inputs(), batches.targets(), batches.rows()), model.lossBatch(batches));
            model.predictBatch(batches, outputs);
            twin.predictBatch(batches.inputs(), expected, batches.rows());
            assertArrayEquals(expected, outputs);
        }
        assertEquals(8, seen, "batches of 3, 3 and 2 rows");
    }

    @Test
    void theBatchFormsAndPredictClassesAllocateNothing() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        float[] y = new float[8];
        Batches batches = Dataset.of(oneHot().features(), 2, y, 1).batches(3, 5L);
        float[] outputs = new float[3];
        int[] classes = new int[3];
        Runnable step = () -> {
            if (!batches.next()) {
                batches.next();
            }
            model.zeroGradients();
            model.accumulateGradientsBatch(batches);
            model.lossBatch(batches);
            model.predictClasses(batches, outputs, classes);
        };
        assertEquals(0, SteadyAllocation.ofWindows(step), "bytes allocated by six windows of 10,000 steps");
    }

    @Test
    void aBatchUsedAfterTheEpochEndedIsRefused() {
        FloatModel model = COMPILED.newFloatModel(FLOAT, 3);
        Batches batches = Dataset.of(new float[4], 2, new float[2], 1).batches(2);
        assertThrows(
                IllegalArgumentException.class,
                () -> model.accumulateGradientsBatch(batches),
                "before the first next()");
        while (batches.next()) {
            model.accumulateGradientsBatch(batches);
        }
        assertEquals(
                "the batch is empty: use it after next() returned true, not after the false that ends an epoch",
                assertThrows(IllegalArgumentException.class, () -> model.accumulateGradientsBatch(batches))
                        .getMessage());
    }

    @Test
    void doubleModelsCheckTheirBatchesToo() {
        DoubleModel model = COMPILED.newDoubleModel(DOUBLE, 3);
        DoubleBatches batches = oneHot().toDouble().batches(4, 1L);
        batches.next();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.accumulateGradientsBatch(batches))
                .getMessage()
                .startsWith("the batch has 2 targets per row but the model has 1 output"));
        assertThrows(IllegalArgumentException.class, () -> model.lossBatch(batches));
        double[] outputs = new double[4];
        model.predictBatch(batches, outputs); // prediction reads no targets
    }
}
