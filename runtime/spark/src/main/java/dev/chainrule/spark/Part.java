package dev.chainrule.spark;

import java.io.Serializable;

/**
 * The rows of one partition, as the cached element of that partition: features and targets
 * row-major in the precision the rows are held in ({@code A} is {@code float[]} or {@code
 * double[]}), and the class labels when the rows have them.
 *
 * @param <A> the array type of the values
 */
final class Part<A> implements Serializable {
    private static final long serialVersionUID = 2L;

    final int index;
    final int rows;
    final int featureCount;
    final int targetCount;
    final A features;
    final A targets;
    /** Each row's class, or {@code null} for targets without classes. */
    final int[] labels;

    Part(int index, int rows, int featureCount, int targetCount, A features, A targets, int[] labels) {
        this.index = index;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.features = features;
        this.targets = targets;
        this.labels = labels;
    }
}
