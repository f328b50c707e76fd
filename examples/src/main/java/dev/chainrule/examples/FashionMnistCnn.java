package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Conv2D;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.MaxPool2D;
import dev.chainrule.Network;

/**
 * Names the garment in a 28x28 greyscale Fashion-MNIST image with two convolutions: 32 then 64
 * filters of 3x3, each followed by 2x2 max pooling (28x28 to 26x26 to 13x13, then 11x11 to 5x5),
 * a dense layer of 128 with dropout, and the ten classes. Chainrule generates {@code
 * FashionMnistCnnModel}.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface FashionMnistCnn {
    @Input(channels = 1, height = 28, width = 28)
    int PIXELS = 28 * 28;

    @Conv2D(kernel = 3, activation = Activation.RELU)
    int FEATURES1 = 32;

    @MaxPool2D(window = 2)
    int POOLED1 = 32;

    @Conv2D(kernel = 3, activation = Activation.RELU)
    int FEATURES2 = 64;

    @MaxPool2D(window = 2)
    int POOLED2 = 64;

    @Dense(activation = Activation.RELU, dropout = 0.3)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
