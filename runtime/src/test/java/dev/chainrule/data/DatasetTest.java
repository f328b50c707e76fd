package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Row r has features (r, 10r) and target 100r. */
    static Dataset numbered(int rows) {
        float[] f = new float[rows * 2];
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            f[2 * r] = r;
            f[2 * r + 1] = 10 * r;
            t[r] = 100 * r;
        }
        return Dataset.of(f, 2, t, 1);
    }

    @Test
    void knowsItsShape() {
        Dataset d = numbered(5);
        assertEquals(5, d.rows());
        assertEquals(2, d.featureCount());
        assertEquals(1, d.targetCount());
        assertFalse(d.hasLabels());
        assertEquals(30f, d.feature(3, 1));
        assertEquals(400f, d.target(4, 0));
        assertThrows(IllegalStateException.class, () -> d.label(0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.feature(5, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> d.feature(0, 2));
    }

    @Test
    void copiesInAndOut() {
        float[] f = {1, 2};
        Dataset d = Dataset.of(f, 1, new float[] {3, 4}, 1);
        f[0] = 99;
        d.features()[1] = 99;
        assertArrayEquals(new float[] {1, 2}, d.features());
    }

    @Test
    void rejectsBadShapesAndValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[5], 2, new float[2], 1));
        assertTrue(e.getMessage().contains("length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[4], 2, new float[3], 1));
        assertTrue(e.getMessage().contains("targets has length 3, expected 2"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> Dataset.of(new float[] {0, 0, 0, Float.NaN}, 2, new float[2], 1));
        assertTrue(e.getMessage().contains("feature 1 of row 1 is NaN"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> Dataset.classification(new float[3], 1, new int[] {0, 3, 1}, 3));
        assertTrue(e.getMessage().contains("labels[1] is 3, expected 0 .. 2"), e.getMessage());
    }

    @Test
    void classificationMakesOneHotTargets() {
        Dataset d = Dataset.classification(new float[] {5, 6, 7}, 1, new int[] {2, 0, 1}, 3)
                .withClassNames(List.of("a", "b", "c"));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.targets());
        assertArrayEquals(new int[] {2, 0, 1}, d.labels());
        assertEquals(List.of("a", "b", "c"), d.classNames());
        assertEquals(3, d.classCount());
    }

    @Test
    void selectAndRangeCopyTheChosenRows() {
        Dataset d = numbered(6);
        Dataset s = d.select(4, 1, 4);
        assertArrayEquals(new float[] {4, 40, 1, 10, 4, 40}, s.features());
        assertArrayEquals(new float[] {400, 100, 400}, s.targets());
        Dataset r = d.range(2, 4);
        assertArrayEquals(new float[] {2, 20, 3, 30}, r.features());
        assertEquals(0, d.range(3, 3).rows());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> d.select(0, 6));
        assertTrue(e.getMessage().contains("rowIndices[1] is 6"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> d.range(4, 7));
    }

    @Test
    void selectKeepsLabelsWithTheirRows() {
        Dataset d = Dataset.classification(new float[] {0, 1, 2, 3}, 1, new int[] {0, 1, 1, 0}, 2);
        Dataset s = d.select(3, 2);
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertArrayEquals(new float[] {3, 2}, s.features());
        assertArrayEquals(new float[] {1, 0, 0, 1}, s.targets());
    }

    @Test
    void shuffledIsTheSeededPermutationOfTheRows() {
        Dataset d = numbered(40);
        Dataset s = d.shuffled(11);
        int[] p = Shuffle.permutation(40, 11);
        for (int i = 0; i < 40; i++) {
            assertEquals(p[i], s.feature(i, 0));
            assertEquals(10f * p[i], s.feature(i, 1));
            assertEquals(100f * p[i], s.target(i, 0));
        }
        assertArrayEquals(s.features(), d.shuffled(11).features());
    }

    @Test
    void convertsBetweenPrecisions() {
        Dataset d = Dataset.classification(new float[] {0.1f, 2.5f}, 1, new int[] {1, 0}, 2);
        DoubleDataset dd = d.toDouble();
        assertArrayEquals(new double[] {0.1f, 2.5f}, dd.features());
        assertArrayEquals(new int[] {1, 0}, dd.labels());
        assertArrayEquals(new double[] {0, 1, 1, 0}, dd.targets());
        assertArrayEquals(d.features(), dd.toFloat().features());
        DoubleDataset x = DoubleDataset.of(new double[] {0.1}, 1, new double[0], 0);
        assertEquals(0.1f, x.toFloat().feature(0, 0));
    }
}
