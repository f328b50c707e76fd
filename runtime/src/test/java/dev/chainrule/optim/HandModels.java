package dev.chainrule.optim;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;

/**
 * Models written by hand, with Jacobians derived by hand, for testing {@link LevenbergMarquardt}
 * against the contract without generated code. Only the methods Levenberg-Marquardt uses work.
 */
final class HandModels {
    private HandModels() {}

    /** A {@link DoubleModel} whose training methods are not needed here. */
    abstract static class DoubleStub implements DoubleModel {
        final double[] params;
        final double[] grads;

        DoubleStub(double... initial) {
            params = initial.clone();
            grads = new double[initial.length];
        }

        @Override
        public NetworkSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        public int parameterCount() {
            return params.length;
        }

        @Override
        public void zeroGradients() {
            java.util.Arrays.fill(grads, 0);
        }

        @Override
        public double[] parameters() {
            return params;
        }

        @Override
        public double[] gradients() {
            return grads;
        }

        @Override
        public void setParameters(double[] values) {
            dev.chainrule.kernel.Checks.length(values.length, params.length, "values");
            dev.chainrule.kernel.Checks.finite(values, 0, values.length, "values");
            System.arraycopy(values, 0, params, 0, params.length);
        }

        @Override
        public void predict(double[] input, double[] output) {
            predict(input, 0, output, 0);
        }

        @Override
        public void predictBatch(double[] inputs, double[] outputs, int rows) {
            for (int r = 0; r < rows; r++) {
                predict(inputs, r * inputSize(), outputs, r * outputSize());
            }
        }

        @Override
        public double loss(double[] input, double[] target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double loss(double[] input, int io, double[] target, int to) {
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
        public double accumulateGradients(double[] input, int io, double[] target, int to, double weight) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double accumulateGradientsBatch(double[] inputs, double[] targets, int rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DoubleModel withSharedParameters() {
            throw new UnsupportedOperationException();
        }
    }

    /** A {@link FloatModel} whose training methods are not needed here. */
    abstract static class FloatStub implements FloatModel {
        final float[] params;
        final float[] grads;

        FloatStub(float... initial) {
            params = initial.clone();
            grads = new float[initial.length];
        }

        @Override
        public NetworkSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Precision precision() {
            return Precision.FLOAT;
        }

        @Override
        public int parameterCount() {
            return params.length;
        }

        @Override
        public void zeroGradients() {
            java.util.Arrays.fill(grads, 0);
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
            dev.chainrule.kernel.Checks.length(values.length, params.length, "values");
            dev.chainrule.kernel.Checks.finite(values, 0, values.length, "values");
            System.arraycopy(values, 0, params, 0, params.length);
        }

        @Override
        public void predict(float[] input, float[] output) {
            predict(input, 0, output, 0);
        }

        @Override
        public void predictBatch(float[] inputs, float[] outputs, int rows) {
            for (int r = 0; r < rows; r++) {
                predict(inputs, r * inputSize(), outputs, r * outputSize());
            }
        }

        @Override
        public float loss(float[] input, float[] target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float loss(float[] input, int io, float[] target, int to) {
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
        public float accumulateGradients(float[] input, int io, float[] target, int to, float weight) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float accumulateGradientsBatch(float[] inputs, float[] targets, int rows) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FloatModel withSharedParameters() {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * {@code y = W x + b} with {@code n} inputs and {@code k} outputs; parameters: {@code W}
     * row-major ({@code W[j][i]} at {@code j * n + i}), then {@code b}. Jacobian: {@code dy_j /
     * dW[j][i] = x_i}, {@code dy_j / db_j = 1}, every other entry 0.
     */
    static final class Linear extends DoubleStub {
        private final int inputs;
        private final int outputs;

        Linear(int inputs, int outputs) {
            super(new double[(inputs + 1) * outputs]);
            this.inputs = inputs;
            this.outputs = outputs;
        }

        @Override
        public int inputSize() {
            return inputs;
        }

        @Override
        public int outputSize() {
            return outputs;
        }

        @Override
        public void predict(double[] input, int inputOffset, double[] output, int outputOffset) {
            for (int j = 0; j < outputs; j++) {
                double y = params[inputs * outputs + j];
                for (int i = 0; i < inputs; i++) {
                    y += params[j * inputs + i] * input[inputOffset + i];
                }
                output[outputOffset + j] = y;
            }
        }

        @Override
        public void jacobian(double[] input, double[] jacobian) {
            java.util.Arrays.fill(jacobian, 0);
            int p = parameterCount();
            for (int j = 0; j < outputs; j++) {
                for (int i = 0; i < inputs; i++) {
                    jacobian[j * p + j * inputs + i] = input[i];
                }
                jacobian[j * p + inputs * outputs + j] = 1;
            }
        }
    }

    /** {@link Linear} in {@code float}. */
    static final class FloatLinear extends FloatStub {
        private final int inputs;
        private final int outputs;

        FloatLinear(int inputs, int outputs) {
            super(new float[(inputs + 1) * outputs]);
            this.inputs = inputs;
            this.outputs = outputs;
        }

        @Override
        public int inputSize() {
            return inputs;
        }

        @Override
        public int outputSize() {
            return outputs;
        }

        @Override
        public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
            for (int j = 0; j < outputs; j++) {
                float y = params[inputs * outputs + j];
                for (int i = 0; i < inputs; i++) {
                    y += params[j * inputs + i] * input[inputOffset + i];
                }
                output[outputOffset + j] = y;
            }
        }

        @Override
        public void jacobian(float[] input, float[] jacobian) {
            java.util.Arrays.fill(jacobian, 0);
            int p = parameterCount();
            for (int j = 0; j < outputs; j++) {
                for (int i = 0; i < inputs; i++) {
                    jacobian[j * p + j * inputs + i] = input[i];
                }
                jacobian[j * p + inputs * outputs + j] = 1;
            }
        }
    }

    /**
     * {@code y = a tanh(b x + c)}, parameters {@code (a, b, c)}. With {@code u = b x + c}:
     * {@code dy/da = tanh u}, {@code dy/db = a x (1 - tanh^2 u)}, {@code dy/dc = a (1 - tanh^2 u)}.
     */
    static class Tanh extends DoubleStub {
        Tanh(double a, double b, double c) {
            super(a, b, c);
        }

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void predict(double[] input, int inputOffset, double[] output, int outputOffset) {
            output[outputOffset] = params[0] * Math.tanh(params[1] * input[inputOffset] + params[2]);
        }

        @Override
        public void jacobian(double[] input, double[] jacobian) {
            double x = input[0];
            double t = Math.tanh(params[1] * x + params[2]);
            double sech2 = 1 - t * t;
            jacobian[0] = t;
            jacobian[1] = params[0] * x * sech2;
            jacobian[2] = params[0] * sech2;
        }
    }

    /** {@link Tanh} in {@code float}. */
    static final class FloatTanh extends FloatStub {
        FloatTanh(float a, float b, float c) {
            super(a, b, c);
        }

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
            output[outputOffset] = params[0] * (float) Math.tanh(params[1] * input[inputOffset] + params[2]);
        }

        @Override
        public void jacobian(float[] input, float[] jacobian) {
            float x = input[0];
            float t = (float) Math.tanh(params[1] * x + params[2]);
            float sech2 = 1 - t * t;
            jacobian[0] = t;
            jacobian[1] = params[0] * x * sech2;
            jacobian[2] = params[0] * sech2;
        }
    }

    /**
     * Two outputs from one input, {@code y0 = a tanh(b x)}, {@code y1 = a b x^2 + c}; parameters
     * {@code (a, b, c)}. Jacobian row 0: {@code (tanh(bx), a x (1 - tanh^2(bx)), 0)}; row 1:
     * {@code (b x^2, a x^2, 1)}.
     */
    static final class TwoOutputs extends DoubleStub {
        TwoOutputs(double a, double b, double c) {
            super(a, b, c);
        }

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 2;
        }

        @Override
        public void predict(double[] input, int inputOffset, double[] output, int outputOffset) {
            double x = input[inputOffset];
            output[outputOffset] = params[0] * Math.tanh(params[1] * x);
            output[outputOffset + 1] = params[0] * params[1] * x * x + params[2];
        }

        @Override
        public void jacobian(double[] input, double[] jacobian) {
            double x = input[0];
            double t = Math.tanh(params[1] * x);
            jacobian[0] = t;
            jacobian[1] = params[0] * x * (1 - t * t);
            jacobian[2] = 0;
            jacobian[3] = params[1] * x * x;
            jacobian[4] = params[0] * x * x;
            jacobian[5] = 1;
        }
    }
}
