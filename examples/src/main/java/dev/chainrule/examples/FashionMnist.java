package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Names the garment in a 28x28 greyscale Fashion-MNIST image. Chainrule generates {@code
 * FashionMnistModel}.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface FashionMnist {
    @Input
    int PIXELS = 28 * 28;

    @Dense(activation = Activation.RELU)
    int HIDDEN1 = 512;

    @Dense(activation = Activation.RELU)
    int HIDDEN2 = 256;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
