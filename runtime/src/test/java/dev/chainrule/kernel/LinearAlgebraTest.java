package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.vector.VectorLinearAlgebra;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both kernel implementations against a naive loop in double, on every length up to a few
 * vectors and at unaligned offsets (this module's tests run with the Vector API module).
 */
class LinearAlgebraTest {
    private static final List<LinearAlgebra> IMPLEMENTATIONS =
            List.of(new ScalarLinearAlgebra(), new VectorLinearAlgebra());

    @Test
    void theJvmRunningTheseTestsUsesTheVectorKernels() {
        assertTrue(Kernels.IMPL instanceof VectorLinearAlgebra, Kernels.IMPL.name());
        assertTrue(Kernels.VECTOR_API, "Kernels.VECTOR_API");
    }

    @Test
    void floatKernelsMatchANaiveLoop() {
        Random random = new Random(1);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 70; n++) {
                int xo = random.nextInt(5);
                int yo = random.nextInt(5);
                float[] x = randomFloats(random, xo + n + 3);
                float[] y = randomFloats(random, yo + n + 3);
                float a = (float) random.nextGaussian();
                double expectedDot = 0;
                float[] expectedY = y.clone();
                for (int j = 0; j < n; j++) {
                    expectedDot += (double) x[xo + j] * y[yo + j];
                    expectedY[yo + j] = (float) (y[yo + j] + (double) a * x[xo + j]);
                }
                assertEquals(
                        expectedDot, kernels.dot(x, xo, y, yo, n), 1e-5 * (1 + n), kernels.name() + " dot, n=" + n);
                kernels.axpy(a, x, xo, y, yo, n);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(
                            expectedY[j],
                            y[j],
                            1e-6f * (1 + Math.abs(expectedY[j])),
                            kernels.name() + " axpy, n=" + n + ", j=" + j);
                }
            }
        }
    }

    @Test
    void doubleKernelsMatchANaiveLoop() {
        Random random = new Random(2);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 40; n++) {
                int xo = random.nextInt(3);
                int yo = random.nextInt(3);
                double[] x = random.doubles(xo + n + 2).toArray();
                double[] y = random.doubles(yo + n + 2).toArray();
                double a = random.nextGaussian();
                double expectedDot = 0;
                double[] expectedY = y.clone();
                for (int j = 0; j < n; j++) {
                    expectedDot += x[xo + j] * y[yo + j];
                    expectedY[yo + j] = y[yo + j] + a * x[xo + j];
                }
                assertEquals(
                        expectedDot, kernels.dot(x, xo, y, yo, n), 1e-13 * (1 + n), kernels.name() + " dot, n=" + n);
                kernels.axpy(a, x, xo, y, yo, n);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(expectedY[j], y[j], 1e-15 * (1 + Math.abs(expectedY[j])), kernels.name() + " axpy");
                }
            }
        }
    }

    @Test
    void sumsOfSquaresMatchDoubleAndFlagNonFiniteValues() {
        Random random = new Random(7);
        int[] lengths = {0, 1, 2, 3, 5, 15, 16, 17, 31, 32, 33, 100, 1023, 1024, 1025, 2047, 2048, 2049, 5000};
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n : lengths) {
                float[] g = randomFloats(random, n + 2);
                float[] p = randomFloats(random, n + 2);
                // beyond n: must not be read
                g[n] = Float.NaN;
                p[n + 1] = Float.POSITIVE_INFINITY;
                double expected = 0;
                for (int i = 0; i < n; i++) {
                    expected += (double) g[i] * g[i];
                }
                String what = kernels.name() + " n=" + n;
                assertEquals(expected, kernels.sumOfSquares(g, p, n), 1e-6 * expected, what);
                if (n > 0) {
                    int at = random.nextInt(n);
                    float[] badP = p.clone();
                    badP[at] = Float.NaN;
                    assertTrue(Double.isNaN(kernels.sumOfSquares(g, badP, n)), what + ", NaN parameter at " + at);
                    badP[at] = Float.NEGATIVE_INFINITY;
                    assertTrue(Double.isNaN(kernels.sumOfSquares(g, badP, n)), what + ", infinite parameter at " + at);
                    float[] badG = g.clone();
                    badG[at] = Float.POSITIVE_INFINITY;
                    assertEquals(
                            Double.POSITIVE_INFINITY, kernels.sumOfSquares(badG, p, n), what + ", infinite gradient");
                    badG[at] = 1e30f;
                    assertEquals(Double.POSITIVE_INFINITY, kernels.sumOfSquares(badG, p, n), what + ", float overflow");
                }
            }
        }
    }

    /**
     * A sum of squares read in place from an offset has the bits of the same sum on a copy that
     * starts at index 0, and reads nothing outside its range.
     */
    @Test
    void sumsOfSquaresAtAnOffsetHaveTheBitsOfACopy() {
        Random random = new Random(8);
        int[] lengths = {0, 1, 3, 16, 17, 31, 32, 33, 100, 1023, 1024, 1025, 2049};
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n : lengths) {
                for (int from = 0; from <= 5; from++) {
                    float[] g = randomFloats(random, from + n + 1);
                    float[] p = randomFloats(random, from + n + 1);
                    // around the range: must not be read
                    if (from > 0) {
                        g[from - 1] = Float.NaN;
                        p[from - 1] = Float.NaN;
                    }
                    g[from + n] = Float.NaN;
                    p[from + n] = Float.POSITIVE_INFINITY;
                    double copied = kernels.sumOfSquares(
                            Arrays.copyOfRange(g, from, from + n), Arrays.copyOfRange(p, from, from + n), n);
                    assertEquals(
                            Double.doubleToLongBits(copied),
                            Double.doubleToLongBits(kernels.sumOfSquares(g, p, from, n)),
                            kernels.name() + " n=" + n + " from=" + from);
                }
            }
        }
    }

    /**
     * Sizes around the register blocks' edges (4 and 8 rows or inputs, 2 vectors of up to 16
     * floats, the last units narrower than a vector, a batch of a vector of rows or more), with
     * offsets and strides.
     */
    @Test
    void matrixProductsMatchNaiveLoops() {
        Random random = new Random(3);
        int[] rowCounts = {1, 2, 3, 4, 5, 8, 9, 12, 15, 16, 17, 33};
        int[] widths = {1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 65};
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int rows : rowCounts) {
                for (int in : widths) {
                    for (int out : widths) {
                        String what = kernels.name() + " rows=" + rows + " in=" + in + " out=" + out;
                        checkFloat(kernels, random, rows, in, out, what);
                        checkDouble(kernels, random, rows, in, out, what);
                    }
                }
            }
        }
    }

    @Test
    void sparseRowProductsMatchNaiveLoops() {
        Random random = new Random(5);
        // every output width the vector kernel splits differently at 4, 8 or 16 lanes: blocks of
        // sixteen vectors, of eight, of four, single vectors and a scalar tail, alone and together
        int[] outWidths = {1, 3, 7, 8, 16, 31, 32, 33, 65, 128, 130, 161, 200, 256, 300, 400, 531};
        int[] inWidths = {1, 3, 17, 65};
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int out : outWidths) {
                for (int in : inWidths) {
                    String what = kernels.name() + " in=" + in + " out=" + out;
                    // some of the inputs, in increasing order, as a layer's non-zero inputs are
                    int[] index = new int[in];
                    int count = 0;
                    for (int i = 0; i < in; i++) {
                        if (random.nextInt(3) > 0) {
                            index[count++] = i;
                        }
                    }
                    float[] values = randomFloats(random, in);
                    int wo = random.nextInt(3);
                    float[] w = randomFloats(random, wo + in * out);
                    int zo = random.nextInt(3);
                    float[] z = randomFloats(random, zo + out + 2);
                    float[] expected = z.clone();
                    double[] valuesD = new double[in];
                    double[] wD = new double[w.length];
                    double[] zD = new double[z.length];
                    for (int e = 0; e < in; e++) {
                        valuesD[e] = values[e];
                    }
                    for (int e = 0; e < w.length; e++) {
                        wD[e] = w[e];
                    }
                    for (int e = 0; e < z.length; e++) {
                        zD[e] = z[e];
                    }
                    double[] expectedD = zD.clone();
                    for (int j = 0; j < out; j++) {
                        double sum = z[zo + j];
                        for (int k = 0; k < count; k++) {
                            sum += (double) values[k] * w[wo + index[k] * out + j];
                        }
                        expected[zo + j] = (float) sum;
                        expectedD[zo + j] = sum;
                    }
                    kernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
                    assertClose(expected, z, count, what + " multiplySparseRow");
                    kernels.multiplySparseRow(count, index, valuesD, out, wD, wo, zD, zo);
                    for (int e = 0; e < zD.length; e++) {
                        assertEquals(
                                expectedD[e],
                                zD[e],
                                1e-12 * (count + 1),
                                what + " double multiplySparseRow, element " + e);
                    }
                }
            }
        }
    }

    private static void checkFloat(LinearAlgebra k, Random random, int rows, int in, int out, String what) {
        int xo = random.nextInt(3);
        int xStride = in + random.nextInt(3);
        float[] x = randomFloats(random, xo + rows * xStride);
        for (int e : zeroInputs(random, rows, in, xo, xStride)) {
            x[e] = 0;
        }
        int wo = random.nextInt(3);
        float[] w = randomFloats(random, wo + in * out);
        int zo = random.nextInt(3);
        int zStride = out + random.nextInt(3);
        float[] z = randomFloats(random, zo + rows * zStride);
        float[] expectedZ = z.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double sum = z[zo + r * zStride + j];
                for (int i = 0; i < in; i++) {
                    sum += (double) x[xo + r * xStride + i] * w[wo + i * out + j];
                }
                expectedZ[zo + r * zStride + j] = (float) sum;
            }
        }
        k.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
        assertClose(expectedZ, z, in, what + " multiply");

        // g[i][j] += sum_r x[r][i] d[r][j], with d laid out like z
        int go = random.nextInt(3);
        float[] g = randomFloats(random, go + in * out);
        float[] expectedG = g.clone();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                double sum = g[go + i * out + j];
                for (int r = 0; r < rows; r++) {
                    sum += (double) x[xo + r * xStride + i] * z[zo + r * zStride + j];
                }
                expectedG[go + i * out + j] = (float) sum;
            }
        }
        k.multiplyTransposedLeft(rows, in, out, x, xo, xStride, z, zo, zStride, g, go);
        assertClose(expectedG, g, rows, what + " multiplyTransposedLeft");

        // p[r][i] = sum_j d[r][j] w[i][j], p laid out like x (values outside the rows stay)
        float[] p = randomFloats(random, x.length);
        float[] expectedP = p.clone();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += (double) z[zo + r * zStride + j] * w[wo + i * out + j];
                }
                expectedP[xo + r * xStride + i] = (float) sum;
            }
        }
        k.multiplyTransposedRight(rows, in, out, z, zo, zStride, w, wo, p, xo, xStride);
        assertClose(expectedP, p, out, what + " multiplyTransposedRight");
    }

    private static void checkDouble(LinearAlgebra k, Random random, int rows, int in, int out, String what) {
        double[] x = random.doubles(rows * in).toArray();
        for (int e : zeroInputs(random, rows, in, 0, in)) {
            x[e] = 0;
        }
        double[] w = random.doubles(in * out).toArray();
        double[] z = random.doubles(rows * out).toArray();
        double[] expectedZ = z.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                for (int i = 0; i < in; i++) {
                    expectedZ[r * out + j] += x[r * in + i] * w[i * out + j];
                }
            }
        }
        k.multiply(rows, in, out, x, 0, in, w, 0, z, 0, out);
        for (int e = 0; e < z.length; e++) {
            assertEquals(expectedZ[e], z[e], 1e-12 * in, what + " double multiply");
        }
        double[] g = new double[in * out];
        k.multiplyTransposedLeft(rows, in, out, x, 0, in, z, 0, out, g, 0);
        double[] p = new double[rows * in];
        k.multiplyTransposedRight(rows, in, out, z, 0, out, w, 0, p, 0, in);
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    sum += x[r * in + i] * z[r * out + j];
                }
                assertEquals(sum, g[i * out + j], 1e-12 * rows * in, what + " double multiplyTransposedLeft");
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += z[r * out + j] * w[i * out + j];
                }
                assertEquals(sum, p[r * in + i], 1e-12 * out * in, what + " double multiplyTransposedRight");
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, int terms, String what) {
        for (int e = 0; e < expected.length; e++) {
            float tolerance = 2e-6f * (terms + 1) * (1 + Math.abs(expected[e]));
            if (!(Math.abs(expected[e] - actual[e]) <= tolerance)) {
                throw new AssertionError(
                        what + ": element " + e + " expected " + expected[e] + " but was " + actual[e]);
            }
        }
    }

    /**
     * Where to put zeros in a block of inputs, since the plain products skip them: a quarter of the
     * entries, a third of the inputs in every row (skipped for a whole block of rows), and
     * inputs 4 to 7 in every row (a whole block of four inputs skipped).
     */
    private static int[] zeroInputs(Random random, int rows, int in, int xo, int xStride) {
        java.util.List<Integer> zeros = new java.util.ArrayList<>();
        for (int i = 0; i < in; i++) {
            boolean everyRow = random.nextInt(3) == 0 || (i >= 4 && i < 8);
            for (int r = 0; r < rows; r++) {
                if (everyRow || random.nextInt(4) == 0) {
                    zeros.add(xo + r * xStride + i);
                }
            }
        }
        return zeros.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] randomFloats(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
