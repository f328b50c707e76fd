package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** A small classifier for the tests: six features, three classes. */
@Network(loss = Loss.CROSS_ENTROPY)
public interface Blobs {
    @Input
    int FEATURES = 6;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 16;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 3;
}
