package dev.chainrule.optim;

// double twin: DoubleStub (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;

/** A {@link FloatModel} of {@link HandModels} whose training methods are not needed here. */
abstract class FloatStub implements FloatModel {
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
        // twin: float only
        return Precision.FLOAT;
        // twin: double only
        // return Precision.DOUBLE;
        // twin: end
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
