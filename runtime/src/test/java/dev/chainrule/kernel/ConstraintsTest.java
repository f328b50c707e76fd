package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Row bounds: rows over the bound end with an absolute sum of exactly the bound, in the same direction. */
class ConstraintsTest {

    @Test
    void doubleRowsOverTheBoundAreScaledToItAndOthersLeftAlone() {
        // a value before and after the block, which must not change
        double[] p = {
            99, 3, -4, 1, // |sum| 8 > 2: scaled by 1/4
            0.5, -0.25, 0.25, // |sum| 1 <= 2: kept
            -1, 1, 0, // |sum| 2 = 2: kept
            0, 0, -16, // |sum| 16 > 2: scaled by 1/8
            99
        };
        double[] before = p.clone();
        Constraints.boundRows(p, 1, 4, 3, 2.0);
        assertArrayEquals(new double[] {99, 0.75, -1, 0.25, 0.5, -0.25, 0.25, -1, 1, 0, 0, 0, -2, 99}, p, 1e-15);
        for (int row = 0; row < 4; row++) {
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += Math.abs(p[1 + 3 * row + j]);
            }
            assertEquals(Math.min(2.0, rowSum(before, 1 + 3 * row, 3)), sum, 1e-15, "row " + row);
        }
    }

    @Test
    void floatRowsOverTheBoundAreScaledToItAndOthersLeftAlone() {
        float[] p = {
            -7, 6, 2, // |sum| 8 > 0.5: scaled by 1/16
            -0.125f, 0.25f, // kept
            1, -1, // |sum| 2 > 0.5: scaled by 1/4
            -7
        };
        Constraints.boundRows(p, 1, 3, 2, 0.5);
        assertArrayEquals(new float[] {-7, 0.375f, 0.125f, -0.125f, 0.25f, 0.25f, -0.25f, -7}, p, 1e-7f);
    }

    @Test
    void onlyTheGivenRowsAreBounded() {
        double[] p = {10, 10, 10, 10};
        Constraints.boundRows(p, 0, 1, 2, 1.0);
        assertArrayEquals(new double[] {0.5, 0.5, 10, 10}, p, 1e-15);
        float[] f = {10, 10, 10, 10};
        Constraints.boundRows(f, 2, 1, 2, 1.0);
        assertArrayEquals(new float[] {10, 10, 0.5f, 0.5f}, f, 1e-7f);
    }

    @Test
    void aRowOfManyValuesKeepsItsDirection() {
        int columns = 50;
        double[] p = new double[columns];
        float[] f = new float[columns];
        double sum = 0;
        for (int j = 0; j < columns; j++) {
            p[j] = (j % 3 - 1) * (j + 1);
            f[j] = (float) p[j];
            sum += Math.abs(p[j]);
        }
        double[] expected = new double[columns];
        for (int j = 0; j < columns; j++) {
            expected[j] = p[j] * 0.9 / sum;
        }
        Constraints.boundRows(p, 0, 1, columns, 0.9);
        Constraints.boundRows(f, 0, 1, columns, 0.9);
        for (int j = 0; j < columns; j++) {
            assertEquals(expected[j], p[j], 1e-15, "double " + j);
            assertEquals(expected[j], f[j], 1e-7, "float " + j);
        }
    }

    private static double rowSum(double[] p, int from, int columns) {
        double sum = 0;
        for (int j = 0; j < columns; j++) {
            sum += Math.abs(p[from + j]);
        }
        return sum;
    }
}
