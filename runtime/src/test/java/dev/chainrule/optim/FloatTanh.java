package dev.chainrule.optim;

// double twin: DoubleTanh (written from this file at build time by runtime/src/build/Twins.java)

/**
 * {@code y = a tanh(b x + c)}, parameters {@code (a, b, c)}. With {@code u = b x + c}:
 * {@code dy/da = tanh u}, {@code dy/db = a x (1 - tanh^2 u)}, {@code dy/dc = a (1 - tanh^2 u)}.
 */
class FloatTanh extends FloatStub {
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
