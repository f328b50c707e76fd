package dev.chainrule.kernel;

/**
 * The two vector operations dense layers are made of, in float and double. {@link Kernels}
 * holds the implementation this JVM uses: {@code ScalarLinearAlgebra} (plain Java, always
 * there) or, when the {@code jdk.incubator.vector} module is present at run time, one written
 * with the Vector API. Both compute the same values up to the order of floating-point
 * additions.
 */
public interface LinearAlgebra {

    /** {@code y[yo + j] += a * x[xo + j]} for {@code j < n}. */
    void axpy(float a, float[] x, int xo, float[] y, int yo, int n);

    /** {@code sum_j x[xo + j] * y[yo + j]} for {@code j < n}. */
    float dot(float[] x, int xo, float[] y, int yo, int n);

    /** {@code y[yo + j] += a * x[xo + j]} for {@code j < n}. */
    void axpy(double a, double[] x, int xo, double[] y, int yo, int n);

    /** {@code sum_j x[xo + j] * y[yo + j]} for {@code j < n}. */
    double dot(double[] x, int xo, double[] y, int yo, int n);

    /**
     * {@code g[go + j] += sum_r d[dOff + r * dStride + j]} for {@code r < rows, j < n}, each
     * sum in row order: a dense layer's bias gradients over a block of rows, the same bits as
     * {@code rows} calls of {@code axpy(1, d, dOff + r * dStride, g, go, n)}.
     */
    void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go);

    /** The double-precision {@link #addRows(int, int, float[], int, int, float[], int)}. */
    void addRows(int rows, int n, double[] d, int dOff, int dStride, double[] g, int go);

    /** {@code a[ao + i] = relu(z[zo + i])} for {@code i < n}, exactly {@code ActivationMathF.relu}. */
    void relu(float[] z, int zo, float[] a, int ao, int n);

    /** {@code a[ao + i] = relu(z[zo + i])} for {@code i < n}, exactly {@code ActivationMathD.relu}. */
    void relu(double[] z, int zo, double[] a, int ao, int n);

    /**
     * {@code d[dOff + i] *= reluDerivative(z[zo + i])} for {@code i < n}: deltas with respect to
     * a ReLU's outputs made deltas with respect to its inputs, exactly as {@code
     * ActivationMathF.reluDerivative} gives them.
     */
    void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n);

    /** The double-precision {@link #scaleByReluDerivative(float[], int, float[], int, int)}. */
    void scaleByReluDerivative(double[] d, int dOff, double[] z, int zo, int n);

    /**
     * {@code z[zo + j] += sum_k values[k] w[index[k]][j]} for {@code k < count, j < out}: one row
     * through a dense layer, given as its non-zero inputs (their indices and values), so that the
     * loop over them has no branch; {@code w} is input-major from {@code wo}.
     */
    void multiplySparseRow(int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo);

    /** The double-precision {@link #multiplySparseRow(int, int[], float[], int, float[], int, float[], int)}. */
    void multiplySparseRow(int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo);

    /**
     * {@code z[r][j] += sum_i x[r][i] w[i][j]} for {@code r < rows, i < in, j < out}: a block of
     * rows through a dense layer. Row {@code r} of {@code x} starts at {@code xo + r * xStride},
     * of {@code z} at {@code zo + r * zStride}; {@code w} is input-major from {@code wo}.
     */
    void multiply(
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
            int zStride);

    /**
     * {@code g[i][j] += sum_r x[r][i] d[r][j]}: a dense layer's weight gradients over a block of
     * rows; {@code g} is input-major from {@code go}.
     */
    void multiplyTransposedLeft(
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
            int go);

    /**
     * {@code p[r][i] = sum_j d[r][j] w[i][j]}: a block of deltas carried back through a dense
     * layer's input-major weights.
     */
    void multiplyTransposedRight(
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
            int pStride);

    /** {@link #multiply(int, int, int, float[], int, int, float[], int, float[], int, int)} in double. */
    void multiply(
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
            int zStride);

    /** {@link #multiplyTransposedLeft(int, int, int, float[], int, int, float[], int, int, float[], int)} in double. */
    void multiplyTransposedLeft(
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
            int go);

    /** {@link #multiplyTransposedRight(int, int, int, float[], int, int, float[], int, float[], int, int)} in double. */
    void multiplyTransposedRight(
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
            int pStride);

    /**
     * {@code sum_i g[i]^2} for {@code i < n}, accumulated in float within blocks of {@link
     * #SQUARES_BLOCK} values and in double across them, plus {@code 0 * p[i]}: the result is NaN
     * or infinite when a {@code g[i]} or a {@code p[i]} is not finite, or when a block's float
     * sum overflows (a caller that needs the exact answer then sums in double).
     */
    default double sumOfSquares(float[] g, float[] p, int n) {
        return sumOfSquares(g, p, 0, n);
    }

    /**
     * {@link #sumOfSquares(float[], float[], int)} of {@code g[from .. from + n)} and {@code p[from
     * .. from + n)}, its blocks counted from {@code from}: the bits it returns for a copy of that
     * range starting at index 0, without the copy.
     */
    double sumOfSquares(float[] g, float[] p, int from, int n);

    /** Values {@link #sumOfSquares} adds in float before it carries their sum to a double. */
    int SQUARES_BLOCK = 1024;

    /** A short name for reports, e.g. {@code scalar} or {@code vector (256-bit float)}. */
    String name();
}
