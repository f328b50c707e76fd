package dev.chainrule.examples.serving;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Classifies iris flowers from four measurements, the network the scoring service serves.
 * Chainrule generates {@code IrisModel} in this package, as it generates {@code
 * dev.chainrule.examples.IrisModel} from the same declaration in the examples module.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Iris {
    /** Sepal length and width, petal length and width, in centimetres. */
    @Input
    int MEASUREMENTS = 4;

    /** The hidden layer. */
    @Dense(activation = Activation.RELU)
    int HIDDEN = 16;

    /** Setosa, versicolor, virginica. */
    @Dense(activation = Activation.SOFTMAX)
    int SPECIES = 3;
}
