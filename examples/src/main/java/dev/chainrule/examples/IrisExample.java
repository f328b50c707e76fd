package dev.chainrule.examples;

import dev.chainrule.data.Batches;
import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.OneHot;
import dev.chainrule.data.Split;
import dev.chainrule.data.Standardizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains {@link Iris} on Fisher's iris data with mini-batch stochastic gradient descent written
 * out by hand, and reports accuracy on a held-out, stratified test set.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.IrisExample
 * [examples/data/iris.csv]}.
 */
public final class IrisExample {
    private IrisExample() {}

    /** What a run produced. */
    public record Result(IrisModel model, double trainAccuracy, double testAccuracy) {}

    /** Loads the bundled CSV: a non-data first line, then four measurements and a class index. */
    public static Dataset load(Path csv) throws IOException {
        return Csv.from(csv).skipLines(1).labelIndexColumn(4, Iris.SPECIES).load();
    }

    public static Result run(Path csv, long seed) throws IOException {
        Split<Dataset> split = load(csv).stratifiedSplit(0.8, 0.0, seed);
        Standardizer scaler = Standardizer.fit(split.train());
        Dataset train = scaler.apply(split.train());
        Dataset test = scaler.apply(split.test());

        IrisModel model = new IrisModel(seed);
        float[] params = model.parameters();
        float[] grads = model.gradients();
        Batches batches = train.batches(16, seed);
        float rate = 0.1f;
        for (int epoch = 0; epoch < 200; epoch++) {
            while (batches.next()) {
                model.zeroGradients();
                model.accumulateGradientsBatch(batches);
                for (int i = 0; i < params.length; i++) {
                    params[i] -= rate * grads[i];
                }
            }
        }
        return new Result(model, accuracy(model, train), accuracy(model, test));
    }

    /** The fraction of rows whose most probable class is the labelled one. */
    public static double accuracy(IrisModel model, Dataset data) {
        float[] features = data.features();
        float[] probabilities = new float[Iris.SPECIES];
        int correct = 0;
        for (int r = 0; r < data.rows(); r++) {
            model.predict(features, r * Iris.MEASUREMENTS, probabilities, 0);
            if (OneHot.argmax(probabilities, 0, Iris.SPECIES) == data.label(r)) {
                correct++;
            }
        }
        return (double) correct / data.rows();
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/iris.csv");
        Result result = run(csv, 7L);
        System.out.printf("iris: %s%n", result.model());
        System.out.printf(
                "train accuracy %.3f, test accuracy %.3f (30 held-out flowers)%n",
                result.trainAccuracy(), result.testAccuracy());
    }
}
