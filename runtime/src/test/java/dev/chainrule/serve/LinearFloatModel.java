package dev.chainrule.serve;

import dev.chainrule.Activation;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written {@link FloatModel} for serving tests: one dense identity layer, {@code out_k =
 * b_k + sum_i x_i w_ik}, with the weights input-major then the biases as {@link dev.chainrule.Model}
 * lays them out. Like a generated model it computes into a buffer of its own before copying to the
 * caller, and {@link #withSharedParameters()} gives a sibling over the same parameter array. It
 * counts the siblings made from one parameter array. Training methods are not implemented.
 */
final class LinearFloatModel implements FloatModel {
    private final NetworkSpec spec;
    private final float[] parameters;
    private final float[] activations;
    private final AtomicInteger siblingsMade;

    /** A model with {@code inputs} inputs and {@code outputs} outputs holding {@code values}, or zeros if none are given. */
    LinearFloatModel(int inputs, int outputs, float... values) {
        this(spec(inputs, outputs), new float[(inputs + 1) * outputs], new AtomicInteger());
        if (values.length > 0) {
            setParameters(values);
        }
    }

    private LinearFloatModel(NetworkSpec spec, float[] parameters, AtomicInteger siblingsMade) {
        this.spec = spec;
        this.parameters = parameters;
        this.activations = new float[spec.outputSize()];
        this.siblingsMade = siblingsMade;
    }

    static NetworkSpec spec(int inputs, int outputs) {
        return new NetworkSpec(
                "dev.chainrule.serve.Linear",
                Precision.FLOAT,
                Loss.MSE,
                List.of(LayerSpec.input("IN", inputs), LayerSpec.dense("OUT", outputs, Activation.IDENTITY)));
    }

    /** How many siblings were made from this model's parameter array. */
    int siblingsMade() {
        return siblingsMade.get();
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public int inputSize() {
        return spec.inputSize();
    }

    @Override
    public int outputSize() {
        return spec.outputSize();
    }

    @Override
    public int parameterCount() {
        return parameters.length;
    }

    @Override
    public float[] parameters() {
        return parameters;
    }

    @Override
    public void predict(float[] input, float[] output) {
        predict(input, 0, output, 0);
    }

    @Override
    public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
        int n = inputSize();
        int m = outputSize();
        if (input.length - inputOffset < n || output.length - outputOffset < m) {
            throw new IllegalArgumentException("input or output too short");
        }
        for (int k = 0; k < m; k++) {
            float a = parameters[n * m + k];
            for (int i = 0; i < n; i++) {
                a += input[inputOffset + i] * parameters[i * m + k];
            }
            activations[k] = a;
        }
        System.arraycopy(activations, 0, output, outputOffset, m);
    }

    @Override
    public void setParameters(float[] values) {
        if (values.length != parameters.length) {
            throw new IllegalArgumentException(
                    "values has length " + values.length + ", expected " + parameters.length);
        }
        System.arraycopy(values, 0, parameters, 0, values.length);
    }

    @Override
    public LinearFloatModel withSharedParameters() {
        siblingsMade.incrementAndGet();
        return new LinearFloatModel(spec, parameters, siblingsMade);
    }

    @Override
    public void zeroGradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public float[] gradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predictBatch(float[] inputs, float[] outputs, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float loss(float[] input, float[] target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float loss(float[] input, int inputOffset, float[] target, int targetOffset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float lossBatch(float[] inputs, float[] targets, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float accumulateGradients(float[] input, float[] target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float accumulateGradients(float[] input, int inputOffset, float[] target, int targetOffset, float weight) {
        throw new UnsupportedOperationException();
    }

    @Override
    public float accumulateGradientsBatch(float[] inputs, float[] targets, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void jacobian(float[] input, float[] jacobian) {
        throw new UnsupportedOperationException();
    }
}
