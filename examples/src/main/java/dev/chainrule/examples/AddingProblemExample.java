package dev.chainrule.examples;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.History;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The adding problem (Hochreiter and Schmidhuber, 1997): a sequence of {@value #STEPS} steps of
 * two features, a number drawn uniformly from [0, 1] and a marker that is 1 at exactly two steps,
 * one in each half, and 0 elsewhere. The target is the sum of the two marked numbers. A constant
 * guess (the mean, 1) scores a mean squared error of 1/6, about 0.167: a network beats it only by
 * carrying the first marked number across up to {@value #STEPS} steps.
 *
 * <p>{@link AddingRnn}, a simple recurrent layer, and {@link AddingLstm}, an LSTM of the same 32
 * units, train on the same seeded sequences with the {@link Trainer}, which records each layer's
 * gradient norm. The example also measures what the whole layer's norm cannot show: how much the
 * output moves with the number at a given step ({@link #sensitivity}), the derivative through
 * which a step's error reaches that step. In the simple layer it fades with the distance from
 * the end of the sequence; the LSTM learns to keep it.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.AddingProblemExample
 * [output directory] [--train N] [--validation N] [--test N] [--epochs N] [--batch N] [--rate X]
 * [--seed N]}, by default {@link Config#full()}; the directory (by default {@code adding-problem})
 * receives each network's history as CSV and SVG.
 */
public final class AddingProblemExample {
    /** Steps per sequence. */
    public static final int STEPS = AddingRnn.SEQUENCE / 2;

    private AddingProblemExample() {}

    /**
     * How a run is set up.
     *
     * @param train training sequences
     * @param validation validation sequences, evaluated after every epoch
     * @param test test sequences, measured once at the end
     * @param epochs epochs for each network
     * @param rate Adam's learning rate
     * @param batchSize rows per mini-batch
     * @param seed the seed of the data, the initial weights and the order of the batches
     */
    public record Config(int train, int validation, int test, int epochs, double rate, int batchSize, long seed) {
        /** The configuration {@link #main} runs. */
        public static Config full() {
            return new Config(10_000, 1_000, 1_000, 10, 0.003, 32, 7L);
        }
    }

    /**
     * What a run measured.
     *
     * @param rnnTestMse the simple recurrent network's mean squared error on the test sequences
     * @param lstmTestMse the LSTM's
     * @param rnn the simple recurrent network's training history
     * @param lstm the LSTM's
     * @param seconds wall-clock time of the whole run
     */
    public record Result(
            double rnnTestMse,
            double lstmTestMse,
            History rnn,
            History lstm,
            double seconds,
            Sensitivities rnnSensitivity,
            Sensitivities lstmSensitivity) {}

    /**
     * How much a network's output moves with the numbers of a sequence ({@link #sensitivity}),
     * averaged over test sequences.
     *
     * @param untrainedFirst at the first step, before training
     * @param untrainedLast at the last step, before training
     * @param firstMarked at the first marked step, after training (1 for a network that adds)
     * @param secondMarked at the second marked step, after training (1 for a network that adds)
     */
    public record Sensitivities(double untrainedFirst, double untrainedLast, double firstMarked, double secondMarked) {}

    /** Sequences measured for the sensitivities. */
    static final int MEASURED = 200;

    /**
     * The mean over the first {@code rows} sequences of {@code data} of {@code |dy/dx|}, the
     * derivative of the output with respect to the number at a step, by a central difference of
     * 0.01: at step {@code step}, or, with {@code step} -1 and -2, at the first and second marked
     * step of each sequence.
     */
    public static double sensitivity(FloatModel model, Dataset data, int rows, int step) {
        float[] features = data.features(); // a copy
        float[] x = new float[STEPS * 2];
        float[] y = new float[1];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(features, r * STEPS * 2, x, 0, x.length);
            int t = step;
            if (step < 0) {
                int seen = 0;
                for (t = 0; t < STEPS; t++) {
                    if (x[2 * t + 1] == 1 && ++seen == -step) {
                        break;
                    }
                }
            }
            float value = x[2 * t];
            x[2 * t] = value + 0.01f;
            model.predict(x, y);
            double up = y[0];
            x[2 * t] = value - 0.01f;
            model.predict(x, y);
            sum += Math.abs(up - y[0]) / 0.02;
        }
        return sum / rows;
    }

    /** {@code rows} adding-problem sequences, drawn from {@code random}. */
    public static Dataset sequences(int rows, SplittableRandom random) {
        int half = STEPS / 2;
        float[] x = new float[rows * STEPS * 2];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int base = r * STEPS * 2;
            for (int t = 0; t < STEPS; t++) {
                x[base + 2 * t] = (float) random.nextDouble();
            }
            int first = random.nextInt(half);
            int second = half + random.nextInt(STEPS - half);
            x[base + 2 * first + 1] = 1;
            x[base + 2 * second + 1] = 1;
            y[r] = x[base + 2 * first] + x[base + 2 * second];
        }
        return Dataset.of(x, STEPS * 2, y, 1);
    }

    /** Trains both networks as {@code config} says and measures them on the test sequences. */
    public static Result run(Config config, boolean quiet) {
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(config.seed());
        Dataset train = sequences(config.train(), random);
        Dataset validation = sequences(config.validation(), random);
        Dataset test = sequences(config.test(), random);
        int measured = Math.min(MEASURED, test.rows());
        AddingRnnModel rnn = new AddingRnnModel(config.seed());
        double rnnFirst = sensitivity(rnn, test, measured, 0);
        double rnnLast = sensitivity(rnn, test, measured, STEPS - 1);
        History rnnHistory = train(rnn, config, train, validation, quiet, "simple recurrent");
        AddingLstmModel lstm = new AddingLstmModel(config.seed());
        double lstmFirst = sensitivity(lstm, test, measured, 0);
        double lstmLast = sensitivity(lstm, test, measured, STEPS - 1);
        History lstmHistory = train(lstm, config, train, validation, quiet, "LSTM");
        return new Result(
                Metrics.evaluate(rnn, test).mse(),
                Metrics.evaluate(lstm, test).mse(),
                rnnHistory,
                lstmHistory,
                (System.nanoTime() - started) / 1e9,
                new Sensitivities(
                        rnnFirst, rnnLast, sensitivity(rnn, test, measured, -1), sensitivity(rnn, test, measured, -2)),
                new Sensitivities(
                        lstmFirst,
                        lstmLast,
                        sensitivity(lstm, test, measured, -1),
                        sensitivity(lstm, test, measured, -2)));
    }

    private static History train(
            FloatModel model, Config config, Dataset train, Dataset validation, boolean quiet, String name) {
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Adam.of(config.rate()))
                .batchSize(config.batchSize())
                .epochs(config.epochs())
                .seed(config.seed())
                .threads(1)
                .validation(validation);
        if (quiet) {
            trainer.silent();
        } else {
            System.out.println(name + ":");
        }
        return trainer.fit(train);
    }

    private static void print(String name, Sensitivities s) {
        System.out.printf(
                "  %-18s %15.2e %9.2e %20.3f %11.3f%n",
                name, s.untrainedFirst(), s.untrainedLast(), s.firstMarked(), s.secondMarked());
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("adding-problem");
        Config c = Config.full();
        int train = c.train(), validation = c.validation(), test = c.test(), epochs = c.epochs(), batch = c.batchSize();
        double rate = c.rate();
        long seed = c.seed();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                out = Path.of(arg);
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--train" -> train = Integer.parseInt(value);
                case "--validation" -> validation = Integer.parseInt(value);
                case "--test" -> test = Integer.parseInt(value);
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--seed" -> seed = Long.parseLong(value);
                default ->
                    throw new IllegalArgumentException("unknown option " + arg
                            + "; the options are --train, --validation, --test, --epochs, --batch, --rate and --seed");
            }
        }
        Config config = new Config(train, validation, test, epochs, rate, batch, seed);
        Result result = run(config, false);
        Files.createDirectories(out);
        result.rnn().writeCsv(out.resolve("simple-rnn.csv"));
        result.rnn().writeSvg(out.resolve("simple-rnn.svg"));
        result.lstm().writeCsv(out.resolve("lstm.csv"));
        result.lstm().writeSvg(out.resolve("lstm.svg"));
        System.out.printf(
                "test MSE (%d sequences of %d steps; a constant guess scores 0.167):%n", config.test(), STEPS);
        System.out.printf("  simple recurrent (32 units)  %.4g%n", result.rnnTestMse());
        System.out.printf("  LSTM (32 units)              %.4g%n", result.lstmTestMse());
        System.out.printf("|dy/dx| at a step's number (mean of %d test sequences):%n", MEASURED);
        System.out.println("                      untrained: step 1   step 50   trained: 1st marked  2nd marked");
        print("simple recurrent", result.rnnSensitivity());
        print("LSTM", result.lstmSensitivity());
        for (String warning : result.rnn().warnings()) {
            System.out.println("simple recurrent: " + warning);
        }
        for (String warning : result.lstm().warnings()) {
            System.out.println("LSTM: " + warning);
        }
        System.out.printf("histories written to %s; %.0f s in all%n", out.toAbsolutePath(), result.seconds());
    }
}
