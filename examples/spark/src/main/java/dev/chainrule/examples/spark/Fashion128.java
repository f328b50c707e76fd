package dev.chainrule.examples.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** Fashion-MNIST through one hidden layer of 128: the network MLlib's comparison trains (784-128-10). */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Fashion128 {
    @Input
    int PIXELS = 28 * 28;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
