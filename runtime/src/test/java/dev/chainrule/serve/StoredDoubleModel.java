package dev.chainrule.serve;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.List;

/**
 * A hand-written {@link DoubleModel} that only stores parameters, {@code IN 3 -> OUT 2 tanh}:
 * enough to save and load model files in double.
 */
final class StoredDoubleModel implements DoubleModel {
    static final NetworkSpec SPEC = new NetworkSpec("dev.chainrule.serve.Stored", Precision.DOUBLE, Loss.MSE,
            List.of(LayerSpec.input("IN", 3), LayerSpec.dense("OUT", 2, Activation.TANH)));

    private final double[] parameters = new double[SPEC.parameterCount()];

    StoredDoubleModel(double... values) {
        System.arraycopy(values, 0, parameters, 0, values.length);
    }

    @Override public NetworkSpec spec() { return SPEC; }
    @Override public int inputSize() { return SPEC.inputSize(); }
    @Override public int outputSize() { return SPEC.outputSize(); }
    @Override public int parameterCount() { return parameters.length; }
    @Override public double[] parameters() { return parameters; }

    @Override
    public void setParameters(double[] values) {
        if (values.length != parameters.length) {
            throw new IllegalArgumentException("values has length " + values.length + ", expected " + parameters.length);
        }
        System.arraycopy(values, 0, parameters, 0, values.length);
    }

    @Override public void zeroGradients() { throw new UnsupportedOperationException(); }
    @Override public double[] gradients() { throw new UnsupportedOperationException(); }
    @Override public void predict(double[] input, double[] output) { throw new UnsupportedOperationException(); }
    @Override public void predict(double[] input, int inputOffset, double[] output, int outputOffset) { throw new UnsupportedOperationException(); }
    @Override public void predictBatch(double[] inputs, double[] outputs, int rows) { throw new UnsupportedOperationException(); }
    @Override public double loss(double[] input, double[] target) { throw new UnsupportedOperationException(); }
    @Override public double loss(double[] input, int inputOffset, double[] target, int targetOffset) { throw new UnsupportedOperationException(); }
    @Override public double lossBatch(double[] inputs, double[] targets, int rows) { throw new UnsupportedOperationException(); }
    @Override public double accumulateGradients(double[] input, double[] target) { throw new UnsupportedOperationException(); }
    @Override public double accumulateGradients(double[] input, int inputOffset, double[] target, int targetOffset, double weight) { throw new UnsupportedOperationException(); }
    @Override public double accumulateGradientsBatch(double[] inputs, double[] targets, int rows) { throw new UnsupportedOperationException(); }
    @Override public void jacobian(double[] input, double[] jacobian) { throw new UnsupportedOperationException(); }
    @Override public DoubleModel withSharedParameters() { throw new UnsupportedOperationException(); }
}
