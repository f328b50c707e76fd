package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** A float network with unrolled and looped layers for {@link SharedParametersTest}. */
@Network(loss = Loss.CROSS_ENTROPY)
interface SharedFloat {
    @Input
    int FEATURES = 12;

    @Dense(activation = Activation.TANH)
    int FIRST = 32;

    @Dense(activation = Activation.RELU)
    int SECOND = 16;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 5;
}
