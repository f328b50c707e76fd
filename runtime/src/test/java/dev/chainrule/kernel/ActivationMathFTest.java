package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationMathFTest {

    /** One float ulp, relative. */
    private static final double RELATIVE = 0x1p-23;

    @Test
    void expOfNonPositiveFloatsIsWithinOneUlpOfMathExp() {
        // every 61st float from -0 down to -110, where the exponential has long become zero
        int from = Float.floatToRawIntBits(-0f);
        int to = Float.floatToRawIntBits(-110f);
        double worst = 0;
        float worstAt = 0;
        int checked = 0;
        for (int bits = from; bits <= to; bits += 61) {
            float v = Float.intBitsToFloat(bits);
            double exact = Math.exp(v);
            float actual = ActivationMathF.expNonPositive(v);
            if (exact >= Float.MIN_NORMAL) {
                double error = Math.abs(actual - exact) / exact;
                if (error > worst) {
                    worst = error;
                    worstAt = v;
                }
            } else {
                // subnormal results: at most one step of the subnormal grid from the nearest float
                assertTrue(
                        Math.abs(actual - (float) exact) <= Float.MIN_VALUE,
                        "e^" + v + " = " + exact + ", got " + actual);
            }
            checked++;
        }
        assertTrue(checked > 10_000_000, "checked " + checked);
        assertTrue(worst <= RELATIVE, "largest relative error " + worst + " at e^" + worstAt);
    }

    @Test
    void expEdgesAreExact() {
        assertEquals(1f, ActivationMathF.expNonPositive(0f));
        assertEquals(1f, ActivationMathF.expNonPositive(-0f));
        assertEquals(0f, ActivationMathF.expNonPositive(Float.NEGATIVE_INFINITY));
        assertEquals(0f, ActivationMathF.expNonPositive(-1000f));
        assertTrue(Float.isNaN(ActivationMathF.expNonPositive(Float.NaN)));
    }

    @Test
    void everyActivationKeepsANaN() {
        float nan = Float.NaN;
        assertTrue(Float.isNaN(ActivationMathF.relu(nan)), "relu");
        assertTrue(Float.isNaN(ActivationMathF.leakyRelu(nan)), "leaky relu");
        assertTrue(Float.isNaN(ActivationMathF.elu(nan)), "elu");
        assertTrue(Float.isNaN(ActivationMathF.sigmoid(nan)), "sigmoid");
        assertTrue(Float.isNaN(ActivationMathF.tanh(nan)), "tanh");
        assertTrue(Float.isNaN(ActivationMathF.softplus(nan)), "softplus");
        assertTrue(Float.isNaN(ActivationMathF.gelu(nan)), "gelu");
        double dnan = Double.NaN;
        assertTrue(Double.isNaN(ActivationMathD.relu(dnan)), "relu");
        assertTrue(Double.isNaN(ActivationMathD.leakyRelu(dnan)), "leaky relu");
        assertTrue(Double.isNaN(ActivationMathD.elu(dnan)), "elu");
        assertTrue(Double.isNaN(ActivationMathD.sigmoid(dnan)), "sigmoid");
        assertTrue(Double.isNaN(ActivationMathD.tanh(dnan)), "tanh");
        assertTrue(Double.isNaN(ActivationMathD.softplus(dnan)), "softplus");
        assertTrue(Double.isNaN(ActivationMathD.gelu(dnan)), "gelu");
        // and a NaN logit, first or not, makes every probability NaN
        for (int at = 0; at < 3; at++) {
            float[] z = {1f, 2f, 3f};
            z[at] = nan;
            float[] a = new float[3];
            ActivationMathF.softmax(z, a, 0, 3);
            double[] zd = {1, 2, 3};
            zd[at] = dnan;
            double[] ad = new double[3];
            ActivationMathD.softmax(zd, ad, 0, 3);
            for (int j = 0; j < 3; j++) {
                assertTrue(Float.isNaN(a[j]), "float softmax output " + j + " with logit " + at + " NaN");
                assertTrue(Double.isNaN(ad[j]), "double softmax output " + j + " with logit " + at + " NaN");
            }
        }
        assertEquals(0f, ActivationMathF.relu(-2f));
        assertEquals(3f, ActivationMathF.relu(3f));
        assertEquals(0.0, ActivationMathD.relu(-2.0));
        assertEquals(Float.POSITIVE_INFINITY, ActivationMathF.relu(Float.POSITIVE_INFINITY));
    }

    @Test
    void softmaxMatchesDoublePrecisionAndSumsToOne() {
        float[] z = {2.5f, -1f, 0f, 7.25f, -30f, 88f, 87.5f, -0.125f, 3f, 1e-3f};
        float[] a = new float[z.length + 2];
        ActivationMathF.softmax(z, a, 0, z.length);
        double max = 88;
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v - max);
        }
        double total = 0;
        for (int j = 0; j < z.length; j++) {
            double expected = Math.exp(z[j] - max) / sum;
            assertEquals(expected, a[j], 4 * Math.ulp((float) expected), "a[" + j + "]");
            total += a[j];
        }
        assertEquals(1, total, 1e-6);
    }

    @Test
    void softmaxWorksAtAnOffset() {
        float[] z = {9f, 1f, 2f, 3f};
        float[] a = {-1f, 0f, 0f, 0f};
        ActivationMathF.softmax(z, a, 1, 3);
        assertEquals(-1f, a[0]);
        double sum = Math.exp(-2) + Math.exp(-1) + 1;
        assertEquals(Math.exp(-2) / sum, a[1], 1e-7);
        assertEquals(Math.exp(-1) / sum, a[2], 1e-7);
        assertEquals(1 / sum, a[3], 1e-7);
    }

    @Test
    void aNaNLogitMakesEveryProbabilityNaN() {
        for (int at = 0; at < 3; at++) {
            float[] z = {0.5f, 1f, -2f};
            z[at] = Float.NaN;
            float[] a = new float[3];
            ActivationMathF.softmax(z, a, 0, 3);
            for (int j = 0; j < 3; j++) {
                assertTrue(Float.isNaN(a[j]), "NaN at " + at + ": a[" + j + "] = " + a[j]);
            }
        }
    }
}
