package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/**
 * {@code y = sin(x)} on {@code [-pi, pi]}: ten tanh units and a linear output, in {@code double}
 * (Levenberg-Marquardt solves ill-conditioned systems; {@code docs/training-evidence.md} measures
 * a {@code float} copy too). Chainrule generates {@code SineModel}.
 */
@Network(loss = Loss.MSE, precision = Precision.DOUBLE)
public interface Sine {
    @Input
    int X = 1;

    @Dense(activation = Activation.TANH)
    int HIDDEN = 10;

    @Dense(activation = Activation.IDENTITY)
    int Y = 1;
}
