package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Conv2D;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.MaxPool2D;
import dev.chainrule.Network;
import dev.chainrule.Padding;

/**
 * Reads a handwritten digit from an 8x8 grid of pixel counts with a small convolutional network:
 * 32 3x3 filters over the image (zero-padded, so the maps stay 8x8), a 2x2 max pool down to 32
 * maps of 4x4, a dense hidden layer of 128 and a softmax over the ten digits. Chainrule generates
 * {@code DigitsCnnModel}.
 *
 * <p>The convolution shares its weights across the image, so it learns strokes once wherever
 * they fall; the dense {@link Digits} has to learn every stroke at every position.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface DigitsCnn {
    @Input(channels = 1, height = 8, width = 8)
    int PIXELS = 64;

    @Conv2D(kernel = 3, padding = Padding.SAME, activation = Activation.RELU)
    int FEATURES = 32;

    @MaxPool2D(window = 2)
    int POOLED = 32;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 128;

    @Dense(activation = Activation.SOFTMAX)
    int DIGITS = 10;
}
