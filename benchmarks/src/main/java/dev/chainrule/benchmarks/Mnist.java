package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The reference workload: 28x28 pixels, one hidden layer, ten classes. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Mnist {
    @Input
    int PIXELS = 784;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
