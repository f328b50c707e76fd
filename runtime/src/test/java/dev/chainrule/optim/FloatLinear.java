package dev.chainrule.optim;

// double twin: DoubleLinear (written from this file at build time by runtime/src/build/Twins.java)

/**
 * {@code y = W x + b} with {@code n} inputs and {@code k} outputs; parameters: {@code W}
 * row-major ({@code W[j][i]} at {@code j * n + i}), then {@code b}. Jacobian: {@code dy_j /
 * dW[j][i] = x_i}, {@code dy_j / db_j = 1}, every other entry 0.
 */
final class FloatLinear extends FloatStub {
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
