package dev.chainrule.kernel;

/**
 * The kernels generated loops call, dispatched once per JVM: the Vector API implementation when
 * the {@code jdk.incubator.vector} module is in the boot layer (start the JVM with {@code
 * --add-modules jdk.incubator.vector}) and the property {@code chainrule.vector} is not {@code
 * false}; the plain Java one otherwise. Code that calls these compiles without any flag.
 *
 * <p>Only one implementation class is ever loaded, so HotSpot inlines the calls through {@link
 * #IMPL} as if they were static.
 */
public final class Kernels {
    private Kernels() {}

    /** The implementation this JVM uses. */
    public static final LinearAlgebra IMPL = choose();

    /**
     * Whether {@link #IMPL} is the Vector API implementation. Generated code tests it to choose
     * between these kernels and its own plain loops (shaped for C2's auto-vectorizer); HotSpot
     * folds the test away.
     */
    public static final boolean VECTOR_API = IMPL.getClass() != ScalarLinearAlgebra.class;

    private static LinearAlgebra choose() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("chainrule.vector"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return Class.forName("dev.chainrule.kernel.vector.VectorLinearAlgebra")
                        .asSubclass(LinearAlgebra.class)
                        .getConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // The module is there but not usable: keep the plain path, which is always correct.
                return new ScalarLinearAlgebra();
            }
        }
        return new ScalarLinearAlgebra();
    }

    /** {@code y[yo + j] += a * x[xo + j]} for {@code j < n}. */
    public static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        IMPL.axpy(a, x, xo, y, yo, n);
    }

    /** {@code sum_j x[xo + j] * y[yo + j]} for {@code j < n}. */
    public static float dot(float[] x, int xo, float[] y, int yo, int n) {
        return IMPL.dot(x, xo, y, yo, n);
    }

    /** {@code sum_i g[i]^2 + 0 * p[i]}; see {@link LinearAlgebra#sumOfSquares}. */
    public static double sumOfSquares(float[] g, float[] p, int n) {
        return IMPL.sumOfSquares(g, p, n);
    }

    /** {@link #sumOfSquares(float[], float[], int)} of {@code g} and {@code p} on {@code [from, from + n)}; see {@link LinearAlgebra#sumOfSquares(float[], float[], int, int)}. */
    public static double sumOfSquares(float[] g, float[] p, int from, int n) {
        return IMPL.sumOfSquares(g, p, from, n);
    }

    /** {@code y[yo + j] += a * x[xo + j]} for {@code j < n}. */
    public static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        IMPL.axpy(a, x, xo, y, yo, n);
    }

    /** {@code sum_j x[xo + j] * y[yo + j]} for {@code j < n}. */
    public static double dot(double[] x, int xo, double[] y, int yo, int n) {
        return IMPL.dot(x, xo, y, yo, n);
    }

    /** {@code g[go + j] += sum_r d[dOff + r * dStride + j]}; see {@link LinearAlgebra}. */
    public static void addRows(int rows, int n, float[] d, int dOff, int dStride, float[] g, int go) {
        IMPL.addRows(rows, n, d, dOff, dStride, g, go);
    }

    /** {@code a[ao + i] = relu(z[zo + i])}; see {@link LinearAlgebra}. */
    public static void relu(float[] z, int zo, float[] a, int ao, int n) {
        IMPL.relu(z, zo, a, ao, n);
    }

    /** {@code d[dOff + i] *= reluDerivative(z[zo + i])}; see {@link LinearAlgebra}. */
    public static void scaleByReluDerivative(float[] d, int dOff, float[] z, int zo, int n) {
        IMPL.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    /** {@code g[go + j] += sum_r d[dOff + r * dStride + j]}; see {@link LinearAlgebra}. */
    public static void addRows(int rows, int n, double[] d, int dOff, int dStride, double[] g, int go) {
        IMPL.addRows(rows, n, d, dOff, dStride, g, go);
    }

    /** {@code a[ao + i] = relu(z[zo + i])}; see {@link LinearAlgebra}. */
    public static void relu(double[] z, int zo, double[] a, int ao, int n) {
        IMPL.relu(z, zo, a, ao, n);
    }

    /** {@code d[dOff + i] *= reluDerivative(z[zo + i])}; see {@link LinearAlgebra}. */
    public static void scaleByReluDerivative(double[] d, int dOff, double[] z, int zo, int n) {
        IMPL.scaleByReluDerivative(d, dOff, z, zo, n);
    }

    /** {@code z[zo + j] += sum_k values[k] w[index[k]][j]}; see {@link LinearAlgebra}. */
    public static void multiplySparseRow(
            int count, int[] index, float[] values, int out, float[] w, int wo, float[] z, int zo) {
        IMPL.multiplySparseRow(count, index, values, out, w, wo, z, zo);
    }

    /** {@code z[zo + j] += sum_k values[k] w[index[k]][j]}; see {@link LinearAlgebra}. */
    public static void multiplySparseRow(
            int count, int[] index, double[] values, int out, double[] w, int wo, double[] z, int zo) {
        IMPL.multiplySparseRow(count, index, values, out, w, wo, z, zo);
    }

    /** {@code z[r][j] += sum_i x[r][i] w[i][j]}; see {@link LinearAlgebra}. */
    public static void multiply(
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
        IMPL.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
    }

    /** {@code g[i][j] += sum_r x[r][i] d[r][j]}; see {@link LinearAlgebra}. */
    public static void multiplyTransposedLeft(
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
        IMPL.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
    }

    /** {@code p[r][i] = sum_j d[r][j] w[i][j]}; see {@link LinearAlgebra}. */
    public static void multiplyTransposedRight(
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
        IMPL.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
    }

    /** {@code z[r][j] += sum_i x[r][i] w[i][j]}; see {@link LinearAlgebra}. */
    public static void multiply(
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
        IMPL.multiply(rows, in, out, x, xo, xStride, w, wo, z, zo, zStride);
    }

    /** {@code g[i][j] += sum_r x[r][i] d[r][j]}; see {@link LinearAlgebra}. */
    public static void multiplyTransposedLeft(
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
        IMPL.multiplyTransposedLeft(rows, in, out, x, xo, xStride, d, dOff, dStride, g, go);
    }

    /** {@code p[r][i] = sum_j d[r][j] w[i][j]}; see {@link LinearAlgebra}. */
    public static void multiplyTransposedRight(
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
        IMPL.multiplyTransposedRight(rows, in, out, d, dOff, dStride, w, wo, p, po, pStride);
    }
}
