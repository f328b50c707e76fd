package dev.chainrule.examples;

import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.SimpleRNN;

/**
 * The adding problem for a simple recurrent (Elman) layer: fifty steps of a number and a marker,
 * the last state of 32 tanh units read by a linear output. Chainrule generates {@code
 * AddingRnnModel}. See {@link AddingProblemExample}.
 */
@Network(loss = Loss.MSE)
public interface AddingRnn {
    @Input(steps = 50, features = 2)
    int SEQUENCE = 100;

    @SimpleRNN
    int MEMORY = 32;

    @Dense
    int SUM = 1;
}
