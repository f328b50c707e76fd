package dev.chainrule.kernel;

// double twin: ScalarDoubleKernels (written from this file at build time by runtime/src/build/Twins.java)

/**
 * The float kernels of {@link ScalarLinearAlgebra}, whose description says how they go: four
 * partial sums in the dot products, a block of rows one weight row at a time in the matrix
 * products, inputs that are exactly zero skipped.
 */
final class ScalarFloatKernels {
    private ScalarFloatKernels() {}

    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += x[xo + j] * y[yo + j];
            s1 += x[xo + j + 1] * y[yo + j + 1];
            s2 += x[xo + j + 2] * y[yo + j + 2];
            s3 += x[xo + j + 3] * y[yo + j + 3];
        }
        for (; j < n; j++) {
            s0 += x[xo + j] * y[yo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code rows} calls of {@code axpy(1, ...)}: each bias gradient summed in row order. */
    static void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        for (int r = 0; r < rows; r++) {
            axpy(1, d, dOff + r * dStride, g, go, n);
        }
    }

    static void relu(float[] z, int zo, float[] a, int ao, int n) {
        for (int i = 0; i < n; i++) {
            a[ao + i] = ActivationMathF.relu(z[zo + i]);
        }
    }

    static void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= ActivationMathF.reluDerivative(z[zo + i]);
        }
    }

    static void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        for (int k = 0; k < count; k++) {
            axpy(values[k], w, wo + index[k] * out, z, zo, out);
        }
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
        for (int i = 0; i < in; i++) {
            int wRow = wo + i * out;
            for (int r = 0; r < rows; r++) {
                float xi = x[xo + r * xStride + i];
                if (xi != 0) {
                    axpy(xi, w, wRow, z, zo + r * zStride, out);
                }
            }
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
        for (int i = 0; i < in; i++) {
            int gRow = go + i * out;
            for (int r = 0; r < rows; r++) {
                float xi = x[xo + r * xStride + i];
                if (xi != 0) {
                    axpy(xi, d, dOff + r * dStride, g, gRow, out);
                }
            }
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
        for (int i = 0; i < in; i++) {
            int wRow = wo + i * out;
            for (int r = 0; r < rows; r++) {
                p[po + r * pStride + i] = dot(d, dOff + r * dStride, w, wRow, out);
            }
        }
    }
}
