package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Training rows held by Spark, for {@link dev.chainrule.train.Trainer#fit(GradientSource)}: the
 * trainer runs on the driver, and every batch's gradient is computed on the partitions.
 *
 * <pre>{@code
 * try (SparkData train = SparkData.classification(rows, "features", "label", 10)) {
 *     History history = Trainer.of(model).optimizer(Adam.of(1e-3)).batchSize(512).epochs(5).seed(7)
 *             .validation(validation).earlyStopping(2).fit(train);
 * }
 * }</pre>
 *
 * <h2>A step</h2>
 * The rows are read once into one block per partition and cached (memory only). For each batch
 * the driver broadcasts the parameters and runs one Spark job: each partition gathers its share of
 * the batch (see below) and computes the sum of its shards' gradients with the generated backward
 * pass, through one model instance per task thread (made from the model's class by its seeded
 * constructor and given the broadcast parameters), allocating nothing per row. The driver adds
 * the partitions' sums in partition order and the trainer takes the optimizer step. A task is a
 * function of the broadcast parameters, the batch's number and its partition alone, so a task that
 * fails and is retried by Spark computes the same sum, and the step is taken once, from the
 * results of the tasks that succeeded.
 *
 * <h2>Which rows form a batch</h2>
 * With {@code N} rows in all and a batch size {@code B}, partition {@code p} of {@code n_p} rows
 * gives every batch {@code ceil(B n_p / N)} rows of its own, so no shard spans partitions; each
 * partition shuffles its rows every epoch from the seed (partition 0 from the seed itself, as
 * {@link dev.chainrule.data.Dataset#batches(int, long)} does), and the shards of its share are
 * cut at the trainer's {@code shardRows}. A batch thus holds up to {@code B + partitions - 1}
 * rows, and an epoch at most {@code ceil(N / B)} batches.
 *
 * <h2>Bit for bit</h2>
 * With the same partitioning (the same rows in the same partitions), seed, batch size and shard
 * rows, the parameters are the same bits whatever runs the tasks: {@code local[1]}, {@code
 * local[2]}, a cluster, or {@link #inProcess(List)} on the same partitions without Spark. With
 * one partition they are the bits of the trainer's own {@code fit(dataset)} on the same rows.
 *
 * <h2>Averaging</h2>
 * {@link #averaging(int, OptimizerFactory)} trades that exactness for fewer jobs: each job, every
 * partition takes {@code localSteps} steps of its own optimizer on its shares of that many
 * batches, and the driver averages the partitions' parameters (weighted by the rows each used).
 * The trainer's optimizer then steps on the difference between the parameters and that average:
 * {@code Sgd.of(1)} moves the parameters to the average.
 *
 * <p>Close it to free the cached rows.
 */
public final class SparkData implements GradientSource, AutoCloseable {
    private final JavaSparkContext context;
    private final JavaRDD<Part> parts;
    private final int[] sizes;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final int localSteps;
    private final OptimizerFactory inner;

    private SparkData(
            JavaSparkContext context,
            JavaRDD<Part> parts,
            int[] sizes,
            int featureCount,
            int targetCount,
            int localSteps,
            OptimizerFactory inner) {
        this.context = context;
        this.parts = parts;
        this.sizes = sizes;
        long all = 0;
        for (int n : sizes) {
            all += n;
        }
        if (all > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the dataset has " + all + " rows, more than the " + Integer.MAX_VALUE
                    + " a trainer's epoch counts");
        }
        this.rows = (int) all;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.localSteps = localSteps;
        this.inner = inner;
    }

    /**
     * Rows of class labels: {@code features} an array of numbers per row (all of one length),
     * {@code label} a whole number from 0 to {@code classCount - 1}, trained against one-hot
     * targets as {@link dev.chainrule.data.Dataset#classification} does.
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData classification(Dataset<Row> rows, String features, String label, int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        return read(rows, features, label, classCount);
    }

    /**
     * Rows of targets: {@code features} and {@code targets} arrays of numbers per row (or a plain
     * number for one target).
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData regression(Dataset<Row> rows, String features, String targets) {
        return read(rows, features, targets, 0);
    }

    /**
     * Rows already in datasets of the runtime, one partition each, in order: for tests, and for
     * data loaded on the driver. {@link #inProcess(List)} of the same list is the same run
     * without Spark.
     */
    public static SparkData of(JavaSparkContext context, List<dev.chainrule.data.Dataset> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: expected at least one dataset");
        }
        List<Part> list = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            list.add(Part.of(p, partitions.get(p)));
        }
        JavaRDD<Part> parts = context.parallelize(list, list.size()).persist(StorageLevel.MEMORY_ONLY());
        dev.chainrule.data.Dataset first = partitions.get(0);
        return new SparkData(context, parts, sizes(parts), first.featureCount(), first.targetCount(), 0, null);
    }

    private static SparkData read(Dataset<Row> rows, String features, String targets, int classCount) {
        Objects.requireNonNull(rows, "rows");
        Columns.arrayColumn(rows.schema(), features, "features");
        if (classCount > 0) {
            Columns.labelColumn(rows.schema(), targets);
        } else {
            Columns.numbersColumn(rows.schema(), targets, "targets");
        }
        Dataset<Row> selected = rows.select(features, targets);
        Row first;
        try {
            List<Row> head = selected.takeAsList(1);
            if (head.isEmpty()) {
                throw new IllegalArgumentException("the dataset has no rows");
            }
            first = head.get(0);
        } catch (Exception e) {
            throw Columns.rethrow(e);
        }
        int featureCount = Columns.width(first, 0, features, "row 0");
        int targetCount = classCount > 0 ? classCount : Columns.width(first, 1, targets, "row 0");
        JavaRDD<Part> parts = selected.javaRDD()
                .mapPartitionsWithIndex(
                        (index, it) -> List.of(
                                        part(index, it, features, targets, featureCount, targetCount, classCount))
                                .iterator(),
                        true)
                .persist(StorageLevel.MEMORY_ONLY());
        JavaSparkContext context =
                JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        return new SparkData(context, parts, sizes(parts), featureCount, targetCount, 0, null);
    }

    /** Reads one partition's rows. */
    private static Part part(
            int index,
            Iterator<Row> it,
            String features,
            String targets,
            int featureCount,
            int targetCount,
            int classCount) {
        float[] x = new float[featureCount * 64];
        float[] y = new float[targetCount * 64];
        int[] labels = classCount > 0 ? new int[64] : null;
        int n = 0;
        while (it.hasNext()) {
            Row row = it.next();
            if ((n + 1) * featureCount > x.length || (n + 1) * targetCount > y.length) {
                x = java.util.Arrays.copyOf(x, x.length * 2);
                y = java.util.Arrays.copyOf(y, y.length * 2);
                if (labels != null) {
                    labels = java.util.Arrays.copyOf(labels, labels.length * 2);
                }
            }
            String where = "partition " + index + ", row " + n;
            Columns.read(row, 0, features, featureCount, x, n * featureCount, where);
            if (classCount > 0) {
                int label = Columns.label(row, 1, targets, classCount, where);
                labels[n] = label;
                y[n * targetCount + label] = 1;
            } else {
                Columns.read(row, 1, targets, targetCount, y, n * targetCount, where);
            }
            n++;
        }
        return new Part(
                index,
                n,
                featureCount,
                targetCount,
                java.util.Arrays.copyOf(x, n * featureCount),
                java.util.Arrays.copyOf(y, n * targetCount),
                labels == null ? null : java.util.Arrays.copyOf(labels, n));
    }

    /** Each partition's rows, in partition order; reads the rows into the cache. */
    private static int[] sizes(JavaRDD<Part> parts) {
        List<Integer> counts;
        try {
            counts = parts.map(part -> part.rows).collect();
        } catch (Exception e) {
            parts.unpersist(false);
            throw Columns.rethrow(e);
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The same rows trained by local steps with periodic averaging: each job runs {@code
     * localSteps} batches per partition with a new optimizer from {@code optimizer}; see
     * "Averaging" above. The rows stay cached once, shared with this one: close either.
     *
     * @param localSteps at least 1
     */
    public SparkData averaging(int localSteps, OptimizerFactory optimizer) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("localSteps is " + localSteps + ", expected at least 1");
        }
        return new SparkData(
                context,
                parts,
                sizes,
                featureCount,
                targetCount,
                localSteps,
                Objects.requireNonNull(optimizer, "optimizer"));
    }

    /** The rows of each partition, in partition order. */
    public int[] partitionRows() {
        return sizes.clone();
    }

    /** Each partition's rows as a dataset of the runtime, in partition order, on the driver. */
    public List<dev.chainrule.data.Dataset> collectPartitions() {
        List<dev.chainrule.data.Dataset> list = new ArrayList<>();
        for (Part part : parts.collect()) {
            list.add(part.toDataset());
        }
        return list;
    }

    /**
     * The schedule of a {@code SparkData} over these partitions, computed in this JVM on the
     * caller's thread, without Spark: the same bits as the same partitions on Spark.
     */
    public static GradientSource inProcess(List<dev.chainrule.data.Dataset> partitions) {
        return new LocalPartitions(partitions, 0, null);
    }

    /** {@link #inProcess(List)} with local steps and averaging, as {@link #averaging(int, OptimizerFactory)}. */
    public static GradientSource inProcess(
            List<dev.chainrule.data.Dataset> partitions, int localSteps, OptimizerFactory optimizer) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("localSteps is " + localSteps + ", expected at least 1");
        }
        return new LocalPartitions(partitions, localSteps, Objects.requireNonNull(optimizer, "optimizer"));
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public int targetCount() {
        return targetCount;
    }

    @Override
    public Steps open(Model model, int batchSize, long seed, int shardRows) {
        return new Rounds(model, new Schedule(sizes, batchSize, seed, shardRows), localSteps, inner) {
            @Override
            List<Result> compute(float[] parameters) {
                Broadcast<float[]> broadcast = context.broadcast(parameters);
                Plan task = plan;
                int e = epoch;
                int r = round;
                try {
                    List<Result> results = parts.mapPartitions(it -> {
                                List<Result> out = new ArrayList<>(1);
                                while (it.hasNext()) {
                                    out.add(task.task(it.next(), broadcast.value(), e, r));
                                }
                                return out.iterator();
                            })
                            .collect();
                    return Rounds.inPartitionOrder(results, sizes.length);
                } catch (Exception failed) {
                    throw Columns.rethrow(failed);
                } finally {
                    broadcast.destroy();
                }
            }

            @Override
            public void close() {}
        };
    }

    /** Frees the cached rows. */
    @Override
    public void close() {
        parts.unpersist(false);
    }
}
