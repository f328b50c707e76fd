package dev.chainrule.benchmarks;

/**
 * What a user would write by hand for the same 784-128-10 network: one weight matrix per layer
 * as {@code float[out][in]}, dot products per unit. It reads Chainrule's parameter layout so
 * both compute with the same weights.
 */
final class PlainJavaMlp {
    private final float[][] w1 = new float[Mnist.HIDDEN][Mnist.PIXELS];
    private final float[] b1 = new float[Mnist.HIDDEN];
    private final float[][] w2 = new float[Mnist.CLASSES][Mnist.HIDDEN];
    private final float[] b2 = new float[Mnist.CLASSES];
    private final float[] hidden = new float[Mnist.HIDDEN];

    PlainJavaMlp(float[] p) {
        for (int i = 0; i < Mnist.PIXELS; i++) {
            for (int j = 0; j < Mnist.HIDDEN; j++) {
                w1[j][i] = p[MnistModel.HIDDEN_WEIGHTS + i * Mnist.HIDDEN + j];
            }
        }
        System.arraycopy(p, MnistModel.HIDDEN_BIASES, b1, 0, Mnist.HIDDEN);
        for (int i = 0; i < Mnist.HIDDEN; i++) {
            for (int j = 0; j < Mnist.CLASSES; j++) {
                w2[j][i] = p[MnistModel.CLASSES_WEIGHTS + i * Mnist.CLASSES + j];
            }
        }
        System.arraycopy(p, MnistModel.CLASSES_BIASES, b2, 0, Mnist.CLASSES);
    }

    void predict(float[] x, float[] out) {
        for (int j = 0; j < Mnist.HIDDEN; j++) {
            float sum = b1[j];
            float[] row = w1[j];
            for (int i = 0; i < Mnist.PIXELS; i++) {
                sum += row[i] * x[i];
            }
            hidden[j] = Math.max(0, sum);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < Mnist.CLASSES; j++) {
            float sum = b2[j];
            float[] row = w2[j];
            for (int i = 0; i < Mnist.HIDDEN; i++) {
                sum += row[i] * hidden[i];
            }
            out[j] = sum;
            max = Math.max(max, sum);
        }
        float total = 0;
        for (int j = 0; j < Mnist.CLASSES; j++) {
            out[j] = (float) Math.exp(out[j] - max);
            total += out[j];
        }
        for (int j = 0; j < Mnist.CLASSES; j++) {
            out[j] /= total;
        }
    }
}
