package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;

/**
 * Scores of a model on a dataset, and of raw predictions against targets: accuracy, the
 * confusion matrix with per-class precision, recall and F1, mean squared and absolute error, and
 * R².
 *
 * <pre>{@code
 * Evaluation test = Metrics.evaluate(model, testData);
 * System.out.printf("accuracy %.3f%n%s", test.accuracy(), test.confusionMatrix());
 * }</pre>
 *
 * <p>The model forms run the model over the rows in order, predicting each into a reused buffer,
 * and compute everything in one pass ({@link Evaluation} says how classes are read from
 * outputs). The array forms take predictions and targets row-major, any number of values per
 * row, and compute in {@code double}.
 */
public final class Metrics {
    private Metrics() {}

    /**
     * The loss and every metric of a {@code float} model on a dataset.
     *
     * @throws IllegalArgumentException if the rows do not fit the model or there are none
     */
    public static Evaluation evaluate(FloatModel model, Dataset data) {
        return Predictions.of(model, data, "evaluation").evaluate();
    }

    /** The loss and every metric of a {@code double} model on a dataset; see {@link #evaluate(FloatModel, Dataset)}. */
    public static Evaluation evaluate(DoubleModel model, DoubleDataset data) {
        return Predictions.of(model, data, "evaluation").evaluate();
    }

    /** The fraction of rows whose predicted class is the actual one. */
    public static double accuracy(FloatModel model, Dataset data) {
        return evaluate(model, data).accuracy();
    }

    /** The fraction of rows whose predicted class is the actual one. */
    public static double accuracy(DoubleModel model, DoubleDataset data) {
        return evaluate(model, data).accuracy();
    }

    /** Actual against predicted classes, with per-class precision, recall and F1. */
    public static ConfusionMatrix confusionMatrix(FloatModel model, Dataset data) {
        return evaluate(model, data).confusionMatrix();
    }

    /** Actual against predicted classes, with per-class precision, recall and F1. */
    public static ConfusionMatrix confusionMatrix(DoubleModel model, DoubleDataset data) {
        return evaluate(model, data).confusionMatrix();
    }

    /** Mean squared error over every output of every row. */
    public static double mse(FloatModel model, Dataset data) {
        return evaluate(model, data).mse();
    }

    /** Mean squared error over every output of every row. */
    public static double mse(DoubleModel model, DoubleDataset data) {
        return evaluate(model, data).mse();
    }

    /** Mean absolute error over every output of every row. */
    public static double mae(FloatModel model, Dataset data) {
        return evaluate(model, data).mae();
    }

    /** Mean absolute error over every output of every row. */
    public static double mae(DoubleModel model, DoubleDataset data) {
        return evaluate(model, data).mae();
    }

    /** R², averaged over the outputs (see {@link Evaluation#r2()}). */
    public static double r2(FloatModel model, Dataset data) {
        return evaluate(model, data).r2();
    }

    /** R², averaged over the outputs (see {@link Evaluation#r2()}). */
    public static double r2(DoubleModel model, DoubleDataset data) {
        return evaluate(model, data).r2();
    }

    /**
     * The fraction of positions where {@code predicted} equals {@code actual}.
     *
     * @throws IllegalArgumentException if the lengths differ or the arrays are empty
     */
    public static double accuracy(int[] actual, int[] predicted) {
        requireSameLength(actual.length, predicted.length, "actual", "predicted");
        int correct = 0;
        for (int i = 0; i < actual.length; i++) {
            correct += actual[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / actual.length;
    }

    /** {@code mean((p - t)^2)} over all values; the arrays have equal, non-zero lengths. */
    public static double mse(double[] predictions, double[] targets) {
        return tally(predictions, targets, 1).mse();
    }

    /** {@code mean((p - t)^2)} over all values, computed in {@code double}. */
    public static double mse(float[] predictions, float[] targets) {
        return tally(predictions, targets, 1).mse();
    }

    /** {@code mean(|p - t|)} over all values; the arrays have equal, non-zero lengths. */
    public static double mae(double[] predictions, double[] targets) {
        return tally(predictions, targets, 1).mae();
    }

    /** {@code mean(|p - t|)} over all values, computed in {@code double}. */
    public static double mae(float[] predictions, float[] targets) {
        return tally(predictions, targets, 1).mae();
    }

    /**
     * R² of rows of {@code width} values: {@code 1 - SSE_k / SST_k} for each column {@code k},
     * where {@code SST_k} is the sum of squared deviations of the targets from their mean,
     * averaged over the columns (a column with constant targets scores 1 if predicted exactly,
     * else 0).
     *
     * @throws IllegalArgumentException if the lengths differ, are zero, or are not whole rows
     */
    public static double r2(double[] predictions, double[] targets, int width) {
        return tally(predictions, targets, width).r2();
    }

    /** R² of {@code float} rows, computed in {@code double}; see {@link #r2(double[], double[], int)}. */
    public static double r2(float[] predictions, float[] targets, int width) {
        return tally(predictions, targets, width).r2();
    }

    private static Tally tally(double[] predictions, double[] targets, int width) {
        int rows = rows(predictions.length, targets.length, width);
        Tally tally = new Tally(width, 0);
        double[] p = new double[width];
        double[] t = new double[width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(predictions, r * width, p, 0, width);
            System.arraycopy(targets, r * width, t, 0, width);
            tally.add(p, t, 0);
        }
        return tally;
    }

    private static Tally tally(float[] predictions, float[] targets, int width) {
        int rows = rows(predictions.length, targets.length, width);
        Tally tally = new Tally(width, 0);
        double[] p = new double[width];
        double[] t = new double[width];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                p[k] = predictions[r * width + k];
                t[k] = targets[r * width + k];
            }
            tally.add(p, t, 0);
        }
        return tally;
    }

    private static int rows(int predictions, int targets, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width is " + width + ", expected at least 1 value per row");
        }
        requireSameLength(predictions, targets, "predictions", "targets");
        if (predictions % width != 0) {
            throw new IllegalArgumentException(
                    "predictions has length " + predictions + ", not a whole number of rows of " + width);
        }
        return predictions / width;
    }

    private static void requireSameLength(int a, int b, String nameA, String nameB) {
        if (a != b) {
            throw new IllegalArgumentException(
                    nameA + " has length " + a + " but " + nameB + " has length " + b + "; expected equal lengths");
        }
        if (a == 0) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " are empty; expected at least one value");
        }
    }
}
