package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.Evaluation;
import dev.chainrule.train.GradientSource;
import dev.chainrule.train.History;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A double model trained and scored on Spark, from columns of doubles held as doubles: the same
 * bits as in one JVM.
 */
class SparkDoubleTest {
    private static final DoubleDataset TRAIN = TestSpark.doubleBlobs(600, 1);
    private static final DoubleDataset VALIDATION = TestSpark.doubleBlobs(150, 2);

    private static Trainer<DoubleDataset> trainer(DoubleBlobsModel model) {
        return Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(64)
                .shardRows(16)
                .epochs(4)
                .seed(7)
                .validation(VALIDATION)
                .earlyStopping(2)
                .silent();
    }

    /** A run's parameters and its epochs' losses. */
    record Run(double[] parameters, List<Double> losses) {}

    private static Run run(DoubleBlobsModel model, History history) {
        List<Double> losses = new ArrayList<>();
        history.epochs().forEach(epoch -> {
            losses.add(epoch.loss());
            losses.add(epoch.validationLoss());
        });
        return new Run(model.parameters(), losses);
    }

    private static Run train(DoubleDataset data) {
        DoubleBlobsModel model = new DoubleBlobsModel(3L);
        return run(model, trainer(model).fit(data));
    }

    private static Run train(GradientSource source) {
        DoubleBlobsModel model = new DoubleBlobsModel(3L);
        return run(model, trainer(model).fit(source));
    }

    private static void assertSameRun(Run expected, Run actual, String what) {
        assertArrayEquals(expected.parameters(), actual.parameters(), what + ": parameters");
        assertEquals(expected.losses(), actual.losses(), what + ": losses");
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, DoubleDataset data, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(TestSpark.rows(data), partitions), TestSpark.DOUBLE_SCHEMA);
    }

    @Test
    void aDoubleModelsParametersAreTheInProcessTrainersBitsOnLocal1AndLocal2() {
        Run inProcess = train(TRAIN);
        Run threeInProcess = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 3)));
        assertFalse(
                Arrays.equals(inProcess.parameters(), threeInProcess.parameters()),
                "three partitions make other batches than one");
        Run rounded = train(TRAIN.toFloat().toDouble());
        assertFalse(
                Arrays.equals(inProcess.parameters(), rounded.parameters()),
                "features rounded to float train to other bits");
        for (String master : new String[] {"local[1]", "local[2]"}) {
            SparkSession spark = TestSpark.start(master);
            try (SparkData one = SparkData.classification(
                            frame(spark, TRAIN, 1), "features", "label", Blobs.CLASSES, Precision.DOUBLE);
                    SparkData three = SparkData.classification(
                            frame(spark, TRAIN, 3), "features", "label", Blobs.CLASSES, Precision.DOUBLE)) {
                assertEquals(Precision.DOUBLE, one.precision());
                assertArrayEquals(
                        TRAIN.features(), one.collectDoublePartitions().get(0).features(), "held as doubles");
                assertSameRun(inProcess, train(one), master + ", one partition, against Trainer.fit(dataset)");
                assertSameRun(threeInProcess, train(three), master + ", three partitions, against SparkData.inProcess");
            } finally {
                spark.stop();
            }
        }
    }

    @Test
    void aDoubleModelAveragesAsInProcess() {
        OptimizerFactory local = () -> Adam.of(0.01);
        DoubleBlobsModel inProcess = new DoubleBlobsModel(3L);
        History expected = Trainer.of(inProcess)
                .optimizer(Sgd.of(1))
                .batchSize(64)
                .epochs(3)
                .seed(7)
                .silent()
                .fit(SparkData.inProcess(TestSpark.ranges(TRAIN, 2), 5, local));
        SparkSession spark = TestSpark.start("local[2]");
        try (SparkData rows = SparkData.of(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()), TestSpark.ranges(TRAIN, 2));
                SparkData averaged = rows.averaging(5, local)) {
            DoubleBlobsModel model = new DoubleBlobsModel(3L);
            History history = Trainer.of(model)
                    .optimizer(Sgd.of(1))
                    .batchSize(64)
                    .epochs(3)
                    .seed(7)
                    .silent()
                    .fit(averaged);
            assertArrayEquals(inProcess.parameters(), model.parameters());
            assertEquals(
                    expected.epochs().get(2).loss(), history.epochs().get(2).loss());
            double accuracy = Metrics.evaluate(model, VALIDATION).accuracy();
            assertTrue(accuracy > 0.8, "validation accuracy " + accuracy);
        } finally {
            spark.stop();
        }
    }

    @Test
    void aDoubleModelScoresAndEvaluatesAsInProcess() {
        DoubleBlobsModel model = new DoubleBlobsModel(4L);
        trainer(model).fit(TRAIN);
        SparkSession spark = TestSpark.start("local[2]");
        try {
            org.apache.spark.sql.Dataset<Row> rows = frame(spark, VALIDATION, 3);
            List<Row> scored = SparkScoring.predictClass(
                            model, SparkScoring.predict(model, rows, "features", "probabilities"), "features", "class")
                    .collectAsList();
            assertEquals(VALIDATION.rows(), scored.size());
            double[] x = new double[Blobs.FEATURES];
            double[] p = new double[Blobs.CLASSES];
            for (int r = 0; r < VALIDATION.rows(); r++) {
                Row row = scored.get(r);
                System.arraycopy(VALIDATION.features(), r * Blobs.FEATURES, x, 0, Blobs.FEATURES);
                int expectedClass = model.predictClass(x, p);
                List<Double> column = row.getList(row.fieldIndex("probabilities"));
                double[] actual =
                        column.stream().mapToDouble(Double::doubleValue).toArray();
                assertArrayEquals(p, actual, "row " + r);
                assertEquals(expectedClass, row.getInt(row.fieldIndex("class")), "row " + r);
            }

            Evaluation expected = Metrics.evaluate(model, VALIDATION);
            assertTrue(expected.accuracy() > 0.8, "the model learned: " + expected.accuracy());
            Evaluation actual = SparkScoring.evaluate(model, rows, "features", "label");
            assertEquals(expected.rows(), actual.rows());
            for (int a = 0; a < Blobs.CLASSES; a++) {
                for (int c = 0; c < Blobs.CLASSES; c++) {
                    assertEquals(
                            expected.confusionMatrix().count(a, c),
                            actual.confusionMatrix().count(a, c),
                            a + " as " + c);
                }
            }
            assertEquals(expected.loss(), actual.loss(), 1e-12 * expected.loss());
            assertEquals(expected.mse(), actual.mse(), 1e-12);
            assertEquals(expected.mae(), actual.mae(), 1e-12);
            assertEquals(expected.r2(), actual.r2(), 1e-12);

            List<Row> targetRows = new ArrayList<>();
            for (int r = 0; r < VALIDATION.rows(); r++) {
                double[] features = new double[Blobs.FEATURES];
                System.arraycopy(VALIDATION.features(), r * Blobs.FEATURES, features, 0, Blobs.FEATURES);
                double[] y = new double[Blobs.CLASSES];
                y[VALIDATION.label(r)] = 1;
                targetRows.add(RowFactory.create(features, y));
            }
            org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                    .add("x", TestSpark.DOUBLE_SCHEMA.fields()[0].dataType(), false)
                    .add("y", TestSpark.DOUBLE_SCHEMA.fields()[0].dataType(), false);
            Evaluation targets =
                    SparkScoring.evaluateTargets(model, spark.createDataFrame(targetRows, schema), "x", "y");
            assertEquals(expected.accuracy(), targets.accuracy());
            assertEquals(expected.mse(), targets.mse(), 1e-12);
        } finally {
            spark.stop();
        }
    }

    @Test
    void badRowsAndAModelOfTheOtherPrecisionAreRefused() {
        SparkSession spark = TestSpark.start("local[2]");
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Row> rows = new ArrayList<>(TestSpark.rows(TRAIN.range(0, 6)));
            double[] nan = new double[Blobs.FEATURES];
            nan[2] = Double.NaN;
            rows.set(4, RowFactory.create(nan, 1));
            org.apache.spark.sql.Dataset<Row> bad =
                    spark.createDataFrame(context.parallelize(rows, 2), TestSpark.DOUBLE_SCHEMA);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> SparkData.classification(bad, "features", "label", Blobs.CLASSES, Precision.DOUBLE));
            assertEquals(
                    "partition 1, row 1: element 2 of column 'features' is NaN, expected a finite number",
                    e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> SparkScoring.evaluate(new DoubleBlobsModel(1L), bad, "features", "label"));
            assertEquals(
                    "partition 1, row 1: element 2 of column 'features' is NaN, expected a finite number",
                    e.getMessage());

            try (SparkData floats = SparkData.classification(frame(spark, TRAIN, 2), "features", "label", 3);
                    SparkData doubles = SparkData.classification(
                            frame(spark, TRAIN, 2), "features", "label", 3, Precision.DOUBLE)) {
                assertEquals(Precision.FLOAT, floats.precision());
                e = assertThrows(
                        IllegalArgumentException.class,
                        () -> Trainer.of(new DoubleBlobsModel(1L)).silent().fit(floats));
                assertEquals(
                        "the rows are held in float, but dev.chainrule.spark.DoubleBlobsModel is a double model: read"
                                + " the rows in the model's precision (SparkData.classification or regression with"
                                + " Precision.DOUBLE, or DoubleDataset partitions)",
                        e.getMessage());
                e = assertThrows(
                        IllegalArgumentException.class,
                        () -> Trainer.of(new BlobsModel(1L)).silent().fit(doubles));
                assertEquals(
                        "the rows are held in double, but dev.chainrule.spark.BlobsModel is a float model: read"
                                + " the rows in the model's precision (SparkData.classification or regression with"
                                + " Precision.FLOAT, or Dataset partitions)",
                        e.getMessage());
                IllegalStateException collect =
                        assertThrows(IllegalStateException.class, floats::collectDoublePartitions);
                assertEquals("the rows are held in float: collect them with collectPartitions()", collect.getMessage());
            }
        } finally {
            spark.stop();
        }
    }
}
