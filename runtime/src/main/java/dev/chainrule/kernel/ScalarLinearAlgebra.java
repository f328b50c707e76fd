package dev.chainrule.kernel;

/**
 * Plain Java kernels, correct on every JVM: {@code ScalarFloatKernels} and its generated double
 * twin {@code ScalarDoubleKernels}. The dot products keep four partial sums: the additions of one
 * sum depend on each other, four independent chains keep the floating-point units busy (C2 does
 * not reorder float additions on its own). The matrix products go through a block of rows one
 * weight row at a time, so each weight row is read from memory once per block rather than once
 * per row; inputs that are exactly zero are skipped (not a NaN: {@code NaN != 0}, so it still
 * reaches every output).
 */
public class ScalarLinearAlgebra implements LinearAlgebra {

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        ScalarFloatKernels.axpy(a, x, xo, y, yo, n);
    }

    @Override
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
        return ScalarFloatKernels.dot(x, xo, y, yo, n);
    }

    @Override
    public double sumOfSquares(float[] g, float[] p, int start, int n) {
        double total = 0;
        for (int from = start; from < start + n; from += SQUARES_BLOCK) {
            int to = Math.min(start + n, from + SQUARES_BLOCK);
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                s0 += g[i] * g[i] + 0 * p[i];
                s1 += g[i + 1] * g[i + 1] + 0 * p[i + 1];
                s2 += g[i + 2] * g[i + 2] + 0 * p[i + 2];
                s3 += g[i + 3] * g[i + 3] + 0 * p[i + 3];
            }
            for (; i < to; i++) {
                s0 += g[i] * g[i] + 0 * p[i];
            }
            total += (s0 + s1) + (s2 + s3);
        }
        return total;
    }

    @Override
    public void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        ScalarDoubleKernels.axpy(a, x, xo, y, yo, n);
    }

    @Override
    public double dot(double[] x, int xo, double[] y, int yo, int n) {
        return ScalarDoubleKernels.dot(x, xo, y, yo, n);
    }

    @Override
    public void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        ScalarFloatKernels.addRows(rows, n, d, dOff, dStride, g, go);
    }

    @Override
    public void relu(float[] z, int zo, float[] a, int ao, int n) {
        ScalarFloatKernels.relu(z, zo, a, ao, n);
    }

    @Override
    public void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        ScalarFloatKernels.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    @Override
    public void addRows(int rows, int n, double[] d, int dOff, int dStride, double[] g, int go) {
        ScalarDoubleKernels.addRows(rows, n, d, dOff, dStride, g, go);
    }

    @Override
    public void relu(double[] z, int zo, double[] a, int ao, int n) {
        ScalarDoubleKernels.relu(z, zo, a, ao, n);
    }

    @Override
    public void scaleByReluDerivative(double[] d, int dOff, double[] z, int zo, int n) {
        ScalarDoubleKernels.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        ScalarFloatKernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        ScalarDoubleKernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
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
        ScalarFloatKernels.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
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
        ScalarFloatKernels.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
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
        ScalarFloatKernels.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
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
        ScalarDoubleKernels.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
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
        ScalarDoubleKernels.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
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
        ScalarDoubleKernels.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
    }

    @Override
    public String name() {
        return "scalar";
    }
}
