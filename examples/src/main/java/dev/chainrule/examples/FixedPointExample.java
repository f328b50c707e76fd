package dev.chainrule.examples;

import dev.chainrule.FixedPointModel;
import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Fixed-point recurrent backpropagation on the bundled 8x8 digits, with the split and scaling of
 * {@link DigitsExample} (a stratified fifth held out, pixels in [0, 1]):
 *
 * <ul>
 *   <li>pattern completion: {@link DigitsRestorer} restores digits with half their pixels hidden
 *       (a fresh random half per image), measured as the mean squared error of the hidden pixels
 *       against the clean held-out images, beside two baselines: each hidden pixel filled with
 *       its training mean, and {@link DigitsRestorerDense}, the same network without feedback;
 *   <li>classification: {@link DigitsAttractor} reads the digits through a fixed point.
 * </ul>
 *
 * <p>Both train with the {@code Trainer}, which keeps the fixed points' maps contractive after
 * every step; the fixed points' solves that reached their limit are counted and printed.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.FixedPointExample
 * [examples/data/digits.csv.gz]}.
 */
public final class FixedPointExample {
    static final int PIXELS = 64;
    /** Masked copies of each training image. */
    static final int COPIES = 4;

    private FixedPointExample() {}

    /** The hidden pixels' mean squared errors on the held-out digits, and the classifier's accuracy. */
    public record Result(
            double restorerMse,
            double denseMse,
            double meanFillMse,
            double accuracy,
            int testImages,
            FixedPointModel.Convergence restorerConvergence,
            FixedPointModel.Convergence classifierConvergence) {}

    /**
     * {@code copies} masked copies of each image of {@code images}: the pixels with a random half
     * set to 0, then 64 flags (1 where visible); the targets are the clean pixels.
     */
    static Dataset masked(Dataset images, int copies, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = images.rows() * copies;
        float[] x = new float[rows * 2 * PIXELS];
        float[] y = new float[rows * PIXELS];
        int[] order = new int[PIXELS];
        for (int r = 0; r < rows; r++) {
            int image = r / copies;
            for (int i = 0; i < PIXELS; i++) {
                order[i] = i;
            }
            for (int i = PIXELS - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int k = 0; k < PIXELS; k++) {
                int pixel = order[k];
                float value = images.feature(image, pixel);
                y[r * PIXELS + pixel] = value;
                boolean visible = k < PIXELS / 2;
                x[r * 2 * PIXELS + pixel] = visible ? value : 0;
                x[r * 2 * PIXELS + PIXELS + pixel] = visible ? 1 : 0;
            }
        }
        return Dataset.of(x, 2 * PIXELS, y, PIXELS);
    }

    /** The mean squared error of the hidden pixels of {@code data} as {@code model} restores them. */
    static double hiddenMse(FloatModel model, Dataset data) {
        float[] out = new float[PIXELS];
        double sum = 0;
        int count = 0;
        for (int r = 0; r < data.rows(); r++) {
            model.predict(data.features(), r * 2 * PIXELS, out, 0);
            for (int i = 0; i < PIXELS; i++) {
                if (data.feature(r, PIXELS + i) == 0) {
                    double e = out[i] - data.target(r, i);
                    sum += e * e;
                    count++;
                }
            }
        }
        return sum / count;
    }

    private static void fit(FloatModel model, Dataset train, int epochs, long seed) {
        Trainer.of(model)
                .optimizer(Adam.of(3e-3))
                .batchSize(32)
                .epochs(epochs)
                .seed(seed)
                .silent()
                .fit(train);
    }

    public static Result run(Path csv, long seed, int epochs) throws IOException {
        DigitsTraining.Data data = DigitsTraining.split(csv, seed);
        Dataset train = masked(data.train(), COPIES, seed);
        Dataset test = masked(data.test(), 1, seed + 1);

        DigitsRestorerModel restorer = new DigitsRestorerModel(seed);
        fit(restorer, train, epochs, seed);
        DigitsRestorerDenseModel dense = new DigitsRestorerDenseModel(seed);
        fit(dense, train, epochs, seed);

        double[] mean = new double[PIXELS];
        for (int r = 0; r < data.train().rows(); r++) {
            for (int i = 0; i < PIXELS; i++) {
                mean[i] += data.train().feature(r, i) / (double) data.train().rows();
            }
        }
        double fill = 0;
        int hidden = 0;
        for (int r = 0; r < test.rows(); r++) {
            for (int i = 0; i < PIXELS; i++) {
                if (test.feature(r, PIXELS + i) == 0) {
                    fill += (mean[i] - test.target(r, i)) * (mean[i] - test.target(r, i));
                    hidden++;
                }
            }
        }

        DigitsAttractorModel classifier = new DigitsAttractorModel(seed);
        fit(classifier, data.train(), epochs, seed);
        restorer.resetConvergence();
        classifier.resetConvergence();
        double restorerMse = hiddenMse(restorer, test);
        double accuracy = Accuracy.of(classifier, data.test());
        return new Result(
                restorerMse,
                hiddenMse(dense, test),
                fill / hidden,
                accuracy,
                test.rows(),
                restorer.convergence(),
                classifier.convergence());
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/digits.csv.gz");
        long start = System.nanoTime();
        Result result = run(csv, 7L, 40);
        System.out.printf(
                "restoring %d held-out digits with half their pixels hidden, MSE of the hidden pixels:%n",
                result.testImages());
        System.out.printf("  fixed point (DigitsRestorer)        %.4f%n", result.restorerMse());
        System.out.printf("  dense, no feedback                  %.4f%n", result.denseMse());
        System.out.printf("  each pixel's training mean          %.4f%n", result.meanFillMse());
        System.out.printf("  on the held-out digits: %s%n", result.restorerConvergence());
        System.out.printf(
                "classifying them through a fixed point (DigitsAttractor): accuracy %.4f%n", result.accuracy());
        System.out.printf("  on the held-out digits: %s%n", result.classifierConvergence());
        System.out.printf("%.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
