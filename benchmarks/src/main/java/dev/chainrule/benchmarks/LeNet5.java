package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Conv2D;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.MaxPool2D;
import dev.chainrule.Network;

/**
 * The LeNet-5-shaped convolutional workload: a 1x28x28 image, six 5x5 filters padded by two
 * (28x28), 2x2 max pooling (14x14), sixteen 5x5 filters (10x10), 2x2 max pooling (5x5), then
 * dense layers of 120, 84 and ten classes.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface LeNet5 {
    @Input(channels = 1, height = 28, width = 28)
    int PIXELS = 784;

    @Conv2D(kernel = 5, pad = 2, activation = Activation.RELU)
    int C1 = 6;

    @MaxPool2D(window = 2)
    int P1 = 6;

    @Conv2D(kernel = 5, activation = Activation.RELU)
    int C2 = 16;

    @MaxPool2D(window = 2)
    int P2 = 16;

    @Dense(activation = Activation.RELU)
    int F1 = 120;

    @Dense(activation = Activation.RELU)
    int F2 = 84;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
