package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** Runs one epoch and returns the original row of every batch row, in order; checks batch sizes. */
    private static int[] epoch(Batches batches, int rows, int batchSize) {
        List<Integer> seen = new ArrayList<>();
        int batch = 0;
        while (batches.next()) {
            int expectedRows = Math.min(batchSize, rows - batch * batchSize);
            assertEquals(expectedRows, batches.rows(), "rows of batch " + batch);
            for (int i = 0; i < batches.rows(); i++) {
                int r = (int) batches.inputs()[2 * i];
                assertEquals(10f * r, batches.inputs()[2 * i + 1]);
                assertEquals(100f * r, batches.targets()[i]);
                seen.add(r);
            }
            batch++;
        }
        assertEquals(batches.batchesPerEpoch(), batch);
        return seen.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyRowOnceEachEpochInAFreshOrder() {
        Batches batches = DatasetTest.numbered(23).batches(5, 42);
        assertEquals(5, batches.batchesPerEpoch());
        int[] first = epoch(batches, 23, 5);
        assertEquals(0, batches.epoch());
        int[] second = epoch(batches, 23, 5);
        assertEquals(1, batches.epoch());
        for (int[] order : new int[][] {first, second}) {
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            assertArrayEquals(Shuffle.identity(23), sorted);
        }
        assertFalse(Arrays.equals(first, second), "the second epoch has its own order");
        assertFalse(Arrays.equals(Shuffle.identity(23), first), "the rows are shuffled");
    }

    @Test
    void theOrderOfEachEpochIsDeterminedBySeed() {
        Batches a = DatasetTest.numbered(50).batches(8, 3);
        Batches b = DatasetTest.numbered(50).batches(8, 3);
        Batches c = DatasetTest.numbered(50).batches(8, 4);
        for (int e = 0; e < 3; e++) {
            int[] fromA = epoch(a, 50, 8);
            assertArrayEquals(fromA, epoch(b, 50, 8));
            assertFalse(Arrays.equals(fromA, epoch(c, 50, 8)));
        }
    }

    @Test
    void theFirstEpochFollowsTheSeededPermutation() {
        assertArrayEquals(
                Shuffle.permutation(17, 8), epoch(DatasetTest.numbered(17).batches(4, 8), 17, 4));
    }

    @Test
    void withoutSeedEveryEpochIsInRowOrder() {
        Batches batches = DatasetTest.numbered(7).batches(3);
        assertArrayEquals(Shuffle.identity(7), epoch(batches, 7, 3));
        assertArrayEquals(Shuffle.identity(7), epoch(batches, 7, 3));
    }

    @Test
    void labelsFollowTheirRows() {
        int[] labels = {2, 0, 1, 1, 0, 2, 2};
        Dataset d = SplitTest.labelled(labels, 3);
        Batches batches = d.batches(3, 1);
        int count = 0;
        while (batches.next()) {
            for (int i = 0; i < batches.rows(); i++) {
                int row = (int) batches.inputs()[i];
                assertEquals(labels[row], batches.labels()[i]);
                assertEquals(1f, batches.targets()[3 * i + labels[row]]);
                count++;
            }
        }
        assertEquals(7, count);
        assertThrows(
                IllegalStateException.class,
                () -> DatasetTest.numbered(3).batches(2).labels());
    }

    @Test
    void doubleBatchesCoverEveryRow() {
        DoubleBatches batches = DatasetTest.numbered(10).toDouble().batches(4, 6);
        boolean[] seen = new boolean[10];
        while (batches.next()) {
            for (int i = 0; i < batches.rows(); i++) {
                int r = (int) batches.inputs()[2 * i];
                assertFalse(seen[r]);
                seen[r] = true;
                assertEquals(100.0 * r, batches.targets()[i]);
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void emptyDatasetHasNoBatchesAndBadSizesAreRefused() {
        Batches batches = DatasetTest.numbered(0).batches(4, 1);
        assertFalse(batches.next());
        assertFalse(batches.next());
        assertEquals(0, batches.batchesPerEpoch());
        var e = assertThrows(
                IllegalArgumentException.class, () -> DatasetTest.numbered(3).batches(0));
        assertTrue(e.getMessage().contains("batchSize is 0"), e.getMessage());
    }

    @Test
    void iteratingAllocatesNothing() {
        int[] labels = new int[1000];
        Arrays.setAll(labels, r -> r % 4);
        Dataset d = SplitTest.labelled(labels, 4);
        Batches batches = d.batches(32, 99);
        DoubleBatches doubles = d.toDouble().batches(32, 99);
        float[] sum = new float[1];
        double[] dsum = new double[1];
        Runnable tenEpochs = () -> {
            for (int e = 0; e < 10; e++) {
                while (batches.next()) {
                    sum[0] += batches.inputs()[0] + batches.labels()[batches.rows() - 1];
                }
                while (doubles.next()) {
                    dsum[0] += doubles.inputs()[0];
                }
            }
        };
        for (int i = 0; i < 20; i++) {
            tenEpochs.run(); // warm up
        }
        assertEquals(0, Allocations.of(tenEpochs), "bytes allocated by 10 epochs of 32 batches");
        assertTrue(sum[0] > 0 && dsum[0] > 0);
    }
}
