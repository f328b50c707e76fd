package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.kernel.Checks;

/** Checks that a dataset's rows fit a model. */
final class Shapes {
    private Shapes() {}

    /**
     * Throws unless every row has the model's input and output sizes.
     *
     * @param role what the data is for, e.g. {@code training}, used in the message
     */
    static void check(Model model, AbstractDataset<?> data, String role) {
        if (data.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException("the " + role + " data has " + data.featureCount()
                    + " features per row but the model takes " + model.inputSize() + " inputs");
        }
        if (data.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("the " + role + " data has " + data.targetCount()
                    + " targets per row but the model has " + model.outputSize() + " outputs"
                    + Checks.oneOutputHint(data.targetCount(), model.outputSize()));
        }
    }
}
