package dev.chainrule.kernel;

// double twin: LossMathD (written from this file at build time by runtime/src/build/Twins.java)

/**
 * Losses and their fused output gradients in {@code float}, as generated code calls them. Each
 * gradient method writes {@code delta[o + k] = weight * dL/dz_k} (or {@code dL/da_k} for MSE,
 * which the caller then takes through the output activation) and returns the sample's loss.
 * The output row starts at offset {@code o} in {@code z}, {@code a} and {@code delta} alike, the
 * target at {@code yo}. Exponentials and logarithms are {@link StrictMath}'s, the same bits on
 * every JVM (see {@link ActivationMathF}).
 */
public final class LossMathF {
    private LossMathF() {}

    /** Mean squared error {@code (1/n) sum (a_k - y_k)^2}. */
    public static float mse(float[] a, int o, float[] y, int yo, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double r = a[o + k] - y[yo + k];
            sum += r * r;
        }
        return (float) (sum / n);
    }

    /** MSE and {@code delta[o + k] = weight * 2 (a_k - y_k) / n}, the gradient with respect to the outputs. */
    public static float mseGradient(float[] a, int o, float[] y, int yo, int n, float weight, float[] delta) {
        double sum = 0;
        float scale = weight * 2 / n;
        for (int k = 0; k < n; k++) {
            float r = a[o + k] - y[yo + k];
            // twin: float only
            sum += (double) r * r;
            // twin: double only
            // sum += r * r;
            // twin: end
            delta[o + k] = scale * r;
        }
        return (float) (sum / n);
    }

    /** Cross-entropy {@code -sum y_k ln softmax(z)_k}, by log-sum-exp of the logits {@code z}. */
    public static float softmaxCrossEntropy(float[] z, int o, float[] y, int yo, int n) {
        double max = z[o];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, z[o + k]);
        }
        double sumExp = 0;
        for (int k = 0; k < n; k++) {
            sumExp += StrictMath.exp(z[o + k] - max);
        }
        double logNorm = max + StrictMath.log(sumExp);
        double loss = 0;
        for (int k = 0; k < n; k++) {
            float t = y[yo + k];
            if (t != 0) {
                loss -= t * (z[o + k] - logNorm);
            }
        }
        return (float) loss;
    }

    /**
     * Cross-entropy and its gradient with respect to the logits, {@code delta[o + k] = weight *
     * (a_k sum_j y_j - y_k)} ({@code p - y} for a probability row), where {@code a} holds the
     * softmax of {@code z}.
     */
    public static float softmaxCrossEntropyGradient(
            float[] z, float[] a, int o, float[] y, int yo, int n, float weight, float[] delta) {
        double sumY = 0;
        for (int k = 0; k < n; k++) {
            sumY += y[yo + k];
        }
        for (int k = 0; k < n; k++) {
            delta[o + k] = (float) (weight * (a[o + k] * sumY - y[yo + k]));
        }
        return softmaxCrossEntropy(z, o, y, yo, n);
    }

    /**
     * Cross-entropy of {@code steps} softmax distributions of {@code n} values each, one per
     * step of a sequence output, averaged over the steps: {@code (1/steps) sum_t
     * softmaxCrossEntropy(z_t, y_t)}.
     */
    public static float softmaxCrossEntropySteps(float[] z, int o, float[] y, int yo, int steps, int n) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
            sum += softmaxCrossEntropy(z, o + t * n, y, yo + t * n, n);
        }
        return (float) (sum / steps);
    }

    /**
     * Sets {@code delta} to {@code weight} times the gradient of {@link
     * #softmaxCrossEntropySteps} with respect to {@code z}, step by step, and returns that loss.
     */
    public static float softmaxCrossEntropyStepsGradient(
            float[] z, float[] a, int o, float[] y, int yo, int steps, int n, float weight, float[] delta) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
            sum += softmaxCrossEntropyGradient(
                    z, a, o + t * n, y, yo + t * n, n, (float) (weight / (double) steps), delta);
        }
        return (float) (sum / steps);
    }

    /**
     * Binary cross-entropy of sigmoid outputs averaged over the outputs, from the logits:
     * {@code (1/n) sum [max(z,0) - z y + ln(1 + e^-|z|)]}.
     */
    public static float sigmoidBinaryCrossEntropy(float[] z, int o, float[] y, int yo, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double x = z[o + k];
            sum += Math.max(x, 0.0) - x * y[yo + k] + StrictMath.log1p(StrictMath.exp(-Math.abs(x)));
        }
        return (float) (sum / n);
    }

    /** Binary cross-entropy and {@code delta[o + k] = weight * (a_k - y_k) / n}, its gradient with respect to the logits. */
    public static float sigmoidBinaryCrossEntropyGradient(
            float[] z, float[] a, int o, float[] y, int yo, int n, float weight, float[] delta) {
        float scale = weight / n;
        for (int k = 0; k < n; k++) {
            delta[o + k] = scale * (a[o + k] - y[yo + k]);
        }
        return sigmoidBinaryCrossEntropy(z, o, y, yo, n);
    }
}
