package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.Evaluation;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Trainer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scoring a column and evaluating on the cluster, against the same model in this JVM; and bad input. */
class SparkScoringTest {
    private static SparkSession spark;
    private static final Dataset DATA = TestSpark.blobs(300, 5);
    private static BlobsModel model;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[2]");
        model = new BlobsModel(4L);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(32)
                .epochs(3)
                .seed(1)
                .silent()
                .fit(TestSpark.blobs(300, 6));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static org.apache.spark.sql.Dataset<Row> frame(Dataset data, int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(TestSpark.rows(data), partitions), TestSpark.SCHEMA);
    }

    @Test
    void aPredictedColumnHoldsWhatPredictGivesRowByRow() {
        List<Row> scored = SparkScoring.predictClass(
                        model,
                        SparkScoring.predict(model, frame(DATA, 3), "features", "probabilities"),
                        "features",
                        "class")
                .collectAsList();
        assertEquals(DATA.rows(), scored.size());
        float[] x = new float[Blobs.FEATURES];
        float[] p = new float[Blobs.CLASSES];
        for (int r = 0; r < DATA.rows(); r++) {
            Row row = scored.get(r);
            System.arraycopy(DATA.features(), r * Blobs.FEATURES, x, 0, Blobs.FEATURES);
            int expectedClass = model.predictClass(x, p);
            List<Float> column = row.getList(row.fieldIndex("probabilities"));
            float[] actual = new float[column.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = column.get(i);
            }
            assertArrayEquals(p, actual, "row " + r);
            assertEquals(expectedClass, row.getInt(row.fieldIndex("class")), "row " + r);
            assertEquals(DATA.label(r), row.getInt(row.fieldIndex("label")), "the row's own columns are kept");
        }
    }

    @Test
    void anEvaluationOnTheClusterIsTheInProcessOne() {
        Evaluation expected = Metrics.evaluate(model, DATA);
        Evaluation actual = SparkScoring.evaluate(model, frame(DATA, 3), "features", "label");
        assertEquals(expected.rows(), actual.rows());
        for (int a = 0; a < Blobs.CLASSES; a++) {
            for (int p = 0; p < Blobs.CLASSES; p++) {
                assertEquals(
                        expected.confusionMatrix().count(a, p),
                        actual.confusionMatrix().count(a, p),
                        a + " as " + p);
            }
        }
        assertEquals(expected.accuracy(), actual.accuracy());
        assertTrue(expected.accuracy() > 0.8, "the model learned: " + expected.accuracy());
        assertEquals(expected.loss(), actual.loss(), 1e-6 * expected.loss());
        assertEquals(expected.mse(), actual.mse(), 1e-9);
        assertEquals(expected.mae(), actual.mae(), 1e-9);
        assertEquals(expected.r2(), actual.r2(), 1e-9);
    }

    @Test
    void anEvaluationOfTargetsReadsOneHotArrays() {
        StructType schema = new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
                .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        List<Row> rows = new java.util.ArrayList<>();
        for (int r = 0; r < DATA.rows(); r++) {
            double[] x = new double[Blobs.FEATURES];
            double[] y = new double[Blobs.CLASSES];
            for (int j = 0; j < x.length; j++) {
                x[j] = DATA.feature(r, j);
            }
            y[DATA.label(r)] = 1;
            rows.add(RowFactory.create(x, y));
        }
        Evaluation actual = SparkScoring.evaluateTargets(model, spark.createDataFrame(rows, schema), "x", "y");
        Evaluation expected = Metrics.evaluate(model, DATA);
        assertEquals(expected.accuracy(), actual.accuracy());
        assertEquals(expected.mse(), actual.mse(), 1e-9);
    }

    @Test
    void badRowsAreRefusedWithWhereTheyAre() {
        List<Row> rows = new java.util.ArrayList<>(TestSpark.rows(DATA.range(0, 6)));
        rows.set(4, RowFactory.create(new float[Blobs.FEATURES], 5));
        org.apache.spark.sql.Dataset<Row> labelOutOfRange = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), TestSpark.SCHEMA);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(labelOutOfRange, "features", "label", Blobs.CLASSES));
        assertEquals("partition 1, row 1: label column 'label' is 5, expected a class from 0 to 2", e.getMessage());

        rows.set(4, RowFactory.create(new float[Blobs.FEATURES + 1], 1));
        org.apache.spark.sql.Dataset<Row> tooWide = spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), TestSpark.SCHEMA);
        e = assertThrows(
                IllegalArgumentException.class, () -> SparkData.classification(tooWide, "features", "label", 3));
        assertEquals(
                "partition 1, row 1: column 'features' holds 7 numbers, expected 6 as in the first row",
                e.getMessage());

        e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(frame(DATA, 1), "pixels", "label", Blobs.CLASSES));
        assertEquals("the dataset has no features column 'pixels'; its columns are features, label", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(frame(DATA, 1), "label", "label", Blobs.CLASSES));
        assertEquals(
                "the features column 'label' is int, expected an array of numbers such as array<float>",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> SparkScoring.predict(model, frame(DATA, 1), "features", "label"));
        assertEquals("the dataset has a column 'label' already", e.getMessage());
    }

    @Test
    void aModelOfAnotherWidthIsRefusedByTheTrainer() {
        try (SparkData data = SparkData.classification(frame(DATA, 2), "features", "label", 4)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Trainer.of(new BlobsModel(1L)).silent().fit(data));
            assertEquals(
                    "the training data has 6 features and 4 targets per row but the model takes 6 inputs and has 3"
                            + " outputs",
                    e.getMessage());
        }
    }
}
