package dev.chainrule.kernel;

/**
 * Scaled rows added to a row, every array read from index 0: the shape of loop C2's
 * auto-vectorizer compiles to vector instructions (it leaves the same loop at a run-time offset
 * into a larger array scalar). Generated plain-Java code keeps the rows of its large matrix
 * products in arrays of their own to call these.
 */
public final class RowKernels {
    private RowKernels() {}

    /** {@code y[j] += a x[j]} for {@code j < n}. */
    public static void addScaled(float[] y, float a, float[] x, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }

    /** {@code y[j] += a0 x0[j] + a1 x1[j] + a2 x2[j] + a3 x3[j]} for {@code j < n}: four rows in one pass over {@code y}. */
    public static void addScaled4(
            float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    /** {@code y[j] += a x[j]} for {@code j < n}. */
    public static void addScaled(double[] y, double a, double[] x, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }

    /** {@code y[j] += a0 x0[j] + a1 x1[j] + a2 x2[j] + a3 x3[j]} for {@code j < n}: four rows in one pass over {@code y}. */
    public static void addScaled4(
            double[] y,
            double a0,
            double[] x0,
            double a1,
            double[] x1,
            double a2,
            double[] x2,
            double a3,
            double[] x3,
            int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }
}
