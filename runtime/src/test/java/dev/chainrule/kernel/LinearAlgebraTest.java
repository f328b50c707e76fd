package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.vector.VectorLinearAlgebra;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both kernel implementations against a naive loop in double, on every length up to a few
 * vectors and at unaligned offsets (this module's tests run with the Vector API module).
 */
class LinearAlgebraTest {
    private static final List<LinearAlgebra> IMPLEMENTATIONS = List.of(new ScalarLinearAlgebra(), new VectorLinearAlgebra());

    @Test
    void theJvmRunningTheseTestsUsesTheVectorKernels() {
        assertTrue(Kernels.IMPL instanceof VectorLinearAlgebra, Kernels.IMPL.name());
    }

    @Test
    void floatKernelsMatchANaiveLoop() {
        Random random = new Random(1);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 70; n++) {
                int xo = random.nextInt(5);
                int yo = random.nextInt(5);
                float[] x = randomFloats(random, xo + n + 3);
                float[] y = randomFloats(random, yo + n + 3);
                float a = (float) random.nextGaussian();
                double expectedDot = 0;
                float[] expectedY = y.clone();
                for (int j = 0; j < n; j++) {
                    expectedDot += (double) x[xo + j] * y[yo + j];
                    expectedY[yo + j] = (float) (y[yo + j] + (double) a * x[xo + j]);
                }
                assertEquals(expectedDot, kernels.dot(x, xo, y, yo, n), 1e-5 * (1 + n), kernels.name() + " dot, n=" + n);
                kernels.axpy(a, x, xo, y, yo, n);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(expectedY[j], y[j], 1e-6f * (1 + Math.abs(expectedY[j])), kernels.name() + " axpy, n=" + n + ", j=" + j);
                }
            }
        }
    }

    @Test
    void doubleKernelsMatchANaiveLoop() {
        Random random = new Random(2);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 40; n++) {
                int xo = random.nextInt(3);
                int yo = random.nextInt(3);
                double[] x = random.doubles(xo + n + 2).toArray();
                double[] y = random.doubles(yo + n + 2).toArray();
                double a = random.nextGaussian();
                double expectedDot = 0;
                double[] expectedY = y.clone();
                for (int j = 0; j < n; j++) {
                    expectedDot += x[xo + j] * y[yo + j];
                    expectedY[yo + j] = y[yo + j] + a * x[xo + j];
                }
                assertEquals(expectedDot, kernels.dot(x, xo, y, yo, n), 1e-13 * (1 + n), kernels.name() + " dot, n=" + n);
                kernels.axpy(a, x, xo, y, yo, n);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(expectedY[j], y[j], 1e-15 * (1 + Math.abs(expectedY[j])), kernels.name() + " axpy");
                }
            }
        }
    }

    private static float[] randomFloats(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
