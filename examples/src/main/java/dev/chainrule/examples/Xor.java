package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** Exclusive or: the smallest problem a single layer cannot solve. Chainrule generates {@code XorModel}. */
@Network(loss = Loss.BINARY_CROSS_ENTROPY)
public interface Xor {
    @Input
    int INPUTS = 2;

    @Dense(activation = Activation.TANH)
    int HIDDEN = 4;

    @Dense(activation = Activation.SIGMOID)
    int OUTPUT = 1;
}
