package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The large training workload: 28x28 pixels, two hidden layers of 512, ten classes. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface MnistDeep {
    @Input
    int PIXELS = 784;

    @Dense(activation = Activation.RELU)
    int FIRST = 512;

    @Dense(activation = Activation.RELU)
    int SECOND = 512;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
