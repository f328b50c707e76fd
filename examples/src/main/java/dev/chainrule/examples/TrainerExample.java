package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Split;
import dev.chainrule.data.Standardizer;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.Evaluation;
import dev.chainrule.train.History;
import dev.chainrule.train.Metrics;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains {@link Iris} with {@link Trainer}: a stratified train/validation/test split, Adam,
 * early stopping on the validation loss, a progress line per epoch, then the test set's
 * accuracy and confusion matrix, and the history as CSV and as an SVG chart.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.TrainerExample
 * [examples/data/iris.csv [output directory]]}.
 */
public final class TrainerExample {
    private TrainerExample() {}

    /** What a run produced. */
    public record Result(IrisModel model, History history, Evaluation test) {}

    /** Trains from {@code seed}, printing progress to {@code System.out} if {@code verbose}. */
    public static Result run(Path csv, long seed, boolean verbose) throws IOException {
        Split<Dataset> split = IrisExample.load(csv).stratifiedSplit(0.6, 0.2, seed);
        Standardizer scaler = Standardizer.fit(split.train());

        IrisModel model = new IrisModel(seed);
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(16)
                .epochs(300)
                .seed(seed)
                .validation(scaler.apply(split.validation()))
                .earlyStopping(20);
        if (!verbose) {
            trainer.silent();
        }
        History history = trainer.fit(scaler.apply(split.train()));
        return new Result(model, history, Metrics.evaluate(model, scaler.apply(split.test())));
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/iris.csv");
        Path out = Path.of(args.length > 1 ? args[1] : ".");
        Result result = run(csv, 7L, true);
        System.out.print(result.history().toString().lines().reduce((a, b) -> b).orElse("") + "\n");
        System.out.printf(
                "test accuracy %.3f on %d flowers%n%s",
                result.test().accuracy(), result.test().rows(), result.test().confusionMatrix());
        result.history().writeCsv(out.resolve("iris-history.csv"));
        result.history().writeSvg(out.resolve("iris-history.svg"));
        System.out.println("wrote " + out.resolve("iris-history.csv") + " and " + out.resolve("iris-history.svg"));
    }
}
