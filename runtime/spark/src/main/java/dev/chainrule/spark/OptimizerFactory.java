package dev.chainrule.spark;

import dev.chainrule.optim.Optimizer;
import java.io.Serializable;

/**
 * Makes the optimizer of a partition's local steps when averaging, on the executor: {@code () ->
 * Adam.of(1e-3)}. It must be serializable (a lambda whose target is this interface is), and each
 * call must return a new optimizer.
 *
 * <p>Each round of local steps gets a new optimizer, whose step count starts at 0. For a
 * learning rate that follows one schedule over the whole run, make the optimizer from the
 * round's first step with {@link #fromStep(FromStep)}:
 *
 * <pre>{@code
 * long steps = epochs * batchesPerEpoch;  // local steps of a partition over the run
 * OptimizerFactory local = OptimizerFactory.fromStep(
 *         first -> Adam.of(LearningRateSchedule.cosine(4e-3, 0, steps).startingAt(first)));
 * }</pre>
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer, in its initial state. */
    Optimizer create();

    /**
     * A new optimizer for a round whose first local step is the partition's {@code firstStep}-th
     * of the run: {@code epoch * batchesPerEpoch + round * localSteps}, counting from 0 over every
     * round of every epoch (a function of the round alone, so a retried task gets the same
     * optimizer). This default ignores it and returns {@link #create()}.
     */
    default Optimizer create(long firstStep) {
        return create();
    }

    /** Optimizers made from each round's first local step; see {@link #create(long)}. */
    static OptimizerFactory fromStep(FromStep make) {
        return new SteppedOptimizers(make);
    }

    /** Makes a round's optimizer from the round's first local step; see {@link #create(long)}. */
    @FunctionalInterface
    interface FromStep extends Serializable {
        /** A new optimizer for a round starting at local step {@code firstStep} of the run. */
        Optimizer create(long firstStep);
    }
}
