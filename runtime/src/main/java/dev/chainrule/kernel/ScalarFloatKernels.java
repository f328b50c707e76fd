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

    /**
     * {@code ActivationMathF.relu} of each value, its bits, computed on the value's bits: the
     * comparison there is a branch the processor mispredicts about half the time on a layer's
     * sums.
     */
    static void relu(float[] z, int zo, float[] a, int ao, int n) {
        for (int i = 0; i < n; i++) {
            a[ao + i] = relu(z[zo + i]);
        }
    }

    /**
     * {@code d[dOff + i] * ActivationMathF.reluDerivative(z[zo + i])}, its bits: the derivative's
     * one or zero made from the value's bits rather than by a branch.
     */
    static void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= reluDerivative(z[zo + i]);
        }
    }

    // A float is above zero when its bits, read as an int, are in [1, 0x7f800000] (up to +inf;
    // above it the positive NaNs), and below zero when its magnitude's bits are there and its
    // sign is set. (b - 1) - 0x7f800000 >> 31 is all ones when b - 1 < 0x7f800000, and
    // ~(b - 1 >> 31) when b >= 1: the two together are a mask of b in [1, 0x7f800000].

    /** {@code v < 0 ? 0 : v} without a branch: {@code v}'s bits, cleared when {@code v} is below zero. */
    private static float relu(float v) {
        // twin: float only
        int bits = Float.floatToRawIntBits(v);
        int m = (bits & 0x7fffffff) - 1;
        int below = (bits >> 31) & ((m - 0x7f800000) >> 31) & ~(m >> 31);
        return Float.intBitsToFloat(bits & ~below);
        // twin: double only
        // long bits = Double.doubleToRawLongBits(v);
        // long m = (bits & 0x7fffffffffffffffL) - 1;
        // long below = (bits >> 63) & ((m - 0x7ff0000000000000L) >> 63) & ~(m >> 63);
        // return Double.longBitsToDouble(bits & ~below);
        // twin: end
    }

    /** {@code v > 0 ? 1 : 0} without a branch: the bits of one, masked by whether {@code v} is above zero. */
    private static float reluDerivative(float v) {
        // twin: float only
        int m = Float.floatToRawIntBits(v) - 1;
        int above = ((m - 0x7f800000) >> 31) & ~(m >> 31);
        return Float.intBitsToFloat(above & 0x3f800000);
        // twin: double only
        // long m = Double.doubleToRawLongBits(v) - 1;
        // long above = ((m - 0x7ff0000000000000L) >> 63) & ~(m >> 63);
        // return Double.longBitsToDouble(above & 0x3ff0000000000000L);
        // twin: end
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
