package dev.chainrule.kernel.vector;

import dev.chainrule.kernel.LinearAlgebra;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels written with the Vector API at the CPU's preferred width, with fused multiply-adds:
 * {@link FloatKernels} and its generated double twin {@code DoubleKernels}. Loaded only when
 * {@code jdk.incubator.vector} is present (see {@code Kernels}); nothing else in Chainrule refers
 * to the module.
 */
public final class VectorLinearAlgebra implements LinearAlgebra {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatKernels.axpy(a, x, xo, y, yo, n);
    }

    @Override
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
        return FloatKernels.dot(x, xo, y, yo, n);
    }

    @Override
    public void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        DoubleKernels.axpy(a, x, xo, y, yo, n);
    }

    @Override
    public double dot(double[] x, int xo, double[] y, int yo, int n) {
        return DoubleKernels.dot(x, xo, y, yo, n);
    }

    @Override
    public void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        FloatKernels.addRows(rows, n, d, dOff, dStride, g, go);
    }

    @Override
    public void relu(float[] z, int zo, float[] a, int ao, int n) {
        FloatKernels.relu(z, zo, a, ao, n);
    }

    @Override
    public void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        FloatKernels.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    @Override
    public void addRows(int rows, int n, double[] d, int dOff, int dStride, double[] g, int go) {
        DoubleKernels.addRows(rows, n, d, dOff, dStride, g, go);
    }

    @Override
    public void relu(double[] z, int zo, double[] a, int ao, int n) {
        DoubleKernels.relu(z, zo, a, ao, n);
    }

    @Override
    public void scaleByReluDerivative(double[] d, int dOff, double[] z, int zo, int n) {
        DoubleKernels.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        FloatKernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        DoubleKernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
    }

    @Override
    public void multiply(
            int rows,
            int in,
            int out,
            float[] x,
            int xo,
            int xStride,
            float[] w,
            int wo,
            float[] z,
            int zo,
            int zStride) {
        FloatKernels.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
    }

    @Override
    public void multiplyTransposedLeft(
            int rows,
            int in,
            int out,
            float[] x,
            int xo,
            int xStride,
            float[] d,
            int dOff,
            int dStride,
            float[] g,
            int go) {
        FloatKernels.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
    }

    @Override
    public void multiplyTransposedRight(
            int rows,
            int in,
            int out,
            float[] d,
            int dOff,
            int dStride,
            float[] w,
            int wo,
            float[] p,
            int po,
            int pStride) {
        FloatKernels.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
    }

    @Override
    public void multiply(
            int rows,
            int in,
            int out,
            double[] x,
            int xo,
            int xStride,
            double[] w,
            int wo,
            double[] z,
            int zo,
            int zStride) {
        DoubleKernels.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
    }

    @Override
    public void multiplyTransposedLeft(
            int rows,
            int in,
            int out,
            double[] x,
            int xo,
            int xStride,
            double[] d,
            int dOff,
            int dStride,
            double[] g,
            int go) {
        DoubleKernels.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
    }

    @Override
    public void multiplyTransposedRight(
            int rows,
            int in,
            int out,
            double[] d,
            int dOff,
            int dStride,
            double[] w,
            int wo,
            double[] p,
            int po,
            int pStride) {
        DoubleKernels.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
    }

    @Override
    public double sumOfSquares(float[] g, float[] p, int from, int n) {
        int bound = from + n - n % (2 * F.length());
        double total = 0;
        for (int block = from; block < bound; block += SQUARES_BLOCK) {
            total += blockSumOfSquares(g, p, block, Math.min(bound, block + SQUARES_BLOCK));
        }
        float tail = 0;
        for (int i = bound; i < from + n; i++) {
            tail += g[i] * g[i] + 0 * p[i];
        }
        return total + tail;
    }

    /**
     * The float sum of {@code g[i]^2 + 0 p[i]} over {@code [from, to)}, a whole number of pairs of
     * vectors. A method of its own, with one loop, so that no vector is live across two loops: on
     * JDK 17, C2 sometimes kept such a vector in a heap object, allocated on every call.
     */
    private static float blockSumOfSquares(float[] g, float[] p, int from, int to) {
        int v = F.length();
        FloatVector zero = FloatVector.zero(F);
        FloatVector s0 = zero;
        FloatVector s1 = zero;
        for (int i = from; i < to; i += 2 * v) {
            FloatVector g0 = FloatVector.fromArray(F, g, i);
            FloatVector g1 = FloatVector.fromArray(F, g, i + v);
            // + 0 * p: NaN when a parameter is not finite
            s0 = g0.fma(g0, FloatVector.fromArray(F, p, i).fma(zero, s0));
            s1 = g1.fma(g1, FloatVector.fromArray(F, p, i + v).fma(zero, s1));
        }
        return s0.add(s1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public String name() {
        return "vector (" + F.vectorBitSize() + "-bit)";
    }
}
