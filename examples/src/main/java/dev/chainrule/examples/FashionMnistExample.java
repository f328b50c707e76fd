package dev.chainrule.examples;

import dev.chainrule.FloatModel;
import dev.chainrule.Shape;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Idx;
import dev.chainrule.data.Split;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.train.ImageGrid;
import dev.chainrule.train.Metric;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Monitor;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains {@link FashionMnist} on Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, 2017): 60,000
 * training and 10,000 test images of ten kinds of garment. Pixels are scaled to [0, 1]; a
 * stratified twelfth of the training images is set aside for validation, which picks the epoch
 * whose parameters are kept; Adam's rate follows a cosine from 0.001 down to a hundredth of it
 * over the whole run. The test images are used once, at the end. Training runs through {@link
 * Trainer} on every processor unless {@code --threads} says how many; the result is the same bits
 * whatever the number.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.FashionMnistExample
 * [DIRECTORY] [--epochs N] [--seed N] [--train N] [--test N] [--batch N] [--rate X] [--threads N]}. The
 * directory holds the four gzip'd IDX files and defaults to where the Debian package {@code
 * dataset-fashion-mnist} puts them.
 */
public final class FashionMnistExample {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final List<String> FILES = List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz");

    private static final String USAGE =
            "usage: FashionMnistExample [DIRECTORY] [--model dense|cnn|lstm] [--epochs N] [--seed N]"
                    + " [--train N] [--test N] [--batch N] [--rate X] [--threads N] [--out DIR]";

    /** Which network to train. */
    public enum Architecture {
        /** {@link FashionMnist}: 784-512-256-10. */
        DENSE,
        /** {@link FashionMnistCnn}: two convolutions with max pooling, then 128 and 10. */
        CNN,
        /** {@link FashionMnistLstm}: the 28 rows as a sequence through an LSTM of 128, then 10. */
        LSTM;

        /** A new model of this architecture, initialised from {@code seed}. */
        public FloatModel create(long seed) {
            return switch (this) {
                case DENSE -> new FashionMnistModel(seed);
                case CNN -> new FashionMnistCnnModel(seed);
                case LSTM -> new FashionMnistLstmModel(seed);
            };
        }
    }

    private FashionMnistExample() {}

    /**
     * How to train.
     *
     * @param epochs passes over the training images
     * @param seed decides the validation split, the initial weights and the batch order
     * @param trainRows how many of the training images to use (the first ones), validation included
     * @param testRows how many of the test images to measure (the first ones)
     * @param batchSize images per gradient step
     * @param learningRate Adam's initial rate
     * @param architecture which network
     */
    public record Options(
            int epochs,
            long seed,
            int trainRows,
            int testRows,
            int batchSize,
            double learningRate,
            Architecture architecture) {
        /** The full run: 20 epochs over all 60,000 training images, batches of 64, rate 0.001, the dense network. */
        public static final Options FULL = new Options(20, 42L, 60_000, 10_000, 64, 1e-3, Architecture.DENSE);

        /** The dense network with these settings. */
        public Options(int epochs, long seed, int trainRows, int testRows, int batchSize, double learningRate) {
            this(epochs, seed, trainRows, testRows, batchSize, learningRate, Architecture.DENSE);
        }

        public Options {
            requireAtLeast(1, epochs, "epochs");
            requireAtLeast(24, trainRows, "training images"); // enough for a validation row per class
            requireAtLeast(1, testRows, "test images");
            requireAtLeast(1, batchSize, "batch size");
            if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("learning rate is " + learningRate + ", expected a positive number");
            }
            java.util.Objects.requireNonNull(architecture, "architecture");
        }

        private static void requireAtLeast(int least, int value, String what) {
            if (value < least) {
                throw new IllegalArgumentException(what + " is " + value + ", expected at least " + least);
            }
        }
    }

    /** The training and the test images. */
    public record Data(Dataset train, Dataset test) {}

    /**
     * One epoch: its 1-based number, the seconds it took (training and validation), the mean
     * training loss over its batches, and the validation accuracy after it.
     */
    public record Epoch(int number, double seconds, double trainLoss, double validationAccuracy) {}

    /** What a run produced: the model with the parameters of the {@code best} epoch, and its test accuracy. */
    public record Result(FloatModel model, List<Epoch> epochs, Epoch best, int testRows, double testAccuracy) {}

    /** The four files {@link #load} reads that are not in {@code directory}. */
    public static List<Path> missingFiles(Path directory) {
        return FILES.stream()
                .map(directory::resolve)
                .filter(file -> !Files.isRegularFile(file))
                .toList();
    }

    /** Loads the training and test images from {@code directory}, pixels scaled to [0, 1]. */
    public static Data load(Path directory) throws IOException {
        List<Path> files = FILES.stream().map(directory::resolve).toList();
        return new Data(
                Idx.load(files.get(0), files.get(1), FashionMnist.CLASSES).withClassNames(CLASS_NAMES),
                Idx.load(files.get(2), files.get(3), FashionMnist.CLASSES).withClassNames(CLASS_NAMES));
    }

    /**
     * Trains a new model on {@code data} as {@code options} say on every processor, reporting each
     * epoch to {@code progress} as it ends, and measures the best epoch's parameters on the test
     * images.
     */
    public static Result run(Data data, Options options, Consumer<Epoch> progress) {
        return run(data, options, Runtime.getRuntime().availableProcessors(), progress);
    }

    /**
     * Trains a new model on {@code data} as {@code options} say on {@code threads} threads (the
     * trained parameters do not depend on how many), reporting each epoch to {@code progress} as
     * it ends, and measures the best epoch's parameters on the test images.
     */
    public static Result run(Data data, Options options, int threads, Consumer<Epoch> progress) {
        Dataset all =
                options.trainRows() < data.train().rows() ? data.train().range(0, options.trainRows()) : data.train();
        Split<Dataset> split = all.stratifiedSplit(11.0 / 12, 1.0 / 12, options.seed());
        Dataset train = split.train();
        Dataset validation = split.validation();
        Dataset test = testImages(data, options);

        FloatModel model = options.architecture().create(options.seed());
        long steps = (long) options.epochs()
                * train.batches(options.batchSize(), options.seed()).batchesPerEpoch();
        Optimizer adam =
                Adam.of(LearningRateSchedule.cosine(options.learningRate(), options.learningRate() / 100, steps));

        List<Epoch> epochs = new ArrayList<>();
        Trainer.of(model)
                .optimizer(adam)
                .batchSize(options.batchSize())
                .epochs(options.epochs())
                .seed(options.seed())
                .threads(threads)
                .validation(validation)
                .monitor(Monitor.validation(Metric.ACCURACY))
                .earlyStopping(options.epochs()) // never stops early, but keeps the best epoch's parameters
                .silent()
                .listener(figures -> {
                    Epoch epoch =
                            new Epoch(figures.number(), figures.seconds(), figures.loss(), figures.validationMetric());
                    epochs.add(epoch);
                    progress.accept(epoch);
                    return TrainingListener.Decision.CONTINUE;
                })
                .fit(train);
        Epoch best = epochs.get(0);
        for (Epoch epoch : epochs) {
            if (epoch.validationAccuracy() > best.validationAccuracy()) {
                best = epoch;
            }
        }
        return new Result(model, List.copyOf(epochs), best, test.rows(), Accuracy.of(model, test));
    }

    /** The test images a run with {@code options} measures: the first {@code testRows}. */
    public static Dataset testImages(Data data, Options options) {
        return options.testRows() < data.test().rows() ? data.test().range(0, options.testRows()) : data.test();
    }

    /**
     * Writes two pictures of {@code model} on the {@code test} images into {@code directory}
     * (created if need be): {@code confusion-matrix.svg}, the confusion matrix with the class
     * names, and {@code misclassified.svg}, the first 48 test images it gets wrong, each with its
     * class and the class predicted.
     *
     * @return the two files written
     */
    public static List<Path> writePictures(FloatModel model, Dataset test, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path confusion = directory.resolve("confusion-matrix.svg");
        Path misclassified = directory.resolve("misclassified.svg");
        Metrics.confusionMatrix(model, test).writeSvg(confusion, CLASS_NAMES);
        ImageGrid.writeMisclassified(misclassified, model, test, Shape.image(1, 28, 28), CLASS_NAMES, 48);
        return List.of(confusion, misclassified);
    }

    /**
     * The data directory, options, picture directory (null: no pictures) and threads (0: every
     * processor) a command line gives.
     */
    record Command(Path directory, Options options, Path pictures, int threads) {
        /** The threads to train on. */
        int threadCount() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * Reads {@code [DIRECTORY] [--model dense|cnn|lstm] [--epochs N] [--seed N] [--train N] [--test N]
     * [--batch N] [--rate X] [--threads N] [--out DIR]}; what is not given is as in {@link
     * Options#FULL}, without {@code --threads} training runs on every processor, and without
     * {@code --out} no pictures are written.
     *
     * @throws IllegalArgumentException naming the argument that is unknown, lacks its value, or has a bad one
     */
    static Command parse(String... args) {
        Path directory = null;
        Path pictures = null;
        int threads = 0;
        Options options = Options.FULL;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String where = " (argument " + (i + 1) + ")";
            if (!arg.startsWith("--")) {
                if (directory != null) {
                    throw new IllegalArgumentException("a second directory '" + arg + "'" + where);
                }
                directory = Path.of(arg);
            } else if (arg.equals("--out") && i + 1 < args.length) {
                pictures = Path.of(args[++i]);
            } else if (arg.equals("--threads") && i + 1 < args.length) {
                threads = threads(args[++i], where);
            } else if (!OPTION_NAMES.contains(arg)) {
                throw new IllegalArgumentException(
                        "unknown option " + arg + where + ", expected one of " + OPTION_NAMES);
            } else if (i + 1 == args.length) {
                throw new IllegalArgumentException(arg + where + " needs a value");
            } else {
                String value = args[++i];
                try {
                    options = with(options, arg, value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(arg + where + " takes a number, got '" + value + "'");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(arg + " " + value + where + ": " + e.getMessage());
                }
            }
        }
        return new Command(directory != null ? directory : DEFAULT_DIRECTORY, options, pictures, threads);
    }

    private static int threads(String value, String where) {
        int threads;
        try {
            threads = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--threads" + where + " takes a number, got '" + value + "'");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads " + value + where + ": expected at least 1 thread");
        }
        return threads;
    }

    private static final List<String> OPTION_NAMES =
            List.of("--model", "--epochs", "--seed", "--train", "--test", "--batch", "--rate", "--threads", "--out");

    private static Options with(Options o, String name, String value) {
        int epochs = o.epochs();
        long seed = o.seed();
        int train = o.trainRows();
        int test = o.testRows();
        int batch = o.batchSize();
        double rate = o.learningRate();
        Architecture architecture = o.architecture();
        switch (name) {
            case "--model" -> architecture = architecture(value);
            case "--epochs" -> epochs = Integer.parseInt(value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--train" -> train = Integer.parseInt(value);
            case "--test" -> test = Integer.parseInt(value);
            case "--batch" -> batch = Integer.parseInt(value);
            case "--rate" -> rate = Double.parseDouble(value);
            default -> throw new AssertionError(name);
        }
        return new Options(epochs, seed, train, test, batch, rate, architecture);
    }

    private static Architecture architecture(String value) {
        return switch (value) {
            case "dense" -> Architecture.DENSE;
            case "cnn" -> Architecture.CNN;
            case "lstm" -> Architecture.LSTM;
            default -> throw new IllegalArgumentException("the model is dense, cnn or lstm, got '" + value + "'");
        };
    }

    public static void main(String[] args) throws IOException {
        Command command;
        try {
            command = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Path> missing = missingFiles(command.directory());
        if (!missing.isEmpty()) {
            System.err.println("Fashion-MNIST is not in " + command.directory() + "; missing " + missing + ".");
            System.err.println("On Debian or Ubuntu, install it with: apt-get install -y dataset-fashion-mnist");
            System.err.println("or give a directory holding the four files " + FILES + ".");
            System.exit(1);
            return;
        }
        Options options = command.options();
        System.out.printf(
                "fashion-mnist from %s: %s, %d threads%n", command.directory(), options, command.threadCount());
        Data data = load(command.directory());
        Result result = run(
                data,
                options,
                command.threadCount(),
                epoch -> System.out.printf(
                        "epoch %2d  %6.1f s  train loss %.4f  validation accuracy %.4f%n",
                        epoch.number(), epoch.seconds(), epoch.trainLoss(), epoch.validationAccuracy()));
        double seconds = result.epochs().stream().mapToDouble(Epoch::seconds).sum();
        System.out.printf(
                "best epoch %d (validation accuracy %.4f); %.1f s per epoch on average%n",
                result.best().number(),
                result.best().validationAccuracy(),
                seconds / result.epochs().size());
        System.out.printf("%s%n", result.model());
        System.out.printf("test accuracy %.4f (%d test images)%n", result.testAccuracy(), result.testRows());
        if (command.pictures() != null) {
            for (Path file : writePictures(result.model(), testImages(data, options), command.pictures())) {
                System.out.printf("wrote %s%n", file);
            }
        }
    }
}
