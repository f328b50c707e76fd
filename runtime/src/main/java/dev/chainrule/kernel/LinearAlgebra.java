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

    /** A short name for reports, e.g. {@code scalar} or {@code vector (256-bit float)}. */
    String name();
}
