package dev.chainrule.optim;

/**
 * Models written by hand, with Jacobians derived by hand, for testing {@link LevenbergMarquardt}
 * against the contract without generated code. Only the methods Levenberg-Marquardt uses work.
 * Here is the one that exists in double only; the others are written once, in float, and their
 * double twins generated: {@link FloatStub}, {@link FloatLinear} and {@link FloatTanh} ({@code
 * DoubleStub}, {@code DoubleLinear}, {@code DoubleTanh}).
 */
final class HandModels {
    private HandModels() {}

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
