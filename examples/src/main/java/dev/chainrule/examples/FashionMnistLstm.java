package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.LSTM;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Reads a Fashion-MNIST image as a sequence of its 28 rows of 28 pixels, top to bottom, with an
 * LSTM of 128 units whose last state a softmax reads. Chainrule generates {@code
 * FashionMnistLstmModel}.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface FashionMnistLstm {
    @Input(steps = 28, features = 28)
    int ROWS = 784;

    @LSTM
    int MEMORY = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
