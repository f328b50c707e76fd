package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import org.junit.jupiter.api.Test;

/** Accuracy counts the rows whose highest output is the labelled class. */
class AccuracyTest {

    /** An iris model whose weights are zero and whose output biases favour {@code species}: it always answers that. */
    private static IrisModel alwaysSays(int species) {
        IrisModel model = new IrisModel(1L);
        float[] parameters = new float[IrisModel.PARAMETER_COUNT];
        parameters[IrisModel.SPECIES_BIASES + species] = 1;
        model.setParameters(parameters);
        return model;
    }

    @Test
    void isTheFractionOfRowsLabelledWithThePredictedClass() {
        // 1,203 rows (more than one evaluation batch); label r % 3, so class 1 has 401 rows.
        int rows = 1203;
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 3;
        }
        Dataset data = Dataset.classification(new float[rows * Iris.MEASUREMENTS], Iris.MEASUREMENTS, labels, 3);
        assertEquals(401.0 / 1203, Accuracy.of(alwaysSays(1), data), 1e-12);
        Dataset allTwos = Dataset.classification(
                new float[5 * Iris.MEASUREMENTS], Iris.MEASUREMENTS, new int[] {2, 2, 2, 2, 2}, 3);
        assertEquals(1.0, Accuracy.of(alwaysSays(2), allTwos));
        assertEquals(0.0, Accuracy.of(alwaysSays(0), allTwos));
    }

    @Test
    void refusesDataWithoutLabelsOrOfTheWrongShape() {
        IrisModel model = alwaysSays(0);
        Dataset unlabelled = Dataset.of(new float[8], 4, new float[6], 3);
        String message = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(model, unlabelled))
                .getMessage();
        assertTrue(message.contains("labelled rows"), message);

        Dataset empty = Dataset.classification(new float[0], 4, new int[0], 3);
        message = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(model, empty))
                .getMessage();
        assertTrue(message.contains("labelled rows") && message.contains("0 rows"), message);

        Dataset fiveFeatures = Dataset.classification(new float[10], 5, new int[] {0, 1}, 3);
        message = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(model, fiveFeatures))
                .getMessage();
        assertTrue(message.contains("4 inputs and 3 outputs") && message.contains("5 features"), message);

        Dataset fourClasses = Dataset.classification(new float[8], 4, new int[] {0, 3}, 4);
        message = assertThrows(IllegalArgumentException.class, () -> Accuracy.of(model, fourClasses))
                .getMessage();
        assertTrue(message.contains("4 classes"), message);
    }
}
