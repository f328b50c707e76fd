package dev.chainrule.spark;

import java.io.Serializable;

/**
 * What one partition sends back for a batch: the sum of its shards' gradients (each row weighted
 * by one over the batch's rows) or, when averaging, its parameters after its local steps; the
 * sum over its rows of their loss; and how many rows it used. A partition with no rows in the
 * batch sends {@code values == null}. A group of the tree ({@link SparkData#tree(int)}) sends the
 * same for its partitions together, {@code partition} then being the group's number.
 *
 * @param <A> the array type of the values: the model's {@code float[]} or {@code double[]}, or
 *     {@code double[]} for a group's weighted parameters when averaging
 */
final class Result<A> implements Serializable {
    private static final long serialVersionUID = 2L;

    final int partition;
    final A values;
    final double lossSum;
    final int rows;

    Result(int partition, A values, double lossSum, int rows) {
        this.partition = partition;
        this.values = values;
        this.lossSum = lossSum;
        this.rows = rows;
    }
}
