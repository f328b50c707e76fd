package dev.chainrule.examples;

import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.LSTM;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * The adding problem for an LSTM: the same fifty steps and 32 units as {@link AddingRnn}, the
 * last state read by a linear output. Chainrule generates {@code AddingLstmModel}. See {@link
 * AddingProblemExample}.
 */
@Network(loss = Loss.MSE)
public interface AddingLstm {
    @Input(steps = 50, features = 2)
    int SEQUENCE = 100;

    @LSTM
    int MEMORY = 32;

    @Dense
    int SUM = 1;
}
