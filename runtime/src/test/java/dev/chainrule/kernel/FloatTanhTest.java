package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The float {@code tanh} and sigmoid, built on the exponential written in {@code ActivationMathF},
 * against the same functions rounded from {@code StrictMath} in double: every 241st float from
 * zero to 110 (past where both have reached their limits) and their negatives, 9.3 million values,
 * plus the special values. Every one gives the same bits.
 */
class FloatTanhTest {

    @Test
    void floatTanhAndSigmoidAreStrictMathsRoundedBitForBit() {
        int to = Float.floatToRawIntBits(110f);
        long checked = 0;
        for (int bits = 0; bits <= to; bits += 241) {
            float z = Float.intBitsToFloat(bits);
            for (float v : new float[] {z, -z}) {
                float expected = (float) StrictMath.tanh(v);
                float actual = ActivationMathF.tanh(v);
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(actual),
                        "tanh(" + v + "): " + expected + " expected, " + actual + " found");
                float sigmoid = v >= 0
                        ? (float) (1.0 / (1.0 + StrictMath.exp(-v)))
                        : (float) (StrictMath.exp(v) / (1.0 + StrictMath.exp(v)));
                assertEquals(
                        Float.floatToRawIntBits(sigmoid),
                        Float.floatToRawIntBits(ActivationMathF.sigmoid(v)),
                        "sigmoid(" + v + "): " + sigmoid + " expected, " + ActivationMathF.sigmoid(v) + " found");
                checked++;
            }
        }
        assertTrue(checked > 9_000_000, "checked " + checked);
    }

    @Test
    void specialValuesKeepTheirSignsAndLimits() {
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ActivationMathF.tanh(-0f)));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ActivationMathF.tanh(0f)));
        assertEquals(1f, ActivationMathF.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, ActivationMathF.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, ActivationMathF.tanh(Float.MAX_VALUE));
        assertTrue(Float.isNaN(ActivationMathF.tanh(Float.NaN)));
        assertTrue(Float.isNaN(ActivationMathF.sigmoid(Float.NaN)));
        assertEquals(1f, ActivationMathF.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, ActivationMathF.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(0.5f, ActivationMathF.sigmoid(-0f));
        assertEquals(Float.MIN_VALUE, ActivationMathF.tanh(Float.MIN_VALUE));
        assertEquals(-Float.MIN_VALUE, ActivationMathF.tanh(-Float.MIN_VALUE));
    }
}
