package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** {@link DigitsRestorer} without feedback, the baseline: one dense layer of the same 96 units. */
@Network(loss = Loss.BINARY_CROSS_ENTROPY)
public interface DigitsRestorerDense {
    @Input
    int PIXELS_AND_MASK = 128;

    @Dense(activation = Activation.TANH)
    int HIDDEN = 96;

    @Dense(activation = Activation.SIGMOID)
    int PIXELS = 64;
}
