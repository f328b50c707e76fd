package dev.chainrule.train;

/**
 * How a model does on a dataset: the mean loss and every {@link Metric}, computed in one pass
 * that predicts row by row. Made by {@link Metrics#evaluate}; the {@link Trainer} makes one for
 * the validation set each epoch.
 *
 * <h2>Classes</h2>
 * Accuracy and the confusion matrix need each row's actual and predicted class. The actual class
 * is the row's label if the dataset has labels, otherwise it is read from the targets like a
 * prediction. A prediction's class is the index of its largest output or, for a network with a
 * single output (a probability of class 1), 1 if that output exceeds 0.5 and 0 otherwise. So an
 * unlabelled dataset of 0/1 targets for a one-output network is scored as two classes.
 *
 * @param rows the rows evaluated
 * @param loss the mean of the model's loss over the rows
 * @param mse mean squared error over every output of every row
 * @param mae mean absolute error over every output of every row
 * @param r2 the coefficient of determination {@code 1 - SSE/SST} per output, averaged over the
 *     outputs (an output with constant targets scores 1 if predicted exactly, else 0)
 * @param confusionMatrix actual against predicted classes
 */
public record Evaluation(long rows, double loss, double mse, double mae, double r2, ConfusionMatrix confusionMatrix) {

    static Evaluation of(Tally tally, double loss) {
        return new Evaluation(tally.rows(), loss, tally.mse(), tally.mae(), tally.r2(), tally.confusionMatrix());
    }

    /** The fraction of rows whose predicted class is the actual one. */
    public double accuracy() {
        return confusionMatrix.accuracy();
    }

    /** The value of one metric. */
    public double metric(Metric metric) {
        return switch (metric) {
            case ACCURACY -> accuracy();
            case MSE -> mse;
            case MAE -> mae;
            case R2 -> r2;
        };
    }
}
