package dev.chainrule.spark;

import dev.chainrule.data.Shuffle;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which rows of which partition make each mini-batch: the contract that makes a run on Spark the
 * same bits as the same run in one JVM.
 *
 * <p>With {@code N} rows in all, partition {@code p} of {@code n_p} rows gives each batch a
 * share of {@code b_p = ceil(B n_p / N)} rows for a batch size {@code B}, so an epoch has {@code
 * T = max_p ceil(n_p / b_p)} batches (at most {@code ceil(N / B)}). In epoch {@code e} the
 * partition shuffles its own rows as {@link dev.chainrule.data.Dataset#batches(int, long)} does,
 * {@code e + 1} times from one {@link SplittableRandom}, seeded with the seed itself for
 * partition 0 and with a mix of the seed and {@code p} for the others, and batch {@code k} takes
 * the rows at positions {@code k b_p} to {@code (k + 1) b_p - 1} of that order (fewer, or none,
 * at the end). Within a partition the rows are cut into shards of {@code shardRows}, as the
 * trainer cuts a batch. So with one partition the batches are exactly those of {@code
 * Dataset.batches(B, seed)}.
 */
final class Schedule implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] sizes;
    final int batchSize;
    final long seed;
    final int shardRows;
    final int[] shares;
    final int steps;
    final int total;

    Schedule(int[] sizes, int batchSize, long seed, int shardRows) {
        this.sizes = sizes.clone();
        this.batchSize = batchSize;
        this.seed = seed;
        this.shardRows = shardRows;
        long all = 0;
        for (int n : sizes) {
            all += n;
        }
        if (all < 1 || all > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "the training data has " + all + " rows, expected 1 to " + Integer.MAX_VALUE);
        }
        this.total = (int) all;
        this.shares = new int[sizes.length];
        int most = 0;
        for (int p = 0; p < sizes.length; p++) {
            if (sizes[p] > 0) {
                shares[p] = (int) Math.max(1, (batchSize * (long) sizes[p] + total - 1) / total);
                most = Math.max(most, (sizes[p] + shares[p] - 1) / shares[p]);
            }
        }
        this.steps = most;
    }

    /** Rows partition {@code p} gives batch {@code k} of an epoch. */
    int rows(int p, int k) {
        return Math.max(0, Math.min(shares[p], sizes[p] - k * shares[p]));
    }

    /** Rows of batch {@code k} of an epoch, over every partition. */
    int batchRows(int k) {
        int rows = 0;
        for (int p = 0; p < sizes.length; p++) {
            rows += rows(p, k);
        }
        return rows;
    }

    /** The largest share: rows a partition's buffers hold. */
    int largestShare() {
        return Arrays.stream(shares).max().orElse(0);
    }

    /** The seed of partition {@code p}'s order: the seed itself for partition 0. */
    static long partitionSeed(long seed, int p) {
        return p == 0 ? seed : new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * p)).nextLong();
    }

    /** Partition {@code p}'s order in an epoch, advanced from the epochs before it. */
    static final class Order {
        private final SplittableRandom random;
        final int[] order;
        int epoch = -1;

        Order(long seed, int p, int rows) {
            this.random = new SplittableRandom(partitionSeed(seed, p));
            this.order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
        }

        /** Shuffles on to {@code epoch}; returns {@code false} if the order has passed it. */
        boolean advanceTo(int target) {
            if (target < epoch) {
                return false;
            }
            while (epoch < target) {
                Shuffle.shuffle(order, random);
                epoch++;
            }
            return true;
        }
    }
}
