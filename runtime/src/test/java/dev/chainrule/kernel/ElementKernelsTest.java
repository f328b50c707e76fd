package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.kernel.vector.VectorLinearAlgebra;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The element-wise kernels of both implementations give exactly the bits of the scalar code they
 * replace in generated models: the bias gradients' row sums those of {@code axpy(1, ...)} row by
 * row, the ReLU and its derivative those of {@code ActivationMathF} and {@code ActivationMathD},
 * signed zeros, infinities and NaNs included; nothing outside the range is written. Lengths go
 * past four vectors of the widest species, at unaligned offsets and strides.
 */
class ElementKernelsTest {
    private static final List<LinearAlgebra> IMPLEMENTATIONS =
            List.of(new ScalarLinearAlgebra(), new VectorLinearAlgebra());
    private static final float[] SPECIAL_FLOATS = {
        0f,
        -0f,
        1f,
        -1f,
        Float.MIN_VALUE,
        -Float.MIN_VALUE,
        Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY,
        Float.NaN,
        Float.intBitsToFloat(0xffc00001),
        Float.MAX_VALUE,
        -Float.MAX_VALUE,
        Float.MIN_NORMAL,
        // the NaNs next to the infinities, and the largest NaNs of either sign
        Float.intBitsToFloat(0x7f800001),
        Float.intBitsToFloat(0xff800001),
        Float.intBitsToFloat(0x7fffffff),
        Float.intBitsToFloat(0xffffffff)
    };
    private static final double[] SPECIAL_DOUBLES = {
        0d,
        -0d,
        1d,
        -1d,
        Double.MIN_VALUE,
        -Double.MIN_VALUE,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.NaN,
        Double.longBitsToDouble(0xfff8000000000001L),
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        Double.MIN_NORMAL,
        Double.longBitsToDouble(0x7ff0000000000001L),
        Double.longBitsToDouble(0xfff0000000000001L),
        Double.longBitsToDouble(0x7fffffffffffffffL),
        Double.longBitsToDouble(0xffffffffffffffffL)
    };

    @Test
    void rowSumsAreTheBitsOfOneAxpyPerRow() {
        Random random = new Random(11);
        ScalarLinearAlgebra reference = new ScalarLinearAlgebra();
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int rows = 0; rows <= 9; rows++) {
                for (int n = 0; n <= 70; n += 1 + random.nextInt(3)) {
                    int dOff = random.nextInt(4);
                    int stride = n + random.nextInt(3);
                    int go = random.nextInt(4);
                    floatRowSums(kernels, reference, random, rows, n, dOff, stride, go);

                    double[] dd = doubles(random, dOff + rows * stride + 2);
                    double[] gd = doubles(random, go + n + 3);
                    double[] expectedD = gd.clone();
                    for (int r = 0; r < rows; r++) {
                        reference.axpy(1d, dd, dOff + r * stride, expectedD, go, n);
                    }
                    kernels.addRows(rows, n, dd, dOff, stride, gd, go);
                    assertSameBits(expectedD, gd, kernels.name() + " addRows double, rows=" + rows + ", n=" + n);
                }
            }
        }
    }

    /** {@code kernels.addRows} in float against one {@code reference.axpy} per row, bit for bit. */
    private static void floatRowSums(
            LinearAlgebra kernels,
            ScalarLinearAlgebra reference,
            Random random,
            int rows,
            int n,
            int dOff,
            int stride,
            int go) {
        float[] d = floats(random, dOff + rows * stride + 2);
        float[] g = floats(random, go + n + 3);
        float[] expected = g.clone();
        for (int r = 0; r < rows; r++) {
            reference.axpy(1f, d, dOff + r * stride, expected, go, n);
        }
        kernels.addRows(rows, n, d, dOff, stride, g, go);
        assertSameBits(expected, g, kernels.name() + " addRows float, rows=" + rows + ", n=" + n);
    }

    /**
     * Widths with a second and third block of four vectors at the widest species (16 floats: a
     * block at unit 64 and 128), where a wrong offset of the block in {@code g} or {@code d} is
     * seen; the widths above up to 70 reach a float block of four vectors only at unit 0.
     */
    @Test
    void rowSumsPastTheFirstBlockOfFourVectorsAreTheBitsOfOneAxpyPerRow() {
        Random random = new Random(14);
        ScalarLinearAlgebra reference = new ScalarLinearAlgebra();
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n : new int[] {128, 131, 200, 259}) {
                for (int rows = 1; rows <= 3; rows++) {
                    int dOff = 1 + random.nextInt(3);
                    int stride = n + 1 + random.nextInt(3);
                    int go = 1 + random.nextInt(3);
                    floatRowSums(kernels, reference, random, rows, n, dOff, stride, go);
                }
            }
        }
    }

    @Test
    void reluIsActivationMathsReluBitForBit() {
        Random random = new Random(12);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 70; n++) {
                int zo = random.nextInt(4);
                int ao = random.nextInt(4);
                float[] z = withSpecials(floats(random, zo + n + 2), random);
                float[] a = floats(random, ao + n + 2);
                float[] expected = a.clone();
                for (int i = 0; i < n; i++) {
                    expected[ao + i] = ActivationMathF.relu(z[zo + i]);
                }
                kernels.relu(z, zo, a, ao, n);
                assertSameBits(expected, a, kernels.name() + " relu float, n=" + n);

                double[] zd = withSpecials(doubles(random, zo + n + 2), random);
                double[] ad = doubles(random, ao + n + 2);
                double[] expectedD = ad.clone();
                for (int i = 0; i < n; i++) {
                    expectedD[ao + i] = ActivationMathD.relu(zd[zo + i]);
                }
                kernels.relu(zd, zo, ad, ao, n);
                assertSameBits(expectedD, ad, kernels.name() + " relu double, n=" + n);
            }
        }
    }

    @Test
    void reluDerivativeScalingIsTheScalarProductBitForBit() {
        Random random = new Random(13);
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            for (int n = 0; n <= 70; n++) {
                int dOff = random.nextInt(4);
                int zo = random.nextInt(4);
                float[] z = withSpecials(floats(random, zo + n + 2), random);
                float[] d = withSpecials(floats(random, dOff + n + 2), random);
                float[] expected = d.clone();
                for (int i = 0; i < n; i++) {
                    expected[dOff + i] *= ActivationMathF.reluDerivative(z[zo + i]);
                }
                kernels.scaleByReluDerivative(d, dOff, z, zo, n);
                assertSameBits(expected, d, kernels.name() + " relu derivative float, n=" + n);

                double[] zd = withSpecials(doubles(random, zo + n + 2), random);
                double[] dd = withSpecials(doubles(random, dOff + n + 2), random);
                double[] expectedD = dd.clone();
                for (int i = 0; i < n; i++) {
                    expectedD[dOff + i] *= ActivationMathD.reluDerivative(zd[zo + i]);
                }
                kernels.scaleByReluDerivative(dd, dOff, zd, zo, n);
                assertSameBits(expectedD, dd, kernels.name() + " relu derivative double, n=" + n);
            }
        }
    }

    /**
     * Values of every kind at once: random bit patterns (every sign, exponent and NaN payload) and
     * the patterns at each edge of the ranges the plain kernels read from the bits.
     */
    @Test
    void reluAndItsDerivativeAreActivationMathsOnRandomBitPatterns() {
        Random random = new Random(15);
        int n = 1 << 14;
        float[] z = new float[n];
        double[] zd = new double[n];
        int[] edges = {0, 1, 0x7f7fffff, 0x7f800000, 0x7f800001, 0x7fffffff};
        long[] edgesD = {0, 1, 0x7fefffffffffffffL, 0x7ff0000000000000L, 0x7ff0000000000001L, 0x7fffffffffffffffL};
        for (int i = 0; i < n; i++) {
            int k = i % (2 * edges.length);
            boolean edge = i < 4 * edges.length;
            int sign = k < edges.length ? 0 : 0x80000000;
            z[i] = Float.intBitsToFloat(edge ? edges[k % edges.length] | sign : random.nextInt());
            zd[i] = Double.longBitsToDouble(edge ? edgesD[k % edges.length] | ((long) sign << 32) : random.nextLong());
        }
        for (LinearAlgebra kernels : IMPLEMENTATIONS) {
            float[] a = new float[n];
            float[] expected = new float[n];
            float[] d = floats(random, n);
            float[] expectedD = d.clone();
            double[] ad = new double[n];
            double[] expectedA = new double[n];
            double[] dd = doubles(random, n);
            double[] expectedDd = dd.clone();
            for (int i = 0; i < n; i++) {
                expected[i] = ActivationMathF.relu(z[i]);
                expectedD[i] *= ActivationMathF.reluDerivative(z[i]);
                expectedA[i] = ActivationMathD.relu(zd[i]);
                expectedDd[i] *= ActivationMathD.reluDerivative(zd[i]);
            }
            kernels.relu(z, 0, a, 0, n);
            kernels.scaleByReluDerivative(d, 0, z, 0, n);
            kernels.relu(zd, 0, ad, 0, n);
            kernels.scaleByReluDerivative(dd, 0, zd, 0, n);
            assertSameBits(expected, a, kernels.name() + " relu float, random bits");
            assertSameBits(expectedD, d, kernels.name() + " relu derivative float, random bits");
            assertSameBits(expectedA, ad, kernels.name() + " relu double, random bits");
            assertSameBits(expectedDd, dd, kernels.name() + " relu derivative double, random bits");
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

    private static float[] withSpecials(float[] values, Random random) {
        for (int k = 0; k < values.length / 4; k++) {
            values[random.nextInt(values.length)] = SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)];
        }
        return values;
    }

    private static double[] withSpecials(double[] values, Random random) {
        for (int k = 0; k < values.length / 4; k++) {
            values[random.nextInt(values.length)] = SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
        }
        return values;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(expected[i]),
                    Float.floatToRawIntBits(actual[i]),
                    what + ", index " + i + ": " + expected[i] + " expected, " + actual[i] + " found");
        }
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Double.doubleToRawLongBits(expected[i]),
                    Double.doubleToRawLongBits(actual[i]),
                    what + ", index " + i + ": " + expected[i] + " expected, " + actual[i] + " found");
        }
    }
}
