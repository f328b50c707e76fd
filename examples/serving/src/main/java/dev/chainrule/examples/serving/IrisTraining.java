package dev.chainrule.examples.serving;

import dev.chainrule.data.Batches;
import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.OneHot;
import dev.chainrule.data.Split;
import dev.chainrule.data.Standardizer;
import dev.chainrule.serve.Preprocessing;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains {@link Iris} on Fisher's iris data as {@code dev.chainrule.examples.IrisExample} does
 * (a stratified 80/20 split, a {@link Standardizer} fitted on the training part, 200 epochs of
 * mini-batch gradient descent) and saves it with its standardizer, so that the service has a
 * model file to serve.
 */
public final class IrisTraining {
    private IrisTraining() {}

    /** A trained model, the standardizer it was trained behind, and its held-out accuracy. */
    public record Trained(IrisModel model, Standardizer scaler, double testAccuracy) {}

    /** Loads the bundled CSV: a non-data first line, then four measurements and a class index. */
    public static Dataset load(Path csv) throws IOException {
        return Csv.from(csv).skipLines(1).labelIndexColumn(4, Iris.SPECIES).load();
    }

    /** Trains on the training part of the split made with {@code seed}. */
    public static Trained train(Path csv, long seed) throws IOException {
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
        return new Trained(model, scaler, accuracy(model, test));
    }

    /** Trains as {@link #train} does and saves the model with its standardizer to {@code modelFile}. */
    public static void trainAndSave(Path csv, Path modelFile, long seed) throws IOException {
        Trained trained = train(csv, seed);
        Preprocessing.save(trained.model(), trained.scaler(), modelFile);
    }

    /** The fraction of (already scaled) rows whose most probable class is the labelled one. */
    static double accuracy(IrisModel model, Dataset data) {
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
}
