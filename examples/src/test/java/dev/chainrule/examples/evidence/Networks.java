package dev.chainrule.examples.evidence;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The networks of the training evidence, generated as {@code Networks_<Name>Model}. */
final class Networks {
    private Networks() {}

    /** Exclusive or with the squared error, the form Levenberg-Marquardt minimises. */
    @Network(loss = Loss.MSE)
    interface XorMse {
        @Input
        int INPUTS = 2;

        @Dense(activation = Activation.TANH)
        int HIDDEN = 4;

        @Dense(activation = Activation.SIGMOID)
        int OUTPUT = 1;
    }

    /**
     * The 8-3-8 encoder of Rumelhart, Hinton and Williams (1986): eight one-hot patterns squeezed
     * through three hidden units and reproduced.
     */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Encoder {
        @Input
        int INPUTS = 8;

        @Dense(activation = Activation.SIGMOID)
        int HIDDEN = 3;

        @Dense(activation = Activation.SOFTMAX)
        int OUTPUTS = 8;
    }

    /**
     * Symmetry detection of Rumelhart, Hinton and Williams (1986): is a six-bit pattern a
     * palindrome? Two hidden units suffice.
     */
    @Network(loss = Loss.BINARY_CROSS_ENTROPY)
    interface Symmetry {
        @Input
        int BITS = 6;

        @Dense(activation = Activation.SIGMOID)
        int HIDDEN = 2;

        @Dense(activation = Activation.SIGMOID)
        int SYMMETRIC = 1;
    }
}
