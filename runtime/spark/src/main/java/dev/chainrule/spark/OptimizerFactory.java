package dev.chainrule.spark;

import dev.chainrule.optim.Optimizer;
import java.io.Serializable;

/**
 * Makes the optimizer of a partition's local steps when averaging, on the executor: {@code () ->
 * Adam.of(1e-3)}. It must be serializable (a lambda whose target is this interface is), and each
 * call must return a new optimizer.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer, in its initial state. */
    Optimizer create();
}
