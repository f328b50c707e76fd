package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.FixedPoint;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Reads a handwritten digit through a layer with feedback: the 64 pixels drive a fixed point of
 * 64 units, kept contractive, whose state a softmax reads. Chainrule generates {@code
 * DigitsAttractorModel}.
 */
@Network(loss = Loss.CROSS_ENTROPY)
public interface DigitsAttractor {
    @Input
    int PIXELS = 64;

    @FixedPoint(tolerance = 1e-5, maxIterations = 100, contraction = 0.9)
    int STATE = 64;

    @Dense(activation = Activation.SOFTMAX)
    int DIGITS = 10;
}
