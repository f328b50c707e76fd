package dev.chainrule.optim;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.kernel.Checks;

/**
 * A model and its training set seen in {@code double}, whatever the model's precision: the view
 * {@link LevenbergMarquardt} works through. Buffers are allocated once, at construction.
 */
abstract sealed class LeastSquaresData {
    final int rows;
    final int inputSize;
    final int outputSize;
    final int parameterCount;
    /** The relative rounding error of the model's precision: {@code Math.ulp(1.0)} or {@code Math.ulp(1f)}. */
    final double epsilon;
    /** The mean of the squared targets, over samples and outputs: the scale of the residuals of an exact fit. */
    final double targetMeanSquare;

    private LeastSquaresData(
            int rows, int inputSize, int outputSize, int parameterCount, double epsilon, double targetSumOfSquares) {
        this.rows = rows;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.parameterCount = parameterCount;
        this.epsilon = epsilon;
        this.targetMeanSquare = targetSumOfSquares / ((double) rows * outputSize);
    }

    private static double sumOfSquares(double[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i] * values[i];
        }
        return sum;
    }

    private static double sumOfSquares(float[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += (double) values[i] * values[i];
        }
        return sum;
    }

    static LeastSquaresData of(DoubleModel model, double[] inputs, double[] targets, int rows) {
        checkData(inputs.length, targets.length, rows, model.inputSize(), model.outputSize());
        Checks.finite(inputs, 0, rows * model.inputSize(), "inputs");
        Checks.finite(targets, 0, rows * model.outputSize(), "targets");
        return new Doubles(model, inputs, targets, rows);
    }

    static LeastSquaresData of(FloatModel model, float[] inputs, float[] targets, int rows) {
        checkData(inputs.length, targets.length, rows, model.inputSize(), model.outputSize());
        Checks.finite(inputs, 0, rows * model.inputSize(), "inputs");
        Checks.finite(targets, 0, rows * model.outputSize(), "targets");
        return new Floats(model, inputs, targets, rows);
    }

    private static void checkData(int inputs, int targets, int rows, int inputSize, int outputSize) {
        Checks.rows(inputs, rows, inputSize, "inputs");
        Checks.rows(targets, rows, outputSize, "targets");
    }

    /** Copies the model's parameters into {@code destination}. */
    abstract void readParameters(double[] destination);

    /** Sets the model's parameters; false, leaving them unchanged, if one is not finite in the model's precision. */
    abstract boolean writeParameters(double[] source);

    /** Writes prediction minus target of sample {@code row} to {@code residual[0 .. outputSize)}. */
    abstract void residual(int row, double[] residual);

    /** Writes the {@code outputSize x parameterCount} Jacobian of sample {@code row}, row-major. */
    abstract void jacobian(int row, double[] jacobian);

    /** A {@link DoubleModel} with {@code double} data. */
    private static final class Doubles extends LeastSquaresData {
        private final DoubleModel model;
        private final double[] inputs;
        private final double[] targets;
        private final double[] input;
        private final double[] prediction;

        Doubles(DoubleModel model, double[] inputs, double[] targets, int rows) {
            super(
                    rows,
                    model.inputSize(),
                    model.outputSize(),
                    model.parameterCount(),
                    Math.ulp(1.0),
                    sumOfSquares(targets, rows * model.outputSize()));
            this.model = model;
            this.inputs = inputs;
            this.targets = targets;
            this.input = new double[inputSize];
            this.prediction = new double[outputSize];
        }

        @Override
        void readParameters(double[] destination) {
            System.arraycopy(model.parameters(), 0, destination, 0, parameterCount);
        }

        @Override
        boolean writeParameters(double[] source) {
            for (double value : source) {
                if (!Double.isFinite(value)) {
                    return false;
                }
            }
            model.setParameters(source);
            return true;
        }

        @Override
        void residual(int row, double[] residual) {
            model.predict(inputs, row * inputSize, prediction, 0);
            int target = row * outputSize;
            for (int k = 0; k < outputSize; k++) {
                residual[k] = prediction[k] - targets[target + k];
            }
        }

        @Override
        void jacobian(int row, double[] jacobian) {
            System.arraycopy(inputs, row * inputSize, input, 0, inputSize);
            model.jacobian(input, jacobian);
        }
    }

    /** A {@link FloatModel} with {@code float} data, converted as it is read. */
    private static final class Floats extends LeastSquaresData {
        private final FloatModel model;
        private final float[] inputs;
        private final float[] targets;
        private final float[] input;
        private final float[] prediction;
        private final float[] parameters;
        private final float[] jacobian;

        Floats(FloatModel model, float[] inputs, float[] targets, int rows) {
            super(
                    rows,
                    model.inputSize(),
                    model.outputSize(),
                    model.parameterCount(),
                    Math.ulp(1f),
                    sumOfSquares(targets, rows * model.outputSize()));
            this.model = model;
            this.inputs = inputs;
            this.targets = targets;
            this.input = new float[inputSize];
            this.prediction = new float[outputSize];
            this.parameters = new float[parameterCount];
            this.jacobian = new float[outputSize * parameterCount];
        }

        @Override
        void readParameters(double[] destination) {
            float[] source = model.parameters();
            for (int p = 0; p < parameterCount; p++) {
                destination[p] = source[p];
            }
        }

        @Override
        boolean writeParameters(double[] source) {
            for (int p = 0; p < parameterCount; p++) {
                float value = (float) source[p];
                if (!Float.isFinite(value)) {
                    return false;
                }
                parameters[p] = value;
            }
            model.setParameters(parameters);
            return true;
        }

        @Override
        void residual(int row, double[] residual) {
            model.predict(inputs, row * inputSize, prediction, 0);
            int target = row * outputSize;
            for (int k = 0; k < outputSize; k++) {
                residual[k] = (double) prediction[k] - targets[target + k];
            }
        }

        @Override
        void jacobian(int row, double[] jacobian) {
            System.arraycopy(inputs, row * inputSize, input, 0, inputSize);
            model.jacobian(input, this.jacobian);
            for (int i = 0; i < this.jacobian.length; i++) {
                jacobian[i] = this.jacobian[i];
            }
        }
    }
}
