package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.io.ModelFile;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.Epoch;
import dev.chainrule.train.GradientSource;
import dev.chainrule.train.History;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on Spark against training in one JVM: the same bits, through the trainer's own loop. */
class SparkTrainingTest {
    private static final Dataset TRAIN = TestSpark.blobs(600, 1);
    private static final Dataset VALIDATION = TestSpark.blobs(150, 2);

    /**
     * Set by the tests that make one row of the source fail once; taken by the one task that
     * fails, atomically, since two tasks on two threads may read such rows at once.
     */
    static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();

    static final AtomicInteger FAILURES = new AtomicInteger();

    private static Trainer<Dataset> trainer(BlobsModel model, PrintStream progress, TrainingListener... listeners) {
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(64)
                .shardRows(16)
                .epochs(5)
                .seed(7)
                .validation(VALIDATION)
                .earlyStopping(2)
                .progress(progress);
        for (TrainingListener listener : listeners) {
            trainer.listener(listener);
        }
        return trainer;
    }

    /** A run's parameters, history and progress lines. */
    record Run(float[] parameters, History history, List<String> lines) {}

    private static Run train(
            java.util.function.Function<Trainer<Dataset>, History> fit, TrainingListener... listeners) {
        BlobsModel model = new BlobsModel(3L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        History history = fit.apply(trainer(model, new PrintStream(out, true, StandardCharsets.UTF_8), listeners));
        return new Run(
                model.parameters(),
                history,
                List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    }

    private static Run train(GradientSource source, TrainingListener... listeners) {
        return train(trainer -> trainer.fit(source), listeners);
    }

    /** The progress lines without the parts that time the run. */
    private static List<String> untimed(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            int timed = line.indexOf(" samples/s");
            kept.add(timed < 0 ? line : line.substring(0, line.lastIndexOf("  ", timed)));
        }
        return kept;
    }

    private static void assertSameRun(Run expected, Run actual, String what) {
        assertArrayEquals(expected.parameters(), actual.parameters(), what + ": parameters");
        List<Epoch> e = expected.history().epochs();
        List<Epoch> a = actual.history().epochs();
        assertEquals(e.size(), a.size(), what + ": epochs");
        for (int i = 0; i < e.size(); i++) {
            assertEquals(e.get(i).loss(), a.get(i).loss(), what + ": loss of epoch " + (i + 1));
            assertEquals(
                    e.get(i).validationLoss(),
                    a.get(i).validationLoss(),
                    what + ": validation loss of epoch " + (i + 1));
        }
        assertEquals(expected.history().stopReason(), actual.history().stopReason(), what);
        assertEquals(expected.history().bestEpoch(), actual.history().bestEpoch(), what);
        assertEquals(untimed(expected.lines()), untimed(actual.lines()), what + ": progress lines");
    }

    /** The training rows as a Spark dataset of {@code partitions} partitions of consecutive rows. */
    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(TestSpark.rows(data), partitions), TestSpark.SCHEMA);
    }

    @Test
    void theParametersAreTheInProcessTrainersBitsOnLocal1AndLocal2() {
        Run inProcess = train(trainer -> trainer.fit(TRAIN));
        Run threeInProcess = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 3)));
        assertTrue(
                inProcess.lines().get(0).startsWith("epoch 1/5  loss "),
                inProcess.lines().get(0));
        assertFalse(
                Arrays.equals(inProcess.parameters(), threeInProcess.parameters()),
                "three partitions make other batches than one");
        for (String master : new String[] {"local[1]", "local[2]"}) {
            SparkSession spark = TestSpark.start(master);
            try (SparkData one = SparkData.classification(frame(spark, TRAIN, 1), "features", "label", Blobs.CLASSES);
                    SparkData three =
                            SparkData.classification(frame(spark, TRAIN, 3), "features", "label", Blobs.CLASSES)) {
                assertArrayEquals(new int[] {600}, one.partitionRows());
                assertArrayEquals(new int[] {200, 200, 200}, three.partitionRows());
                assertSameRun(inProcess, train(one), master + ", one partition, against Trainer.fit(dataset)");
                assertSameRun(threeInProcess, train(three), master + ", three partitions, against SparkData.inProcess");
            } finally {
                spark.stop();
            }
        }
    }

    @Test
    void aTaskThatFailsIsRetriedAndTheStepIsTakenOnceFromTheRetry(@TempDir Path directory) throws Exception {
        Run expected = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 2)));
        SparkSession spark = TestSpark.start("local[2,2]"); // two attempts per task
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            org.apache.spark.sql.Dataset<Row> rows = spark.createDataFrame(
                    context.parallelize(TestSpark.rows(TRAIN), 2).map(row -> {
                        if (row.<Integer>getAs(1) == 2 && FAIL_ONCE.compareAndSet(true, false)) {
                            FAILURES.incrementAndGet();
                            throw new IllegalStateException("a task lost, as to a dead executor");
                        }
                        return row;
                    }),
                    TestSpark.SCHEMA);
            FAILURES.set(0);
            try (SparkData train = SparkData.classification(rows, "features", "label", Blobs.CLASSES)) {
                // after epoch 2 the cached rows are dropped, so that the next batch's tasks read the rows
                // again, and one of them fails
                TrainingListener loseTheCache = epoch -> {
                    if (epoch.number() == 2) {
                        for (org.apache.spark.api.java.JavaRDD<?> cached :
                                context.getPersistentRDDs().values()) {
                            cached.unpersist(true);
                        }
                        FAIL_ONCE.set(true);
                    }
                    return TrainingListener.Decision.CONTINUE;
                };
                BlobsModel model = new BlobsModel(3L);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                History history = trainer(model, new PrintStream(out, true, StandardCharsets.UTF_8), loseTheCache)
                        .fit(train);
                assertEquals(1, FAILURES.get(), "one task failed");
                assertFalse(FAIL_ONCE.get());
                assertSameRun(
                        expected,
                        new Run(
                                model.parameters(),
                                history,
                                List.of(out.toString(StandardCharsets.UTF_8).split("\n"))),
                        "with a task retried");

                // the model file is the driver's: written there, it holds the trained parameters
                Path file = directory.resolve("blobs.chainrule");
                ModelFile.save(model, file);
                BlobsModel loaded = new BlobsModel(99L);
                ModelFile.load(file, loaded);
                assertArrayEquals(model.parameters(), loaded.parameters());
                try (var files = Files.list(directory)) {
                    assertEquals(List.of(file), files.toList(), "one file, and no partial file beside it");
                }
            }
        } finally {
            FAIL_ONCE.set(false);
            spark.stop();
        }
    }

    @Test
    void averagingTakesFewerJobsAndIsTheSameBitsAsInProcess() throws Exception {
        OptimizerFactory local = () -> Adam.of(0.01);
        BlobsModel inProcess = new BlobsModel(3L);
        History expected = Trainer.of(inProcess)
                .optimizer(Sgd.of(1))
                .batchSize(64)
                .epochs(5)
                .seed(7)
                .validation(VALIDATION)
                .silent()
                .fit(SparkData.inProcess(TestSpark.ranges(TRAIN, 2), 5, local));
        // 600 rows in batches of 64: 10 batches an epoch, 2 rounds of 5 local steps
        assertEquals(10, TRAIN.batches(64, 7).batchesPerEpoch());
        SparkSession spark = TestSpark.start("local[2]");
        try (SparkData rows = SparkData.classification(frame(spark, TRAIN, 2), "features", "label", Blobs.CLASSES);
                SparkData averaged = rows.averaging(5, local)) {
            BlobsModel model = new BlobsModel(3L);
            JobCounter jobs = new JobCounter();
            spark.sparkContext().addSparkListener(jobs);
            History history = Trainer.of(model)
                    .optimizer(Sgd.of(1))
                    .batchSize(64)
                    .epochs(5)
                    .seed(7)
                    .validation(VALIDATION)
                    .silent()
                    .fit(averaged);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertArrayEquals(inProcess.parameters(), model.parameters());
            assertEquals(
                    expected.epochs().get(4).loss(), history.epochs().get(4).loss());
            assertEquals(5 * 2, jobs.count.get(), "one job per round, two rounds an epoch");
            double accuracy = Metrics.evaluate(model, VALIDATION).accuracy();
            assertTrue(accuracy > 0.8, "validation accuracy " + accuracy);
        } finally {
            spark.stop();
        }
    }

    /** Counts the jobs Spark starts. */
    static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            count.incrementAndGet();
        }
    }
}
