package dev.chainrule.examples.spark;

import dev.chainrule.data.Dataset;
import dev.chainrule.examples.FashionMnistExample;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;
import dev.chainrule.spark.OptimizerFactory;
import dev.chainrule.spark.SparkData;
import dev.chainrule.spark.SparkScoring;
import dev.chainrule.train.Evaluation;
import dev.chainrule.train.History;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fashion-MNIST 784-128-10 on Spark {@code local[2]} (or another master), by Chainrule or by
 * MLlib's {@code MultilayerPerceptronClassifier}, timed to test accuracies of 0.87 and 0.89.
 *
 * <pre>
 * --engine chainrule|mllib   (chainrule)
 * --master M                 (local[2])
 * --partitions N             (2)
 * --batch N                  (256) rows per synchronous step, or per partition's local step
 * --rate X                   (0.002) Adam's rate
 * --local-steps H            (0: synchronous) local steps between averagings
 * --epochs N                 (20) the most epochs
 * --cosine                   the rate falls along a cosine to 0 over the epochs: Adam's rate
 *                            when synchronous, the local steps' when averaging
 * --seed N                   (7)
 * --iterations N             (100) MLlib's L-BFGS iterations
 * --block N                  (128) MLlib's block size
 * </pre>
 *
 * For both, the rows are in Spark's cache before the clock starts. For Chainrule the clock runs
 * over reading them into its own blocks and training, and stops at the end
 * of the first epoch whose test accuracy reaches each target; the test images are the trainer's
 * validation data, evaluated on the driver after every epoch, and that time is counted too. For
 * MLlib the clock runs over {@code fit}, then the test accuracy is measured once.
 */
public final class FashionMnistSpark {
    private FashionMnistSpark() {}

    public static void main(String[] args) throws Exception {
        String engine = "chainrule";
        String master = "local[2]";
        int partitions = 2;
        int batch = 256;
        double rate = 0.002;
        int localSteps = 0;
        int epochs = 20;
        boolean cosine = false;
        long seed = 7;
        int iterations = 100;
        int block = 128;
        Path directory = FashionMnistExample.DEFAULT_DIRECTORY;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--engine" -> engine = value;
                case "--master" -> master = value;
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--local-steps" -> localSteps = Integer.parseInt(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--cosine" -> {
                    cosine = true;
                    i--;
                }
                case "--seed" -> seed = Long.parseLong(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--block" -> block = Integer.parseInt(value);
                case "--data" -> directory = Path.of(value);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        if (!FashionMnistExample.missingFiles(directory).isEmpty()) {
            System.err.println("Fashion-MNIST is not in " + directory + ": apt-get install -y dataset-fashion-mnist");
            System.exit(1);
        }
        FashionMnistExample.Data data = FashionMnistExample.load(directory);
        SparkSession spark = SparkSession.builder()
                .master(master)
                .appName("fashion-mnist-" + engine)
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            System.out.printf(
                    Locale.ROOT,
                    "engine %s, master %s, %d partitions, %d training and %d test images%n",
                    engine,
                    master,
                    partitions,
                    data.train().rows(),
                    data.test().rows());
            if (engine.equals("mllib")) {
                mllib(spark, data, partitions, iterations, block, seed);
            } else {
                chainrule(spark, data, partitions, batch, rate, localSteps, epochs, cosine, seed);
            }
            System.out.printf(
                    Locale.ROOT,
                    "peak heap %.2f GiB (the JVM's resident peak: /usr/bin/time -v)%n",
                    peakHeap() / (1024.0 * 1024 * 1024));
        } finally {
            spark.stop();
        }
    }

    private static void chainrule(
            SparkSession spark,
            FashionMnistExample.Data data,
            int partitions,
            int batch,
            double rate,
            int localSteps,
            int epochs,
            boolean cosine,
            long seed) {
        org.apache.spark.sql.Dataset<Row> rows =
                frame(spark, data.train(), partitions).cache();
        rows.count(); // as MLlib's input: in Spark's cache before the clock starts
        long started = System.nanoTime();
        Fashion128Model model = new Fashion128Model(seed);
        double[] reached = {Double.NaN, Double.NaN};
        List<String> timeline = new ArrayList<>();
        TrainingListener clock = epoch -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            double accuracy = epoch.validationMetric();
            timeline.add(String.format(
                    Locale.ROOT, "epoch %d: test accuracy %.4f at %.1f s", epoch.number(), accuracy, seconds));
            if (accuracy >= 0.87 && Double.isNaN(reached[0])) {
                reached[0] = seconds;
            }
            if (accuracy >= 0.89 && Double.isNaN(reached[1])) {
                reached[1] = seconds;
                return TrainingListener.Decision.STOP;
            }
            return TrainingListener.Decision.CONTINUE;
        };
        // the steps over the run: a partition's local steps, or the synchronous steps
        long steps = (long) epochs * (int) Math.ceil(data.train().rows() / (double) batch);
        OptimizerFactory local = OptimizerFactory.fromStep(
                first -> Adam.of(rates(rate, cosine, steps).startingAt(first)));
        try (SparkData all = SparkData.classification(rows, "features", "label", Fashion128.CLASSES)) {
            double cached = (System.nanoTime() - started) / 1e9;
            SparkData train = localSteps > 0 ? all.averaging(localSteps, local) : all;
            Optimizer optimizer = localSteps > 0 ? Sgd.of(1) : Adam.of(rates(rate, cosine, steps));
            History history = Trainer.of(model)
                    .optimizer(optimizer)
                    .batchSize(batch)
                    .epochs(epochs)
                    .seed(seed)
                    .validation(data.test())
                    .listener(clock)
                    .fit(train);
            double total = (System.nanoTime() - started) / 1e9;
            timeline.forEach(System.out::println);
            System.out.printf(
                    Locale.ROOT,
                    "chainrule: batch %d, %s, rows cached in %.1f s; %d epochs in %.1f s%n",
                    batch,
                    (localSteps > 0
                                    ? localSteps + " local steps of Adam(" + rate + ") per averaging"
                                    : "synchronous, Adam(" + rate + ")")
                            + (cosine ? ", cosine to 0 over " + steps + " steps" : ""),
                    cached,
                    history.epochs().size(),
                    total);
            System.out.printf(
                    Locale.ROOT, "time to 0.87: %s; time to 0.89: %s%n", seconds(reached[0]), seconds(reached[1]));
            Evaluation onCluster =
                    SparkScoring.evaluate(model, frame(spark, data.test(), partitions), "features", "label");
            System.out.printf(
                    Locale.ROOT,
                    "test accuracy of the last epoch, evaluated on the cluster: %.4f%n",
                    onCluster.accuracy());
        }
    }

    private static void mllib(
            SparkSession spark, FashionMnistExample.Data data, int partitions, int iterations, int block, long seed) {
        org.apache.spark.sql.Dataset<Row> train =
                vectors(spark, data.train(), partitions).cache();
        org.apache.spark.sql.Dataset<Row> test =
                vectors(spark, data.test(), partitions).cache();
        train.count();
        test.count();
        MultilayerPerceptronClassifier classifier = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 128, 10})
                .setBlockSize(block)
                .setMaxIter(iterations)
                .setSeed(seed);
        long started = System.nanoTime();
        MultilayerPerceptronClassificationModel fitted = classifier.fit(train);
        double seconds = (System.nanoTime() - started) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator()
                .setMetricName("accuracy")
                .evaluate(fitted.transform(test));
        System.out.printf(
                Locale.ROOT,
                "mllib: L-BFGS, %d iterations, block %d: fit %.1f s, test accuracy %.4f%n",
                iterations,
                block,
                seconds,
                accuracy);
    }

    /** A constant rate, or one falling along a cosine from {@code rate} to 0 over {@code steps}. */
    private static LearningRateSchedule rates(double rate, boolean cosine, long steps) {
        return cosine ? LearningRateSchedule.cosine(rate, 0, steps) : LearningRateSchedule.constant(rate);
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "not reached" : String.format(Locale.ROOT, "%.1f s", value);
    }

    /**
     * The images as rows of {@code features array<float>, label int}, in {@code partitions}
     * partitions. They are shuffled into those partitions once: rows that {@code parallelize}
     * makes travel inside every task that reads them, cached or not, as files' rows do not.
     */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data, int partitions) {
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, false);
        List<Row> rows = new ArrayList<>(data.rows());
        int f = data.featureCount();
        float[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            float[] x = new float[f];
            System.arraycopy(features, r * f, x, 0, f);
            rows.add(RowFactory.create(x, data.label(r)));
        }
        return spark.createDataFrame(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema)
                .repartition(partitions);
    }

    /** The images as MLlib's rows of {@code features vector, label double}. */
    static org.apache.spark.sql.Dataset<Row> vectors(SparkSession spark, Dataset data, int partitions) {
        StructType schema = new StructType()
                .add("features", SQLDataTypes.VectorType(), false)
                .add("label", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>(data.rows());
        int f = data.featureCount();
        float[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            double[] x = new double[f];
            for (int j = 0; j < f; j++) {
                x[j] = features[r * f + j];
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) data.label(r)));
        }
        return spark.createDataFrame(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema)
                .repartition(partitions);
    }

    /** The largest heap in use the JVM's collectors saw, summed over the heap's pools. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
