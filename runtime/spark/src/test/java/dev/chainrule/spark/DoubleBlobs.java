package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/** {@link Blobs} in double precision. */
@Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
public interface DoubleBlobs {
    @Input
    int FEATURES = 6;

    @Dense(activation = Activation.RELU)
    int HIDDEN = 16;

    @Dense(activation = Activation.SOFTMAX)
    int CLASSES = 3;
}
