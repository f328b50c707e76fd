package dev.chainrule.kernel.vector;

import dev.chainrule.kernel.LinearAlgebra;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels written with the Vector API at the CPU's preferred width, with fused multiply-adds.
 * Loaded only when {@code jdk.incubator.vector} is present (see {@code Kernels}); nothing else
 * in Chainrule refers to the module.
 *
 * <p>The float matrix products keep a block of results in vector registers while they run over
 * the shared dimension, so every value loaded from memory feeds several multiply-adds: 4 rows
 * by 2 vectors of units for {@code multiply} and {@code multiplyTransposedLeft}, 2 rows by 4
 * inputs for {@code multiplyTransposedRight}. Units past the last block of two vectors take one
 * vector, then sums in registers; an output layer of ten classes is such an edge. Weight rows
 * shorter than two vectors are transposed once per call into a buffer each thread keeps, so
 * that {@code multiplyTransposedRight} runs as a {@code multiply} instead of a reduction per
 * input. The double matrix products are the same kernels over double vectors, half as many
 * lanes wide.
 *
 * <p>The register-blocked loops have no data-dependent branch, not even one skipping inputs that
 * are all zero: on JDK 17, C2 then stops keeping the accumulators in registers and allocates a
 * vector object per operation (measured: 650 MB and ten times the time per training step of a
 * 784-512-512-10 network; {@code AllocationTest} guards it).
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
    public double sumOfSquares(float[] g, float[] p, int n) {
        int bound = n - n % (2 * F.length());
        double total = 0;
        for (int from = 0; from < bound; from += SQUARES_BLOCK) {
            total += blockSumOfSquares(g, p, from, Math.min(bound, from + SQUARES_BLOCK));
        }
        float tail = 0;
        for (int i = bound; i < n; i++) {
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

    /**
     * Sixteen, then four vectors of {@code z} stay in registers while every non-zero input adds
     * its scaled weights to them: one load per multiply-add, where an axpy per input also loads
     * and stores {@code z}. Sixteen vectors read each weight row in one run of consecutive cache
     * lines; four vectors leave three quarters of every line for a later pass, which the
     * prefetchers serve far worse (measured on a 784 x 128 layer: 7.0 against 10.9 us).
     */
    @Override
    public void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        int v = F.length();
        int j = 0;
        for (; j + 16 * v <= out; j += 16 * v) {
            sparseRowSixteen(count, index, values, out, w, wo + j, z, zo + j);
        }
        for (; j + 4 * v <= out; j += 4 * v) {
            FloatVector a0 = FloatVector.fromArray(F, z, zo + j);
            FloatVector a1 = FloatVector.fromArray(F, z, zo + j + v);
            FloatVector a2 = FloatVector.fromArray(F, z, zo + j + 2 * v);
            FloatVector a3 = FloatVector.fromArray(F, z, zo + j + 3 * v);
            for (int k = 0; k < count; k++) {
                int wi = wo + index[k] * out + j;
                FloatVector b = FloatVector.broadcast(F, values[k]);
                a0 = FloatVector.fromArray(F, w, wi).fma(b, a0);
                a1 = FloatVector.fromArray(F, w, wi + v).fma(b, a1);
                a2 = FloatVector.fromArray(F, w, wi + 2 * v).fma(b, a2);
                a3 = FloatVector.fromArray(F, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zo + j);
            a1.intoArray(z, zo + j + v);
            a2.intoArray(z, zo + j + 2 * v);
            a3.intoArray(z, zo + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            FloatVector a = FloatVector.fromArray(F, z, zo + j);
            for (int k = 0; k < count; k++) {
                a = FloatVector.fromArray(F, w, wo + index[k] * out + j).fma(FloatVector.broadcast(F, values[k]), a);
            }
            a.intoArray(z, zo + j);
        }
        for (; j < out; j++) {
            float sum = z[zo + j];
            for (int k = 0; k < count; k++) {
                sum += values[k] * w[wo + index[k] * out + j];
            }
            z[zo + j] = sum;
        }
    }

    /** {@code z[zo ..]} += the non-zero inputs times sixteen vectors of their weight rows, from {@code w[wo ..]}. */
    private static void sparseRowSixteen(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        int v = F.length();
        FloatVector a0 = FloatVector.fromArray(F, z, zo);
        FloatVector a1 = FloatVector.fromArray(F, z, zo + v);
        FloatVector a2 = FloatVector.fromArray(F, z, zo + 2 * v);
        FloatVector a3 = FloatVector.fromArray(F, z, zo + 3 * v);
        FloatVector a4 = FloatVector.fromArray(F, z, zo + 4 * v);
        FloatVector a5 = FloatVector.fromArray(F, z, zo + 5 * v);
        FloatVector a6 = FloatVector.fromArray(F, z, zo + 6 * v);
        FloatVector a7 = FloatVector.fromArray(F, z, zo + 7 * v);
        FloatVector a8 = FloatVector.fromArray(F, z, zo + 8 * v);
        FloatVector a9 = FloatVector.fromArray(F, z, zo + 9 * v);
        FloatVector a10 = FloatVector.fromArray(F, z, zo + 10 * v);
        FloatVector a11 = FloatVector.fromArray(F, z, zo + 11 * v);
        FloatVector a12 = FloatVector.fromArray(F, z, zo + 12 * v);
        FloatVector a13 = FloatVector.fromArray(F, z, zo + 13 * v);
        FloatVector a14 = FloatVector.fromArray(F, z, zo + 14 * v);
        FloatVector a15 = FloatVector.fromArray(F, z, zo + 15 * v);
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            FloatVector b = FloatVector.broadcast(F, values[k]);
            a0 = FloatVector.fromArray(F, w, wi).fma(b, a0);
            a1 = FloatVector.fromArray(F, w, wi + v).fma(b, a1);
            a2 = FloatVector.fromArray(F, w, wi + 2 * v).fma(b, a2);
            a3 = FloatVector.fromArray(F, w, wi + 3 * v).fma(b, a3);
            a4 = FloatVector.fromArray(F, w, wi + 4 * v).fma(b, a4);
            a5 = FloatVector.fromArray(F, w, wi + 5 * v).fma(b, a5);
            a6 = FloatVector.fromArray(F, w, wi + 6 * v).fma(b, a6);
            a7 = FloatVector.fromArray(F, w, wi + 7 * v).fma(b, a7);
            a8 = FloatVector.fromArray(F, w, wi + 8 * v).fma(b, a8);
            a9 = FloatVector.fromArray(F, w, wi + 9 * v).fma(b, a9);
            a10 = FloatVector.fromArray(F, w, wi + 10 * v).fma(b, a10);
            a11 = FloatVector.fromArray(F, w, wi + 11 * v).fma(b, a11);
            a12 = FloatVector.fromArray(F, w, wi + 12 * v).fma(b, a12);
            a13 = FloatVector.fromArray(F, w, wi + 13 * v).fma(b, a13);
            a14 = FloatVector.fromArray(F, w, wi + 14 * v).fma(b, a14);
            a15 = FloatVector.fromArray(F, w, wi + 15 * v).fma(b, a15);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + v);
        a2.intoArray(z, zo + 2 * v);
        a3.intoArray(z, zo + 3 * v);
        a4.intoArray(z, zo + 4 * v);
        a5.intoArray(z, zo + 5 * v);
        a6.intoArray(z, zo + 6 * v);
        a7.intoArray(z, zo + 7 * v);
        a8.intoArray(z, zo + 8 * v);
        a9.intoArray(z, zo + 9 * v);
        a10.intoArray(z, zo + 10 * v);
        a11.intoArray(z, zo + 11 * v);
        a12.intoArray(z, zo + 12 * v);
        a13.intoArray(z, zo + 13 * v);
        a14.intoArray(z, zo + 14 * v);
        a15.intoArray(z, zo + 15 * v);
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        int v = D.length();
        int j = 0;
        for (; j + 16 * v <= out; j += 16 * v) {
            sparseRowSixteen(count, index, values, out, w, wo + j, z, zo + j);
        }
        for (; j + 4 * v <= out; j += 4 * v) {
            DoubleVector a0 = DoubleVector.fromArray(D, z, zo + j);
            DoubleVector a1 = DoubleVector.fromArray(D, z, zo + j + v);
            DoubleVector a2 = DoubleVector.fromArray(D, z, zo + j + 2 * v);
            DoubleVector a3 = DoubleVector.fromArray(D, z, zo + j + 3 * v);
            for (int k = 0; k < count; k++) {
                int wi = wo + index[k] * out + j;
                DoubleVector b = DoubleVector.broadcast(D, values[k]);
                a0 = DoubleVector.fromArray(D, w, wi).fma(b, a0);
                a1 = DoubleVector.fromArray(D, w, wi + v).fma(b, a1);
                a2 = DoubleVector.fromArray(D, w, wi + 2 * v).fma(b, a2);
                a3 = DoubleVector.fromArray(D, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zo + j);
            a1.intoArray(z, zo + j + v);
            a2.intoArray(z, zo + j + 2 * v);
            a3.intoArray(z, zo + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            DoubleVector a = DoubleVector.fromArray(D, z, zo + j);
            for (int k = 0; k < count; k++) {
                a = DoubleVector.fromArray(D, w, wo + index[k] * out + j).fma(DoubleVector.broadcast(D, values[k]), a);
            }
            a.intoArray(z, zo + j);
        }
        for (; j < out; j++) {
            double sum = z[zo + j];
            for (int k = 0; k < count; k++) {
                sum += values[k] * w[wo + index[k] * out + j];
            }
            z[zo + j] = sum;
        }
    }

    /** {@code z[zo ..]} += the non-zero inputs times sixteen vectors of their weight rows, from {@code w[wo ..]}. */
    private static void sparseRowSixteen(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        int v = D.length();
        DoubleVector a0 = DoubleVector.fromArray(D, z, zo);
        DoubleVector a1 = DoubleVector.fromArray(D, z, zo + v);
        DoubleVector a2 = DoubleVector.fromArray(D, z, zo + 2 * v);
        DoubleVector a3 = DoubleVector.fromArray(D, z, zo + 3 * v);
        DoubleVector a4 = DoubleVector.fromArray(D, z, zo + 4 * v);
        DoubleVector a5 = DoubleVector.fromArray(D, z, zo + 5 * v);
        DoubleVector a6 = DoubleVector.fromArray(D, z, zo + 6 * v);
        DoubleVector a7 = DoubleVector.fromArray(D, z, zo + 7 * v);
        DoubleVector a8 = DoubleVector.fromArray(D, z, zo + 8 * v);
        DoubleVector a9 = DoubleVector.fromArray(D, z, zo + 9 * v);
        DoubleVector a10 = DoubleVector.fromArray(D, z, zo + 10 * v);
        DoubleVector a11 = DoubleVector.fromArray(D, z, zo + 11 * v);
        DoubleVector a12 = DoubleVector.fromArray(D, z, zo + 12 * v);
        DoubleVector a13 = DoubleVector.fromArray(D, z, zo + 13 * v);
        DoubleVector a14 = DoubleVector.fromArray(D, z, zo + 14 * v);
        DoubleVector a15 = DoubleVector.fromArray(D, z, zo + 15 * v);
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            DoubleVector b = DoubleVector.broadcast(D, values[k]);
            a0 = DoubleVector.fromArray(D, w, wi).fma(b, a0);
            a1 = DoubleVector.fromArray(D, w, wi + v).fma(b, a1);
            a2 = DoubleVector.fromArray(D, w, wi + 2 * v).fma(b, a2);
            a3 = DoubleVector.fromArray(D, w, wi + 3 * v).fma(b, a3);
            a4 = DoubleVector.fromArray(D, w, wi + 4 * v).fma(b, a4);
            a5 = DoubleVector.fromArray(D, w, wi + 5 * v).fma(b, a5);
            a6 = DoubleVector.fromArray(D, w, wi + 6 * v).fma(b, a6);
            a7 = DoubleVector.fromArray(D, w, wi + 7 * v).fma(b, a7);
            a8 = DoubleVector.fromArray(D, w, wi + 8 * v).fma(b, a8);
            a9 = DoubleVector.fromArray(D, w, wi + 9 * v).fma(b, a9);
            a10 = DoubleVector.fromArray(D, w, wi + 10 * v).fma(b, a10);
            a11 = DoubleVector.fromArray(D, w, wi + 11 * v).fma(b, a11);
            a12 = DoubleVector.fromArray(D, w, wi + 12 * v).fma(b, a12);
            a13 = DoubleVector.fromArray(D, w, wi + 13 * v).fma(b, a13);
            a14 = DoubleVector.fromArray(D, w, wi + 14 * v).fma(b, a14);
            a15 = DoubleVector.fromArray(D, w, wi + 15 * v).fma(b, a15);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + v);
        a2.intoArray(z, zo + 2 * v);
        a3.intoArray(z, zo + 3 * v);
        a4.intoArray(z, zo + 4 * v);
        a5.intoArray(z, zo + 5 * v);
        a6.intoArray(z, zo + 6 * v);
        a7.intoArray(z, zo + 7 * v);
        a8.intoArray(z, zo + 8 * v);
        a9.intoArray(z, zo + 9 * v);
        a10.intoArray(z, zo + 10 * v);
        a11.intoArray(z, zo + 11 * v);
        a12.intoArray(z, zo + 12 * v);
        a13.intoArray(z, zo + 13 * v);
        a14.intoArray(z, zo + 14 * v);
        a15.intoArray(z, zo + 15 * v);
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
        int v = F.length();
        int fullRows = rows - rows % 4;
        int j = 0;
        // columns outermost: a panel of two vectors of columns of w, read for every block of rows,
        // stays in cache however large w is
        for (; j + 2 * v <= out; j += 2 * v) {
            for (int r = 0; r < fullRows; r += 4) {
                multiplyBlock(in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
        }
        for (int r = 0; r < fullRows; r += 4) {
            // the units past the last block: x's rows are the four rows, w's rows the inputs
            edgeColumns(j, out, in, x, xo + r * xStride, xStride, 1, w, wo, out, z, zo + r * zStride, zStride);
        }
        for (int r = fullRows; r < rows; r++) {
            denseRow(in, out, x, xo + r * xStride, w, wo, z, zo + r * zStride);
        }
    }

    /**
     * {@code z[q][0 .. 2v) += sum_i x[q][i] w[i][0 .. 2v)} for four rows {@code q}: eight vectors
     * of {@code z} in registers over every input. Row {@code q} of {@code x} starts at {@code x0 +
     * q * xStride}, of {@code z} at {@code z0 + q * zStride}; row {@code i} of {@code w} at {@code
     * w0 + i * out}.
     */
    private static void multiplyBlock(
            int in, int out, float[] x, int x0, int xStride, float[] w, int w0, float[] z, int z0, int zStride) {
        int v = F.length();
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int z1 = z0 + zStride;
        int z2 = z1 + zStride;
        int z3 = z2 + zStride;
        FloatVector a00 = FloatVector.fromArray(F, z, z0);
        FloatVector a01 = FloatVector.fromArray(F, z, z0 + v);
        FloatVector a10 = FloatVector.fromArray(F, z, z1);
        FloatVector a11 = FloatVector.fromArray(F, z, z1 + v);
        FloatVector a20 = FloatVector.fromArray(F, z, z2);
        FloatVector a21 = FloatVector.fromArray(F, z, z2 + v);
        FloatVector a30 = FloatVector.fromArray(F, z, z3);
        FloatVector a31 = FloatVector.fromArray(F, z, z3 + v);
        for (int i = 0; i < in; i++) {
            float c0 = x[x0 + i];
            float c1 = x[x1 + i];
            float c2 = x[x2 + i];
            float c3 = x[x3 + i];
            int wi = w0 + i * out;
            FloatVector u0 = FloatVector.fromArray(F, w, wi);
            FloatVector u1 = FloatVector.fromArray(F, w, wi + v);
            FloatVector b = FloatVector.broadcast(F, c0);
            a00 = u0.fma(b, a00);
            a01 = u1.fma(b, a01);
            b = FloatVector.broadcast(F, c1);
            a10 = u0.fma(b, a10);
            a11 = u1.fma(b, a11);
            b = FloatVector.broadcast(F, c2);
            a20 = u0.fma(b, a20);
            a21 = u1.fma(b, a21);
            b = FloatVector.broadcast(F, c3);
            a30 = u0.fma(b, a30);
            a31 = u1.fma(b, a31);
        }
        a00.intoArray(z, z0);
        a01.intoArray(z, z0 + v);
        a10.intoArray(z, z1);
        a11.intoArray(z, z1 + v);
        a20.intoArray(z, z2);
        a21.intoArray(z, z2 + v);
        a30.intoArray(z, z3);
        a31.intoArray(z, z3 + v);
    }

    /**
     * {@code c[q][j'] += sum_k a[q][k] b[k][j']} for four rows {@code q} and the columns {@code j'}
     * from {@code j} to {@code out}, past the last two-vector block of a register-blocked product:
     * one vector of columns, then four sums in registers per column. Element {@code a[q][k]} is at
     * {@code a0 + q * aq + k * ak}, row {@code k} of {@code b} at {@code bo + k * bk}, row {@code q}
     * of {@code c} at {@code c0 + q * cStride}.
     */
    private static void edgeColumns(
            int j,
            int out,
            int n,
            float[] a,
            int a0,
            int aq,
            int ak,
            float[] b,
            int bo,
            int bk,
            float[] c,
            int c0,
            int cStride) {
        int v = F.length();
        int c1 = c0 + cStride;
        int c2 = c1 + cStride;
        int c3 = c2 + cStride;
        if (j + v <= out) {
            FloatVector s0 = FloatVector.fromArray(F, c, c0 + j);
            FloatVector s1 = FloatVector.fromArray(F, c, c1 + j);
            FloatVector s2 = FloatVector.fromArray(F, c, c2 + j);
            FloatVector s3 = FloatVector.fromArray(F, c, c3 + j);
            for (int k = 0; k < n; k++) {
                int ak0 = a0 + k * ak;
                FloatVector u = FloatVector.fromArray(F, b, bo + k * bk + j);
                s0 = u.fma(FloatVector.broadcast(F, a[ak0]), s0);
                s1 = u.fma(FloatVector.broadcast(F, a[ak0 + aq]), s1);
                s2 = u.fma(FloatVector.broadcast(F, a[ak0 + 2 * aq]), s2);
                s3 = u.fma(FloatVector.broadcast(F, a[ak0 + 3 * aq]), s3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
            j += v;
        }
        for (; j < out; j++) {
            float s0 = c[c0 + j];
            float s1 = c[c1 + j];
            float s2 = c[c2 + j];
            float s3 = c[c3 + j];
            for (int k = 0; k < n; k++) {
                int ak0 = a0 + k * ak;
                float u = b[bo + k * bk + j];
                s0 += a[ak0] * u;
                s1 += a[ak0 + aq] * u;
                s2 += a[ak0 + 2 * aq] * u;
                s3 += a[ak0 + 3 * aq] * u;
            }
            c[c0 + j] = s0;
            c[c1 + j] = s1;
            c[c2 + j] = s2;
            c[c3 + j] = s3;
        }
    }

    /**
     * {@code z[zr + j] += sum_i x[xr + i] w[i][j]} for one row: four vectors of {@code z} in
     * registers over every input, zero or not, so that the vector loop has no branch.
     */
    private static void denseRow(int in, int out, float[] x, int xr, float[] w, int wo, float[] z, int zr) {
        int v = F.length();
        int j = 0;
        for (; j + 4 * v <= out; j += 4 * v) {
            FloatVector a0 = FloatVector.fromArray(F, z, zr + j);
            FloatVector a1 = FloatVector.fromArray(F, z, zr + j + v);
            FloatVector a2 = FloatVector.fromArray(F, z, zr + j + 2 * v);
            FloatVector a3 = FloatVector.fromArray(F, z, zr + j + 3 * v);
            for (int i = 0; i < in; i++) {
                int wi = wo + i * out + j;
                FloatVector b = FloatVector.broadcast(F, x[xr + i]);
                a0 = FloatVector.fromArray(F, w, wi).fma(b, a0);
                a1 = FloatVector.fromArray(F, w, wi + v).fma(b, a1);
                a2 = FloatVector.fromArray(F, w, wi + 2 * v).fma(b, a2);
                a3 = FloatVector.fromArray(F, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zr + j);
            a1.intoArray(z, zr + j + v);
            a2.intoArray(z, zr + j + 2 * v);
            a3.intoArray(z, zr + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            FloatVector a = FloatVector.fromArray(F, z, zr + j);
            for (int i = 0; i < in; i++) {
                a = FloatVector.fromArray(F, w, wo + i * out + j).fma(FloatVector.broadcast(F, x[xr + i]), a);
            }
            a.intoArray(z, zr + j);
        }
        for (; j < out; j++) {
            float sum = z[zr + j];
            for (int i = 0; i < in; i++) {
                sum += x[xr + i] * w[wo + i * out + j];
            }
            z[zr + j] = sum;
        }
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
        int v = F.length();
        int i = 0;
        for (; i + 4 <= in; i += 4) {
            int g0 = go + i * out;
            int g1 = g0 + out;
            int g2 = g1 + out;
            int g3 = g2 + out;
            int j = 0;
            for (; j + 2 * v <= out; j += 2 * v) {
                FloatVector a00 = FloatVector.fromArray(F, g, g0 + j);
                FloatVector a01 = FloatVector.fromArray(F, g, g0 + j + v);
                FloatVector a10 = FloatVector.fromArray(F, g, g1 + j);
                FloatVector a11 = FloatVector.fromArray(F, g, g1 + j + v);
                FloatVector a20 = FloatVector.fromArray(F, g, g2 + j);
                FloatVector a21 = FloatVector.fromArray(F, g, g2 + j + v);
                FloatVector a30 = FloatVector.fromArray(F, g, g3 + j);
                FloatVector a31 = FloatVector.fromArray(F, g, g3 + j + v);
                for (int r = 0; r < rows; r++) {
                    int xr = xo + r * xStride + i;
                    float c0 = x[xr];
                    float c1 = x[xr + 1];
                    float c2 = x[xr + 2];
                    float c3 = x[xr + 3];
                    int dr = dOff + r * dStride + j;
                    FloatVector d0 = FloatVector.fromArray(F, d, dr);
                    FloatVector d1 = FloatVector.fromArray(F, d, dr + v);
                    FloatVector b = FloatVector.broadcast(F, c0);
                    a00 = d0.fma(b, a00);
                    a01 = d1.fma(b, a01);
                    b = FloatVector.broadcast(F, c1);
                    a10 = d0.fma(b, a10);
                    a11 = d1.fma(b, a11);
                    b = FloatVector.broadcast(F, c2);
                    a20 = d0.fma(b, a20);
                    a21 = d1.fma(b, a21);
                    b = FloatVector.broadcast(F, c3);
                    a30 = d0.fma(b, a30);
                    a31 = d1.fma(b, a31);
                }
                a00.intoArray(g, g0 + j);
                a01.intoArray(g, g0 + j + v);
                a10.intoArray(g, g1 + j);
                a11.intoArray(g, g1 + j + v);
                a20.intoArray(g, g2 + j);
                a21.intoArray(g, g2 + j + v);
                a30.intoArray(g, g3 + j);
                a31.intoArray(g, g3 + j + v);
            }
            // the units past the last block: x's columns i to i + 3 are the four rows, d's rows the sum
            edgeColumns(j, out, rows, x, xo + i, 1, xStride, d, dOff, dStride, g, g0, out);
        }
        for (; i < in; i++) {
            int gRow = go + i * out;
            for (int r = 0; r < rows; r++) {
                float c = x[xo + r * xStride + i];
                if (c != 0) {
                    axpy(c, d, dOff + r * dStride, g, gRow, out);
                }
            }
        }
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
        int v = F.length();
        if (out < 2 * v && rows >= 4) {
            // Weight rows shorter than two vectors: a dot product per input would be mostly its
            // reduction. Transpose the weights once and run the product the other way round,
            // P = D W^T, with P's rows as the units.
            float[] transposed = transposed(w, wo, in, out);
            for (int r = 0; r < rows; r++) {
                Arrays.fill(p, po + r * pStride, po + r * pStride + in, 0);
            }
            multiply(rows, out, in, d, dOff, dStride, transposed, 0, p, po, pStride);
            return;
        }
        int bound = F.loopBound(out);
        int r = 0;
        for (; r + 2 <= rows; r += 2) {
            int e0 = dOff + r * dStride;
            int e1 = e0 + dStride;
            int p0 = po + r * pStride;
            int p1 = p0 + pStride;
            int i = 0;
            for (; i + 4 <= in; i += 4) {
                int w0 = wo + i * out;
                int w1 = w0 + out;
                int w2 = w1 + out;
                int w3 = w2 + out;
                FloatVector a00 = FloatVector.zero(F);
                FloatVector a01 = FloatVector.zero(F);
                FloatVector a02 = FloatVector.zero(F);
                FloatVector a03 = FloatVector.zero(F);
                FloatVector a10 = FloatVector.zero(F);
                FloatVector a11 = FloatVector.zero(F);
                FloatVector a12 = FloatVector.zero(F);
                FloatVector a13 = FloatVector.zero(F);
                int j = 0;
                for (; j < bound; j += v) {
                    FloatVector f0 = FloatVector.fromArray(F, d, e0 + j);
                    FloatVector f1 = FloatVector.fromArray(F, d, e1 + j);
                    FloatVector u = FloatVector.fromArray(F, w, w0 + j);
                    a00 = u.fma(f0, a00);
                    a10 = u.fma(f1, a10);
                    u = FloatVector.fromArray(F, w, w1 + j);
                    a01 = u.fma(f0, a01);
                    a11 = u.fma(f1, a11);
                    u = FloatVector.fromArray(F, w, w2 + j);
                    a02 = u.fma(f0, a02);
                    a12 = u.fma(f1, a12);
                    u = FloatVector.fromArray(F, w, w3 + j);
                    a03 = u.fma(f0, a03);
                    a13 = u.fma(f1, a13);
                }
                float s00 = a00.reduceLanes(VectorOperators.ADD);
                float s01 = a01.reduceLanes(VectorOperators.ADD);
                float s02 = a02.reduceLanes(VectorOperators.ADD);
                float s03 = a03.reduceLanes(VectorOperators.ADD);
                float s10 = a10.reduceLanes(VectorOperators.ADD);
                float s11 = a11.reduceLanes(VectorOperators.ADD);
                float s12 = a12.reduceLanes(VectorOperators.ADD);
                float s13 = a13.reduceLanes(VectorOperators.ADD);
                for (; j < out; j++) {
                    float f0 = d[e0 + j];
                    float f1 = d[e1 + j];
                    s00 += f0 * w[w0 + j];
                    s01 += f0 * w[w1 + j];
                    s02 += f0 * w[w2 + j];
                    s03 += f0 * w[w3 + j];
                    s10 += f1 * w[w0 + j];
                    s11 += f1 * w[w1 + j];
                    s12 += f1 * w[w2 + j];
                    s13 += f1 * w[w3 + j];
                }
                p[p0 + i] = s00;
                p[p0 + i + 1] = s01;
                p[p0 + i + 2] = s02;
                p[p0 + i + 3] = s03;
                p[p1 + i] = s10;
                p[p1 + i + 1] = s11;
                p[p1 + i + 2] = s12;
                p[p1 + i + 3] = s13;
            }
            for (; i < in; i++) {
                p[p0 + i] = dot(d, e0, w, wo + i * out, out);
                p[p1 + i] = dot(d, e1, w, wo + i * out, out);
            }
        }
        for (; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                p[po + r * pStride + i] = dot(d, dOff + r * dStride, w, wo + i * out, out);
            }
        }
    }

    /** Per thread, a buffer for {@link #transposed}; it grows to the largest size asked for and stays. */
    private static final ThreadLocal<float[][]> TRANSPOSED =
            ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /** {@code w}'s {@code in x out} weights from {@code wo}, transposed into this thread's buffer. */
    private static float[] transposed(float[] w, int wo, int in, int out) {
        float[][] holder = TRANSPOSED.get();
        float[] t = holder[0];
        if (t.length < in * out) {
            t = new float[in * out];
            holder[0] = t;
        }
        for (int i = 0; i < in; i++) {
            int wi = wo + i * out;
            for (int j = 0; j < out; j++) {
                t[j * in + i] = w[wi + j];
            }
        }
        return t;
    }

    // ---- the double products: the float ones' blocking, over twice as few lanes per vector ------

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
        int v = D.length();
        int fullRows = rows - rows % 4;
        int j = 0;
        // columns outermost: a panel of two vectors of columns of w, read for every block of rows,
        // stays in cache however large w is
        for (; j + 2 * v <= out; j += 2 * v) {
            for (int r = 0; r < fullRows; r += 4) {
                multiplyBlock(in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
        }
        for (int r = 0; r < fullRows; r += 4) {
            // the units past the last block: x's rows are the four rows, w's rows the inputs
            edgeColumns(j, out, in, x, xo + r * xStride, xStride, 1, w, wo, out, z, zo + r * zStride, zStride);
        }
        for (int r = fullRows; r < rows; r++) {
            denseRow(in, out, x, xo + r * xStride, w, wo, z, zo + r * zStride);
        }
    }

    private static void multiplyBlock(
            int in, int out, double[] x, int x0, int xStride, double[] w, int w0, double[] z, int z0, int zStride) {
        int v = D.length();
        int x1 = x0 + xStride;
        int x2 = x1 + xStride;
        int x3 = x2 + xStride;
        int z1 = z0 + zStride;
        int z2 = z1 + zStride;
        int z3 = z2 + zStride;
        DoubleVector a00 = DoubleVector.fromArray(D, z, z0);
        DoubleVector a01 = DoubleVector.fromArray(D, z, z0 + v);
        DoubleVector a10 = DoubleVector.fromArray(D, z, z1);
        DoubleVector a11 = DoubleVector.fromArray(D, z, z1 + v);
        DoubleVector a20 = DoubleVector.fromArray(D, z, z2);
        DoubleVector a21 = DoubleVector.fromArray(D, z, z2 + v);
        DoubleVector a30 = DoubleVector.fromArray(D, z, z3);
        DoubleVector a31 = DoubleVector.fromArray(D, z, z3 + v);
        for (int i = 0; i < in; i++) {
            double c0 = x[x0 + i];
            double c1 = x[x1 + i];
            double c2 = x[x2 + i];
            double c3 = x[x3 + i];
            int wi = w0 + i * out;
            DoubleVector u0 = DoubleVector.fromArray(D, w, wi);
            DoubleVector u1 = DoubleVector.fromArray(D, w, wi + v);
            DoubleVector b = DoubleVector.broadcast(D, c0);
            a00 = u0.fma(b, a00);
            a01 = u1.fma(b, a01);
            b = DoubleVector.broadcast(D, c1);
            a10 = u0.fma(b, a10);
            a11 = u1.fma(b, a11);
            b = DoubleVector.broadcast(D, c2);
            a20 = u0.fma(b, a20);
            a21 = u1.fma(b, a21);
            b = DoubleVector.broadcast(D, c3);
            a30 = u0.fma(b, a30);
            a31 = u1.fma(b, a31);
        }
        a00.intoArray(z, z0);
        a01.intoArray(z, z0 + v);
        a10.intoArray(z, z1);
        a11.intoArray(z, z1 + v);
        a20.intoArray(z, z2);
        a21.intoArray(z, z2 + v);
        a30.intoArray(z, z3);
        a31.intoArray(z, z3 + v);
    }

    private static void edgeColumns(
            int j,
            int out,
            int n,
            double[] a,
            int a0,
            int aq,
            int ak,
            double[] b,
            int bo,
            int bk,
            double[] c,
            int c0,
            int cStride) {
        int v = D.length();
        int c1 = c0 + cStride;
        int c2 = c1 + cStride;
        int c3 = c2 + cStride;
        if (j + v <= out) {
            DoubleVector s0 = DoubleVector.fromArray(D, c, c0 + j);
            DoubleVector s1 = DoubleVector.fromArray(D, c, c1 + j);
            DoubleVector s2 = DoubleVector.fromArray(D, c, c2 + j);
            DoubleVector s3 = DoubleVector.fromArray(D, c, c3 + j);
            for (int k = 0; k < n; k++) {
                int ak0 = a0 + k * ak;
                DoubleVector u = DoubleVector.fromArray(D, b, bo + k * bk + j);
                s0 = u.fma(DoubleVector.broadcast(D, a[ak0]), s0);
                s1 = u.fma(DoubleVector.broadcast(D, a[ak0 + aq]), s1);
                s2 = u.fma(DoubleVector.broadcast(D, a[ak0 + 2 * aq]), s2);
                s3 = u.fma(DoubleVector.broadcast(D, a[ak0 + 3 * aq]), s3);
            }
            s0.intoArray(c, c0 + j);
            s1.intoArray(c, c1 + j);
            s2.intoArray(c, c2 + j);
            s3.intoArray(c, c3 + j);
            j += v;
        }
        for (; j < out; j++) {
            double s0 = c[c0 + j];
            double s1 = c[c1 + j];
            double s2 = c[c2 + j];
            double s3 = c[c3 + j];
            for (int k = 0; k < n; k++) {
                int ak0 = a0 + k * ak;
                double u = b[bo + k * bk + j];
                s0 += a[ak0] * u;
                s1 += a[ak0 + aq] * u;
                s2 += a[ak0 + 2 * aq] * u;
                s3 += a[ak0 + 3 * aq] * u;
            }
            c[c0 + j] = s0;
            c[c1 + j] = s1;
            c[c2 + j] = s2;
            c[c3 + j] = s3;
        }
    }

    private static void denseRow(int in, int out, double[] x, int xr, double[] w, int wo, double[] z, int zr) {
        int v = D.length();
        int j = 0;
        for (; j + 4 * v <= out; j += 4 * v) {
            DoubleVector a0 = DoubleVector.fromArray(D, z, zr + j);
            DoubleVector a1 = DoubleVector.fromArray(D, z, zr + j + v);
            DoubleVector a2 = DoubleVector.fromArray(D, z, zr + j + 2 * v);
            DoubleVector a3 = DoubleVector.fromArray(D, z, zr + j + 3 * v);
            for (int i = 0; i < in; i++) {
                int wi = wo + i * out + j;
                DoubleVector b = DoubleVector.broadcast(D, x[xr + i]);
                a0 = DoubleVector.fromArray(D, w, wi).fma(b, a0);
                a1 = DoubleVector.fromArray(D, w, wi + v).fma(b, a1);
                a2 = DoubleVector.fromArray(D, w, wi + 2 * v).fma(b, a2);
                a3 = DoubleVector.fromArray(D, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zr + j);
            a1.intoArray(z, zr + j + v);
            a2.intoArray(z, zr + j + 2 * v);
            a3.intoArray(z, zr + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            DoubleVector a = DoubleVector.fromArray(D, z, zr + j);
            for (int i = 0; i < in; i++) {
                a = DoubleVector.fromArray(D, w, wo + i * out + j).fma(DoubleVector.broadcast(D, x[xr + i]), a);
            }
            a.intoArray(z, zr + j);
        }
        for (; j < out; j++) {
            double sum = z[zr + j];
            for (int i = 0; i < in; i++) {
                sum += x[xr + i] * w[wo + i * out + j];
            }
            z[zr + j] = sum;
        }
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
        int v = D.length();
        int i = 0;
        for (; i + 4 <= in; i += 4) {
            int g0 = go + i * out;
            int g1 = g0 + out;
            int g2 = g1 + out;
            int g3 = g2 + out;
            int j = 0;
            for (; j + 2 * v <= out; j += 2 * v) {
                DoubleVector a00 = DoubleVector.fromArray(D, g, g0 + j);
                DoubleVector a01 = DoubleVector.fromArray(D, g, g0 + j + v);
                DoubleVector a10 = DoubleVector.fromArray(D, g, g1 + j);
                DoubleVector a11 = DoubleVector.fromArray(D, g, g1 + j + v);
                DoubleVector a20 = DoubleVector.fromArray(D, g, g2 + j);
                DoubleVector a21 = DoubleVector.fromArray(D, g, g2 + j + v);
                DoubleVector a30 = DoubleVector.fromArray(D, g, g3 + j);
                DoubleVector a31 = DoubleVector.fromArray(D, g, g3 + j + v);
                for (int r = 0; r < rows; r++) {
                    int xr = xo + r * xStride + i;
                    double c0 = x[xr];
                    double c1 = x[xr + 1];
                    double c2 = x[xr + 2];
                    double c3 = x[xr + 3];
                    int dr = dOff + r * dStride + j;
                    DoubleVector d0 = DoubleVector.fromArray(D, d, dr);
                    DoubleVector d1 = DoubleVector.fromArray(D, d, dr + v);
                    DoubleVector b = DoubleVector.broadcast(D, c0);
                    a00 = d0.fma(b, a00);
                    a01 = d1.fma(b, a01);
                    b = DoubleVector.broadcast(D, c1);
                    a10 = d0.fma(b, a10);
                    a11 = d1.fma(b, a11);
                    b = DoubleVector.broadcast(D, c2);
                    a20 = d0.fma(b, a20);
                    a21 = d1.fma(b, a21);
                    b = DoubleVector.broadcast(D, c3);
                    a30 = d0.fma(b, a30);
                    a31 = d1.fma(b, a31);
                }
                a00.intoArray(g, g0 + j);
                a01.intoArray(g, g0 + j + v);
                a10.intoArray(g, g1 + j);
                a11.intoArray(g, g1 + j + v);
                a20.intoArray(g, g2 + j);
                a21.intoArray(g, g2 + j + v);
                a30.intoArray(g, g3 + j);
                a31.intoArray(g, g3 + j + v);
            }
            // the units past the last block: x's columns i to i + 3 are the four rows, d's rows the sum
            edgeColumns(j, out, rows, x, xo + i, 1, xStride, d, dOff, dStride, g, g0, out);
        }
        for (; i < in; i++) {
            int gRow = go + i * out;
            for (int r = 0; r < rows; r++) {
                double c = x[xo + r * xStride + i];
                if (c != 0) {
                    axpy(c, d, dOff + r * dStride, g, gRow, out);
                }
            }
        }
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
        int v = D.length();
        if (out < 2 * v && rows >= 4) {
            // Weight rows shorter than two vectors: a dot product per input would be mostly its
            // reduction. Transpose the weights once and run the product the other way round,
            // P = D W^T, with P's rows as the units.
            double[] transposed = transposed(w, wo, in, out);
            for (int r = 0; r < rows; r++) {
                Arrays.fill(p, po + r * pStride, po + r * pStride + in, 0);
            }
            multiply(rows, out, in, d, dOff, dStride, transposed, 0, p, po, pStride);
            return;
        }
        int bound = D.loopBound(out);
        int r = 0;
        for (; r + 2 <= rows; r += 2) {
            int e0 = dOff + r * dStride;
            int e1 = e0 + dStride;
            int p0 = po + r * pStride;
            int p1 = p0 + pStride;
            int i = 0;
            for (; i + 4 <= in; i += 4) {
                int w0 = wo + i * out;
                int w1 = w0 + out;
                int w2 = w1 + out;
                int w3 = w2 + out;
                DoubleVector a00 = DoubleVector.zero(D);
                DoubleVector a01 = DoubleVector.zero(D);
                DoubleVector a02 = DoubleVector.zero(D);
                DoubleVector a03 = DoubleVector.zero(D);
                DoubleVector a10 = DoubleVector.zero(D);
                DoubleVector a11 = DoubleVector.zero(D);
                DoubleVector a12 = DoubleVector.zero(D);
                DoubleVector a13 = DoubleVector.zero(D);
                int j = 0;
                for (; j < bound; j += v) {
                    DoubleVector f0 = DoubleVector.fromArray(D, d, e0 + j);
                    DoubleVector f1 = DoubleVector.fromArray(D, d, e1 + j);
                    DoubleVector u = DoubleVector.fromArray(D, w, w0 + j);
                    a00 = u.fma(f0, a00);
                    a10 = u.fma(f1, a10);
                    u = DoubleVector.fromArray(D, w, w1 + j);
                    a01 = u.fma(f0, a01);
                    a11 = u.fma(f1, a11);
                    u = DoubleVector.fromArray(D, w, w2 + j);
                    a02 = u.fma(f0, a02);
                    a12 = u.fma(f1, a12);
                    u = DoubleVector.fromArray(D, w, w3 + j);
                    a03 = u.fma(f0, a03);
                    a13 = u.fma(f1, a13);
                }
                double s00 = a00.reduceLanes(VectorOperators.ADD);
                double s01 = a01.reduceLanes(VectorOperators.ADD);
                double s02 = a02.reduceLanes(VectorOperators.ADD);
                double s03 = a03.reduceLanes(VectorOperators.ADD);
                double s10 = a10.reduceLanes(VectorOperators.ADD);
                double s11 = a11.reduceLanes(VectorOperators.ADD);
                double s12 = a12.reduceLanes(VectorOperators.ADD);
                double s13 = a13.reduceLanes(VectorOperators.ADD);
                for (; j < out; j++) {
                    double f0 = d[e0 + j];
                    double f1 = d[e1 + j];
                    s00 += f0 * w[w0 + j];
                    s01 += f0 * w[w1 + j];
                    s02 += f0 * w[w2 + j];
                    s03 += f0 * w[w3 + j];
                    s10 += f1 * w[w0 + j];
                    s11 += f1 * w[w1 + j];
                    s12 += f1 * w[w2 + j];
                    s13 += f1 * w[w3 + j];
                }
                p[p0 + i] = s00;
                p[p0 + i + 1] = s01;
                p[p0 + i + 2] = s02;
                p[p0 + i + 3] = s03;
                p[p1 + i] = s10;
                p[p1 + i + 1] = s11;
                p[p1 + i + 2] = s12;
                p[p1 + i + 3] = s13;
            }
            for (; i < in; i++) {
                p[p0 + i] = dot(d, e0, w, wo + i * out, out);
                p[p1 + i] = dot(d, e1, w, wo + i * out, out);
            }
        }
        for (; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                p[po + r * pStride + i] = dot(d, dOff + r * dStride, w, wo + i * out, out);
            }
        }
    }

    private static final ThreadLocal<double[][]> TRANSPOSED_DOUBLE =
            ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    private static double[] transposed(double[] w, int wo, int in, int out) {
        double[][] holder = TRANSPOSED_DOUBLE.get();
        double[] t = holder[0];
        if (t.length < in * out) {
            t = new double[in * out];
            holder[0] = t;
        }
        for (int i = 0; i < in; i++) {
            int wi = wo + i * out;
            for (int j = 0; j < out; j++) {
                t[j * in + i] = w[wi + j];
            }
        }
        return t;
    }

    @Override
    public String name() {
        return "vector (" + F.vectorBitSize() + "-bit)";
    }
}
