package dev.chainrule.io;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.List;

/**
 * A hand-made {@link DoubleModel} for tests of model files (here and in {@code serve}): a spec
 * and a parameter array, nothing else. It cannot compute; model files only need its spec and
 * parameters.
 */
public final class TinyDoubleModel implements DoubleModel {

    /** {@code IN 3 -> OUT 2 sigmoid (double, mse)}: 3 * 2 weights and 2 biases. */
    static final NetworkSpec SPEC = spec(3, 2, Activation.SIGMOID);

    private final NetworkSpec spec;
    private final double[] parameters;

    public TinyDoubleModel() {
        this(SPEC);
    }

    TinyDoubleModel(NetworkSpec spec) {
        this.spec = spec;
        this.parameters = new double[spec.parameterCount()];
    }

    /** A model of {@link #SPEC} holding {@code values}. */
    public static TinyDoubleModel with(double... values) {
        TinyDoubleModel model = new TinyDoubleModel();
        System.arraycopy(values, 0, model.parameters, 0, values.length);
        return model;
    }

    static NetworkSpec spec(int inputs, int outputs, Activation activation) {
        return new NetworkSpec(
                "dev.chainrule.io.TinyDouble",
                Precision.DOUBLE,
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
    public double[] parameters() {
        return parameters;
    }

    @Override
    public void setParameters(double[] values) {
        if (values.length != parameters.length) {
            throw new IllegalArgumentException(
                    "values has length " + values.length + ", expected " + parameters.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
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
    public double[] gradients() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predict(double[] input, double[] output) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predict(double[] input, int inputOffset, double[] output, int outputOffset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void predictBatch(double[] inputs, double[] outputs, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double loss(double[] input, double[] target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double loss(double[] input, int inputOffset, double[] target, int targetOffset) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double lossBatch(double[] inputs, double[] targets, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double accumulateGradients(double[] input, double[] target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double accumulateGradients(
            double[] input, int inputOffset, double[] target, int targetOffset, double weight) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double accumulateGradientsBatch(double[] inputs, double[] targets, int rows) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void jacobian(double[] input, double[] jacobian) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DoubleModel withSharedParameters() {
        throw new UnsupportedOperationException();
    }
}
