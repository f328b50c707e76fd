package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Conv2D;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.MaxPool2D;
import dev.chainrule.Network;

/**
 * The wider convolutional workload, the Fashion-MNIST example's shape without its dropout: a
 * 1x28x28 image, 32 filters of 3x3 (26x26), 2x2 max pooling (13x13), 64 filters of 3x3
 * (11x11), 2x2 max pooling (5x5), a dense layer of 128 and ten classes.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Cnn32x64 {
    @Input(channels = 1, height = 28, width = 28)
    int PIXELS = 784;

    @Conv2D(kernel = 3, activation = Activation.RELU)
    int C1 = 32;

    @MaxPool2D(window = 2)
    int P1 = 32;

    @Conv2D(kernel = 3, activation = Activation.RELU)
    int C2 = 64;

    @MaxPool2D(window = 2)
    int P2 = 64;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
