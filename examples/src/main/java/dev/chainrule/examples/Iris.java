package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** Classifies iris flowers from four measurements. Chainrule generates {@code IrisModel}. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Iris {
    @Input
    int MEASUREMENTS = 4;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 16;

    @Dense(activation = Activation.SOFTMAX)
    int SPECIES = 3;
}
