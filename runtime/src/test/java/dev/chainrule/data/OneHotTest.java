package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link OneHot#argmax}: the rows it reads are checked, and a row with a NaN has no class. */
class OneHotTest {

    private static void assertRefused(String message, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertEquals(message, e.getMessage());
    }

    @Test
    void aRowOutsideTheArrayIsRefusedNamingItsBounds() {
        assertRefused(
                "values has length 4, cannot hold 3 values from offset 3", () -> OneHot.argmax(new float[4], 3, 3));
        assertRefused(
                "values has length 4, cannot hold 3 values from offset 3", () -> OneHot.argmax(new double[4], 3, 3));
        assertRefused(
                "values has length 4, cannot hold 2 values from offset -1", () -> OneHot.argmax(new float[4], -1, 2));
        assertRefused(
                "values has length 4, cannot hold 2 values from offset 2147483647",
                () -> OneHot.argmax(new double[4], Integer.MAX_VALUE, 2));
    }

    @Test
    void aRowOfNoValuesIsRefused() {
        assertRefused("argmax needs at least one value, count is 0", () -> OneHot.argmax(new float[4], 1, 0));
        assertRefused("argmax needs at least one value, count is -2", () -> OneHot.argmax(new double[4], 0, -2));
    }

    @Test
    void aRowWithANaNHasNoClassAndIsRefusedNamingTheValue() {
        assertRefused(
                "values[4] is NaN: the row values[4 .. 7) has no largest value",
                () -> OneHot.argmax(new float[] {9, 9, 9, 9, Float.NaN, 5, 1}, 4, 3));
        assertRefused(
                "values[5] is NaN: the row values[4 .. 7) has no largest value",
                () -> OneHot.argmax(new float[] {9, 9, 9, 9, 0, Float.NaN, 1}, 4, 3));
        assertRefused(
                "values[2] is NaN: the row values[0 .. 3) has no largest value",
                () -> OneHot.argmax(new double[] {7, 0, Double.NaN}, 0, 3));
    }

    @Test
    void infinitiesAreOrderedAndTiesGoToTheFirst() {
        assertEquals(1, OneHot.argmax(new float[] {1, Float.POSITIVE_INFINITY, 2}, 0, 3));
        assertEquals(0, OneHot.argmax(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 0, 2));
        assertEquals(0, OneHot.argmax(new float[] {-3}, 0, 1));
        assertEquals(1, OneHot.argmax(new double[] {0, 0.5, 0.5, 0.25}, 0, 4));
    }

    @Test
    void classOfReadsOneOutputAsAProbabilityOfClassOneAndSeveralByTheirArgmax() {
        assertEquals(1, OneHot.classOf(new float[] {0, 0.51f}, 1, 1));
        assertEquals(0, OneHot.classOf(new float[] {0.5f}, 0, 1), "0.5 is not above 0.5");
        assertEquals(0, OneHot.classOf(new double[] {0.2}, 0, 1));
        assertEquals(2, OneHot.classOf(new double[] {0.1, 0.2, 0.7}, 0, 3));
        assertEquals(1, OneHot.classOf(new float[] {9, 0.4f, 0.6f}, 1, 2));
        assertRefused(
                "values[1] is NaN: the row values[1 .. 2) has no largest value",
                () -> OneHot.classOf(new float[] {0, Float.NaN}, 1, 1));
        assertRefused(
                "values has length 1, cannot hold 1 values from offset 1",
                () -> OneHot.classOf(new double[] {0}, 1, 1));
    }
}
