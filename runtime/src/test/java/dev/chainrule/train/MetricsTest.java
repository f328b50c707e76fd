package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import org.junit.jupiter.api.Test;

/** Every figure against values worked out by hand for small fixed predictions. */
class MetricsTest {
    private static final double EXACT = 1e-12;

    @Test
    void aConfusionMatrixOfCountsCountsWhatItWasGiven() {
        long[] counts = {1, 1, 0, 0, 2, 0, 1, 0, 2};
        ConfusionMatrix m = ConfusionMatrix.ofCounts(3, counts);
        counts[0] = 99; // copied
        ConfusionMatrix same = ConfusionMatrix.of(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2}, 3);
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(same.count(a, p), m.count(a, p), "count(" + a + ", " + p + ")");
            }
        }
        assertEquals(5 / 7.0, m.accuracy(), EXACT);
        assertEquals(
                "counts has length 4, expected 3 * 3 = 9",
                assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(3, new long[4]))
                        .getMessage());
        assertEquals(
                "counts[5] (actual 1, predicted 2) is -1, expected at least 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ConfusionMatrix.ofCounts(3, new long[] {0, 0, 0, 0, 0, -1, 0, 0, 0}))
                        .getMessage());
    }

    @Test
    void confusionMatrixAndPerClassFigures() {
        int[] actual = {0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        ConfusionMatrix m = ConfusionMatrix.of(actual, predicted, 3);
        long[][] expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}};
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(expected[a][p], m.count(a, p), "count(" + a + ", " + p + ")");
            }
        }
        assertEquals(7, m.total());
        assertEquals(5, m.correct());
        assertEquals(5 / 7.0, m.accuracy(), EXACT);
        // class 0: predicted twice (rows 0, 5), right once; present twice, found once
        assertEquals(0.5, m.precision(0), EXACT);
        assertEquals(0.5, m.recall(0), EXACT);
        assertEquals(0.5, m.f1(0), EXACT);
        // class 1: predicted three times, right twice; present twice, found twice
        assertEquals(2 / 3.0, m.precision(1), EXACT);
        assertEquals(1.0, m.recall(1), EXACT);
        assertEquals(0.8, m.f1(1), EXACT);
        // class 2: predicted twice, right twice; present three times, found twice
        assertEquals(1.0, m.precision(2), EXACT);
        assertEquals(2 / 3.0, m.recall(2), EXACT);
        assertEquals(0.8, m.f1(2), EXACT);
        assertEquals((0.5 + 0.8 + 0.8) / 3, m.macroF1(), EXACT);
        assertEquals(5 / 7.0, Metrics.accuracy(actual, predicted), EXACT);
    }

    @Test
    void aClassNeverPredictedHasPrecisionAndF1Zero() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 2);
        assertEquals(0.0, m.precision(1));
        assertEquals(0.0, m.recall(1));
        assertEquals(0.0, m.f1(1));
        assertEquals(0.5, m.precision(0), EXACT);
    }

    @Test
    void regressionFiguresOfRawArrays() {
        double[] p = {1, 2, 3, 4};
        double[] t = {1, 3, 2, 6};
        // errors 0, -1, 1, -2
        assertEquals(6 / 4.0, Metrics.mse(p, t), EXACT);
        assertEquals(4 / 4.0, Metrics.mae(p, t), EXACT);
        // one column: mean 3, SST = 4 + 0 + 1 + 9 = 14, SSE = 6
        assertEquals(1 - 6 / 14.0, Metrics.r2(p, t, 1), EXACT);
        // two columns: (1, 3) vs (1, 2): SSE 1, SST 0.5; (2, 4) vs (3, 6): SSE 5, SST 4.5
        assertEquals(((1 - 1 / 0.5) + (1 - 5 / 4.5)) / 2, Metrics.r2(p, t, 2), EXACT);
        float[] pf = {1, 2, 3, 4};
        float[] tf = {1, 3, 2, 6};
        assertEquals(1.5, Metrics.mse(pf, tf), EXACT);
        assertEquals(1.0, Metrics.mae(pf, tf), EXACT);
        assertEquals(1 - 6 / 14.0, Metrics.r2(pf, tf, 1), EXACT);
    }

    @Test
    void rSquaredOfConstantTargets() {
        assertEquals(1.0, Metrics.r2(new double[] {2, 2}, new double[] {2, 2}, 1));
        assertEquals(0.0, Metrics.r2(new double[] {2, 3}, new double[] {2, 2}, 1));
    }

    /** {@code y = 2x - 1} on inputs -1, 0, 0.5, 1 against targets -3, -1, 1, 1: predictions -3, -1, 0, 1. */
    @Test
    void evaluatesAModelRowByRow() {
        FloatLinear model = new FloatLinear(1, 1);
        model.params[0] = 2;
        model.params[1] = -1;
        Dataset data = Dataset.of(new float[] {-1, 0, 0.5f, 1}, 1, new float[] {-3, -1, 1, 1}, 1);
        Evaluation e = Metrics.evaluate(model, data);
        // errors 0, 0, -1, 0
        assertEquals(4, e.rows());
        assertEquals(0.25, e.loss(), EXACT);
        assertEquals(0.25, e.mse(), EXACT);
        assertEquals(0.25, e.mae(), EXACT);
        // targets mean -0.5: SST = 6.25 + 0.25 + 2.25 + 2.25 = 11
        assertEquals(1 - 1 / 11.0, e.r2(), EXACT);
        // one output: class 1 when above 0.5. Targets: 0, 0, 1, 1; predictions: 0, 0, 0, 1
        assertEquals(0.75, e.accuracy(), EXACT);
        assertEquals(1, e.confusionMatrix().count(1, 0));
        assertEquals(e.mse(), Metrics.mse(model, data), EXACT);
        assertEquals(e.mae(), Metrics.mae(model, data), EXACT);
        assertEquals(e.r2(), Metrics.r2(model, data), EXACT);
        assertEquals(0.75, Metrics.accuracy(model, data), EXACT);
        assertEquals(e.metric(Metric.MSE), e.mse());
    }

    /** Two outputs {@code (x, -x)}: class 0 for positive inputs, class 1 for negative ones. */
    @Test
    void classesOfALabelledDatasetComeFromTheLabels() {
        DoubleLinear model = new DoubleLinear(1, 2);
        model.params[0] = 1;
        model.params[1] = -1;
        double[] x = {2, 1, -1, -2, 3};
        int[] labels = {0, 0, 1, 0, 1};
        DoubleDataset data = DoubleDataset.classification(x, 1, labels, 2);
        // predicted classes 0, 0, 1, 1, 0
        ConfusionMatrix m = Metrics.confusionMatrix(model, data);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(1, m.count(1, 0));
        assertEquals(1, m.count(1, 1));
        assertEquals(0.6, Metrics.accuracy(model, data), EXACT);
        // MSE against one-hot targets: rows (2,-2) vs (1,0): 1 + 4; (1,-1) vs (1,0): 0 + 1;
        // (-1,1) vs (0,1): 1 + 0; (-2,2) vs (1,0): 9 + 4; (3,-3) vs (0,1): 9 + 16. Sum 45 over 10 values.
        assertEquals(4.5, Metrics.mse(model, data), EXACT);
        assertEquals(4.5, Metrics.evaluate(model, data).loss(), EXACT);
    }

    @Test
    void rejectsBadInput() {
        assertEquals(
                "actual[2] is 3, expected a class in 0 .. 2",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ConfusionMatrix.of(new int[] {0, 1, 3}, new int[] {0, 1, 2}, 3))
                        .getMessage());
        assertEquals(
                "predicted[0] is -1, expected a class in 0 .. 1",
                assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {0}, new int[] {-1}, 2))
                        .getMessage());
        assertEquals(
                "actual has length 2 but predicted has length 1; expected one prediction per row",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, 2))
                        .getMessage());
        assertEquals(
                "predictions has length 3 but targets has length 2; expected equal lengths",
                assertThrows(IllegalArgumentException.class, () -> Metrics.mse(new double[3], new double[2]))
                        .getMessage());
        assertEquals(
                "predictions and targets are empty; expected at least one value",
                assertThrows(IllegalArgumentException.class, () -> Metrics.mae(new float[0], new float[0]))
                        .getMessage());
        assertEquals(
                "predictions has length 3, not a whole number of rows of 2",
                assertThrows(IllegalArgumentException.class, () -> Metrics.r2(new double[3], new double[3], 2))
                        .getMessage());
        assertEquals(
                "actual has length 1 but predicted has length 2; expected equal lengths",
                assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[1], new int[2]))
                        .getMessage());
        assertEquals(
                "the evaluation data has 2 features per row but the model takes 1 inputs",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Metrics.evaluate(
                                        new FloatLinear(1, 1), Dataset.of(new float[4], 2, new float[2], 1)))
                        .getMessage());
        assertEquals(
                "the evaluation data has no rows; expected at least one to evaluate on",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Metrics.evaluate(
                                        new FloatLinear(1, 1), Dataset.of(new float[0], 1, new float[0], 1)))
                        .getMessage());
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> ConfusionMatrix.of(new int[] {0}, new int[] {0}, 1).count(1, 0));
    }
}
