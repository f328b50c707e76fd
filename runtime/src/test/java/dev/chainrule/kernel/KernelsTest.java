package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each of the static entry points generated code calls, against a naive loop in double. */
class KernelsTest {
    private final Random random = new Random(31);

    private double[] doubles(int n) {
        return random.doubles(n, -1, 1).toArray();
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Test
    void vectorOperations() {
        int n = 37;
        double[] x = widen(floats(doubles(n + 3)));
        double[] y = widen(floats(doubles(n + 4)));
        double a = (float) 0.625;
        double dot = 0;
        double[] axpy = y.clone();
        for (int j = 0; j < n; j++) {
            dot += x[2 + j] * y[1 + j];
            axpy[1 + j] += a * x[2 + j];
        }
        assertEquals(dot, Kernels.dot(x, 2, y, 1, n), 1e-13);
        assertEquals(dot, Kernels.dot(floats(x), 2, floats(y), 1, n), 1e-5);
        double[] yd = y.clone();
        float[] yf = floats(y);
        Kernels.axpy(a, x, 2, yd, 1, n);
        Kernels.axpy((float) a, floats(x), 2, yf, 1, n);
        for (int j = 0; j < y.length; j++) {
            assertEquals(axpy[j], yd[j], 1e-15, "double axpy " + j);
            assertEquals(axpy[j], yf[j], 1e-6, "float axpy " + j);
        }
        float[] g = floats(doubles(n));
        double squares = 0;
        for (float v : g) {
            squares += (double) v * v;
        }
        assertEquals(squares, Kernels.sumOfSquares(g, new float[n], n), 1e-5);
    }

    /** Parameters of exactly zero, as a fresh model's biases are, add nothing: 0 * 0 is 0, not NaN. */
    @Test
    void sumsOfSquaresOverZeroParametersAreFinite() {
        for (LinearAlgebra kernels :
                new LinearAlgebra[] {new ScalarLinearAlgebra(), new dev.chainrule.kernel.vector.VectorLinearAlgebra()
                }) {
            for (int n : new int[] {1, 3, 4, 7, 64, 67, 1030}) {
                float[] g = new float[n];
                double expected = 0;
                for (int i = 0; i < n; i++) {
                    g[i] = (i % 5) - 2.5f;
                    expected += (double) g[i] * g[i];
                }
                assertEquals(
                        expected,
                        kernels.sumOfSquares(g, new float[n], n),
                        1e-9 * expected,
                        kernels.name() + " n=" + n);
                float[] negativeZeros = new float[n];
                java.util.Arrays.fill(negativeZeros, -0f);
                assertEquals(
                        expected,
                        kernels.sumOfSquares(g, negativeZeros, n),
                        1e-9 * expected,
                        kernels.name() + " n=" + n);
            }
        }
    }

    @Test
    void elementKernels() {
        // rows of d: 1, 2, 3 and -1, 0.5, 0; z with a negative, a zero and a positive value
        float[] d = {9, 1, 2, 3, -1, 0.5f, 0};
        float[] g = {10, 20, 30, 7};
        Kernels.addRows(2, 3, d, 1, 3, g, 0);
        assertEquals(List.of(10f, 22.5f, 33f, 7f), List.of(g[0], g[1], g[2], g[3]));
        double[] dd = widen(d);
        double[] gd = {10, 20, 30, 7};
        Kernels.addRows(2, 3, dd, 1, 3, gd, 0);
        assertEquals(List.of(10d, 22.5d, 33d, 7d), List.of(gd[0], gd[1], gd[2], gd[3]));

        float[] z = {-2, 0, 3};
        float[] a = {5, 5, 5, 5};
        Kernels.relu(z, 0, a, 1, 3);
        assertEquals(List.of(5f, 0f, 0f, 3f), List.of(a[0], a[1], a[2], a[3]));
        double[] ad = {5, 5, 5, 5};
        Kernels.relu(widen(z), 0, ad, 1, 3);
        assertEquals(List.of(5d, 0d, 0d, 3d), List.of(ad[0], ad[1], ad[2], ad[3]));

        float[] delta = {4, 4, 4};
        Kernels.scaleByReluDerivative(delta, 0, z, 0, 3);
        assertEquals(List.of(0f, 0f, 4f), List.of(delta[0], delta[1], delta[2]));
        double[] deltaD = {4, 4, 4};
        Kernels.scaleByReluDerivative(deltaD, 0, widen(z), 0, 3);
        assertEquals(List.of(0d, 0d, 4d), List.of(deltaD[0], deltaD[1], deltaD[2]));
    }

    @Test
    void sparseRows() {
        int in = 6;
        int out = 21;
        int[] index = {0, 2, 5};
        double[] values = widen(floats(doubles(3)));
        double[] w = widen(floats(doubles(1 + in * out)));
        double[] z = widen(floats(doubles(2 + out)));
        double[] expected = z.clone();
        for (int j = 0; j < out; j++) {
            for (int k = 0; k < 3; k++) {
                expected[2 + j] += values[k] * w[1 + index[k] * out + j];
            }
        }
        double[] zd = z.clone();
        float[] zf = floats(z);
        Kernels.multiplySparseRow(3, index, values, out, w, 1, zd, 2);
        Kernels.multiplySparseRow(3, index, floats(values), out, floats(w), 1, zf, 2);
        for (int j = 0; j < z.length; j++) {
            assertEquals(expected[j], zd[j], 1e-14, "double " + j);
            assertEquals(expected[j], zf[j], 1e-5, "float " + j);
        }
    }

    @Test
    void matrixProducts() {
        int rows = 5;
        int in = 7;
        int out = 19;
        double[] x = widen(floats(doubles(rows * in)));
        double[] w = widen(floats(doubles(in * out)));
        double[] z = widen(floats(doubles(rows * out)));
        double[] product = z.clone();
        double[] weightGradient = new double[in * out];
        double[] back = new double[rows * in];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    product[r * out + j] += x[r * in + i] * w[i * out + j];
                    weightGradient[i * out + j] += x[r * in + i] * z[r * out + j];
                    back[r * in + i] += z[r * out + j] * w[i * out + j];
                }
            }
        }
        double[] zd = z.clone();
        float[] zf = floats(z);
        Kernels.multiply(rows, in, out, x, 0, in, w, 0, zd, 0, out);
        Kernels.multiply(rows, in, out, floats(x), 0, in, floats(w), 0, zf, 0, out);
        assertClose(product, zd, widen(zf));
        double[] gd = new double[in * out];
        float[] gf = new float[in * out];
        Kernels.multiplyTransposedLeft(rows, in, out, x, 0, in, z, 0, out, gd, 0);
        Kernels.multiplyTransposedLeft(rows, in, out, floats(x), 0, in, floats(z), 0, out, gf, 0);
        assertClose(weightGradient, gd, widen(gf));
        double[] pd = new double[rows * in];
        float[] pf = new float[rows * in];
        Kernels.multiplyTransposedRight(rows, in, out, z, 0, out, w, 0, pd, 0, in);
        Kernels.multiplyTransposedRight(rows, in, out, floats(z), 0, out, floats(w), 0, pf, 0, in);
        assertClose(back, pd, widen(pf));
    }

    private static void assertClose(double[] expected, double[] fromDoubles, double[] fromFloats) {
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], fromDoubles[e], 1e-13, "double " + e);
            assertEquals(expected[e], fromFloats[e], 1e-5, "float " + e);
        }
    }
}
