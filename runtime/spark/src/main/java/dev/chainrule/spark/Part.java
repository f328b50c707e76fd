package dev.chainrule.spark;

import dev.chainrule.data.Dataset;
import java.io.Serializable;

/**
 * The rows of one partition, as the cached element of that partition: features and targets
 * row-major, and the class labels when the rows have them.
 */
final class Part implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final int rows;
    final int featureCount;
    final int targetCount;
    final float[] features;
    final float[] targets;
    /** Each row's class, or {@code null} for targets without classes. */
    final int[] labels;

    Part(int index, int rows, int featureCount, int targetCount, float[] features, float[] targets, int[] labels) {
        this.index = index;
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.features = features;
        this.targets = targets;
        this.labels = labels;
    }

    /** The part's rows as a dataset of the runtime, sharing nothing. */
    Dataset toDataset() {
        if (labels != null) {
            return Dataset.classification(features.clone(), featureCount, labels.clone(), targetCount);
        }
        return Dataset.of(features.clone(), featureCount, targets.clone(), targetCount);
    }

    /** A part of the rows of {@code data}. */
    static Part of(int index, Dataset data) {
        return new Part(
                index,
                data.rows(),
                data.featureCount(),
                data.targetCount(),
                data.features(),
                data.targets(),
                data.hasLabels() ? data.labels() : null);
    }
}
