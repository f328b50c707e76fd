package dev.chainrule.io;

// double twin: TinyDoubleModel (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.Activation;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.List;

/**
 * A hand-made {@link FloatModel} for tests of model files (here and in {@code serve}): a spec
 * and a parameter array, nothing else. It cannot compute; model files only need its spec and
 * parameters.
 */
public final class TinyFloatModel implements FloatModel {

    /** {@code IN 3 -> OUT 2 sigmoid (float, mse)}: 3 * 2 weights and 2 biases. */
    static final NetworkSpec SPEC = spec(3, 2, Activation.SIGMOID);

    private final NetworkSpec spec;
    private final float[] parameters;

    public TinyFloatModel() {
        this(SPEC);
    }

    TinyFloatModel(NetworkSpec spec) {
        this.spec = spec;
        this.parameters = new float[spec.parameterCount()];
    }

    /** A model of {@link #SPEC} holding {@code values}. */
    public static TinyFloatModel with(float... values) {
        TinyFloatModel model = new TinyFloatModel();
        System.arraycopy(values, 0, model.parameters, 0, values.length);
        return model;
    }

    static NetworkSpec spec(int inputs, int outputs, Activation activation) {
        return new NetworkSpec(
                // twin: float only
                "dev.chainrule.io.Tiny",
                Precision.FLOAT,
                // twin: double only
                // "dev.chainrule.io.TinyDouble",
                // Precision.DOUBLE,
                // twin: end
                Loss.MSE,
                List.of(LayerSpec.input("IN", inputs), LayerSpec.dense("OUT", outputs, activation)));
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
    public void setParameters(float[] values) {
        if (values.length != parameters.length) {
            throw new IllegalArgumentException(
                    "values has length " + values.length + ", expected " + parameters.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("values[" + i + "] is " + values[i]);
            }
        }
        System.arraycopy(values, 0, parameters, 0, values.length);
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
    public void predict(float[] input, float[] output) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
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

    @Override
    public FloatModel withSharedParameters() {
        throw new UnsupportedOperationException();
    }
}
