package dev.chainrule.kernel.vector;

// double twin: DoubleKernels (the same kernels over double vectors, half as many lanes)

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float kernels of {@link VectorLinearAlgebra}, at the CPU's preferred vector width, with
 * fused multiply-adds.
 *
 * <p>The matrix products keep a block of results in vector registers while they run over the
 * shared dimension, so every value loaded from memory feeds several multiply-adds: 12, 8 or 4
 * rows by 2 vectors of units for {@code multiply} and {@code multiplyTransposedLeft} with 512-bit
 * vectors, 6, 5 or 4 with narrower ones (see {@link #WIDE_BLOCKS}), 2 rows by 4 inputs for
 * {@code multiplyTransposedRight}. Units past the last block of two vectors take one vector; the
 * last units, fewer than one vector (an output layer of ten classes has no full vector of
 * sixteen lanes at all), are copied into panels one vector wide that the same kernels run on.
 * Weight rows shorter than two vectors are transposed once per call into a buffer each thread
 * keeps, so that {@code multiplyTransposedRight} runs as a {@code multiply} instead of a reduction
 * per input.
 *
 * <p>The register-blocked loops have no data-dependent branch, not even one skipping inputs that
 * are all zero: on JDK 17, C2 then stops keeping the accumulators in registers and allocates a
 * vector object per operation (measured: 650 MB and ten times the time per training step of a
 * 784-512-512-10 network; {@code AllocationTest} guards it).
 */
final class FloatKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Whether the products take twelve, then eight rows (or inputs) at a time, holding twenty-four
     * or sixteen accumulators, before any blocks of four: where vectors are 512 bits wide, x86 has
     * thirty-two vector registers for them (measured with 512-bit vectors: four rows took 1.1 to
     * 1.4 times as long as eight). With 256-bit vectors it has sixteen, and the products take six
     * rows at a time instead, twelve accumulators, two vectors of weights and a broadcast (on an AVX2
     * Zen 4 core, 32 x 784 x 512 ran at 59 GFLOP/s against 51 for blocks of four, 32 x 512 x 512 at
     * 68 against 60; eight rows, measured on an AVX-512 CPU run with {@code -XX:UseAVX=2}, took 1.45
     * times as long as four).
     */
    private static final boolean WIDE_BLOCKS = S.vectorBitSize() >= 512;

    // The blocks themselves are FloatBlocks, which runtime/src/build/Blocks.java writes. What their
    // sizes were measured at, with 512-bit vectors: a 64 x 784 x 512 product in blocks of eight rows
    // ran at about 1.4 times the speed of blocks of four; blocks of twelve read each weight once per
    // twelve rows, and where the column panel of a weight matrix with long rows (784 x 512) comes
    // from beyond L1 they ran at 1.2 to 1.3 times the speed of blocks of eight (about 200 against 160
    // GFLOP/s, JDK 17 and 25), 1.0 to 1.05 times on 512 x 512 and 784 x 128. The gradients in blocks
    // of twelve inputs ran at 1.1 to 1.15 times the speed of eight on 64 x 784 x 512 and 64 x 512 x
    // 512.

    private FloatKernels() {}

    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        if (bound > 0) {
            FloatVector va = FloatVector.broadcast(S, a);
            for (; j < bound; j += S.length()) {
                FloatVector vx = FloatVector.fromArray(S, x, xo + j);
                FloatVector vy = FloatVector.fromArray(S, y, yo + j);
                vx.fma(va, vy).intoArray(y, yo + j);
            }
        }
        for (; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    /**
     * {@code g[go + j] += sum_r d[dOff + r * dStride + j]} for {@code r < rows, j < n}, each sum
     * taken in row order (the bits of {@code rows} calls of {@code axpy(1, ...)}): four vectors of
     * {@code g} stay in registers while the rows stream past.
     */
    static void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        int v = S.length();
        int j = 0;
        for (; j + 4 * v <= n; j += 4 * v) {
            int gj = go + j;
            FloatVector s0 = FloatVector.fromArray(S, g, gj);
            FloatVector s1 = FloatVector.fromArray(S, g, gj + v);
            FloatVector s2 = FloatVector.fromArray(S, g, gj + 2 * v);
            FloatVector s3 = FloatVector.fromArray(S, g, gj + 3 * v);
            for (int r = 0; r < rows; r++) {
                int dj = dOff + r * dStride + j;
                s0 = s0.add(FloatVector.fromArray(S, d, dj));
                s1 = s1.add(FloatVector.fromArray(S, d, dj + v));
                s2 = s2.add(FloatVector.fromArray(S, d, dj + 2 * v));
                s3 = s3.add(FloatVector.fromArray(S, d, dj + 3 * v));
            }
            s0.intoArray(g, gj);
            s1.intoArray(g, gj + v);
            s2.intoArray(g, gj + 2 * v);
            s3.intoArray(g, gj + 3 * v);
        }
        for (; j + v <= n; j += v) {
            FloatVector s0 = FloatVector.fromArray(S, g, go + j);
            for (int r = 0; r < rows; r++) {
                s0 = s0.add(FloatVector.fromArray(S, d, dOff + r * dStride + j));
            }
            s0.intoArray(g, go + j);
        }
        for (; j < n; j++) {
            float s0 = g[go + j];
            for (int r = 0; r < rows; r++) {
                s0 += d[dOff + r * dStride + j];
            }
            g[go + j] = s0;
        }
    }

    /** {@code a[ao + i] = z[zo + i] < 0 ? 0 : z[zo + i]} for {@code i < n}, with a blend in place of a branch. */
    static void relu(float[] z, int zo, float[] a, int ao, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            FloatVector vz = FloatVector.fromArray(S, z, zo + i);
            vz.blend(zero, vz.lt(0f)).intoArray(a, ao + i);
        }
        for (; i < n; i++) {
            float zi = z[zo + i];
            a[ao + i] = zi < 0 ? 0 : zi;
        }
    }

    /**
     * {@code d[dOff + i] *= z[zo + i] > 0 ? 1 : 0} for {@code i < n}: a delta times the
     * derivative of a ReLU, the factor chosen by a blend in place of a branch.
     */
    static void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; i < bound; i += S.length()) {
            FloatVector vz = FloatVector.fromArray(S, z, zo + i);
            FloatVector factor = zero.blend(one, vz.compare(VectorOperators.GT, 0f));
            FloatVector.fromArray(S, d, dOff + i).mul(factor).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            d[dOff + i] *= z[zo + i] > 0 ? 1f : 0f;
        }
    }

    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        int j = 0;
        int step = S.length();
        float sum = 0;
        if (n >= 2 * step) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            for (; j + 2 * step <= n; j += 2 * step) {
                s0 = FloatVector.fromArray(S, x, xo + j).fma(FloatVector.fromArray(S, y, yo + j), s0);
                s1 = FloatVector.fromArray(S, x, xo + j + step).fma(FloatVector.fromArray(S, y, yo + j + step), s1);
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
    static void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        int v = S.length();
        int j = 0;
        for (; j + 16 * v <= out; j += 16 * v) {
            sparseRowSixteen(count, index, values, out, w, wo + j, z, zo + j);
        }
        if (j + 8 * v <= out) {
            // eight vectors: one pass over a row of 8v, read whole, rather than two passes over halves
            sparseRowEight(count, index, values, out, w, wo + j, z, zo + j);
            j += 8 * v;
        }
        for (; j + 4 * v <= out; j += 4 * v) {
            FloatVector a0 = FloatVector.fromArray(S, z, zo + j);
            FloatVector a1 = FloatVector.fromArray(S, z, zo + j + v);
            FloatVector a2 = FloatVector.fromArray(S, z, zo + j + 2 * v);
            FloatVector a3 = FloatVector.fromArray(S, z, zo + j + 3 * v);
            for (int k = 0; k < count; k++) {
                int wi = wo + index[k] * out + j;
                FloatVector b = FloatVector.broadcast(S, values[k]);
                a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
                a1 = FloatVector.fromArray(S, w, wi + v).fma(b, a1);
                a2 = FloatVector.fromArray(S, w, wi + 2 * v).fma(b, a2);
                a3 = FloatVector.fromArray(S, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zo + j);
            a1.intoArray(z, zo + j + v);
            a2.intoArray(z, zo + j + 2 * v);
            a3.intoArray(z, zo + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            FloatVector a = FloatVector.fromArray(S, z, zo + j);
            for (int k = 0; k < count; k++) {
                a = FloatVector.fromArray(S, w, wo + index[k] * out + j).fma(FloatVector.broadcast(S, values[k]), a);
            }
            a.intoArray(z, zo + j);
        }
        // the last outputs, fewer than a vector (all of a ten-class layer's at sixteen lanes):
        // eight, four, two and one at a time, each output's sum in a local, so that the chains of
        // additions run side by side without a store and a load between one input and the next
        // (SparseRowBenchmark's 128 x 10 layer: 0.54-0.64 us, against 1.10-1.15 us when all ten
        // were added to z in memory a weight row at a time)
        for (; j + 8 <= out; j += 8) {
            sparseTailEight(count, index, values, out, w, wo + j, z, zo + j);
        }
        if (j + 4 <= out) {
            sparseTailFour(count, index, values, out, w, wo + j, z, zo + j);
            j += 4;
        }
        if (j + 2 <= out) {
            sparseTailTwo(count, index, values, out, w, wo + j, z, zo + j);
            j += 2;
        }
        if (j < out) {
            float sum = z[zo + j];
            for (int k = 0; k < count; k++) {
                sum += values[k] * w[wo + index[k] * out + j];
            }
            z[zo + j] = sum;
        }
    }

    /** {@code z[zo .. zo + 8]} += the non-zero inputs times 8 weights of their rows, from {@code w[wo ..]}. */
    private static void sparseTailEight(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        float s0 = z[zo];
        float s1 = z[zo + 1];
        float s2 = z[zo + 2];
        float s3 = z[zo + 3];
        float s4 = z[zo + 4];
        float s5 = z[zo + 5];
        float s6 = z[zo + 6];
        float s7 = z[zo + 7];
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            float value = values[k];
            s0 += value * w[wi];
            s1 += value * w[wi + 1];
            s2 += value * w[wi + 2];
            s3 += value * w[wi + 3];
            s4 += value * w[wi + 4];
            s5 += value * w[wi + 5];
            s6 += value * w[wi + 6];
            s7 += value * w[wi + 7];
        }
        z[zo] = s0;
        z[zo + 1] = s1;
        z[zo + 2] = s2;
        z[zo + 3] = s3;
        z[zo + 4] = s4;
        z[zo + 5] = s5;
        z[zo + 6] = s6;
        z[zo + 7] = s7;
    }

    /** {@code z[zo .. zo + 4]} += the non-zero inputs times 4 weights of their rows, from {@code w[wo ..]}. */
    private static void sparseTailFour(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        float s0 = z[zo];
        float s1 = z[zo + 1];
        float s2 = z[zo + 2];
        float s3 = z[zo + 3];
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            float value = values[k];
            s0 += value * w[wi];
            s1 += value * w[wi + 1];
            s2 += value * w[wi + 2];
            s3 += value * w[wi + 3];
        }
        z[zo] = s0;
        z[zo + 1] = s1;
        z[zo + 2] = s2;
        z[zo + 3] = s3;
    }

    /** {@code z[zo .. zo + 2]} += the non-zero inputs times 2 weights of their rows, from {@code w[wo ..]}. */
    private static void sparseTailTwo(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        float s0 = z[zo];
        float s1 = z[zo + 1];
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            float value = values[k];
            s0 += value * w[wi];
            s1 += value * w[wi + 1];
        }
        z[zo] = s0;
        z[zo + 1] = s1;
    }

    /** {@code z[zo ..]} += the non-zero inputs times eight vectors of their weight rows, from {@code w[wo ..]}. */
    private static void sparseRowEight(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        int v = S.length();
        FloatVector a0 = FloatVector.fromArray(S, z, zo);
        FloatVector a1 = FloatVector.fromArray(S, z, zo + v);
        FloatVector a2 = FloatVector.fromArray(S, z, zo + 2 * v);
        FloatVector a3 = FloatVector.fromArray(S, z, zo + 3 * v);
        FloatVector a4 = FloatVector.fromArray(S, z, zo + 4 * v);
        FloatVector a5 = FloatVector.fromArray(S, z, zo + 5 * v);
        FloatVector a6 = FloatVector.fromArray(S, z, zo + 6 * v);
        FloatVector a7 = FloatVector.fromArray(S, z, zo + 7 * v);
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            FloatVector b = FloatVector.broadcast(S, values[k]);
            a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wi + v).fma(b, a1);
            a2 = FloatVector.fromArray(S, w, wi + 2 * v).fma(b, a2);
            a3 = FloatVector.fromArray(S, w, wi + 3 * v).fma(b, a3);
            a4 = FloatVector.fromArray(S, w, wi + 4 * v).fma(b, a4);
            a5 = FloatVector.fromArray(S, w, wi + 5 * v).fma(b, a5);
            a6 = FloatVector.fromArray(S, w, wi + 6 * v).fma(b, a6);
            a7 = FloatVector.fromArray(S, w, wi + 7 * v).fma(b, a7);
        }
        a0.intoArray(z, zo);
        a1.intoArray(z, zo + v);
        a2.intoArray(z, zo + 2 * v);
        a3.intoArray(z, zo + 3 * v);
        a4.intoArray(z, zo + 4 * v);
        a5.intoArray(z, zo + 5 * v);
        a6.intoArray(z, zo + 6 * v);
        a7.intoArray(z, zo + 7 * v);
    }

    /** {@code z[zo ..]} += the non-zero inputs times sixteen vectors of their weight rows, from {@code w[wo ..]}. */
    private static void sparseRowSixteen(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        int v = S.length();
        FloatVector a0 = FloatVector.fromArray(S, z, zo);
        FloatVector a1 = FloatVector.fromArray(S, z, zo + v);
        FloatVector a2 = FloatVector.fromArray(S, z, zo + 2 * v);
        FloatVector a3 = FloatVector.fromArray(S, z, zo + 3 * v);
        FloatVector a4 = FloatVector.fromArray(S, z, zo + 4 * v);
        FloatVector a5 = FloatVector.fromArray(S, z, zo + 5 * v);
        FloatVector a6 = FloatVector.fromArray(S, z, zo + 6 * v);
        FloatVector a7 = FloatVector.fromArray(S, z, zo + 7 * v);
        FloatVector a8 = FloatVector.fromArray(S, z, zo + 8 * v);
        FloatVector a9 = FloatVector.fromArray(S, z, zo + 9 * v);
        FloatVector a10 = FloatVector.fromArray(S, z, zo + 10 * v);
        FloatVector a11 = FloatVector.fromArray(S, z, zo + 11 * v);
        FloatVector a12 = FloatVector.fromArray(S, z, zo + 12 * v);
        FloatVector a13 = FloatVector.fromArray(S, z, zo + 13 * v);
        FloatVector a14 = FloatVector.fromArray(S, z, zo + 14 * v);
        FloatVector a15 = FloatVector.fromArray(S, z, zo + 15 * v);
        for (int k = 0; k < count; k++) {
            int wi = wo + index[k] * out;
            FloatVector b = FloatVector.broadcast(S, values[k]);
            a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
            a1 = FloatVector.fromArray(S, w, wi + v).fma(b, a1);
            a2 = FloatVector.fromArray(S, w, wi + 2 * v).fma(b, a2);
            a3 = FloatVector.fromArray(S, w, wi + 3 * v).fma(b, a3);
            a4 = FloatVector.fromArray(S, w, wi + 4 * v).fma(b, a4);
            a5 = FloatVector.fromArray(S, w, wi + 5 * v).fma(b, a5);
            a6 = FloatVector.fromArray(S, w, wi + 6 * v).fma(b, a6);
            a7 = FloatVector.fromArray(S, w, wi + 7 * v).fma(b, a7);
            a8 = FloatVector.fromArray(S, w, wi + 8 * v).fma(b, a8);
            a9 = FloatVector.fromArray(S, w, wi + 9 * v).fma(b, a9);
            a10 = FloatVector.fromArray(S, w, wi + 10 * v).fma(b, a10);
            a11 = FloatVector.fromArray(S, w, wi + 11 * v).fma(b, a11);
            a12 = FloatVector.fromArray(S, w, wi + 12 * v).fma(b, a12);
            a13 = FloatVector.fromArray(S, w, wi + 13 * v).fma(b, a13);
            a14 = FloatVector.fromArray(S, w, wi + 14 * v).fma(b, a14);
            a15 = FloatVector.fromArray(S, w, wi + 15 * v).fma(b, a15);
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

    static void multiply(
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
        int v = S.length();
        int fullRows = rows - rows % 4;
        int fives = fiveRowBlocks(fullRows);
        int sixEnd = fives < 0 ? 0 : fullRows - 5 * fives;
        int fiveEnd = fives < 0 ? 0 : fullRows;
        int wide = wideEnd(out);
        int j = 0;
        // columns outermost: a panel of two vectors of columns of w, read for every block of rows,
        // stays in cache however large w is
        for (; j + 2 * v <= wide; j += 2 * v) {
            int r = 0;
            for (; WIDE_BLOCKS && r + 12 <= rows; r += 12) {
                FloatBlocks.multiply12(
                        in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
            for (; WIDE_BLOCKS && r + 8 <= rows; r += 8) {
                FloatBlocks.multiply8(
                        in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
            for (; r < sixEnd; r += 6) {
                FloatBlocks.multiply6(
                        in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
            for (; r < fiveEnd; r += 5) {
                FloatBlocks.multiply5(
                        in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
            for (; r < fullRows; r += 4) {
                FloatBlocks.multiply4(
                        in, out, x, xo + r * xStride, xStride, w, wo + j, z, zo + r * zStride + j, zStride);
            }
        }
        if (j < wide) {
            for (int r = 0; r < fullRows; r += 4) {
                // one vector of units past the last block: x's rows are the four rows, w's rows the inputs
                edgeColumns(j, x, xo + r * xStride, xStride, 1, in, w, wo, out, z, zo + r * zStride, zStride);
            }
        }
        for (int r = fullRows; r < rows; r++) {
            denseRow(in, /* out= */ wide, x, xo + r * xStride, w, wo, /* wStride= */ out, z, zo + r * zStride);
        }
        if (wide < out) {
            narrowColumns(rows, in, out, wide, x, xo, xStride, w, wo, z, zo, zStride);
        }
    }

    /**
     * Where the columns of {@link #multiply} and {@link #multiplyTransposedLeft} that run in place
     * end: after the last block of two vectors when more than one vector is left past it (the rest
     * then runs in a panel two vectors wide, through the register blocks; a ten-class output layer
     * with eight lanes is such a case, where one vector of ten went through the one-vector edge and
     * the last two through a one-vector panel, each with four accumulators), else after the last
     * full vector.
     */
    private static int wideEnd(int out) {
        int v = S.length();
        int tail = out % (2 * v);
        return tail > v ? out - tail : out - out % v;
    }

    /**
     * The last {@code out - wide} units of {@link #multiply} (see {@link #wideEnd}): their weight
     * columns and results are copied into panels one vector wide, or two where they are more than
     * one vector, and the product runs on the panels with full vectors (a ten-class output layer is
     * such a case: with sixteen lanes it has no full vector at all, and scalar sums took ten times
     * as long).
     */
    private static void narrowColumns(
            int rows,
            int in,
            int out,
            int wide,
            float[] x,
            int xo,
            int xStride,
            float[] w,
            int wo,
            float[] z,
            int zo,
            int zStride) {
        int n = out - wide;
        int width = n > S.length() ? 2 * S.length() : S.length();
        float[][] panels = panels(in * width, rows * width);
        float[] wp = panels[0];
        float[] zp = panels[1];
        for (int i = 0; i < in; i++) {
            System.arraycopy(w, wo + i * out + wide, wp, i * width, n);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(z, zo + r * zStride + wide, zp, r * width, n);
        }
        multiply(rows, in, width, x, xo, xStride, wp, 0, zp, 0, width);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(zp, r * width, z, zo + r * zStride + wide, n);
        }
    }

    /**
     * How many of the {@code blocked} rows (or inputs, a multiple of four) that register blocks
     * cover are taken five at a time, the rest six at a time, with vectors narrower than 512 bits:
     * six and five rows hold twelve and ten accumulators, where blocks of four hold eight, too few
     * for an AVX2 core's two multiply-add pipes. Every multiple of four from 12 on, but 8, is a sum
     * of sixes and fives; for the others, and with 512-bit vectors, -1: blocks of twelve, eight or
     * four are used (32 rows are two sixes and four fives, where sixes alone left eight rows to
     * blocks of four: those were 11% of a 784-512-512-10 step's samples).
     */
    private static int fiveRowBlocks(int blocked) {
        int fives = (6 - blocked % 6) % 6;
        return WIDE_BLOCKS || 5 * fives > blocked ? -1 : fives;
    }

    /**
     * {@code c[q][j .. j + v) += sum_k a[q][k] b[k][j .. j + v)} for four rows {@code q}: the one
     * vector of columns past the last two-vector block of a register-blocked product. Element
     * {@code a[q][k]} is at {@code a0 + q * aq + k * ak}, row {@code k} of {@code b} at {@code bo +
     * k * bk}, row {@code q} of {@code c} at {@code c0 + q * cStride}.
     */
    private static void edgeColumns(
            int j,
            float[] a,
            int a0,
            int aq,
            int ak,
            int n,
            float[] b,
            int bo,
            int bk,
            float[] c,
            int c0,
            int cStride) {
        int c1 = c0 + cStride;
        int c2 = c1 + cStride;
        int c3 = c2 + cStride;
        FloatVector s0 = FloatVector.fromArray(S, c, c0 + j);
        FloatVector s1 = FloatVector.fromArray(S, c, c1 + j);
        FloatVector s2 = FloatVector.fromArray(S, c, c2 + j);
        FloatVector s3 = FloatVector.fromArray(S, c, c3 + j);
        for (int k = 0; k < n; k++) {
            int ak0 = a0 + k * ak;
            FloatVector u = FloatVector.fromArray(S, b, bo + k * bk + j);
            s0 = u.fma(FloatVector.broadcast(S, a[ak0]), s0);
            s1 = u.fma(FloatVector.broadcast(S, a[ak0 + aq]), s1);
            s2 = u.fma(FloatVector.broadcast(S, a[ak0 + 2 * aq]), s2);
            s3 = u.fma(FloatVector.broadcast(S, a[ak0 + 3 * aq]), s3);
        }
        s0.intoArray(c, c0 + j);
        s1.intoArray(c, c1 + j);
        s2.intoArray(c, c2 + j);
        s3.intoArray(c, c3 + j);
    }

    /**
     * {@code z[zr + j] += sum_i x[xr + i] w[i][j]} for one row and {@code j < out}: four vectors of
     * {@code z} in registers over every input, zero or not, so that the vector loop has no branch;
     * row {@code i} of {@code w} starts at {@code wo + i * wStride}.
     */
    private static void denseRow(
            int in, int out, float[] x, int xr, float[] w, int wo, int wStride, float[] z, int zr) {
        int v = S.length();
        int j = 0;
        for (; j + 4 * v <= out; j += 4 * v) {
            FloatVector a0 = FloatVector.fromArray(S, z, zr + j);
            FloatVector a1 = FloatVector.fromArray(S, z, zr + j + v);
            FloatVector a2 = FloatVector.fromArray(S, z, zr + j + 2 * v);
            FloatVector a3 = FloatVector.fromArray(S, z, zr + j + 3 * v);
            for (int i = 0; i < in; i++) {
                int wi = wo + i * wStride + j;
                FloatVector b = FloatVector.broadcast(S, x[xr + i]);
                a0 = FloatVector.fromArray(S, w, wi).fma(b, a0);
                a1 = FloatVector.fromArray(S, w, wi + v).fma(b, a1);
                a2 = FloatVector.fromArray(S, w, wi + 2 * v).fma(b, a2);
                a3 = FloatVector.fromArray(S, w, wi + 3 * v).fma(b, a3);
            }
            a0.intoArray(z, zr + j);
            a1.intoArray(z, zr + j + v);
            a2.intoArray(z, zr + j + 2 * v);
            a3.intoArray(z, zr + j + 3 * v);
        }
        for (; j + v <= out; j += v) {
            FloatVector a = FloatVector.fromArray(S, z, zr + j);
            for (int i = 0; i < in; i++) {
                a = FloatVector.fromArray(S, w, wo + i * wStride + j).fma(FloatVector.broadcast(S, x[xr + i]), a);
            }
            a.intoArray(z, zr + j);
        }
    }

    static void multiplyTransposedLeft(
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
        int v = S.length();
        int wide = wideEnd(out);
        int i = 0;
        for (; WIDE_BLOCKS && i + 12 <= in; i += 12) {
            int g0 = go + i * out;
            int j = 0;
            for (; j + 2 * v <= wide; j += 2 * v) {
                FloatBlocks.gradient12(rows, out, x, xo + i, xStride, d, dOff + j, dStride, g, g0 + j);
            }
            if (j < wide) {
                // one vector of units past the last block, four inputs at a time
                for (int q = 0; q < 12; q += 4) {
                    edgeColumns(j, x, xo + i + q, 1, xStride, rows, d, dOff, dStride, g, g0 + q * out, out);
                }
            }
        }
        for (; WIDE_BLOCKS && i + 8 <= in; i += 8) {
            int g0 = go + i * out;
            int j = 0;
            for (; j + 2 * v <= wide; j += 2 * v) {
                FloatBlocks.gradient8(rows, out, x, xo + i, xStride, d, dOff + j, dStride, g, g0 + j);
            }
            if (j < wide) {
                // one vector of units past the last block, for inputs i to i + 3, then i + 4 to i + 7
                edgeColumns(j, x, xo + i, 1, xStride, rows, d, dOff, dStride, g, g0, out);
                edgeColumns(j, x, xo + i + 4, 1, xStride, rows, d, dOff, dStride, g, g0 + 4 * out, out);
            }
        }
        int fives = fiveRowBlocks(in - in % 4);
        if (fives >= 0) {
            int blocked = in - in % 4;
            int sixEnd = blocked - 5 * fives;
            for (; i < sixEnd; i += 6) {
                int g0 = go + i * out;
                for (int j = 0; j + 2 * v <= wide; j += 2 * v) {
                    FloatBlocks.gradient6(rows, out, x, xo + i, xStride, d, dOff + j, dStride, g, g0 + j);
                }
            }
            for (; i < blocked; i += 5) {
                int g0 = go + i * out;
                for (int j = 0; j + 2 * v <= wide; j += 2 * v) {
                    FloatBlocks.gradient5(rows, out, x, xo + i, xStride, d, dOff + j, dStride, g, g0 + j);
                }
            }
            int j = wide - wide % (2 * v);
            if (j < wide) {
                // one vector of units past the last block, four inputs at a time
                for (int q = 0; q < blocked; q += 4) {
                    edgeColumns(j, x, xo + q, 1, xStride, rows, d, dOff, dStride, g, go + q * out, out);
                }
            }
        }
        for (; i + 4 <= in; i += 4) {
            int g0 = go + i * out;
            int j = 0;
            for (; j + 2 * v <= wide; j += 2 * v) {
                FloatBlocks.gradient4(rows, out, x, xo + i, xStride, d, dOff + j, dStride, g, g0 + j);
            }
            if (j < wide) {
                // one vector of units past the last block: x's columns i to i + 3 are the four rows, d's rows the sum
                edgeColumns(j, x, xo + i, 1, xStride, rows, d, dOff, dStride, g, g0, out);
            }
        }
        for (; i < in; i++) {
            int gRow = go + i * out;
            for (int r = 0; r < rows; r++) {
                float c = x[xo + r * xStride + i];
                if (c != 0) {
                    axpy(c, d, dOff + r * dStride, g, gRow, wide);
                }
            }
        }
        if (wide < out) {
            narrowGradients(rows, in, out, wide, x, xo, xStride, d, dOff, dStride, g, go);
        }
    }

    /**
     * The gradients of the last {@code out - wide} units of {@link #multiplyTransposedLeft} (see
     * {@link #wideEnd}): their deltas and gradient columns are copied into panels one vector wide,
     * or two where they are more than one vector, and the product runs on the panels with full
     * vectors.
     */
    private static void narrowGradients(
            int rows,
            int in,
            int out,
            int wide,
            float[] x,
            int xo,
            int xStride,
            float[] d,
            int dOff,
            int dStride,
            float[] g,
            int go) {
        int n = out - wide;
        int width = n > S.length() ? 2 * S.length() : S.length();
        float[][] panels = panels(in * width, rows * width);
        float[] gp = panels[0];
        float[] dp = panels[1];
        for (int i = 0; i < in; i++) {
            System.arraycopy(g, go + i * out + wide, gp, i * width, n);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d, dOff + r * dStride + wide, dp, r * width, n);
        }
        multiplyTransposedLeft(rows, in, width, x, xo, xStride, dp, 0, width, gp, 0);
        for (int i = 0; i < in; i++) {
            System.arraycopy(gp, i * width, g, go + i * out + wide, n);
        }
    }

    static void multiplyTransposedRight(
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
        int v = S.length();
        if (out < 2 * v && rows >= 4) {
            // Weight rows shorter than two vectors: a dot product per input would be mostly its
            // reduction. Transpose the weights once and run the product the other way round,
            // P = D W^T, with P's rows as the units.
            float[] transposed = transposed(0, w, wo, out, in, out);
            for (int r = 0; r < rows; r++) {
                Arrays.fill(p, po + r * pStride, po + r * pStride + in, 0);
            }
            multiply(rows, out, in, d, dOff, dStride, transposed, 0, p, po, pStride);
            return;
        }
        if (rows >= v) {
            // A vector of rows or more: transpose the deltas and compute P^T = W D^T as a
            // multiply whose units are the batch's rows (vectors along the batch, no reduction),
            // then transpose P^T back; 1.4 times the reductions' speed on a 64 x 512 x 512 product.
            float[] dt = transposed(0, d, dOff, dStride, rows, out);
            float[] pt = buffer(1, in * rows);
            Arrays.fill(pt, 0, in * rows, 0);
            multiply(in, out, rows, w, wo, out, dt, 0, pt, 0, rows);
            for (int r = 0; r < rows; r++) {
                int pr = po + r * pStride;
                for (int i = 0; i < in; i++) {
                    p[pr + i] = pt[i * rows + r];
                }
            }
            return;
        }
        int bound = S.loopBound(out);
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
                FloatVector a00 = FloatVector.zero(S);
                FloatVector a01 = FloatVector.zero(S);
                FloatVector a02 = FloatVector.zero(S);
                FloatVector a03 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S);
                FloatVector a11 = FloatVector.zero(S);
                FloatVector a12 = FloatVector.zero(S);
                FloatVector a13 = FloatVector.zero(S);
                int j = 0;
                for (; j < bound; j += v) {
                    FloatVector f0 = FloatVector.fromArray(S, d, e0 + j);
                    FloatVector f1 = FloatVector.fromArray(S, d, e1 + j);
                    FloatVector u = FloatVector.fromArray(S, w, w0 + j);
                    a00 = u.fma(f0, a00);
                    a10 = u.fma(f1, a10);
                    u = FloatVector.fromArray(S, w, w1 + j);
                    a01 = u.fma(f0, a01);
                    a11 = u.fma(f1, a11);
                    u = FloatVector.fromArray(S, w, w2 + j);
                    a02 = u.fma(f0, a02);
                    a12 = u.fma(f1, a12);
                    u = FloatVector.fromArray(S, w, w3 + j);
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

    /**
     * Per thread, the two panels of {@link #narrowColumns} and {@link #narrowGradients}; they grow
     * to the largest sizes asked for and stay. Past the columns a call copies in, a panel holds
     * whatever an earlier call left there: each column of a product depends on the same column of
     * its operand panel only, so those lanes compute values nobody copies out.
     */
    private static final ThreadLocal<float[][]> PANELS =
            ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /** This thread's two panels, of at least {@code first} and {@code second} values. */
    private static float[][] panels(int first, int second) {
        float[][] panels = PANELS.get();
        if (panels[0].length < first) {
            panels[0] = new float[first];
        }
        if (panels[1].length < second) {
            panels[1] = new float[second];
        }
        return panels;
    }

    /**
     * Per thread, the two buffers of {@link #transposed}; they grow to the largest sizes asked for
     * and stay.
     */
    private static final ThreadLocal<float[][]> TRANSPOSED =
            ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /** This thread's buffer {@code slot} (0 or 1) of {@link #TRANSPOSED}, of at least {@code size} values. */
    private static float[] buffer(int slot, int size) {
        float[][] holder = TRANSPOSED.get();
        if (holder[slot].length < size) {
            holder[slot] = new float[size];
        }
        return holder[slot];
    }

    /**
     * The {@code rows x cols} matrix at {@code a[ao ..]} (row {@code r} from {@code ao + r *
     * stride}), transposed into this thread's buffer {@code slot}: element {@code (r, c)} at {@code
     * c * rows + r}.
     */
    private static float[] transposed(int slot, float[] a, int ao, int stride, int rows, int cols) {
        float[] t = buffer(slot, rows * cols);
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * stride;
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[ar + c];
            }
        }
        return t;
    }
}
