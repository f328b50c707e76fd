package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cross-validation folds, and splits stratified by bins of a regression target. */
class FoldTest {

    /** {@code rows} rows whose one feature is the row index and whose target is {@code targets[r]}. */
    private static DoubleDataset regression(double[] targets) {
        double[] x = new double[targets.length];
        Arrays.setAll(x, r -> r);
        return DoubleDataset.of(x, 1, targets, 1);
    }

    /** A skewed target: most rows near 0, a long tail up to about 1000. */
    private static double[] skewed(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = Math.exp(random.nextDouble(0, 7));
        }
        return y;
    }

    private static double[] ids(AbstractDataset<?> data) {
        double[] ids = new double[data.rows()];
        for (int r = 0; r < data.rows(); r++) {
            ids[r] = data.featureAt(r, 0);
        }
        return ids;
    }

    @Test
    void everyRowIsValidatedOnInExactlyOneFoldAndTrainedOnInTheOthers() {
        DoubleDataset data = regression(skewed(23, 1L));
        List<Fold<DoubleDataset>> folds = data.kFold(5, 42L);
        assertEquals(5, folds.size());
        int[] validatedIn = new int[23];
        Arrays.fill(validatedIn, -1);
        for (Fold<DoubleDataset> fold : folds) {
            assertTrue(fold.validation().rows() == 4 || fold.validation().rows() == 5, "sizes differ by at most one");
            assertEquals(23, fold.train().rows() + fold.validation().rows());
            for (double id : ids(fold.validation())) {
                assertEquals(-1, validatedIn[(int) id], "row " + id + " validated twice");
                validatedIn[(int) id] = fold.index();
            }
            for (double id : ids(fold.train())) {
                assertTrue(validatedIn[(int) id] != fold.index());
            }
            double[] train = ids(fold.train());
            double[] sorted = train.clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, train, "each part keeps the original order");
        }
        assertTrue(Arrays.stream(validatedIn).allMatch(f -> f >= 0));
        assertEquals(
                ids(folds.get(2).validation()).length,
                ids(data.kFold(5, 42L).get(2).validation()).length);
        assertArrayEquals(
                ids(folds.get(2).validation()), ids(data.kFold(5, 42L).get(2).validation()), "seeded");
    }

    @Test
    void stratifiedFoldsKeepTheClassProportions() {
        int[] labels = new int[60];
        for (int r = 0; r < 60; r++) {
            labels[r] = r < 45 ? 0 : r < 57 ? 1 : 2; // 45, 12 and 3 rows
        }
        float[] x = new float[60];
        Dataset data = Dataset.classification(x, 1, labels, 3);
        for (Fold<Dataset> fold : data.stratifiedKFold(3, 7L)) {
            int[] counts = new int[3];
            for (int label : fold.validation().labels()) {
                counts[label]++;
            }
            assertArrayEquals(new int[] {15, 4, 1}, counts, "fold " + fold.index());
        }
        assertThrows(
                IllegalStateException.class, () -> regression(new double[4]).stratifiedKFold(2, 1L));
    }

    @Test
    void aBinnedSplitPutsEachPartAcrossTheWholeRangeOfTheTarget() {
        double[] y = skewed(200, 3L);
        DoubleDataset data = regression(y);
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        Split<DoubleDataset> split = data.binnedSplit(10, 0.8, 0.1, 5L);
        assertEquals(160, split.train().rows());
        assertEquals(20, split.validation().rows());
        assertEquals(20, split.test().rows());
        // each decile of the target holds 20 rows: 16 train, 2 validation, 2 test
        for (DoubleDataset part : List.of(split.train(), split.validation(), split.test())) {
            int[] perDecile = new int[10];
            for (int r = 0; r < part.rows(); r++) {
                perDecile[Arrays.binarySearch(sorted, part.target(r, 0)) / 20]++;
            }
            int expected = part.rows() / 10;
            for (int d = 0; d < 10; d++) {
                assertEquals(expected, perDecile[d], "decile " + d + " of a part of " + part.rows() + " rows");
            }
        }
    }

    @Test
    void binnedFoldsEachSpanTheTarget() {
        double[] y = skewed(100, 9L);
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        for (Fold<DoubleDataset> fold : regression(y).binnedKFold(4, 5, 11L)) {
            int[] perQuintile = new int[5];
            for (int r = 0; r < fold.validation().rows(); r++) {
                perQuintile[Arrays.binarySearch(sorted, fold.validation().target(r, 0)) / 20]++;
            }
            assertArrayEquals(new int[] {5, 5, 5, 5, 5}, perQuintile, "fold " + fold.index());
        }
    }

    @Test
    void badArgumentsAreRefused() {
        DoubleDataset data = regression(new double[] {1, 2, 3});
        assertEquals(
                "k is 1, expected 2 .. 3 folds (at most one per row)",
                assertThrows(IllegalArgumentException.class, () -> data.kFold(1, 1L))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> data.kFold(4, 1L));
        assertThrows(IllegalArgumentException.class, () -> data.binnedSplit(0, 0.5, 0.5, 1L));
        DoubleDataset two = DoubleDataset.of(new double[] {1, 2}, 1, new double[] {1, 2, 3, 4}, 2);
        assertTrue(assertThrows(IllegalStateException.class, () -> two.binnedSplit(2, 0.5, 0, 1L))
                .getMessage()
                .contains("this dataset has 2 target columns"));
    }
}
