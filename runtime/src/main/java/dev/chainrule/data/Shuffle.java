package dev.chainrule.data;

import java.util.SplittableRandom;

/**
 * Seeded shuffling that gives the same order on every JVM: a Fisher-Yates (Durstenfeld) shuffle
 * drawing from {@link SplittableRandom}, whose output for a given seed is fixed by its
 * specification.
 */
public final class Shuffle {
    private Shuffle() {}

    /**
     * A random permutation of {@code 0 .. n-1}, the same for the same {@code n} and {@code seed}.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public static int[] permutation(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n is " + n + ", expected at least 0");
        }
        int[] order = identity(n);
        shuffle(order, new SplittableRandom(seed));
        return order;
    }

    /**
     * Shuffles {@code values} in place: for {@code i} from the last index down to 1, swaps
     * element {@code i} with element {@code random.nextInt(i + 1)}. Allocates nothing.
     */
    public static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swapped = values[i];
            values[i] = values[j];
            values[j] = swapped;
        }
    }

    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
