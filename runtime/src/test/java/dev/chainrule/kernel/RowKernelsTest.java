package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The row kernels against a naive loop in double; values past {@code n} stay as they were. */
class RowKernelsTest {

    @Test
    void floatRowsMatchANaiveLoop() {
        Random random = new Random(11);
        for (int n = 0; n <= 19; n++) {
            float[][] x = new float[4][];
            for (int r = 0; r < 4; r++) {
                x[r] = floats(random, n + 2);
            }
            float[] a = floats(random, 4);
            float[] y = floats(random, n + 2);
            float[] one = y.clone();
            float[] four = y.clone();
            RowKernels.addScaled(one, a[0], x[0], n);
            RowKernels.addScaled4(four, a[0], x[0], a[1], x[1], a[2], x[2], a[3], x[3], n);
            for (int j = 0; j < y.length; j++) {
                double e1 = y[j];
                double e4 = y[j];
                if (j < n) {
                    e1 += (double) a[0] * x[0][j];
                    for (int r = 0; r < 4; r++) {
                        e4 += (double) a[r] * x[r][j];
                    }
                }
                assertEquals(e1, one[j], 1e-5 * (1 + Math.abs(e1)), "addScaled n=" + n + " j=" + j);
                assertEquals(e4, four[j], 1e-5 * (1 + Math.abs(e4)), "addScaled4 n=" + n + " j=" + j);
            }
        }
    }

    @Test
    void doubleRowsMatchANaiveLoop() {
        Random random = new Random(12);
        for (int n = 0; n <= 19; n++) {
            double[][] x = new double[4][];
            for (int r = 0; r < 4; r++) {
                x[r] = random.doubles(n + 2, -2, 2).toArray();
            }
            double[] a = random.doubles(4, -2, 2).toArray();
            double[] y = random.doubles(n + 2, -2, 2).toArray();
            double[] one = y.clone();
            double[] four = y.clone();
            RowKernels.addScaled(one, a[0], x[0], n);
            RowKernels.addScaled4(four, a[0], x[0], a[1], x[1], a[2], x[2], a[3], x[3], n);
            for (int j = 0; j < y.length; j++) {
                double e1 = y[j];
                double e4 = y[j];
                if (j < n) {
                    e1 += a[0] * x[0][j];
                    for (int r = 0; r < 4; r++) {
                        e4 += a[r] * x[r][j];
                    }
                }
                assertEquals(e1, one[j], 1e-14, "addScaled n=" + n + " j=" + j);
                assertEquals(e4, four[j], 1e-14, "addScaled4 n=" + n + " j=" + j);
            }
        }
    }

    private static float[] floats(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }
}
