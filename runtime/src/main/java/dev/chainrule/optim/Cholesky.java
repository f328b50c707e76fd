package dev.chainrule.optim;

/**
 * Cholesky factorisation {@code A = L L^T} of a symmetric positive-definite matrix stored
 * row-major in a {@code double[n * n]}, and the solve that follows it. No allocation.
 */
final class Cholesky {
    private Cholesky() {}

    /**
     * Replaces the lower triangle of {@code a} (diagonal included) by {@code L}; the strict upper
     * triangle is not read or written.
     *
     * @return false, leaving {@code a} partly overwritten, if a pivot is not positive: the matrix
     *     is not (numerically) positive definite
     */
    static boolean decompose(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            int rowJ = j * n;
            double pivot = a[rowJ + j];
            for (int k = 0; k < j; k++) {
                pivot -= a[rowJ + k] * a[rowJ + k];
            }
            if (!(pivot > 0) || pivot == Double.POSITIVE_INFINITY) {
                return false;
            }
            double diagonal = Math.sqrt(pivot);
            a[rowJ + j] = diagonal;
            for (int i = j + 1; i < n; i++) {
                int rowI = i * n;
                double sum = a[rowI + j];
                for (int k = 0; k < j; k++) {
                    sum -= a[rowI + k] * a[rowJ + k];
                }
                a[rowI + j] = sum / diagonal;
            }
        }
        return true;
    }

    /**
     * Solves {@code L L^T x = b} in place, {@code l} holding the factor {@link #decompose} left.
     *
     * @param b the right-hand side; replaced by the solution
     */
    static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[row + k] * b[k];
            }
            b[i] = sum / l[row + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double sum = b[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k * n + i] * b[k];
            }
            b[i] = sum / l[i * n + i];
        }
    }
}
