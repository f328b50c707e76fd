package dev.chainrule.spark;

import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Spark sessions and data for the tests. */
final class TestSpark {
    private TestSpark() {}

    /** A session on {@code master} (such as {@code local[2]}), bound to the loopback address, without its web UI. */
    static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("chainrule-spark-test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    static final StructType SCHEMA = new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, false);

    /**
     * Three seeded Gaussian blobs in six dimensions, centres two apart: {@code rows} rows, labels
     * 0, 1, 2 in turn.
     */
    static Dataset blobs(int rows, long seed) {
        DoubleDataset exact = doubleBlobs(rows, seed);
        double[] values = exact.features();
        float[] features = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            features[i] = (float) values[i];
        }
        return Dataset.classification(features, Blobs.FEATURES, exact.labels(), Blobs.CLASSES);
    }

    /**
     * {@link #blobs} in double: the same centres and draws, kept in double, so that the features
     * are not floats.
     */
    static DoubleDataset doubleBlobs(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] features = new double[rows * Blobs.FEATURES];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % Blobs.CLASSES;
            labels[r] = c;
            for (int j = 0; j < Blobs.FEATURES; j++) {
                double centre = j % Blobs.CLASSES == c ? 2 : 0;
                features[r * Blobs.FEATURES + j] = centre + gaussian(random);
            }
        }
        return DoubleDataset.classification(features, Blobs.FEATURES, labels, Blobs.CLASSES);
    }

    static final StructType DOUBLE_SCHEMA = new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("label", DataTypes.IntegerType, false);

    /** The rows of {@code data} as Spark rows of the {@link #DOUBLE_SCHEMA}. */
    static List<Row> rows(DoubleDataset data) {
        List<Row> rows = new ArrayList<>();
        double[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            double[] x = new double[data.featureCount()];
            System.arraycopy(features, r * data.featureCount(), x, 0, x.length);
            rows.add(RowFactory.create(x, data.label(r)));
        }
        return rows;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** The rows of {@code data} as Spark rows of the {@link #SCHEMA}. */
    static List<Row> rows(Dataset data) {
        List<Row> rows = new ArrayList<>();
        float[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            float[] x = new float[data.featureCount()];
            System.arraycopy(features, r * data.featureCount(), x, 0, x.length);
            rows.add(RowFactory.create(x, data.label(r)));
        }
        return rows;
    }

    /** {@code data} cut into {@code partitions} ranges of consecutive rows, as {@code parallelize} cuts a list. */
    static <D extends AbstractDataset<D>> List<D> ranges(D data, int partitions) {
        List<D> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            parts.add(data.range(
                    (int) ((long) p * data.rows() / partitions), (int) ((long) (p + 1) * data.rows() / partitions)));
        }
        return parts;
    }
}
