package dev.chainrule.benchmarks.peers;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * The network Weka's {@code MultilayerPerceptron} can compute: 784-128-10 with sigmoid hidden
 * and output units (Weka has no relu or softmax).
 */
@Network(loss = Loss.MSE)
public interface MnistSigmoid {
    @Input int PIXELS = 784;
    @Dense(activation = Activation.SIGMOID) int HIDDEN = 128;
    @Dense(activation = Activation.SIGMOID) int CLASSES = 10;
}
