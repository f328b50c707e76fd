package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.LSTM;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * The recurrent workload: a 28x28 image read as a sequence of its 28 rows of 28 values by an
 * LSTM of 128 units, whose last state a softmax of ten classes reads (the shape of the
 * Fashion-MNIST example's {@code --model lstm}).
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Lstm28 {
    @Input(steps = 28, features = 28)
    int ROWS = 784;

    @LSTM
    int MEMORY = 128;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 10;
}
