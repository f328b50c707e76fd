package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CholeskyTest {

    // A = L L^T for this L, multiplied out by hand
    private static final double[] L = {
        2, 0, 0, -1, 3, 0, 0.5, 1, 1.5,
    };
    private static final double[] A = {
        4, -2, 1,
        -2, 10, 2.5,
        1, 2.5, 3.5,
    };

    @Test
    void recoversTheFactorOfAKnownProduct() {
        double[] a = A.clone();
        assertTrue(Cholesky.decompose(a, 3));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(L[i * 3 + j], a[i * 3 + j], 1e-14, "L[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void solvesTheSystem() {
        double[] x = {1, -2, 0.5};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += A[i * 3 + j] * x[j];
            }
        }
        double[] a = A.clone();
        assertTrue(Cholesky.decompose(a, 3));
        Cholesky.solve(a, 3, b);
        assertArrayEquals(x, b, 1e-14);
    }

    @Test
    void reportsAMatrixThatIsNotPositiveDefinite() {
        assertFalse(Cholesky.decompose(new double[] {1, 2, 2, 1}, 2)); // eigenvalues 3 and -1
        assertFalse(Cholesky.decompose(new double[] {0, 0, 0, 1}, 2)); // singular
        assertFalse(Cholesky.decompose(new double[] {Double.NaN}, 1));
    }
}
