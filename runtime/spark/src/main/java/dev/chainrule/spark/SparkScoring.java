package dev.chainrule.spark;

import dev.chainrule.FloatModel;
import dev.chainrule.train.ConfusionMatrix;
import dev.chainrule.train.Evaluation;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained model applied to a Spark dataset on the cluster: a column of predictions, or an
 * {@link Evaluation} summed over the partitions. Each partition makes one model instance (from
 * the model's class and broadcast parameters) and predicts its rows in blocks of {@value #BLOCK},
 * allocating per row only the output it returns.
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
        return score(model, rows, features, output, false);
    }

    /**
     * {@code rows} with a column {@code output} added: the class the model predicts for the row's
     * {@code features}, as {@code int} (the largest output, or for one output whether it exceeds
     * 0.5, as {@link Evaluation} counts it).
     */
    public static Dataset<Row> predictClass(FloatModel model, Dataset<Row> rows, String features, String output) {
        return score(model, rows, features, output, true);
    }

    private static Dataset<Row> score(
            FloatModel model, Dataset<Row> rows, String features, String output, boolean classes) {
        Objects.requireNonNull(model, "model");
        StructType schema = rows.schema();
        int f = Columns.arrayColumn(schema, features, "features");
        if (List.of(schema.fieldNames()).contains(output)) {
            throw new IllegalArgumentException("the dataset has a column '" + output + "' already");
        }
        StructType added = schema.add(
                output, classes ? DataTypes.IntegerType : DataTypes.createArrayType(DataTypes.FloatType, false), false);
        Class<? extends FloatModel> type = model.getClass();
        Broadcast<float[]> parameters = broadcast(rows, model);
        int in = model.inputSize();
        int out = model.outputSize();
        MapPartitionsFunction<Row, Row> predict = it -> {
            FloatModel local = Worker.instantiate(type);
            System.arraycopy(parameters.value(), 0, local.parameters(), 0, local.parameterCount());
            float[] x = new float[BLOCK * in];
            float[] y = new float[BLOCK * out];
            return new Iterator<Row>() {
                private final Row[] block = new Row[BLOCK];
                private int count;
                private int next;
                private long seen;

                @Override
                public boolean hasNext() {
                    if (next < count) {
                        return true;
                    }
                    count = 0;
                    next = 0;
                    while (count < BLOCK && it.hasNext()) {
                        Row row = it.next();
                        Columns.read(row, f, features, in, x, count * in, "row " + seen++ + " of its partition");
                        block[count++] = row;
                    }
                    if (count > 0) {
                        local.predictBatch(x, y, count);
                    }
                    return count > 0;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    int r = next++;
                    Row row = block[r];
                    Object[] values = new Object[row.length() + 1];
                    for (int i = 0; i < row.length(); i++) {
                        values[i] = row.get(i);
                    }
                    values[row.length()] = classes
                            ? (Object) Integer.valueOf(classOf(y, r * out, out))
                            : java.util.Arrays.copyOfRange(y, r * out, r * out + out);
                    return RowFactory.create(values);
                }
            };
        };
        return rows.mapPartitions(predict, Encoders.row(added));
    }

    /**
     * How the model does on rows of class labels, computed on the cluster: every partition sums its
     * rows' losses, errors and confusion counts, and the driver adds the partitions' sums in
     * partition order. The figures are those of {@code Metrics.evaluate} on the same rows up to the
     * last bits of the sums' order.
     */
    public static Evaluation evaluate(FloatModel model, Dataset<Row> rows, String features, String label) {
        return evaluation(model, rows, features, label, model.outputSize() == 1 ? 2 : model.outputSize(), true);
    }

    /** How the model does on rows of targets ({@code targets} an array of numbers, or a number for one output), on the cluster. */
    public static Evaluation evaluateTargets(FloatModel model, Dataset<Row> rows, String features, String targets) {
        return evaluation(model, rows, features, targets, 0, false);
    }

    private static Evaluation evaluation(
            FloatModel model, Dataset<Row> rows, String features, String targets, int labelClasses, boolean labelled) {
        StructType schema = rows.schema();
        int f = Columns.arrayColumn(schema, features, "features");
        int t = labelled ? Columns.labelColumn(schema, targets) : Columns.numbersColumn(schema, targets, "targets");
        Class<? extends FloatModel> type = model.getClass();
        Broadcast<float[]> parameters = broadcast(rows, model);
        int in = model.inputSize();
        int out = model.outputSize();
        List<Sums> sums;
        try {
            sums = rows.javaRDD()
                    .mapPartitionsWithIndex(
                            (index, it) -> {
                                FloatModel local = Worker.instantiate(type);
                                System.arraycopy(parameters.value(), 0, local.parameters(), 0, local.parameterCount());
                                Sums s = new Sums(index, out, labelClasses);
                                float[] x = new float[BLOCK * in];
                                float[] y = new float[BLOCK * out];
                                float[] p = new float[BLOCK * out];
                                int[] labels = new int[BLOCK];
                                int count = 0;
                                long seen = 0;
                                while (it.hasNext() || count > 0) {
                                    if (it.hasNext()) {
                                        Row row = it.next();
                                        String where = "partition " + index + ", row " + seen++;
                                        Columns.read(row, f, features, in, x, count * in, where);
                                        if (labelled) {
                                            int c = Columns.label(
                                                    row, t, targets, labelClasses == 2 && out == 1 ? 2 : out, where);
                                            labels[count] = c;
                                            java.util.Arrays.fill(y, count * out, count * out + out, 0f);
                                            if (out == 1) {
                                                y[count] = c;
                                            } else {
                                                y[count * out + c] = 1;
                                            }
                                        } else {
                                            Columns.read(row, t, targets, out, y, count * out, where);
                                        }
                                        count++;
                                        if (count < BLOCK && it.hasNext()) {
                                            continue;
                                        }
                                    }
                                    local.predictBatch(x, p, count);
                                    s.lossSum += local.lossBatch(x, y, count) * (double) count;
                                    for (int r = 0; r < count; r++) {
                                        s.add(p, y, r * out, labelled ? labels[r] : -1);
                                    }
                                    count = 0;
                                }
                                return List.of(s).iterator();
                            },
                            true)
                    .collect();
        } catch (Exception e) {
            throw Columns.rethrow(e);
        } finally {
            parameters.destroy();
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

    private static Broadcast<float[]> broadcast(Dataset<Row> rows, FloatModel model) {
        return JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext())
                .broadcast(model.parameters().clone());
    }

    /** The class of the outputs at {@code from}: the largest, or for one output whether it exceeds 0.5. */
    static int classOf(float[] values, int from, int outputs) {
        if (outputs == 1) {
            return values[from] > 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < outputs; k++) {
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
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

        void add(float[] prediction, float[] target, int from, int label) {
            rows++;
            for (int k = 0; k < outputs; k++) {
                double t = target[from + k];
                double error = (double) prediction[from + k] - t;
                squaredError += error * error;
                absoluteError += Math.abs(error);
                squaredErrorByOutput[k] += error * error;
                double delta = t - targetMean[k];
                targetMean[k] += delta / rows;
                targetSpread[k] += delta * (t - targetMean[k]);
            }
            int actual = label >= 0 ? label : classOf(target, from, outputs);
            confusion[actual * classCount + classOf(prediction, from, outputs)]++;
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
