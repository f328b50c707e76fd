package dev.chainrule.examples;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Optical character recognition of handwritten digits with a convolutional network: trains
 * {@link DigitsCnn} on the bundled 8x8 digit images exactly as {@link DigitsExample} trains the
 * dense {@link Digits} (the same stratified fifth held out, pixels scaled to [0, 1], Adam on a
 * cosine schedule, though for half the epochs) and reports accuracy on the held-out images and
 * the seconds a training epoch takes.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.DigitsCnnExample
 * [examples/data/digits.csv.gz]}.
 */
public final class DigitsCnnExample {
    static final int EPOCHS = 30;
    static final int BATCH_SIZE = 32;
    static final double LEARNING_RATE = 3e-3;

    private DigitsCnnExample() {}

    /** What a run produced, with the mean seconds one training epoch took. */
    public record Result(
            DigitsCnnModel model,
            int trainRows,
            int testRows,
            double trainAccuracy,
            double testAccuracy,
            double secondsPerEpoch) {}

    /** Holds out a stratified 20% with {@code seed}, trains on the rest, and measures both parts. */
    public static Result run(Path csv, long seed) throws IOException {
        DigitsTraining.Data data = DigitsTraining.split(csv, seed);
        DigitsCnnModel model = new DigitsCnnModel(seed);
        double secondsPerEpoch = DigitsTraining.train(model, data.train(), EPOCHS, BATCH_SIZE, LEARNING_RATE, seed);
        return new Result(
                model,
                data.train().rows(),
                data.test().rows(),
                Accuracy.of(model, data.train()),
                Accuracy.of(model, data.test()),
                secondsPerEpoch);
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/digits.csv.gz");
        Result result = run(csv, 7L);
        DigitsTraining.print(
                result.model(), result.trainRows(), result.trainAccuracy(), result.testRows(), result.testAccuracy());
        System.out.printf("%.3f s per epoch (%d epochs)%n", result.secondsPerEpoch(), EPOCHS);
    }
}
