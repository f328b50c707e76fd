package dev.chainrule.spark;

import dev.chainrule.optim.Optimizer;
import java.util.Objects;

/** {@link OptimizerFactory#fromStep(OptimizerFactory.FromStep)}: a round's optimizer made from its first step. */
final class SteppedOptimizers implements OptimizerFactory {
    private static final long serialVersionUID = 1L;

    private final FromStep make;

    SteppedOptimizers(FromStep make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    @Override
    public Optimizer create() {
        return make.create(0);
    }

    @Override
    public Optimizer create(long firstStep) {
        return make.create(firstStep);
    }
}
