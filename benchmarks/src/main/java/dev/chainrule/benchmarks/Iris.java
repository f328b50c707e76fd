package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** An iris-sized network: four measurements, sixteen hidden units, three species. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Iris {
    @Input
    int MEASUREMENTS = 4;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 16;

    @Dense(activation = Activation.SOFTMAX)
    int SPECIES = 3;
}
