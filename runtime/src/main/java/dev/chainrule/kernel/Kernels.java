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

    private static LinearAlgebra choose() {
        boolean wanted = !"false".equalsIgnoreCase(System.getProperty("chainrule.vector"));
        if (wanted && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (LinearAlgebra) Class.forName("dev.chainrule.kernel.vector.VectorLinearAlgebra")
                        .getConstructor().newInstance();
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

    /** {@code y[yo + j] += a * x[xo + j]} for {@code j < n}. */
    public static void axpy(double a, double[] x, int xo, double[] y, int yo, int n) {
        IMPL.axpy(a, x, xo, y, yo, n);
    }

    /** {@code sum_j x[xo + j] * y[yo + j]} for {@code j < n}. */
    public static double dot(double[] x, int xo, double[] y, int yo, int n) {
        return IMPL.dot(x, xo, y, yo, n);
    }
}
