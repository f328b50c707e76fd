package dev.chainrule.kernel.vector;

import dev.chainrule.kernel.LinearAlgebra;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels written with the Vector API at the CPU's preferred width, with fused multiply-adds.
 * Loaded only when {@code jdk.incubator.vector} is present (see {@code Kernels}); nothing else
 * in Chainrule refers to the module.
 */
public final class VectorLinearAlgebra implements LinearAlgebra {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        int bound = F.loopBound(n);
        if (bound > 0) {
            FloatVector va = FloatVector.broadcast(F, a);
            for (; j < bound; j += F.length()) {
                FloatVector vx = FloatVector.fromArray(F, x, xo + j);
                FloatVector vy = FloatVector.fromArray(F, y, yo + j);
                vx.fma(va, vy).intoArray(y, yo + j);
            }
        }
        for (; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    @Override
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        int step = F.length();
        float sum = 0;
        if (n >= 2 * step) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F);
            for (; j + 2 * step <= n; j += 2 * step) {
                s0 = FloatVector.fromArray(F, x, xo + j).fma(FloatVector.fromArray(F, y, yo + j), s0);
                s1 = FloatVector.fromArray(F, x, xo + j + step).fma(FloatVector.fromArray(F, y, yo + j + step), s1);
            }
            sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; j < n; j++) {
            sum += x[xo + j] * y[yo + j];
        }
        return sum;
    }

    @Override
    public void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        int j = 0;
        int bound = D.loopBound(n);
        if (bound > 0) {
            DoubleVector va = DoubleVector.broadcast(D, a);
            for (; j < bound; j += D.length()) {
                DoubleVector vx = DoubleVector.fromArray(D, x, xo + j);
                DoubleVector vy = DoubleVector.fromArray(D, y, yo + j);
                vx.fma(va, vy).intoArray(y, yo + j);
            }
        }
        for (; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    @Override
    public double dot(double[] x, int xo, double[] y, int yo, int n) {
        int j = 0;
        int step = D.length();
        double sum = 0;
        if (n >= 2 * step) {
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            for (; j + 2 * step <= n; j += 2 * step) {
                s0 = DoubleVector.fromArray(D, x, xo + j).fma(DoubleVector.fromArray(D, y, yo + j), s0);
                s1 = DoubleVector.fromArray(D, x, xo + j + step).fma(DoubleVector.fromArray(D, y, yo + j + step), s1);
            }
            sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        for (; j < n; j++) {
            sum += x[xo + j] * y[yo + j];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector (" + F.vectorBitSize() + "-bit)";
    }
}
