package dev.chainrule.benchmarks;

import java.util.Arrays;

/**
 * What a user would write by hand for a relu network with a softmax output: one weight matrix
 * per layer as {@code float[units][inputs]}, a dot product per unit, and textbook
 * backpropagation with plain SGD. It reads and writes Chainrule's parameter layout so that both
 * compute with the same weights.
 */
final class PlainJavaMlp {
    private final Workload workload;
    private final int layers;
    /** {@code weights[l][j][i]}: from input {@code i} to unit {@code j} of dense layer {@code l}. */
    private final float[][][] weights;

    private final float[][] biases;
    private final float[][][] weightGradients;
    private final float[][] biasGradients;
    /** {@code outputs[l]}: the activations of dense layer {@code l} for the current sample. */
    private final float[][] outputs;

    private final float[][] deltas;

    PlainJavaMlp(Workload workload, float[] parameters) {
        this.workload = workload;
        int[] sizes = workload.sizes();
        layers = sizes.length - 1;
        weights = new float[layers][][];
        weightGradients = new float[layers][][];
        biases = new float[layers][];
        biasGradients = new float[layers][];
        outputs = new float[layers][];
        deltas = new float[layers][];
        for (int l = 0; l < layers; l++) {
            weights[l] = new float[sizes[l + 1]][sizes[l]];
            weightGradients[l] = new float[sizes[l + 1]][sizes[l]];
            biases[l] = new float[sizes[l + 1]];
            biasGradients[l] = new float[sizes[l + 1]];
            outputs[l] = new float[sizes[l + 1]];
            deltas[l] = new float[sizes[l + 1]];
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    weights[l][j][i] = parameters[workload.weightIndex(l, i, j)];
                }
                biases[l][j] = parameters[workload.biasIndex(l, j)];
            }
        }
    }

    /** The parameters in Chainrule's layout. */
    float[] parameters() {
        float[] parameters = new float[workload.parameterCount()];
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < biases[l].length; j++) {
                for (int i = 0; i < weights[l][j].length; i++) {
                    parameters[workload.weightIndex(l, i, j)] = weights[l][j][i];
                }
                parameters[workload.biasIndex(l, j)] = biases[l][j];
            }
        }
        return parameters;
    }

    void predict(float[] x, float[] out) {
        forward(x, 0);
        System.arraycopy(outputs[layers - 1], 0, out, 0, out.length);
    }

    /**
     * One SGD step on the mean cross-entropy of {@code rows} samples stored row after row;
     * returns that mean loss before the step.
     */
    float trainingStep(float[] inputs, float[] targets, int rows, float learningRate) {
        int features = weights[0][0].length;
        int classes = biases[layers - 1].length;
        float loss = 0;
        for (int r = 0; r < rows; r++) {
            forward(inputs, r * features);
            float[] p = outputs[layers - 1];
            float[] top = deltas[layers - 1];
            for (int j = 0; j < classes; j++) {
                float y = targets[r * classes + j];
                top[j] = p[j] - y;
                if (y != 0) {
                    loss -= y * (float) Math.log(p[j]);
                }
            }
            backward(inputs, r * features);
        }
        float step = learningRate / rows;
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < biases[l].length; j++) {
                float[] row = weights[l][j];
                float[] gradient = weightGradients[l][j];
                for (int i = 0; i < row.length; i++) {
                    row[i] -= step * gradient[i];
                    gradient[i] = 0;
                }
                biases[l][j] -= step * biasGradients[l][j];
                biasGradients[l][j] = 0;
            }
        }
        return loss / rows;
    }

    private void forward(float[] x, int offset) {
        float[] in = x;
        int inOffset = offset;
        for (int l = 0; l < layers; l++) {
            float[] out = outputs[l];
            for (int j = 0; j < out.length; j++) {
                float[] row = weights[l][j];
                float sum = biases[l][j];
                for (int i = 0; i < row.length; i++) {
                    sum += row[i] * in[inOffset + i];
                }
                out[j] = l < layers - 1 ? Math.max(0, sum) : sum;
            }
            in = out;
            inOffset = 0;
        }
        softmax(outputs[layers - 1]);
    }

    private static void softmax(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        float total = 0;
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) Math.exp(z[j] - max);
            total += z[j];
        }
        for (int j = 0; j < z.length; j++) {
            z[j] /= total;
        }
    }

    /** Adds one sample's gradients, starting from the output deltas already in place. */
    private void backward(float[] x, int offset) {
        for (int l = layers - 1; l >= 0; l--) {
            float[] in = l == 0 ? x : outputs[l - 1];
            int inOffset = l == 0 ? offset : 0;
            float[] delta = deltas[l];
            float[] below = l == 0 ? null : deltas[l - 1];
            if (below != null) {
                Arrays.fill(below, 0);
            }
            for (int j = 0; j < delta.length; j++) {
                float d = delta[j];
                float[] gradient = weightGradients[l][j];
                float[] row = weights[l][j];
                for (int i = 0; i < gradient.length; i++) {
                    gradient[i] += d * in[inOffset + i];
                }
                biasGradients[l][j] += d;
                if (below != null) {
                    for (int i = 0; i < row.length; i++) {
                        below[i] += row[i] * d;
                    }
                }
            }
            if (below != null) {
                float[] activation = outputs[l - 1];
                for (int i = 0; i < below.length; i++) {
                    if (activation[i] <= 0) {
                        below[i] = 0;
                    }
                }
            }
        }
    }
}
