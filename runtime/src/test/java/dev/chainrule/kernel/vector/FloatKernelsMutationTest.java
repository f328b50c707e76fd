package dev.chainrule.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatKernels} and its generated twin {@code DoubleKernels} against naive sums, exactly:
 * the inputs are small integers, so every sum is exact whatever the order of its additions and
 * whether its products are fused, and any index, bound or copy that goes wrong shows as a wrong
 * value, not as rounding. Every operand array is exactly as long as the kernel may read (a read
 * past its end throws); what lies before an operand's offset and between its rows is NaN (a read
 * there poisons a result); what lies before and between the rows of a result is a marker that
 * must be left as it was. The sizes cross every loop of the kernels at this machine's vector
 * width: blocks of twelve, eight and four rows or inputs with 512-bit vectors (33 rows and 29
 * inputs take two blocks of twelve and one of eight or four), of six, five and four with
 * narrower ones (33 rows take two blocks of six, four of five and one row alone; 21 inputs four
 * of five and one alone; 8 rows two of four),
 * the scalar tails and the panels of the last units.
 */
class FloatKernelsMutationTest {
    private static final int FV = FloatVector.SPECIES_PREFERRED.length();
    private static final int DV = DoubleVector.SPECIES_PREFERRED.length();
    private static final float MARK = 12345;

    /**
     * The build runs these tests a second time with {@code -XX:MaxVectorSize=32}, so that the
     * blocks for sixteen vector registers are tested on a machine with thirty-two; this holds
     * that run to the width it asks for.
     */
    @Test
    void vectorsAreNoWiderThanTheRunAsksFor() {
        String bits = System.getProperty("chainrule.test.maxVectorBits");
        if (bits != null) {
            assertTrue(
                    FV * Float.SIZE <= Integer.parseInt(bits),
                    "float vectors of " + FV * Float.SIZE + " bits in a run limited to " + bits);
        }
    }

    /** Unit counts around the vector loops of {@code lanes} lanes: 1, 2 and 4 vectors, their neighbours. */
    private static int[] widths(int lanes) {
        return new int[] {
            1,
            2,
            lanes - 1,
            lanes,
            lanes + 1,
            2 * lanes - 1,
            2 * lanes,
            2 * lanes + 1,
            3 * lanes,
            3 * lanes + 5,
            4 * lanes,
            4 * lanes + 1,
            5 * lanes + 3,
            // a second block of four vectors: only a block past unit 0 tells j + v from j - v
            8 * lanes + 3
        };
    }

    private static final int[] ROWS = {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 33};
    private static final int[] INPUTS = {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 21, 29};

    private static int small(Random random) {
        return random.nextInt(7) - 3;
    }

    /** {@code length} values; those at {@code [offset + r * stride, + width)} for {@code r < rows} small integers, the rest {@code fill}. */
    private static float[] floats(Random random, int offset, int rows, int width, int stride, float fill) {
        float[] a = new float[offset + (rows - 1) * stride + width];
        Arrays.fill(a, fill);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                a[offset + r * stride + j] = small(random);
            }
        }
        return a;
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static void assertSame(float[] expected, float[] actual, String what) {
        for (int e = 0; e < expected.length; e++) {
            if (Float.floatToIntBits(expected[e]) != Float.floatToIntBits(actual[e])) {
                throw new AssertionError(
                        what + ": element " + e + " expected " + expected[e] + " but was " + actual[e]);
            }
        }
    }

    private static void assertSame(float[] expected, double[] actual, String what) {
        for (int e = 0; e < expected.length; e++) {
            if (Double.doubleToLongBits(expected[e]) != Double.doubleToLongBits(actual[e])) {
                throw new AssertionError(
                        what + " (double): element " + e + " expected " + expected[e] + " but was " + actual[e]);
            }
        }
    }

    @Test
    void axpyAndDotAreExactAtEveryLengthAndOffset() {
        Random random = new Random(11);
        for (int n = 0; n <= 5 * FV + 2; n++) {
            for (int xo = 0; xo <= 2; xo++) {
                int yo = (xo + n) % 3;
                float a = small(random) + 0.5f;
                float[] x = floats(random, xo, 1, n, n, Float.NaN);
                float[] y = floats(random, yo, 1, n, n, MARK);
                float[] expected = y.clone();
                float dot = 0;
                for (int j = 0; j < n; j++) {
                    expected[yo + j] = y[yo + j] + a * x[xo + j];
                    dot += x[xo + j] * y[yo + j];
                }
                String what = "n=" + n + " xo=" + xo + " yo=" + yo;
                assertEquals(dot, FloatKernels.dot(x, xo, y, yo, n), what + " dot");
                assertEquals(dot, DoubleKernels.dot(doubles(x), xo, doubles(y), yo, n), what + " double dot");
                double[] yd = doubles(y);
                FloatKernels.axpy(a, x, xo, y, yo, n);
                assertSame(expected, y, what + " axpy");
                DoubleKernels.axpy(a, doubles(x), xo, yd, yo, n);
                assertSame(expected, yd, what + " axpy");
            }
        }
    }

    @Test
    void sparseRowProductsAreExactAtEveryBlockOfUnits() {
        Random random = new Random(12);
        int[] outs = {
            1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 80, 81, 96, 128, 129, 200, 255, 256, 257, 272, 320, 336, 337, 384,
            400, 528
        };
        for (int out : outs) {
            for (int in : new int[] {1, 2, 5, 9}) {
                int[] index = new int[in + 1];
                int count = 0;
                for (int i = 0; i < in; i++) {
                    if (random.nextInt(3) > 0 || i == in - 1) {
                        index[count++] = i;
                    }
                }
                index[count] = -1;
                float[] values = floats(random, 0, 1, count, count, Float.NaN);
                int wo = out % 3;
                float[] w = floats(random, wo, 1, in * out, in * out, Float.NaN);
                int zo = 1 + out % 2;
                float[] z = floats(random, zo, 1, out, out, MARK);
                float[] expected = z.clone();
                for (int j = 0; j < out; j++) {
                    float sum = z[zo + j];
                    for (int k = 0; k < count; k++) {
                        sum += values[k] * w[wo + index[k] * out + j];
                    }
                    expected[zo + j] = sum;
                }
                String what = "in=" + in + " count=" + count + " out=" + out;
                double[] zd = doubles(z);
                FloatKernels.multiplySparseRow(count, index, values, out, w, wo, z, zo);
                assertSame(expected, z, what + " multiplySparseRow");
                DoubleKernels.multiplySparseRow(count, index, doubles(values), out, doubles(w), wo, zd, zo);
                assertSame(expected, zd, what + " multiplySparseRow");
            }
        }
    }

    @Test
    void matrixProductsAreExactAcrossEveryBlock() {
        Random random = new Random(13);
        for (int lanes : new int[] {FV, DV}) {
            for (int rows : ROWS) {
                for (int in : INPUTS) {
                    for (int out : widths(lanes)) {
                        products(random, rows, in, out);
                    }
                }
            }
        }
    }

    /** Batches of a vector of rows and more, where {@code multiplyTransposedRight} runs along the batch. */
    @Test
    void productsAlongALongBatchAreExact() {
        Random random = new Random(14);
        for (int rows : new int[] {FV - 1, FV, FV + 1, 2 * FV + 3, 4 * FV + 1}) {
            for (int in : new int[] {1, 3, 4, 8, 9, 2 * FV + 1}) {
                for (int out : new int[] {1, DV, FV - 1, FV, 2 * FV, 2 * FV + 3}) {
                    products(random, rows, in, out);
                }
            }
        }
    }

    private static void products(Random random, int rows, int in, int out) {
        String what = "rows=" + rows + " in=" + in + " out=" + out;
        int xo = (rows + in) % 3;
        int xStride = in + (out % 2) * 2;
        int wo = (in + out) % 2;
        int zo = 1 + rows % 2;
        int zStride = out + (in % 2) * 3;
        float[] x = floats(random, xo, rows, in, xStride, Float.NaN);
        float[] w = floats(random, wo, in, out, out, Float.NaN);

        // z[r][j] += sum_i x[r][i] w[i][j]
        float[] z = floats(random, zo, rows, out, zStride, MARK);
        float[] expectedZ = z.clone();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float sum = z[zo + r * zStride + j];
                for (int i = 0; i < in; i++) {
                    sum += x[xo + r * xStride + i] * w[wo + i * out + j];
                }
                expectedZ[zo + r * zStride + j] = sum;
            }
        }
        double[] zd = doubles(z);
        FloatKernels.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
        assertSame(expectedZ, z, what + " multiply");
        DoubleKernels.multiply(rows, in, out, doubles(x), xo, xStride, doubles(w), wo, zd, zo, zStride);
        assertSame(expectedZ, zd, what + " multiply");

        // g[i][j] += sum_r x[r][i] d[r][j], with deltas d laid out like z (NaN between rows)
        float[] d = floats(random, zo, rows, out, zStride, Float.NaN);
        int go = (rows + out) % 3;
        float[] g = floats(random, go, 1, in * out, in * out, MARK);
        float[] expectedG = g.clone();
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                float sum = g[go + i * out + j];
                for (int r = 0; r < rows; r++) {
                    sum += x[xo + r * xStride + i] * d[zo + r * zStride + j];
                }
                expectedG[go + i * out + j] = sum;
            }
        }
        double[] gd = doubles(g);
        FloatKernels.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, zo, zStride, g, go);
        assertSame(expectedG, g, what + " multiplyTransposedLeft");
        DoubleKernels.multiplyTransposedLeft(rows, in, out, doubles(x), xo, xStride, doubles(d), zo, zStride, gd, go);
        assertSame(expectedG, gd, what + " multiplyTransposedLeft");

        // p[r][i] = sum_j d[r][j] w[i][j], p laid out like x: what it held is overwritten, the marks stay
        float[] p = floats(random, xo, rows, in, xStride, MARK);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                p[xo + r * xStride + i] = Float.NaN;
            }
        }
        float[] expectedP = p.clone();
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                float sum = 0;
                for (int j = 0; j < out; j++) {
                    sum += d[zo + r * zStride + j] * w[wo + i * out + j];
                }
                expectedP[xo + r * xStride + i] = sum;
            }
        }
        double[] pd = doubles(p);
        FloatKernels.multiplyTransposedRight(rows, in, out, d, zo, zStride, w, wo, p, xo, xStride);
        assertSame(expectedP, p, what + " multiplyTransposedRight");
        DoubleKernels.multiplyTransposedRight(rows, in, out, doubles(d), zo, zStride, doubles(w), wo, pd, xo, xStride);
        assertSame(expectedP, pd, what + " multiplyTransposedRight");
    }
}
