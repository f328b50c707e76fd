package dev.chainrule.spark;

// double twin: DoubleNumbers (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.Dataset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The {@link Numbers} of a {@link FloatModel}: rows held as {@code float}, gradients and
 * parameters added in {@code float}.
 */
enum FloatNumbers implements Numbers<float[]> {
    INSTANCE;

    @Override
    public Precision precision() {
        // twin: float only
        return Precision.FLOAT;
        // twin: double only
        // return Precision.DOUBLE;
        // twin: end
    }

    @Override
    public Part<float[]> read(
            int index,
            Iterator<InternalRow> it,
            StructType schema,
            String features,
            String targets,
            int featureCount,
            int targetCount,
            int classCount) {
        float[] x = new float[featureCount * 64];
        float[] y = new float[targetCount * 64];
        int[] labels = classCount > 0 ? new int[64] : null;
        int n = 0;
        InternalCells cells = new InternalCells(schema);
        while (it.hasNext()) {
            cells.of(it.next());
            if ((n + 1) * featureCount > x.length || (n + 1) * targetCount > y.length) {
                x = Arrays.copyOf(x, x.length * 2);
                y = Arrays.copyOf(y, y.length * 2);
                if (labels != null) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
            }
            String where = "partition " + index + ", row " + n;
            read(cells, 0, features, featureCount, x, n * featureCount, where);
            if (classCount > 0) {
                int label = Columns.label(cells, 1, targets, classCount, where);
                labels[n] = label;
                y[n * targetCount + label] = 1;
            } else {
                read(cells, 1, targets, targetCount, y, n * targetCount, where);
            }
            n++;
        }
        return new Part<>(
                index,
                n,
                featureCount,
                targetCount,
                Arrays.copyOf(x, n * featureCount),
                Arrays.copyOf(y, n * targetCount),
                labels == null ? null : Arrays.copyOf(labels, n));
    }

    /**
     * Copies a row's values in column {@code index} (an array of {@code width} numbers, or one
     * number when {@code width} is 1 and the column is numeric) to {@code into} from {@code
     * offset}.
     */
    static void read(Cells values, int index, String column, int width, float[] into, int offset, String where) {
        if (values.isNull(index)) {
            throw new IllegalArgumentException(where + ": column '" + column + "' is null");
        }
        int length = values.length(index);
        if (length < 0) {
            if (width != 1) {
                throw new IllegalArgumentException(
                        where + ": column '" + column + "' holds one number, expected " + width);
            }
            // twin: float only
            into[offset] = finite(values.floatAt(index, -1), where, column, 0);
            // twin: double only
            // into[offset] = finite(values.doubleAt(index, -1), where, column, 0);
            // twin: end
            return;
        }
        if (length != width) {
            throw new IllegalArgumentException(where + ": column '" + column + "' holds " + length
                    + " numbers, expected " + width + " as in the first row");
        }
        for (int i = 0; i < width; i++) {
            if (values.isNull(index, i)) {
                throw new IllegalArgumentException(where + ": element " + i + " of column '" + column + "' is null");
            }
            // twin: float only
            into[offset + i] = finite(values.floatAt(index, i), where, column, i);
            // twin: double only
            // into[offset + i] = finite(values.doubleAt(index, i), where, column, i);
            // twin: end
        }
    }

    private static float finite(float value, String where, String column, int i) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException(where + ": element " + i + " of column '" + column + "' is " + value
                    + ", expected a finite number");
        }
        return value;
    }

    @Override
    public Part<float[]> part(int index, AbstractDataset<?> rows) {
        Dataset data = (Dataset) rows;
        return new Part<>(
                index,
                data.rows(),
                data.featureCount(),
                data.targetCount(),
                data.features(),
                data.targets(),
                data.hasLabels() ? data.labels() : null);
    }

    @Override
    public Dataset dataset(Part<float[]> part) {
        if (part.labels != null) {
            return Dataset.classification(
                    part.features.clone(), part.featureCount, part.labels.clone(), part.targetCount);
        }
        return Dataset.of(part.features.clone(), part.featureCount, part.targets.clone(), part.targetCount);
    }

    @Override
    public float[] parameters(Model model) {
        return ((FloatModel) model).parameters().clone();
    }

    @Override
    public Result<float[]> task(Plan<float[]> plan, Part<float[]> part, float[] parameters, int epoch, int round) {
        Schedule schedule = plan.schedule;
        FloatWorker worker = FloatWorker.of(plan.run, plan.type.asSubclass(FloatModel.class), schedule);
        if (plan.localSteps == 0) {
            return worker.gradient(schedule, part, parameters, epoch, round, 1f / schedule.batchRows(round));
        }
        return worker.localSteps(
                schedule,
                part,
                parameters,
                epoch,
                round * plan.localSteps,
                plan.localSteps,
                plan.localOptimizer(epoch, round));
    }

    @Override
    public Result<float[]> addGroup(int group, List<Result<float[]>> inOrder) {
        float[] sum = null;
        double loss = 0;
        int rows = 0;
        for (Result<float[]> result : inOrder) {
            if (result.values == null) {
                continue;
            }
            float[] g = result.values;
            if (sum == null) {
                sum = g.clone();
            } else {
                for (int i = 0; i < g.length; i++) {
                    sum[i] += g[i];
                }
            }
            loss += result.lossSum;
            rows += result.rows;
        }
        return new Result<>(group, sum, loss, rows);
    }

    @Override
    public Result<double[]> weighGroup(int group, List<Result<float[]>> inOrder, int rows) {
        double[] sum = null;
        double loss = 0;
        int used = 0;
        for (Result<float[]> result : inOrder) {
            loss += result.lossSum;
            used += result.rows;
            if (result.values == null) {
                continue;
            }
            float[] v = result.values;
            if (sum == null) {
                sum = new double[v.length];
            }
            double w = (double) result.rows / rows;
            for (int i = 0; i < v.length; i++) {
                sum[i] += w * v[i];
            }
        }
        return new Result<>(group, sum, loss, used);
    }

    @Override
    public double sum(List<Result<float[]>> inOrder, Model model, int rows) {
        float[] gradients = ((FloatModel) model).gradients();
        boolean first = true;
        double loss = 0;
        for (Result<float[]> result : inOrder) {
            if (result.values == null) {
                continue;
            }
            float[] g = result.values;
            if (first) {
                System.arraycopy(g, 0, gradients, 0, g.length);
                first = false;
            } else {
                for (int i = 0; i < g.length; i++) {
                    gradients[i] += g[i];
                }
            }
            loss += result.lossSum;
        }
        return loss / rows;
    }

    @Override
    public double average(List<Result<float[]>> inOrder, Model model) {
        long rows = 0;
        for (Result<float[]> result : inOrder) {
            rows += result.rows;
        }
        Result<double[]> all = weighGroup(0, inOrder, Math.toIntExact(rows));
        FloatModel floats = (FloatModel) model;
        step(all.values == null ? new double[floats.parameterCount()] : all.values, floats);
        return all.lossSum / rows;
    }

    @Override
    public double averageGroups(List<Result<double[]>> inOrder, Model model, int rows) {
        FloatModel floats = (FloatModel) model;
        double[] mean = new double[floats.parameterCount()];
        double loss = 0;
        for (Result<double[]> group : inOrder) {
            loss += group.lossSum;
            if (group.values == null) {
                continue;
            }
            double[] v = group.values;
            for (int i = 0; i < v.length; i++) {
                mean[i] += v[i];
            }
        }
        step(mean, floats);
        return loss / rows;
    }

    /** Sets the gradients to the parameters minus {@code mean}, the averaged parameters. */
    private static void step(double[] mean, FloatModel model) {
        float[] parameters = model.parameters();
        float[] gradients = model.gradients();
        for (int i = 0; i < parameters.length; i++) {
            gradients[i] = parameters[i] - (float) mean[i];
        }
    }
}
