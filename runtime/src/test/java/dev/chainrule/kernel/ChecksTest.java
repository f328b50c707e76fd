package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The argument checks at their boundaries: what passes, what throws, and what the message says. */
class ChecksTest {

    private static void assertRejected(String message, Executable check) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, check);
        assertEquals(message, e.getMessage());
    }

    @Test
    void lengthAcceptsOnlyTheExpectedLength() {
        assertDoesNotThrow(() -> Checks.length(4, 4, "input"));
        assertRejected("input has length 3, expected 4", () -> Checks.length(3, 4, "input"));
        assertRejected("input has length 5, expected 4", () -> Checks.length(5, 4, "input"));
    }

    @Test
    void rangeAcceptsEveryWindowInsideTheArrayAndNothingElse() {
        assertDoesNotThrow(() -> Checks.range(5, 0, 5, "x"));
        assertDoesNotThrow(() -> Checks.range(5, 0, 0, "x"));
        assertDoesNotThrow(() -> Checks.range(5, 5, 0, "x"));
        assertDoesNotThrow(() -> Checks.range(5, 2, 3, "x"));
        assertRejected("x needs 3 values from offset 3 but has length 5", () -> Checks.range(5, 3, 3, "x"));
        assertRejected("x needs 1 values from offset -1 but has length 5", () -> Checks.range(5, -1, 1, "x"));
        assertRejected("x needs 6 values from offset 0 but has length 5", () -> Checks.range(5, 0, 6, "x"));
    }

    @Test
    void rowsAtNeedsARowAndRoomForAllRowsFromTheOffset() {
        assertDoesNotThrow(() -> Checks.rowsAt(12, 0, 4, 3, "x"));
        assertDoesNotThrow(() -> Checks.rowsAt(12, 2, 1, 10, "x"));
        assertDoesNotThrow(() -> Checks.rowsAt(13, 1, 4, 3, "x"));
        assertRejected("rows is 0, expected at least 1", () -> Checks.rowsAt(12, 0, 0, 3, "x"));
        assertRejected("rows is -2, expected at least 1", () -> Checks.rowsAt(12, 0, -2, 3, "x"));
        assertRejected(
                "x needs 4 rows of 3 values from offset 1 but has length 12", () -> Checks.rowsAt(12, 1, 4, 3, "x"));
        assertRejected(
                "x needs 1 rows of 3 values from offset -1 but has length 12", () -> Checks.rowsAt(12, -1, 1, 3, "x"));
        // 65536 * 65536 is 0 in int arithmetic: the product must be taken in long
        assertRejected(
                "x needs 65536 rows of 65536 values from offset 0 but has length 100",
                () -> Checks.rowsAt(100, 0, 65536, 65536, "x"));
    }

    @Test
    void rowsAcceptsAnArrayAtLeastAsLongAsTheRows() {
        assertDoesNotThrow(() -> Checks.rows(6, 2, 3, "t"));
        assertDoesNotThrow(() -> Checks.rows(7, 2, 3, "t"));
        assertDoesNotThrow(() -> Checks.rows(3, 1, 3, "t"));
        assertRejected("t has length 5, expected at least 6 (2 rows of 3)", () -> Checks.rows(5, 2, 3, "t"));
        assertRejected("rows is 0, expected at least 1", () -> Checks.rows(6, 0, 3, "t"));
        assertRejected(
                "t has length 10, expected at least 4294967296 (65536 rows of 65536)",
                () -> Checks.rows(10, 65536, 65536, "t"));
    }

    @Test
    void batchChecksWidthsThenRows() {
        assertDoesNotThrow(() -> Checks.batch(1, 4, 3, 4, 3));
        assertDoesNotThrow(() -> Checks.batch(7, 4, -1, 4, 3));
        assertRejected(
                "the batch has 5 features per row but the model takes 4 inputs", () -> Checks.batch(2, 5, 3, 4, 3));
        assertRejected(
                "the batch has 2 features per row but the model takes 1 input", () -> Checks.batch(2, 2, 1, 1, 1));
        assertRejected(
                "the batch has 0 targets per row but the model has 3 outputs", () -> Checks.batch(2, 4, 0, 4, 3));
        assertRejected(
                "the batch has 4 targets per row but the model has 3 outputs", () -> Checks.batch(2, 4, 4, 4, 3));
        assertRejected(
                "the batch has 2 targets per row but the model has 1 output (one-hot targets for a single output?"
                        + " give one 0/1 target per row instead, e.g. with Csv.binaryLabelColumn)",
                () -> Checks.batch(2, 4, 2, 4, 1));
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> Checks.batch(0, 4, 3, 4, 3));
        assertEquals(
                "the batch is empty: use it after next() returned true, not after the false that ends an epoch",
                empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.batch(0, 4, -1, 4, 3));
    }

    @Test
    void theOneOutputHintIsOnlyForTwoTargetsAndOneOutput() {
        assertEquals(
                " (one-hot targets for a single output? give one 0/1 target per row instead, e.g. with Csv.binaryLabelColumn)",
                Checks.oneOutputHint(2, 1));
        assertEquals("", Checks.oneOutputHint(2, 2));
        assertEquals("", Checks.oneOutputHint(3, 1));
        assertEquals("", Checks.oneOutputHint(1, 1));
        assertEquals("", Checks.oneOutputHint(1, 2));
    }

    @Test
    void finiteFloatsAreCheckedInTheirWindowOnlyAndNamedByIndexInIt() {
        float[] a = {Float.NaN, 1, 2, 3, Float.POSITIVE_INFINITY};
        assertDoesNotThrow(() -> Checks.finite(a, 1, 3, "w"));
        assertRejected("w[3] is Infinity, expected a finite number", () -> Checks.finite(a, 1, 4, "w"));
        assertRejected("w[0] is NaN, expected a finite number", () -> Checks.finite(a, 0, 2, "w"));
        float[] b = {0, Float.NEGATIVE_INFINITY, 0};
        assertRejected("w[1] is -Infinity, expected a finite number", () -> Checks.finite(b, 0, 3, "w"));
    }

    @Test
    void finiteDoublesAreCheckedInTheirWindowOnlyAndNamedByIndexInIt() {
        double[] a = {Double.NaN, 1, 2, 3, Double.NEGATIVE_INFINITY};
        assertDoesNotThrow(() -> Checks.finite(a, 1, 3, "w"));
        assertRejected("w[3] is -Infinity, expected a finite number", () -> Checks.finite(a, 1, 4, "w"));
        assertRejected("w[0] is NaN, expected a finite number", () -> Checks.finite(a, 0, 2, "w"));
        assertDoesNotThrow(() -> Checks.finite(new double[] {Double.MAX_VALUE, -Double.MIN_VALUE}, 0, 2, "w"));
    }

    @Test
    void floatWeightsAreFiniteAndNotNegativeInTheirWindowAndNamedByIndexInIt() {
        float[] a = {-1, 0, Float.MIN_VALUE, 2.5f, Float.MAX_VALUE, Float.NaN};
        assertDoesNotThrow(() -> Checks.weights(a, 1, 4, "weights"));
        assertRejected(
                "weights[0] is -1.0, expected a finite weight of at least 0", () -> Checks.weights(a, 0, 2, "weights"));
        assertRejected(
                "weights[4] is NaN, expected a finite weight of at least 0", () -> Checks.weights(a, 1, 5, "weights"));
        float[] b = {1, -0f, Float.POSITIVE_INFINITY, -Float.MIN_VALUE};
        assertDoesNotThrow(() -> Checks.weights(b, 0, 2, "w"));
        assertRejected("w[2] is Infinity, expected a finite weight of at least 0", () -> Checks.weights(b, 0, 3, "w"));
        assertRejected(
                "w[0] is -1.401298464324817E-45, expected a finite weight of at least 0",
                () -> Checks.weights(b, 3, 1, "w"));
    }

    @Test
    void doubleWeightsAreFiniteAndNotNegativeInTheirWindowAndNamedByIndexInIt() {
        double[] a = {-1, 0, Double.MIN_VALUE, 2.5, Double.MAX_VALUE, Double.NaN};
        assertDoesNotThrow(() -> Checks.weights(a, 1, 4, "weights"));
        assertRejected(
                "weights[0] is -1.0, expected a finite weight of at least 0", () -> Checks.weights(a, 0, 2, "weights"));
        assertRejected(
                "weights[4] is NaN, expected a finite weight of at least 0", () -> Checks.weights(a, 1, 5, "weights"));
        double[] b = {1, -0.0, Double.NEGATIVE_INFINITY, -Double.MIN_VALUE, Double.POSITIVE_INFINITY};
        assertDoesNotThrow(() -> Checks.weights(b, 0, 2, "w"));
        assertRejected("w[2] is -Infinity, expected a finite weight of at least 0", () -> Checks.weights(b, 0, 3, "w"));
        assertRejected("w[0] is -4.9E-324, expected a finite weight of at least 0", () -> Checks.weights(b, 3, 1, "w"));
        assertRejected("w[0] is Infinity, expected a finite weight of at least 0", () -> Checks.weights(b, 4, 1, "w"));
    }

    @Test
    void aFiniteScalarPassesAndAnyOtherIsNamed() {
        assertDoesNotThrow(() -> Checks.finite(-Double.MAX_VALUE, "rate"));
        assertDoesNotThrow(() -> Checks.finite(0.0, "rate"));
        assertRejected("rate is NaN, expected a finite number", () -> Checks.finite(Float.NaN, "rate"));
        assertRejected(
                "rate is Infinity, expected a finite number", () -> Checks.finite(Double.POSITIVE_INFINITY, "rate"));
    }
}
