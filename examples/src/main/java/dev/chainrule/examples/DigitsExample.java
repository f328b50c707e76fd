package dev.chainrule.examples;

import dev.chainrule.data.Batches;
import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Split;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Optical character recognition of handwritten digits: trains {@link Digits} on the bundled
 * 8x8 digit images (1,797 of them, UCI "optdigits") with Adam and reports accuracy on a
 * held-out, stratified fifth of them.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.DigitsExample
 * [examples/data/digits.csv.gz]}.
 */
public final class DigitsExample {
    static final int EPOCHS = 60;
    static final int BATCH_SIZE = 32;

    private DigitsExample() {}

    /** What a run produced. */
    public record Result(DigitsModel model, int trainRows, int testRows, double trainAccuracy, double testAccuracy) {}

    /** Loads the bundled file: 64 pixel counts 0 .. 16, then the digit. */
    public static Dataset load(Path csv) throws IOException {
        return Csv.from(csv).labelIndexColumn(Digits.PIXELS, Digits.DIGITS).load();
    }

    /** Holds out a stratified 20% with {@code seed}, trains on the rest, and measures both parts. */
    public static Result run(Path csv, long seed) throws IOException {
        Split<Dataset> split = load(csv).stratifiedSplit(0.8, 0.0, seed);
        // Pixel counts to [0, 1]. Standardising instead does a little worse: a pixel that is
        // almost always blank gets a tiny deviation, which blows up its rare non-zero counts.
        MinMaxScaler scaler = MinMaxScaler.fit(split.train());
        Dataset train = scaler.apply(split.train());
        Dataset test = scaler.apply(split.test());

        DigitsModel model = new DigitsModel(seed);
        Batches batches = train.batches(BATCH_SIZE, seed);
        Optimizer adam = Adam.of(LearningRateSchedule.cosine(3e-3, 1e-5, (long) EPOCHS * batches.batchesPerEpoch()));
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            while (batches.next()) {
                model.zeroGradients();
                model.accumulateGradientsBatch(batches.inputs(), batches.targets(), batches.rows());
                adam.step(model.parameters(), model.gradients());
            }
        }
        return new Result(model, train.rows(), test.rows(), Accuracy.of(model, train), Accuracy.of(model, test));
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/digits.csv.gz");
        Result result = run(csv, 7L);
        System.out.printf("digits: %s%n", result.model());
        System.out.printf("train accuracy %.4f (%d images), test accuracy %.4f (%d held-out images)%n",
                result.trainAccuracy(), result.trainRows(), result.testAccuracy(), result.testRows());
    }
}
