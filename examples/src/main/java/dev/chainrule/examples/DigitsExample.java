package dev.chainrule.examples;

import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
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
        DigitsTraining.Data data = DigitsTraining.split(csv, seed);
        DigitsModel model = new DigitsModel(seed);
        DigitsTraining.train(model, data.train(), EPOCHS, BATCH_SIZE, 3e-3, seed);
        return new Result(
                model,
                data.train().rows(),
                data.test().rows(),
                Accuracy.of(model, data.train()),
                Accuracy.of(model, data.test()));
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/digits.csv.gz");
        Result result = run(csv, 7L);
        DigitsTraining.print(
                result.model(), result.trainRows(), result.trainAccuracy(), result.testRows(), result.testAccuracy());
    }
}
