package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The float {@code tanh}, built from {@code StrictMath.exp}, against {@code (float)
 * StrictMath.tanh}: every 37th float from zero to 10 (past where tanh rounds to 1) and their
 * negatives, 59 million values, plus the special values: every one gives the same bits.
 */
class FloatTanhTest {

    @Test
    void floatTanhIsStrictMathsTanhRoundedBitForBit() {
        int to = Float.floatToRawIntBits(10f);
        long checked = 0;
        for (int bits = 0; bits <= to; bits += 37) {
            float z = Float.intBitsToFloat(bits);
            for (float v : new float[] {z, -z}) {
                float expected = (float) StrictMath.tanh(v);
                float actual = ActivationMathF.tanh(v);
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(actual),
                        "tanh(" + v + "): " + expected + " expected, " + actual + " found");
                checked++;
            }
        }
        assertTrue(checked > 50_000_000, "checked " + checked);
    }

    @Test
    void specialValuesKeepTheirSignsAndLimits() {
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(ActivationMathF.tanh(-0f)));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(ActivationMathF.tanh(0f)));
        assertEquals(1f, ActivationMathF.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, ActivationMathF.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, ActivationMathF.tanh(Float.MAX_VALUE));
        assertTrue(Float.isNaN(ActivationMathF.tanh(Float.NaN)));
        assertEquals(Float.MIN_VALUE, ActivationMathF.tanh(Float.MIN_VALUE));
        assertEquals(-Float.MIN_VALUE, ActivationMathF.tanh(-Float.MIN_VALUE));
    }
}
