package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShuffleTest {

    @Test
    void sameSeedGivesSameOrderAndDifferentSeedsDiffer() {
        assertArrayEquals(Shuffle.permutation(1000, 7), Shuffle.permutation(1000, 7));
        assertFalse(Arrays.equals(Shuffle.permutation(1000, 7), Shuffle.permutation(1000, 8)));
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        int[] p = Shuffle.permutation(517, 3);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Shuffle.identity(517), sorted);
        assertFalse(Arrays.equals(Shuffle.identity(517), p), "a shuffle of 517 elements that changes nothing");
    }

    @Test
    void followsTheDurstenfeldShuffleDrawingFromSplittableRandom() {
        // Reference: the textbook algorithm applied to a list, with the draws of the same generator.
        SplittableRandom random = new SplittableRandom(2024);
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        for (int i = expected.size() - 1; i >= 1; i--) {
            java.util.Collections.swap(expected, i, random.nextInt(i + 1));
        }
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), Shuffle.permutation(50, 2024));
    }

    @Test
    void tinyAndNegativeSizes() {
        assertArrayEquals(new int[0], Shuffle.permutation(0, 1));
        assertArrayEquals(new int[] {0}, Shuffle.permutation(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Shuffle.permutation(-1, 1));
    }
}
