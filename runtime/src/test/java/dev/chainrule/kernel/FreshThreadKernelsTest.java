package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.kernel.vector.VectorLinearAlgebra;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The Vector API products that work in buffers each thread keeps (the panels of a layer's last
 * units narrower than a vector, the transposed deltas of {@code D W^T}) on a thread that has
 * never run a product, so the buffers are sized by this call alone: a buffer asked for too small
 * would be hidden on a thread whose earlier, larger calls had grown it. Each product runs on a
 * new thread against a naive loop in double, float and double.
 */
class FreshThreadKernelsTest {
    private static final LinearAlgebra VECTOR = new VectorLinearAlgebra();
    private static final int ROWS = 37;
    private static final int IN = 53;

    @Test
    void narrowProductsOnAFreshThread() throws Exception {
        for (int out : new int[] {3, 10, 21}) {
            onFreshThread(() -> checkFloat(out, "multiply"));
            onFreshThread(() -> checkFloat(out, "multiplyTransposedLeft"));
            onFreshThread(() -> checkFloat(out, "multiplyTransposedRight"));
            onFreshThread(() -> checkDouble(out, "multiply"));
            onFreshThread(() -> checkDouble(out, "multiplyTransposedLeft"));
            onFreshThread(() -> checkDouble(out, "multiplyTransposedRight"));
        }
    }

    private static void onFreshThread(Runnable check) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<?> done = thread.submit(check);
            done.get();
        } finally {
            thread.shutdownNow();
        }
    }

    private static void checkFloat(int out, String product) {
        Random random = new Random(31L * out + product.hashCode());
        float[] x = floats(random, ROWS * IN);
        float[] w = floats(random, IN * out);
        float[] d = floats(random, ROWS * out);
        switch (product) {
            case "multiply" -> {
                float[] z = floats(random, ROWS * out);
                double[] expected = new double[z.length];
                for (int r = 0; r < ROWS; r++) {
                    for (int j = 0; j < out; j++) {
                        double sum = z[r * out + j];
                        for (int i = 0; i < IN; i++) {
                            sum += (double) x[r * IN + i] * w[i * out + j];
                        }
                        expected[r * out + j] = sum;
                    }
                }
                VECTOR.multiply(ROWS, IN, out, x, 0, IN, w, 0, z, 0, out);
                assertClose(expected, z, product + " float, out " + out);
            }
            case "multiplyTransposedLeft" -> {
                float[] g = floats(random, IN * out);
                double[] expected = new double[g.length];
                for (int i = 0; i < IN; i++) {
                    for (int j = 0; j < out; j++) {
                        double sum = g[i * out + j];
                        for (int r = 0; r < ROWS; r++) {
                            sum += (double) x[r * IN + i] * d[r * out + j];
                        }
                        expected[i * out + j] = sum;
                    }
                }
                VECTOR.multiplyTransposedLeft(ROWS, IN, out, x, 0, IN, d, 0, out, g, 0);
                assertClose(expected, g, product + " float, out " + out);
            }
            default -> {
                float[] p = floats(random, ROWS * IN);
                double[] expected = new double[p.length];
                for (int r = 0; r < ROWS; r++) {
                    for (int i = 0; i < IN; i++) {
                        double sum = 0;
                        for (int j = 0; j < out; j++) {
                            sum += (double) d[r * out + j] * w[i * out + j];
                        }
                        expected[r * IN + i] = sum;
                    }
                }
                VECTOR.multiplyTransposedRight(ROWS, IN, out, d, 0, out, w, 0, p, 0, IN);
                assertClose(expected, p, product + " float, out " + out);
            }
        }
    }

    private static void checkDouble(int out, String product) {
        Random random = new Random(37L * out + product.hashCode());
        double[] x = doubles(random, ROWS * IN);
        double[] w = doubles(random, IN * out);
        double[] d = doubles(random, ROWS * out);
        switch (product) {
            case "multiply" -> {
                double[] z = doubles(random, ROWS * out);
                double[] expected = z.clone();
                for (int r = 0; r < ROWS; r++) {
                    for (int j = 0; j < out; j++) {
                        for (int i = 0; i < IN; i++) {
                            expected[r * out + j] += x[r * IN + i] * w[i * out + j];
                        }
                    }
                }
                VECTOR.multiply(ROWS, IN, out, x, 0, IN, w, 0, z, 0, out);
                assertClose(expected, z, product + " double, out " + out);
            }
            case "multiplyTransposedLeft" -> {
                double[] g = doubles(random, IN * out);
                double[] expected = g.clone();
                for (int i = 0; i < IN; i++) {
                    for (int j = 0; j < out; j++) {
                        for (int r = 0; r < ROWS; r++) {
                            expected[i * out + j] += x[r * IN + i] * d[r * out + j];
                        }
                    }
                }
                VECTOR.multiplyTransposedLeft(ROWS, IN, out, x, 0, IN, d, 0, out, g, 0);
                assertClose(expected, g, product + " double, out " + out);
            }
            default -> {
                double[] p = doubles(random, ROWS * IN);
                double[] expected = new double[p.length];
                for (int r = 0; r < ROWS; r++) {
                    for (int i = 0; i < IN; i++) {
                        for (int j = 0; j < out; j++) {
                            expected[r * IN + i] += d[r * out + j] * w[i * out + j];
                        }
                    }
                }
                VECTOR.multiplyTransposedRight(ROWS, IN, out, d, 0, out, w, 0, p, 0, IN);
                assertClose(expected, p, product + " double, out " + out);
            }
        }
    }

    private static float[] floats(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[] doubles(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + ", index " + i);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * (1 + Math.abs(expected[i])), what + ", index " + i);
        }
    }
}
