package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.GradientSource;
import dev.chainrule.train.History;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The executors' tree of groups: the same bits as the same tree in one JVM, and as no tree when one group holds all. */
class SparkTreeTest {
    private static final Dataset TRAIN = TestSpark.blobs(600, 1);
    private static final Dataset VALIDATION = TestSpark.blobs(150, 2);

    /** Set by the test that makes one row of the source fail once. */
    static volatile boolean failOnce;

    static final AtomicInteger FAILURES = new AtomicInteger();

    /** A run's parameters and every epoch's training and validation loss. */
    record Run(float[] parameters, List<Double> losses) {}

    private static Run train(GradientSource source, TrainingListener... listeners) {
        BlobsModel model = new BlobsModel(3L);
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(64)
                .shardRows(16)
                .epochs(3)
                .seed(7)
                .validation(VALIDATION)
                .silent();
        for (TrainingListener listener : listeners) {
            trainer.listener(listener);
        }
        History history = trainer.fit(source);
        List<Double> losses = new ArrayList<>();
        history.epochs().forEach(epoch -> {
            losses.add(epoch.loss());
            losses.add(epoch.validationLoss());
        });
        return new Run(model.parameters(), losses);
    }

    private static void assertSameRun(Run expected, Run actual, String what) {
        assertArrayEquals(expected.parameters(), actual.parameters(), what + ": parameters");
        assertEquals(expected.losses(), actual.losses(), what + ": losses");
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(TestSpark.rows(data), partitions), TestSpark.SCHEMA);
    }

    @Test
    void aTreeOfTwoOnFourPartitionsIsTheInProcessTreesBitsOnLocal1AndLocal2() {
        List<Dataset> four = TestSpark.ranges(TRAIN, 4);
        Run flat = train(SparkData.inProcess(four));
        Run tree = train(SparkData.inProcess(four).tree(2));
        assertFalse(
                Arrays.equals(flat.parameters(), tree.parameters()),
                "(p0 + p1) + (p2 + p3) is another order than ((p0 + p1) + p2) + p3");
        assertSameRun(flat, train(SparkData.inProcess(four).tree(4)), "in process, fanIn 4: one group");
        for (String master : new String[] {"local[1]", "local[2]"}) {
            SparkSession spark = TestSpark.start(master);
            try (SparkData rows = SparkData.classification(frame(spark, TRAIN, 4), "features", "label", 3)) {
                assertSameRun(tree, train(rows.tree(2)), master + ", fanIn 2, against the in-process tree");
                assertSameRun(flat, train(rows.tree(4)), master + ", fanIn 4, against no tree");
                assertSameRun(flat, train(rows.tree(9)), master + ", fanIn 9, against no tree");
            } finally {
                spark.stop();
            }
        }
    }

    @Test
    void aTreeTakesOneJobAndOneShuffleStagePerStep() throws Exception {
        SparkSession spark = TestSpark.start("local[2]");
        try (SparkData rows = SparkData.classification(frame(spark, TRAIN, 5), "features", "label", 3)) {
            // five partitions in groups of two: groups {0, 1}, {2, 3}, {4}
            Run expected = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 5)).tree(2));
            SparkTrainingTest.JobCounter jobs = new SparkTrainingTest.JobCounter();
            StageCounter stages = new StageCounter();
            spark.sparkContext().addSparkListener(jobs);
            spark.sparkContext().addSparkListener(stages);
            assertSameRun(expected, train(rows.tree(2)), "five partitions, fanIn 2");
            spark.sparkContext().listenerBus().waitUntilEmpty();
            int steps = 3 * TRAIN.batches(64, 7).batchesPerEpoch();
            assertEquals(steps, jobs.count.get(), "one job per step");
            assertEquals(2 * steps, stages.count.get(), "the partitions' stage and the groups' stage");
        } finally {
            spark.stop();
        }
    }

    /** Trains {@code model} by the trainer of these tests with {@code optimizer}, silently. */
    private static void fit(dev.chainrule.Model model, dev.chainrule.optim.Optimizer optimizer, GradientSource source) {
        if (model instanceof BlobsModel floats) {
            Trainer.of(floats)
                    .optimizer(optimizer)
                    .batchSize(64)
                    .epochs(3)
                    .seed(7)
                    .silent()
                    .fit(source);
        } else {
            Trainer.of((DoubleBlobsModel) model)
                    .optimizer(optimizer)
                    .batchSize(64)
                    .epochs(3)
                    .seed(7)
                    .silent()
                    .fit(source);
        }
    }

    @Test
    void averagingAndADoubleModelAddByTheSameTree() {
        OptimizerFactory local = () -> Adam.of(0.01);
        List<Dataset> four = TestSpark.ranges(TRAIN, 4);
        List<DoubleDataset> doubles = TestSpark.ranges(TestSpark.doubleBlobs(600, 1), 4);
        BlobsModel averaged = new BlobsModel(3L);
        fit(averaged, Sgd.of(1), SparkData.inProcess(four).averaging(5, local).tree(2));
        DoubleBlobsModel doubleAveraged = new DoubleBlobsModel(3L);
        fit(
                doubleAveraged,
                Sgd.of(1),
                SparkData.inProcess(doubles).averaging(5, local).tree(2));
        DoubleBlobsModel doubleFlat = new DoubleBlobsModel(3L);
        fit(doubleFlat, Sgd.of(1), SparkData.inProcess(doubles, 5, local));
        // (a float model's average is summed in double and rounded to float, which mostly hides the order)
        assertFalse(
                Arrays.equals(doubleFlat.parameters(), doubleAveraged.parameters()),
                "the tree adds the weighted parameters in another order");
        DoubleBlobsModel doubleTree = new DoubleBlobsModel(3L);
        fit(doubleTree, Adam.of(0.01), SparkData.inProcess(doubles).tree(3));

        SparkSession spark = TestSpark.start("local[2]");
        try (SparkData rows = SparkData.classification(frame(spark, TRAIN, 4), "features", "label", 3);
                SparkData doubleRows = SparkData.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), doubles)) {
            BlobsModel model = new BlobsModel(3L);
            fit(model, Sgd.of(1), rows.tree(2).averaging(5, local));
            assertArrayEquals(averaged.parameters(), model.parameters(), "averaging, fanIn 2");

            DoubleBlobsModel doubleModel = new DoubleBlobsModel(3L);
            fit(doubleModel, Sgd.of(1), doubleRows.averaging(5, local).tree(2));
            assertArrayEquals(doubleAveraged.parameters(), doubleModel.parameters(), "double averaging, fanIn 2");

            doubleModel = new DoubleBlobsModel(3L);
            fit(doubleModel, Adam.of(0.01), doubleRows.tree(3));
            assertArrayEquals(doubleTree.parameters(), doubleModel.parameters(), "a double model, fanIn 3");
        } finally {
            spark.stop();
        }
    }

    @Test
    void aTaskThatFailsUnderATreeIsRetriedAndTheStepIsTheSame() {
        Run expected = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 4)).tree(2));
        SparkSession spark = TestSpark.start("local[2,2]"); // two attempts per task
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            org.apache.spark.sql.Dataset<Row> rows = spark.createDataFrame(
                    context.parallelize(TestSpark.rows(TRAIN), 4).map(row -> {
                        if (failOnce && row.<Integer>getAs(1) == 2) {
                            failOnce = false;
                            FAILURES.incrementAndGet();
                            throw new IllegalStateException("a task lost, as to a dead executor");
                        }
                        return row;
                    }),
                    TestSpark.SCHEMA);
            FAILURES.set(0);
            try (SparkData train = SparkData.classification(rows, "features", "label", 3)) {
                // after epoch 1 the cached rows are dropped, so that the next batch's tasks read the rows
                // again, and one of them fails
                TrainingListener loseTheCache = epoch -> {
                    if (epoch.number() == 1) {
                        for (org.apache.spark.api.java.JavaRDD<?> cached :
                                context.getPersistentRDDs().values()) {
                            cached.unpersist(true);
                        }
                        failOnce = true;
                    }
                    return TrainingListener.Decision.CONTINUE;
                };
                Run retried = train(train.tree(2), loseTheCache);
                assertEquals(1, FAILURES.get(), "one task failed");
                assertFalse(failOnce);
                assertSameRun(expected, retried, "with a task retried");
            }
        } finally {
            failOnce = false;
            spark.stop();
        }
    }

    @Test
    void aFanInBelowTwoIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.inProcess(TestSpark.ranges(TRAIN, 2)).tree(1));
        assertEquals(
                "fanIn is 1, expected at least 2: each group of the tree adds two partitions or more", e.getMessage());
        SparkSession spark = TestSpark.start("local[1]");
        try (SparkData rows =
                SparkData.of(JavaSparkContext.fromSparkContext(spark.sparkContext()), TestSpark.ranges(TRAIN, 2))) {
            e = assertThrows(IllegalArgumentException.class, () -> rows.tree(0));
            assertEquals(
                    "fanIn is 0, expected at least 2: each group of the tree adds two partitions or more",
                    e.getMessage());
        } finally {
            spark.stop();
        }
    }

    /** Counts the stages Spark submits. */
    static final class StageCounter extends org.apache.spark.scheduler.SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted submitted) {
            count.incrementAndGet();
        }
    }
}
