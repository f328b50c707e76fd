package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.Precision;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training rows are read from Spark's internal rows ({@link InternalCells}): every kind of number
 * gives the values its boxed external value would ({@link Number#floatValue()} for float rows,
 * {@link Number#doubleValue()} for double rows), and bad values the same messages.
 */
class CellsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("local[1]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Two rows of three features of {@code type} and one target of {@code type}, as SparkData reads them. */
    private static void readsAsBoxedValuesDo(DataType type, Object[] first, Object[] second) {
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(type, false), false)
                .add("target", type, false);
        List<Row> rows = List.of(RowFactory.create(first, first[0]), RowFactory.create(second, second[0]));
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        try (SparkData floats = SparkData.regression(frame, "features", "target");
                SparkData doubles = SparkData.regression(frame, "features", "target", Precision.DOUBLE)) {
            float[] features = floats.collectPartitions().get(0).features();
            double[] exact = doubles.collectDoublePartitions().get(0).features();
            float[] expected = new float[6];
            double[] expectedExact = new double[6];
            for (int i = 0; i < 3; i++) {
                expected[i] = ((Number) first[i]).floatValue();
                expected[3 + i] = ((Number) second[i]).floatValue();
                expectedExact[i] = ((Number) first[i]).doubleValue();
                expectedExact[3 + i] = ((Number) second[i]).doubleValue();
            }
            assertArrayEquals(expected, features, type.simpleString());
            assertArrayEquals(expectedExact, exact, type.simpleString());
            assertEquals(
                    ((Number) second[0]).doubleValue(),
                    doubles.collectDoublePartitions().get(0).targets()[1],
                    type.simpleString() + " target");
        }
    }

    @Test
    void everyKindOfNumberIsReadAsItsBoxedValue() {
        readsAsBoxedValuesDo(DataTypes.ByteType, new Object[] {(byte) -128, (byte) 0, (byte) 127}, new Object[] {
            (byte) 1, (byte) 2, (byte) 3
        });
        readsAsBoxedValuesDo(
                DataTypes.ShortType,
                new Object[] {(short) -32768, (short) 5, (short) 32767},
                new Object[] {(short) 1, (short) 2, (short) 3});
        readsAsBoxedValuesDo(
                DataTypes.IntegerType, new Object[] {16_777_217, -7, 2_147_483_647}, new Object[] {1, 2, 3});
        readsAsBoxedValuesDo(DataTypes.LongType, new Object[] {123_456_789_123L, -1L, Long.MAX_VALUE}, new Object[] {
            9_007_199_254_740_993L, 2L, 3L
        });
        readsAsBoxedValuesDo(
                DataTypes.FloatType, new Object[] {0.1f, -0f, Float.MIN_VALUE}, new Object[] {1e30f, 2f, 3f});
        readsAsBoxedValuesDo(DataTypes.DoubleType, new Object[] {0.1, 1e-310, 1e30}, new Object[] {-2.5, 1 / 3.0, 3.0});
        readsAsBoxedValuesDo(
                DataTypes.createDecimalType(12, 4),
                new Object[] {new BigDecimal("1.2345"), new BigDecimal("-99999999.9999"), new BigDecimal("0.0001")},
                new Object[] {new BigDecimal("3.0000"), new BigDecimal("2.5000"), new BigDecimal("1.0000")});
    }

    @Test
    void aNullElementAndAWholeNumberLabelOfAnotherTypeHaveTheirMessages() {
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType, true), false)
                .add("label", DataTypes.DoubleType, false);
        List<Row> rows = List.of(
                RowFactory.create(new Double[] {1.0, 2.0}, 0.0), RowFactory.create(new Double[] {1.0, null}, 1.0));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(spark.createDataFrame(rows, schema), "features", "label", 2));
        assertEquals("partition 0, row 1: element 1 of column 'features' is null", e.getMessage());

        List<Row> labels = List.of(
                RowFactory.create(new Double[] {1.0, 2.0}, 0.0), RowFactory.create(new Double[] {1.0, 3.0}, 2.5));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(spark.createDataFrame(labels, schema), "features", "label", 3));
        assertEquals("partition 0, row 1: label column 'label' is 2.5, expected a class from 0 to 2", e.getMessage());

        StructType longs = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.LongType, false);
        List<Row> big = List.of(
                RowFactory.create(new float[] {1, 2}, 0L), RowFactory.create(new float[] {1, 2}, 5_000_000_000L));
        e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkData.classification(spark.createDataFrame(big, longs), "features", "label", 3));
        assertEquals(
                "partition 0, row 1: label column 'label' is 5000000000, expected a class from 0 to 2", e.getMessage());
    }
}
