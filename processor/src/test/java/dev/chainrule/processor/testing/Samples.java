package dev.chainrule.processor.testing;

import dev.chainrule.Loss;
import java.util.Random;

/** Random inputs and targets that fit a loss. */
public final class Samples {
    private Samples() {}

    public static double[] input(Random random, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    /** A target a loss accepts: a probability row for cross-entropy, values in (0, 1) for binary cross-entropy. */
    public static double[] target(Random random, Loss loss, int k) {
        double[] y = new double[k];
        switch (loss) {
            case MSE -> {
                for (int i = 0; i < k; i++) {
                    y[i] = random.nextGaussian();
                }
            }
            case CROSS_ENTROPY -> {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    y[i] = 0.05 + random.nextDouble();
                    sum += y[i];
                }
                for (int i = 0; i < k; i++) {
                    y[i] /= sum;
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int i = 0; i < k; i++) {
                    y[i] = random.nextDouble();
                }
            }
        }
        return y;
    }

    /** {@code rows} samples side by side. */
    public static double[] rows(double[][] samples) {
        int n = samples[0].length;
        double[] flat = new double[samples.length * n];
        for (int r = 0; r < samples.length; r++) {
            System.arraycopy(samples[r], 0, flat, r * n, n);
        }
        return flat;
    }
}
