package dev.chainrule.train;

/**
 * Running sums for every metric, fed one row of predictions and targets at a time: squared and
 * absolute errors, per-output target variance (Welford's update) for R², and the confusion
 * counts. Allocates only at construction.
 */
final class Tally {
    private final int outputs;
    private final int classCount;
    private final long[] confusion;
    private final double[] squaredErrorByOutput;
    private final double[] targetMean;
    private final double[] targetSpread;
    private double squaredError;
    private double absoluteError;
    private long rows;

    /**
     * @param outputs values in each row
     * @param labelClasses the class count of labelled data, or 0 to read classes from the targets
     */
    Tally(int outputs, int labelClasses) {
        this.outputs = outputs;
        int predictedClasses = outputs == 1 ? 2 : outputs;
        this.classCount = Math.max(labelClasses, predictedClasses);
        this.confusion = new long[classCount * classCount];
        this.squaredErrorByOutput = new double[outputs];
        this.targetMean = new double[outputs];
        this.targetSpread = new double[outputs];
    }

    /**
     * Adds one row.
     *
     * @param label the row's class, or -1 to read it from the targets
     */
    void add(double[] prediction, double[] target, int label) {
        rows++;
        for (int k = 0; k < outputs; k++) {
            double error = prediction[k] - target[k];
            squaredError += error * error;
            absoluteError += Math.abs(error);
            squaredErrorByOutput[k] += error * error;
            double delta = target[k] - targetMean[k];
            targetMean[k] += delta / rows;
            targetSpread[k] += delta * (target[k] - targetMean[k]);
        }
        int actual = label >= 0 ? label : classOf(target);
        confusion[actual * classCount + classOf(prediction)]++;
    }

    /** The class a row of outputs stands for: the largest output, or for one output whether it exceeds 0.5. */
    private int classOf(double[] values) {
        if (outputs == 1) {
            return values[0] > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < outputs; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    long rows() {
        return rows;
    }

    double mse() {
        return squaredError / ((double) rows * outputs);
    }

    double mae() {
        return absoluteError / ((double) rows * outputs);
    }

    /**
     * {@code 1 - SSE_k / SST_k} averaged over the outputs {@code k}; an output whose targets are
     * all equal scores 1 if it is predicted exactly and 0 otherwise.
     */
    double r2() {
        double sum = 0;
        for (int k = 0; k < outputs; k++) {
            if (targetSpread[k] == 0) {
                sum += squaredErrorByOutput[k] == 0 ? 1 : 0;
            } else {
                sum += 1 - squaredErrorByOutput[k] / targetSpread[k];
            }
        }
        return sum / outputs;
    }

    ConfusionMatrix confusionMatrix() {
        return new ConfusionMatrix(classCount, confusion.clone());
    }
}
