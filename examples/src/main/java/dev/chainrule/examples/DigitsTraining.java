package dev.chainrule.examples;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Split;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;

/** What the digits examples share: the split and scaling of the bundled file, and the training loop. */
final class DigitsTraining {
    private DigitsTraining() {}

    /** The training and the held-out images, pixels scaled to [0, 1] by the training images' range. */
    record Data(Dataset train, Dataset test) {}

    /** Holds out a stratified 20% of the bundled file with {@code seed} and scales both parts. */
    static Data split(Path csv, long seed) throws IOException {
        Split<Dataset> split = DigitsExample.load(csv).stratifiedSplit(0.8, 0.0, seed);
        // Pixel counts to [0, 1]. Standardising instead does a little worse: a pixel that is
        // almost always blank gets a tiny deviation, which blows up its rare non-zero counts.
        MinMaxScaler scaler = MinMaxScaler.fit(split.train());
        return new Data(scaler.apply(split.train()), scaler.apply(split.test()));
    }

    /**
     * Trains {@code model} on {@code train} for {@code epochs} in batches of {@code batchSize}
     * shuffled with {@code seed}, with Adam whose rate follows a cosine from {@code rate} down to
     * 1e-5 over the run, and returns the mean seconds an epoch took.
     */
    static double train(FloatModel model, Dataset train, int epochs, int batchSize, double rate, long seed) {
        Batches batches = train.batches(batchSize, seed);
        Optimizer adam = Adam.of(LearningRateSchedule.cosine(rate, 1e-5, (long) epochs * batches.batchesPerEpoch()));
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            while (batches.next()) {
                model.zeroGradients();
                model.accumulateGradientsBatch(batches);
                adam.step(model.parameters(), model.gradients());
            }
        }
        return (System.nanoTime() - start) / 1e9 / epochs;
    }

    /** Prints what {@code model} is and its accuracy on the training and on the held-out images. */
    static void print(FloatModel model, int trainRows, double trainAccuracy, int testRows, double testAccuracy) {
        System.out.printf("digits: %s%n", model);
        System.out.printf(
                "train accuracy %.4f (%d images), test accuracy %.4f (%d held-out images)%n",
                trainAccuracy, trainRows, testAccuracy, testRows);
    }
}
