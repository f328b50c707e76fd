package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

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
 * the partitions' sums in partition order (or, with a {@linkplain #tree(int) tree}, the groups'
 * sums in group order) and the trainer takes the optimizer step. A task is a
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
 * <h2>Precision</h2>
 * The rows are held in the precision of the model they train, chosen when they are read: {@code
 * float} by default, for a {@link dev.chainrule.FloatModel}, or {@code double} with {@link
 * Precision#DOUBLE}, for a {@link dev.chainrule.DoubleModel} (a column of doubles is then not
 * rounded, at twice the memory). A model of the other precision is refused when the trainer starts.
 * A task computes in the model's precision and sends back its gradient sum in it; the driver adds
 * the sums in it, as the trainer adds a batch's shards.
 *
 * <h2>Bit for bit</h2>
 * With the same partitioning (the same rows in the same partitions), seed, batch size and shard
 * rows, the parameters are the same bits whatever runs the tasks: {@code local[1]}, {@code
 * local[2]}, a cluster, or {@link #inProcess(List)} on the same partitions without Spark. With
 * one partition they are the bits of the trainer's own {@code fit(dataset)} on the same rows (a
 * {@link dev.chainrule.data.Dataset}, or a {@link DoubleDataset} of the same doubles).
 *
 * <h2>A tree of groups</h2>
 * By default the driver receives every partition's sum and adds them in partition order. {@link
 * #tree(int) tree(fanIn)} adds them on the executors first: each step's partition results are
 * shuffled to {@code ceil(partitions / fanIn)} groups, group {@code g} takes partitions {@code g
 * fanIn} to {@code (g + 1) fanIn - 1}, sorts them by partition and adds them in that order (the
 * first copied, the others added), and the driver adds the groups' sums in group order. The order
 * is a function of the partition count and {@code fanIn} alone, so it is the same bits on any
 * cluster and in {@link #inProcess(List)}{@code .tree(fanIn)}, and a retried task gives the same
 * step; it is another order than the one-level sum's, so other bits. The driver then receives
 * {@code ceil(partitions / fanIn)} sums instead of one per partition, at the cost of one shuffle
 * stage per step. When averaging, each group sends its partitions' weighted parameters summed in
 * {@code double}, and the driver adds the groups' sums in group order.
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
    private final JavaRDD<Part<?>> parts;
    private final Precision precision;
    private final int[] sizes;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final int localSteps;
    private final OptimizerFactory inner;
    private final int fanIn;

    private SparkData(
            JavaSparkContext context,
            JavaRDD<Part<?>> parts,
            Precision precision,
            int[] sizes,
            int featureCount,
            int targetCount,
            int localSteps,
            OptimizerFactory inner,
            int fanIn) {
        this.context = context;
        this.parts = parts;
        this.precision = precision;
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
        this.fanIn = fanIn;
    }

    /**
     * Rows of class labels, held as {@code float} for a {@link dev.chainrule.FloatModel}: {@code
     * features} an array of numbers per row (all of one length), {@code label} a whole number from
     * 0 to {@code classCount - 1}, trained against one-hot targets as {@link
     * dev.chainrule.data.Dataset#classification} does.
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData classification(Dataset<Row> rows, String features, String label, int classCount) {
        return classification(rows, features, label, classCount, Precision.FLOAT);
    }

    /**
     * {@link #classification(Dataset, String, String, int)} with the rows held in {@code
     * precision}, the precision of the model to train: {@link Precision#DOUBLE} for a {@link
     * dev.chainrule.DoubleModel} keeps every value of a column of doubles as it is, {@link
     * Precision#FLOAT} rounds each value to the nearest float and holds half the bytes.
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData classification(
            Dataset<Row> rows, String features, String label, int classCount, Precision precision) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        return read(rows, features, label, classCount, precision);
    }

    /**
     * Rows of targets, held as {@code float} for a {@link dev.chainrule.FloatModel}: {@code
     * features} and {@code targets} arrays of numbers per row (or a plain number for one target).
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData regression(Dataset<Row> rows, String features, String targets) {
        return regression(rows, features, targets, Precision.FLOAT);
    }

    /**
     * {@link #regression(Dataset, String, String)} with the rows held in {@code precision}, the
     * precision of the model to train (see {@link #classification(Dataset, String, String, int,
     * Precision)}).
     *
     * @throws IllegalArgumentException naming the column, partition and row of the first value
     *     that does not fit
     */
    public static SparkData regression(Dataset<Row> rows, String features, String targets, Precision precision) {
        return read(rows, features, targets, 0, precision);
    }

    /**
     * Rows already in datasets of the runtime, one partition each, in order: for tests, and for
     * data loaded on the driver. The rows are held in the datasets' precision: {@link
     * dev.chainrule.data.Dataset}s for a float model, {@link DoubleDataset}s for a double one.
     * {@link #inProcess(List)} of the same list is the same run without Spark.
     */
    public static SparkData of(JavaSparkContext context, List<? extends AbstractDataset<?>> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: expected at least one dataset");
        }
        AbstractDataset<?> first = partitions.get(0);
        Numbers<?> numbers = Numbers.of(first);
        List<Part<?>> list = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            checkLike(p, partitions.get(p), first);
            list.add(numbers.part(p, partitions.get(p)));
        }
        JavaRDD<Part<?>> parts = context.parallelize(list, list.size()).persist(StorageLevel.MEMORY_ONLY());
        return new SparkData(
                context,
                parts,
                numbers.precision(),
                sizes(parts),
                first.featureCount(),
                first.targetCount(),
                0,
                null,
                0);
    }

    /** Checks that partition {@code p} is of the precision and widths of partition 0, {@code first}. */
    static void checkLike(int p, AbstractDataset<?> data, AbstractDataset<?> first) {
        if (data.getClass() != first.getClass()) {
            throw new IllegalArgumentException(
                    "partition " + p + " is a " + data.getClass().getSimpleName()
                            + ", partition 0 a " + first.getClass().getSimpleName()
                            + ": the partitions must be of one precision");
        }
        if (data.featureCount() != first.featureCount() || data.targetCount() != first.targetCount()) {
            throw new IllegalArgumentException("partition " + p + " has " + data.featureCount() + " features and "
                    + data.targetCount() + " targets per row, partition 0 "
                    + first.featureCount() + " and "
                    + first.targetCount());
        }
    }

    private static SparkData read(
            Dataset<Row> rows, String features, String targets, int classCount, Precision precision) {
        Objects.requireNonNull(rows, "rows");
        Numbers<?> numbers = Numbers.of(Objects.requireNonNull(precision, "precision"));
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
        RowCells head = new RowCells().of(first);
        int featureCount = Columns.width(head, 0, features, "row 0");
        int targetCount = classCount > 0 ? classCount : Columns.width(head, 1, targets, "row 0");
        StructType schema = selected.schema();
        // Spark's internal rows, read without boxing every number (see InternalCells)
        JavaRDD<Part<?>> parts = selected.queryExecution()
                .toRdd()
                .toJavaRDD()
                .mapPartitionsWithIndex(
                        (index, it) -> List.<Part<?>>of(numbers.read(
                                        index, it, schema, features, targets, featureCount, targetCount, classCount))
                                .iterator(),
                        true)
                .persist(StorageLevel.MEMORY_ONLY());
        JavaSparkContext context =
                JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext());
        return new SparkData(context, parts, numbers.precision(), sizes(parts), featureCount, targetCount, 0, null, 0);
    }

    /** Each partition's rows, in partition order; reads the rows into the cache. */
    private static int[] sizes(JavaRDD<Part<?>> parts) {
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
        return new SparkData(
                context,
                parts,
                precision,
                sizes,
                featureCount,
                targetCount,
                checkLocalSteps(localSteps),
                Objects.requireNonNull(optimizer, "optimizer"),
                fanIn);
    }

    /**
     * The same rows, their results added on the executors by groups of {@code fanIn} consecutive
     * partitions before the driver adds the groups'; see "A tree of groups" above. The rows stay
     * cached once, shared with this one: close either. With {@code fanIn} at least the partitions
     * there is one group, and the driver adds the partitions' results itself, as without a tree.
     *
     * @param fanIn partitions per group, at least 2
     */
    public SparkData tree(int fanIn) {
        return new SparkData(
                context, parts, precision, sizes, featureCount, targetCount, localSteps, inner, checkFanIn(fanIn));
    }

    static int checkLocalSteps(int localSteps) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("localSteps is " + localSteps + ", expected at least 1");
        }
        return localSteps;
    }

    static int checkFanIn(int fanIn) {
        if (fanIn < 2) {
            throw new IllegalArgumentException(
                    "fanIn is " + fanIn + ", expected at least 2: each group of the tree adds two partitions or more");
        }
        return fanIn;
    }

    /** The rows of each partition, in partition order. */
    public int[] partitionRows() {
        return sizes.clone();
    }

    /** The precision the rows are held in: the precision of the models this trains. */
    public Precision precision() {
        return precision;
    }

    /**
     * Each partition's rows as a dataset of the runtime, in partition order, on the driver: rows
     * held as {@code float}.
     *
     * @throws IllegalStateException if the rows are held as {@code double}: see {@link #collectDoublePartitions()}
     */
    public List<dev.chainrule.data.Dataset> collectPartitions() {
        List<dev.chainrule.data.Dataset> list = new ArrayList<>();
        for (AbstractDataset<?> data : collect(Precision.FLOAT, "collectDoublePartitions")) {
            list.add((dev.chainrule.data.Dataset) data);
        }
        return list;
    }

    /**
     * Each partition's rows as a {@link DoubleDataset}, in partition order, on the driver: rows
     * held as {@code double}.
     *
     * @throws IllegalStateException if the rows are held as {@code float}: see {@link #collectPartitions()}
     */
    public List<DoubleDataset> collectDoublePartitions() {
        List<DoubleDataset> list = new ArrayList<>();
        for (AbstractDataset<?> data : collect(Precision.DOUBLE, "collectPartitions")) {
            list.add((DoubleDataset) data);
        }
        return list;
    }

    private List<AbstractDataset<?>> collect(Precision expected, String instead) {
        if (precision != expected) {
            throw new IllegalStateException(
                    "the rows are held in " + precision.label() + ": collect them with " + instead + "()");
        }
        List<AbstractDataset<?>> list = new ArrayList<>();
        for (Part<?> part : parts.collect()) {
            list.add(dataset(Numbers.of(precision), part));
        }
        return list;
    }

    @SuppressWarnings("unchecked") // the part holds the rows of the numbers' precision
    private static <A> AbstractDataset<?> dataset(Numbers<A> numbers, Part<?> part) {
        return numbers.dataset((Part<A>) part);
    }

    /**
     * The schedule of a {@code SparkData} over these partitions, computed in this JVM on the
     * caller's thread, without Spark: the same bits as the same partitions on Spark. The
     * partitions are {@link dev.chainrule.data.Dataset}s to train a float model, {@link
     * DoubleDataset}s to train a double one.
     */
    public static LocalPartitions inProcess(List<? extends AbstractDataset<?>> partitions) {
        return new LocalPartitions(partitions);
    }

    /** {@link #inProcess(List)} with local steps and averaging, as {@link #averaging(int, OptimizerFactory)}. */
    public static LocalPartitions inProcess(
            List<? extends AbstractDataset<?>> partitions, int localSteps, OptimizerFactory optimizer) {
        checkLocalSteps(localSteps);
        Objects.requireNonNull(optimizer, "optimizer");
        return new LocalPartitions(partitions).averaging(localSteps, optimizer);
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
        return open(Numbers.of(model), model, new Schedule(sizes, batchSize, seed, shardRows));
    }

    private <A> Steps open(Numbers<A> numbers, Model model, Schedule schedule) {
        return new Rounds<A>(model, numbers, precision, schedule, localSteps, inner, fanIn) {
            @Override
            List<Result<A>> compute(A parameters) {
                Broadcast<A> broadcast = context.broadcast(parameters);
                try {
                    return Rounds.inPartitionOrder(results(broadcast).collect(), sizes.length);
                } catch (Exception failed) {
                    throw Columns.rethrow(failed);
                } finally {
                    broadcast.destroy();
                }
            }

            @Override
            List<Result<?>> computeGroups(A parameters) {
                Broadcast<A> broadcast = context.broadcast(parameters);
                Plan<A> task = plan;
                int k = fanIn;
                int partitions = sizes.length;
                int rows = rows();
                try {
                    // group g is reduce partition g: an Integer key g in [0, groups) hashes to g
                    List<Result<?>> groups = results(broadcast)
                            .mapToPair(result -> new Tuple2<>(result.partition / k, result))
                            .partitionBy(new HashPartitioner(groups()))
                            .mapPartitionsWithIndex(
                                    (g, it) -> {
                                        List<Result<A>> members = new ArrayList<>(k);
                                        while (it.hasNext()) {
                                            members.add(it.next()._2());
                                        }
                                        int from = g * k;
                                        List<Result<A>> inOrder = Rounds.inOrder(
                                                members, from, Math.min(partitions, from + k), "partition");
                                        return List.<Result<?>>of(task.group(g, inOrder, rows))
                                                .iterator();
                                    },
                                    true)
                            .collect();
                    return Rounds.inOrder(groups, 0, groups(), "group");
                } catch (Exception failed) {
                    throw Columns.rethrow(failed);
                } finally {
                    broadcast.destroy();
                }
            }

            /** Each partition's result for the current round at the broadcast parameters. */
            private JavaRDD<Result<A>> results(Broadcast<A> broadcast) {
                Plan<A> task = plan;
                int e = epoch;
                int r = round;
                @SuppressWarnings("unchecked") // the Rounds checked that the rows are of the model's precision
                JavaRDD<Part<A>> typed = (JavaRDD<Part<A>>) (JavaRDD<?>) parts;
                return typed.mapPartitions(it -> {
                    List<Result<A>> out = new ArrayList<>(1);
                    while (it.hasNext()) {
                        out.add(task.task(it.next(), broadcast.value(), e, r));
                    }
                    return out.iterator();
                });
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
