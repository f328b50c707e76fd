package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** Reads a handwritten digit from an 8x8 grid of pixel counts. Chainrule generates {@code DigitsModel}. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Digits {
    @Input
    int PIXELS = 64;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int DIGITS = 10;
}
