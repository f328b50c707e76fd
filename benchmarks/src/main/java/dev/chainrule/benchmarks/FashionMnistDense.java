package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * The Fashion-MNIST example's dense network, 784-512-256-10 (535,818 parameters): the network
 * whose epochs on one and two threads the README's Training section times.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface FashionMnistDense {
    @Input
    int PIXELS = 784;

    @Dense(activation = Activation.RELU)
    int HIDDEN1 = 512;

    @Dense(activation = Activation.RELU)
    int HIDDEN2 = 256;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
