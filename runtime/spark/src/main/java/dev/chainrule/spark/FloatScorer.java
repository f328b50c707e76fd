package dev.chainrule.spark;

// double twin: DoubleScorer (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@link Scorer} of a {@link FloatModel}: each partition makes one model instance and predicts
 * its rows, read as {@code float}, in blocks of {@value SparkScoring#BLOCK}.
 */
final class FloatScorer implements Scorer {
    private final Class<? extends FloatModel> type;
    private final Broadcast<float[]> parameters;
    private final int in;
    private final int out;

    FloatScorer(FloatModel model, JavaSparkContext context) {
        this.type = model.getClass();
        this.parameters = context.broadcast(model.parameters().clone());
        this.in = model.inputSize();
        this.out = model.outputSize();
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public DataType outputType() {
        // twin: float only
        return DataTypes.FloatType;
        // twin: double only
        // return DataTypes.DoubleType;
        // twin: end
    }

    @Override
    public void destroy() {
        parameters.destroy();
    }

    /** This partition's model: a new instance with the broadcast parameters. */
    private static FloatModel model(Class<? extends FloatModel> type, Broadcast<float[]> parameters) {
        FloatModel local = FloatWorker.instantiate(type);
        System.arraycopy(parameters.value(), 0, local.parameters(), 0, local.parameterCount());
        return local;
    }

    @Override
    public MapPartitionsFunction<Row, Row> predictor(int f, String features, boolean classes) {
        return predictor(type, parameters, in, out, f, features, classes);
    }

    /** {@link #predictor(int, String, boolean)}, static so that the function holds only what it names. */
    private static MapPartitionsFunction<Row, Row> predictor(
            Class<? extends FloatModel> type,
            Broadcast<float[]> parameters,
            int in,
            int out,
            int f,
            String features,
            boolean classes) {
        int block = SparkScoring.BLOCK;
        return it -> {
            FloatModel local = model(type, parameters);
            float[] x = new float[block * in];
            float[] y = new float[block * out];
            RowCells cells = new RowCells();
            return new Iterator<Row>() {
                private final Row[] rows = new Row[block];
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
                    while (count < block && it.hasNext()) {
                        Row row = it.next();
                        FloatNumbers.read(
                                cells.of(row), f, features, in, x, count * in, "row " + seen++ + " of its partition");
                        rows[count++] = row;
                    }
                    if (count > 0) {
                        local.predictBatch(x, y, count);
                    }
                    return count > 0;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int r = next++;
                    Row row = rows[r];
                    Object[] values = new Object[row.length() + 1];
                    for (int i = 0; i < row.length(); i++) {
                        values[i] = row.get(i);
                    }
                    values[row.length()] = classes
                            ? (Object) Integer.valueOf(classOf(y, r * out, out))
                            : Arrays.copyOfRange(y, r * out, r * out + out);
                    return RowFactory.create(values);
                }
            };
        };
    }

    @Override
    public Function2<Integer, Iterator<Row>, Iterator<SparkScoring.Sums>> evaluator(
            int f, String features, int t, String targets, int labelClasses, boolean labelled) {
        return evaluator(type, parameters, in, out, f, features, t, targets, labelClasses, labelled);
    }

    /** {@link #evaluator}, static so that the function holds only what it names. */
    private static Function2<Integer, Iterator<Row>, Iterator<SparkScoring.Sums>> evaluator(
            Class<? extends FloatModel> type,
            Broadcast<float[]> parameters,
            int in,
            int out,
            int f,
            String features,
            int t,
            String targets,
            int labelClasses,
            boolean labelled) {
        int block = SparkScoring.BLOCK;
        return (index, it) -> {
            FloatModel local = model(type, parameters);
            SparkScoring.Sums s = new SparkScoring.Sums(index, out, labelClasses);
            float[] x = new float[block * in];
            float[] y = new float[block * out];
            float[] p = new float[block * out];
            int[] labels = new int[block];
            RowCells cells = new RowCells();
            int count = 0;
            long seen = 0;
            while (it.hasNext() || count > 0) {
                if (it.hasNext()) {
                    Row row = it.next();
                    String where = "partition " + index + ", row " + seen++;
                    cells.of(row);
                    FloatNumbers.read(cells, f, features, in, x, count * in, where);
                    if (labelled) {
                        int c = Columns.label(cells, t, targets, labelClasses == 2 && out == 1 ? 2 : out, where);
                        labels[count] = c;
                        Arrays.fill(y, count * out, count * out + out, 0f);
                        if (out == 1) {
                            y[count] = c;
                        } else {
                            y[count * out + c] = 1;
                        }
                    } else {
                        FloatNumbers.read(cells, t, targets, out, y, count * out, where);
                    }
                    count++;
                    if (count < block && it.hasNext()) {
                        continue;
                    }
                }
                local.predictBatch(x, p, count);
                s.lossSum += local.lossBatch(x, y, count) * (double) count;
                for (int r = 0; r < count; r++) {
                    add(s, p, y, r * out, labelled ? labels[r] : -1);
                }
                count = 0;
            }
            return List.of(s).iterator();
        };
    }

    /** Adds one row's prediction and target, at {@code from}, to {@code s}. */
    static void add(SparkScoring.Sums s, float[] prediction, float[] target, int from, int label) {
        s.rows++;
        for (int k = 0; k < s.outputs; k++) {
            double t = target[from + k];
            double error = prediction[from + k] - t; // in double, as t is
            s.squaredError += error * error;
            s.absoluteError += Math.abs(error);
            s.squaredErrorByOutput[k] += error * error;
            double delta = t - s.targetMean[k];
            s.targetMean[k] += delta / s.rows;
            s.targetSpread[k] += delta * (t - s.targetMean[k]);
        }
        int actual = label >= 0 ? label : classOf(target, from, s.outputs);
        s.confusion[actual * s.classCount + classOf(prediction, from, s.outputs)]++;
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
}
