package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {

    /** Row r has feature r, so a row's feature tells where it came from. */
    static Dataset labelled(int[] labels, int classCount) {
        float[] f = new float[labels.length];
        for (int r = 0; r < f.length; r++) {
            f[r] = r;
        }
        return Dataset.classification(f, 1, labels, classCount);
    }

    private static int[] originalRows(Dataset part) {
        int[] rows = new int[part.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) part.feature(i, 0);
        }
        return rows;
    }

    private static void assertPartition(Split<Dataset> split, int rows) {
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {split.train(), split.validation(), split.test()}) {
            for (int r : originalRows(part)) {
                assertTrue(seen.add(r), "row " + r + " is in two parts");
            }
        }
        assertEquals(rows, seen.size(), "every row is in some part");
    }

    @Test
    void randomSplitHasTheRoundedSizesAndIsAPartition() {
        Dataset d = DatasetTest.numbered(101).toDouble().toFloat();
        Split<Dataset> s = d.split(0.7, 0.2, 5);
        assertEquals(71, s.train().rows()); // round(70.7)
        assertEquals(20, s.validation().rows()); // round(20.2)
        assertEquals(10, s.test().rows());
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : new Dataset[] {s.train(), s.validation(), s.test()}) {
            for (int i = 0; i < part.rows(); i++) {
                int r = (int) part.feature(i, 0);
                assertTrue(seen.add(r), "row " + r + " is in two parts");
                assertEquals(100f * r, part.target(i, 0), "targets travel with their row");
            }
        }
        assertEquals(101, seen.size());
    }

    @Test
    void randomSplitTakesTheFirstRowsOfTheSeededPermutation() {
        Dataset d = DatasetTest.numbered(30);
        Split<Dataset> s = d.split(0.5, 0.0, 9);
        int[] expected = Arrays.copyOf(Shuffle.permutation(30, 9), 15);
        Arrays.sort(expected);
        float[] train = s.train().features();
        for (int i = 0; i < 15; i++) {
            assertEquals(expected[i], train[2 * i], "part rows keep their original order");
        }
        assertEquals(0, s.validation().rows());
    }

    @Test
    void splitsAreDeterministicBySeed() {
        Dataset d = DatasetTest.numbered(200);
        assertArrayEquals(
                d.split(0.6, 0.2, 1).test().features(),
                d.split(0.6, 0.2, 1).test().features());
        assertFalse(Arrays.equals(
                d.split(0.6, 0.2, 1).test().features(),
                d.split(0.6, 0.2, 2).test().features()));
        int[] labels = new int[200];
        Arrays.setAll(labels, r -> r % 3);
        Dataset l = labelled(labels, 3);
        assertArrayEquals(
                originalRows(l.stratifiedSplit(0.6, 0.2, 4).validation()),
                originalRows(l.stratifiedSplit(0.6, 0.2, 4).validation()));
    }

    @Test
    void stratifiedSplitKeepsClassProportionsInEveryPart() {
        // 60 of class 0, 30 of class 1, 10 of class 2, interleaved.
        int[] labels = new int[100];
        for (int r = 0; r < 100; r++) {
            labels[r] = r % 10 == 0 ? 2 : r % 10 <= 3 ? 1 : 0;
        }
        Dataset d = labelled(labels, 3);
        Split<Dataset> s = d.stratifiedSplit(0.5, 0.3, 77);
        assertPartition(s, 100);
        // Per class: train round(n/2), validation round(0.3 n), test the rest.
        assertArrayEquals(new int[] {30, 15, 5}, classCounts(s.train()));
        assertArrayEquals(new int[] {18, 9, 3}, classCounts(s.validation()));
        assertArrayEquals(new int[] {12, 6, 2}, classCounts(s.test()));
        for (Dataset part : new Dataset[] {s.train(), s.validation(), s.test()}) {
            for (int i = 0; i < part.rows(); i++) {
                assertEquals(labels[(int) part.feature(i, 0)], part.label(i), "labels travel with their row");
            }
        }
    }

    @Test
    void stratifiedSplitOfRareClassesRoundsPerClass() {
        int[] labels = {0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
        Split<Dataset> s = labelled(labels, 2).stratifiedSplit(0.5, 0.5, 3);
        assertArrayEquals(new int[] {4, 1}, classCounts(s.train()));
        assertArrayEquals(new int[] {4, 1}, classCounts(s.validation()));
        assertEquals(0, s.test().rows());
        assertPartition(s, 10);
    }

    private static int[] classCounts(Dataset part) {
        int[] counts = new int[part.classCount()];
        for (int label : part.labels()) {
            counts[label]++;
        }
        return counts;
    }

    @Test
    void rejectsBadFractionsAndUnlabelledStratification() {
        Dataset d = DatasetTest.numbered(10);
        var e = assertThrows(IllegalArgumentException.class, () -> d.split(0.8, 0.3, 1));
        assertTrue(e.getMessage().contains("0.8") && e.getMessage().contains("0.3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.split(-0.1, 0.3, 1));
        assertThrows(IllegalArgumentException.class, () -> d.split(Double.NaN, 0.3, 1));
        assertThrows(IllegalStateException.class, () -> d.stratifiedSplit(0.5, 0.2, 1));
    }
}
