package dev.chainrule.train;

// double twin: DoubleLinear (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import dev.chainrule.kernel.Checks;
import java.util.Arrays;

/** The {@code float} linear model of {@link LinearModels}. */
class FloatLinear implements FloatModel {
    final int in;
    final int out;
    final float[] params;
    final float[] grads;
    private final NetworkSpec spec;
    private final float[] y;
    boolean training;
    /** Gradient computations made outside training mode. */
    int stepsOutsideTraining;
    /** Calls to predict or lossBatch made in training mode. */
    int predictionsInTraining;

    FloatLinear(int in, int out) {
        this(in, out, new float[(in + 1) * out]);
    }

    /** A model over {@code params}, shared with the model that made it. */
    FloatLinear(int in, int out, float[] params) {
        this.in = in;
        this.out = out;
        this.params = params;
        this.grads = new float[params.length];
        // twin: float only
        this.spec = LinearModels.spec(Precision.FLOAT, in, out);
        // twin: double only
        // this.spec = LinearModels.spec(Precision.DOUBLE, in, out);
        // twin: end
        this.y = new float[out];
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int parameterCount() {
        return params.length;
    }

    @Override
    public void zeroGradients() {
        Arrays.fill(grads, 0);
    }

    @Override
    public void setTraining(boolean on) {
        training = on;
    }

    @Override
    public boolean isTraining() {
        return training;
    }

    @Override
    public float[] parameters() {
        return params;
    }

    @Override
    public float[] gradients() {
        return grads;
    }

    @Override
    public void setParameters(float[] values) {
        Checks.length(values.length, params.length, "values");
        Checks.finite(values, 0, values.length, "values");
        System.arraycopy(values, 0, params, 0, params.length);
    }

    @Override
    public void predict(float[] input, float[] output) {
        predict(input, 0, output, 0);
    }

    @Override
    public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
        if (training) {
            predictionsInTraining++;
        }
        forward(input, inputOffset, output, outputOffset);
    }

    private void forward(float[] input, int inputOffset, float[] output, int outputOffset) {
        for (int j = 0; j < out; j++) {
            float sum = params[in * out + j];
            for (int i = 0; i < in; i++) {
                sum += params[i * out + j] * input[inputOffset + i];
            }
            output[outputOffset + j] = sum;
        }
    }

    @Override
    public void predictBatch(float[] inputs, float[] outputs, int rows) {
        for (int r = 0; r < rows; r++) {
            predict(inputs, r * in, outputs, r * out);
        }
    }

    @Override
    public float loss(float[] input, float[] target) {
        return loss(input, 0, target, 0);
    }

    @Override
    public float loss(float[] input, int inputOffset, float[] target, int targetOffset) {
        forward(input, inputOffset, y, 0);
        float sum = 0;
        for (int j = 0; j < out; j++) {
            float e = y[j] - target[targetOffset + j];
            sum += e * e;
        }
        return sum / out;
    }

    @Override
    public float lossBatch(float[] inputs, float[] targets, int rows) {
        if (training) {
            predictionsInTraining++;
        }
        double sum = 0; // in double, as generated models add a batch's losses
        for (int r = 0; r < rows; r++) {
            sum += loss(inputs, r * in, targets, r * out);
        }
        return (float) (sum / rows);
    }

    @Override
    public float accumulateGradients(float[] input, float[] target) {
        return accumulateGradients(input, 0, target, 0, 1f);
    }

    @Override
    public float accumulateGradients(float[] input, int inputOffset, float[] target, int targetOffset, float weight) {
        if (!training) {
            stepsOutsideTraining++;
        }
        float loss = loss(input, inputOffset, target, targetOffset);
        for (int j = 0; j < out; j++) {
            float g = weight * 2f / out * (y[j] - target[targetOffset + j]);
            for (int i = 0; i < in; i++) {
                grads[i * out + j] += g * input[inputOffset + i];
            }
            grads[in * out + j] += g;
        }
        return loss;
    }

    @Override
    public float accumulateGradientsBatch(float[] inputs, float[] targets, int rows) {
        return accumulateGradientsBatch(inputs, 0, targets, 0, rows, 1f / rows);
    }

    @Override
    public void jacobian(float[] input, float[] jacobian) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FloatModel withSharedParameters() {
        FloatLinear sibling = new FloatLinear(in, out, params);
        sibling.training = training;
        return sibling;
    }
}
