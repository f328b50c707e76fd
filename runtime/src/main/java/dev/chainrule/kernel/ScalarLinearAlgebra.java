package dev.chainrule.kernel;

/**
 * Plain Java kernels, correct on every JVM. The dot products keep four partial sums: the
 * additions of one sum depend on each other, four independent chains keep the floating-point
 * units busy (C2 does not reorder float additions on its own). The matrix products go through
 * a block of rows one weight row at a time, so each weight row is read from memory once per
 * block rather than once per row; inputs that are exactly zero are skipped (not a NaN: {@code NaN
 * != 0}, so it still reaches every output).
 */
public class ScalarLinearAlgebra implements LinearAlgebra {

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    @Override
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
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

    @Override
    public double sumOfSquares(float[] g, float[] p, int n) {
        double total = 0;
        for (int from = 0; from < n; from += SQUARES_BLOCK) {
            int to = Math.min(n, from + SQUARES_BLOCK);
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
        for (int j = 0; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }

    @Override
    public double dot(double[] x, int xo, double[] y, int yo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
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

    @Override
    public void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        for (int r = 0; r < rows; r++) {
            axpy(1, d, dOff + r * dStride, g, go, n);
        }
    }

    @Override
    public void relu(float[] z, int zo, float[] a, int ao, int n) {
        for (int i = 0; i < n; i++) {
            a[ao + i] = ActivationMathF.relu(z[zo + i]);
        }
    }

    @Override
    public void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= ActivationMathF.reluDerivative(z[zo + i]);
        }
    }

    @Override
    public void addRows(int rows, int n, double[] d, int dOff, int dStride, double[] g, int go) {
        for (int r = 0; r < rows; r++) {
            axpy(1, d, dOff + r * dStride, g, go, n);
        }
    }

    @Override
    public void relu(double[] z, int zo, double[] a, int ao, int n) {
        for (int i = 0; i < n; i++) {
            a[ao + i] = ActivationMathD.relu(z[zo + i]);
        }
    }

    @Override
    public void scaleByReluDerivative(double[] d, int dOff, double[] z, int zo, int n) {
        for (int i = 0; i < n; i++) {
            d[dOff + i] *= ActivationMathD.reluDerivative(z[zo + i]);
        }
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        for (int k = 0; k < count; k++) {
            axpy(values[k], w, wo + index[k] * out, z, zo, out);
        }
    }

    @Override
    public void multiplySparseRow(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        for (int k = 0; k < count; k++) {
            axpy(values[k], w, wo + index[k] * out, z, zo, out);
        }
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
        for (int i = 0; i < in; i++) {
            int wRow = wo + i * out;
            for (int r = 0; r < rows; r++) {
                p[po + r * pStride + i] = dot(d, dOff + r * dStride, w, wRow, out);
            }
        }
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
        for (int i = 0; i < in; i++) {
            int wRow = wo + i * out;
            for (int r = 0; r < rows; r++) {
                double xi = x[xo + r * xStride + i];
                if (xi != 0) {
                    axpy(xi, w, wRow, z, zo + r * zStride, out);
                }
            }
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
        for (int i = 0; i < in; i++) {
            int gRow = go + i * out;
            for (int r = 0; r < rows; r++) {
                double xi = x[xo + r * xStride + i];
                if (xi != 0) {
                    axpy(xi, d, dOff + r * dStride, g, gRow, out);
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
        for (int i = 0; i < in; i++) {
            int wRow = wo + i * out;
            for (int r = 0; r < rows; r++) {
                p[po + r * pStride + i] = dot(d, dOff + r * dStride, w, wRow, out);
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
