package dev.chainrule.examples;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.OneHot;

/** Classification accuracy of a {@link FloatModel} whose outputs score one class each. */
public final class Accuracy {
    private static final int BATCH = 500;

    private Accuracy() {}

    /**
     * The fraction of rows of {@code data} whose highest-scoring output is the labelled class,
     * predicted in batches of a few hundred rows.
     *
     * @throws IllegalArgumentException if {@code data} has no rows, no labels, or not one feature
     *     per model input and one class per model output
     */
    public static double of(FloatModel model, Dataset data) {
        if (data.rows() == 0 || !data.hasLabels()) {
            throw new IllegalArgumentException("accuracy needs labelled rows, got " + data);
        }
        int classes = model.outputSize();
        if (data.featureCount() != model.inputSize() || data.classCount() != classes) {
            throw new IllegalArgumentException(
                    "a model of " + model.inputSize() + " inputs and " + classes + " outputs cannot classify " + data);
        }
        Batches batches = data.batches(BATCH);
        float[] outputs = new float[BATCH * classes];
        int correct = 0;
        while (batches.next()) {
            model.predictBatch(batches, outputs);
            for (int r = 0; r < batches.rows(); r++) {
                if (OneHot.argmax(outputs, r * classes, classes) == batches.labels()[r]) {
                    correct++;
                }
            }
        }
        return (double) correct / data.rows();
    }
}
