package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.FixedPoint;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Restores a digit of which half the pixels are hidden, as an associative memory: the 64 visible
 * values (0 where hidden) and the 64 flags saying which are visible drive a fixed point of 96
 * units, read back as 64 pixels. Chainrule generates {@code DigitsRestorerModel}.
 */
@Network(loss = Loss.BINARY_CROSS_ENTROPY)
public interface DigitsRestorer {
    @Input
    int PIXELS_AND_MASK = 128;

    @FixedPoint(tolerance = 1e-5, maxIterations = 100, contraction = 0.9)
    int MEMORY = 96;

    @Dense(activation = Activation.SIGMOID)
    int PIXELS = 64;
}
