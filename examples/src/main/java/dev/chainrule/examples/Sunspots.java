package dev.chainrule.examples;

import dev.chainrule.Dense;
import dev.chainrule.GRU;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Forecasts next year's sunspot number from the last twelve: a GRU over the twelve years, its
 * last state read by a linear output. Chainrule generates {@code SunspotsModel}.
 */
@Network(loss = Loss.MSE)
public interface Sunspots {
    @Input(steps = 12, features = 1)
    int YEARS = 12;

    @GRU
    int MEMORY = 16;

    @Dense
    int NEXT_YEAR = 1;
}
