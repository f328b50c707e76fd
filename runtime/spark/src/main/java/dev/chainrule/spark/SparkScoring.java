package dev.chainrule.spark;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.train.ConfusionMatrix;
import dev.chainrule.train.Evaluation;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained model applied to a Spark dataset on the cluster: a column of predictions, or an
 * {@link Evaluation} summed over the partitions. Each partition makes one model instance (from
 * the model's class and broadcast parameters) and predicts its rows in blocks of {@value #BLOCK},
 * allocating per row only the output it returns. A {@link FloatModel} reads the rows' numbers as
 * {@code float} and adds {@code array<float>} outputs; a {@link DoubleModel} reads them as {@code
 * double}, so that a column of doubles is not rounded, and adds {@code array<double>} outputs.
 */
public final class SparkScoring {
    /** Rows predicted at a time. */
    static final int BLOCK = 32;

    private SparkScoring() {}

    /**
     * {@code rows} with a column {@code output} added: the model's outputs for the row's {@code
     * features} (an array of numbers), as {@code array<float>}.
     */
    public static Dataset<Row> predict(FloatModel model, Dataset<Row> rows, String features, String output) {
        return score(scorer(model, rows), rows, features, output, false);
    }

    /**
     * {@code rows} with a column {@code output} added: the double model's outputs for the row's
     * {@code features} (an array of numbers, read as {@code double}), as {@code array<double>}.
     */
    public static Dataset<Row> predict(DoubleModel model, Dataset<Row> rows, String features, String output) {
        return score(scorer(model, rows), rows, features, output, false);
    }

    /**
     * {@code rows} with a column {@code output} added: the class the model predicts for the row's
     * {@code features}, as {@code int} (the largest output, or for one output whether it exceeds
     * 0.5, as {@link Evaluation} counts it).
     */
    public static Dataset<Row> predictClass(FloatModel model, Dataset<Row> rows, String features, String output) {
        return score(scorer(model, rows), rows, features, output, true);
    }

    /** {@link #predictClass(FloatModel, Dataset, String, String)} for a double model. */
    public static Dataset<Row> predictClass(DoubleModel model, Dataset<Row> rows, String features, String output) {
        return score(scorer(model, rows), rows, features, output, true);
    }

    private static Scorer scorer(FloatModel model, Dataset<Row> rows) {
        return new FloatScorer(Objects.requireNonNull(model, "model"), context(rows));
    }

    private static Scorer scorer(DoubleModel model, Dataset<Row> rows) {
        return new DoubleScorer(Objects.requireNonNull(model, "model"), context(rows));
    }

    private static JavaSparkContext context(Dataset<Row> rows) {
        return JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
    }

    private static Dataset<Row> score(
            Scorer scorer, Dataset<Row> rows, String features, String output, boolean classes) {
        StructType schema = rows.schema();
        int f;
        try {
            f = Columns.arrayColumn(schema, features, "features");
            if (List.of(schema.fieldNames()).contains(output)) {
                throw new IllegalArgumentException("the dataset has a column '" + output + "' already");
            }
        } catch (IllegalArgumentException e) {
            scorer.destroy();
            throw e;
        }
        StructType added = schema.add(
                output, classes ? DataTypes.IntegerType : DataTypes.createArrayType(scorer.outputType(), false), false);
        return rows.mapPartitions(scorer.predictor(f, features, classes), Encoders.row(added));
    }

    /**
     * How the model does on rows of class labels, computed on the cluster: every partition sums its
     * rows' losses, errors and confusion counts, and the driver adds the partitions' sums in
     * partition order. The figures are those of {@code Metrics.evaluate} on the same rows up to the
     * last bits of the sums' order.
     */
    public static Evaluation evaluate(FloatModel model, Dataset<Row> rows, String features, String label) {
        return evaluation(scorer(model, rows), rows, features, label, true);
    }

    /**
     * {@link #evaluate(FloatModel, Dataset, String, String)} for a double model, which reads the
     * features as {@code double}.
     */
    public static Evaluation evaluate(DoubleModel model, Dataset<Row> rows, String features, String label) {
        return evaluation(scorer(model, rows), rows, features, label, true);
    }

    /**
     * How the model does on rows of targets ({@code targets} an array of numbers, or a number for
     * one output), on the cluster.
     */
    public static Evaluation evaluateTargets(FloatModel model, Dataset<Row> rows, String features, String targets) {
        return evaluation(scorer(model, rows), rows, features, targets, false);
    }

    /**
     * {@link #evaluateTargets(FloatModel, Dataset, String, String)} for a double model, which reads
     * the features and targets as {@code double}.
     */
    public static Evaluation evaluateTargets(DoubleModel model, Dataset<Row> rows, String features, String targets) {
        return evaluation(scorer(model, rows), rows, features, targets, false);
    }

    private static Evaluation evaluation(
            Scorer scorer, Dataset<Row> rows, String features, String targets, boolean labelled) {
        int out = scorer.outputSize();
        int labelClasses = labelled ? (out == 1 ? 2 : out) : 0;
        List<Sums> sums;
        try {
            StructType schema = rows.schema();
            int f = Columns.arrayColumn(schema, features, "features");
            int t = labelled ? Columns.labelColumn(schema, targets) : Columns.numbersColumn(schema, targets, "targets");
            sums = rows.javaRDD()
                    .mapPartitionsWithIndex(scorer.evaluator(f, features, t, targets, labelClasses, labelled), true)
                    .collect();
        } catch (Exception e) {
            throw Columns.rethrow(e);
        } finally {
            scorer.destroy();
        }
        Sums all = null;
        for (Sums s : sums) {
            all = all == null ? s : all.merge(s);
        }
        if (all == null || all.rows == 0) {
            throw new IllegalArgumentException("the dataset has no rows to evaluate on");
        }
        return all.evaluation();
    }

    /** One partition's sums for an {@link Evaluation}, mergeable in partition order. */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;

        final int partition;
        final int outputs;
        final int classCount;
        long rows;
        double lossSum;
        double squaredError;
        double absoluteError;
        final double[] squaredErrorByOutput;
        /** Each output's target mean and sum of squared deviations (Welford, merged by Chan's formula). */
        final double[] targetMean;

        final double[] targetSpread;
        final long[] confusion;

        Sums(int partition, int outputs, int labelClasses) {
            this.partition = partition;
            this.outputs = outputs;
            this.classCount = Math.max(labelClasses, outputs == 1 ? 2 : outputs);
            this.squaredErrorByOutput = new double[outputs];
            this.targetMean = new double[outputs];
            this.targetSpread = new double[outputs];
            this.confusion = new long[classCount * classCount];
        }

        Sums merge(Sums other) {
            if (other.rows == 0) {
                return this;
            }
            if (rows == 0) {
                return other;
            }
            long n = rows + other.rows;
            for (int k = 0; k < outputs; k++) {
                double delta = other.targetMean[k] - targetMean[k];
                targetSpread[k] += other.targetSpread[k] + delta * delta * ((double) rows * other.rows / n);
                targetMean[k] += delta * other.rows / n;
                squaredErrorByOutput[k] += other.squaredErrorByOutput[k];
            }
            rows = n;
            lossSum += other.lossSum;
            squaredError += other.squaredError;
            absoluteError += other.absoluteError;
            for (int i = 0; i < confusion.length; i++) {
                confusion[i] += other.confusion[i];
            }
            return this;
        }

        Evaluation evaluation() {
            double r2 = 0;
            for (int k = 0; k < outputs; k++) {
                r2 += targetSpread[k] == 0
                        ? (squaredErrorByOutput[k] == 0 ? 1 : 0)
                        : 1 - squaredErrorByOutput[k] / targetSpread[k];
            }
            return new Evaluation(
                    rows,
                    lossSum / rows,
                    squaredError / ((double) rows * outputs),
                    absoluteError / ((double) rows * outputs),
                    r2 / outputs,
                    ConfusionMatrix.ofCounts(classCount, confusion));
        }
    }
}
