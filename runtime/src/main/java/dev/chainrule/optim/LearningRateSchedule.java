package dev.chainrule.optim;

import java.util.Objects;

/**
 * The learning rate as a function of the step number: {@link #rate(long) rate(t)} is the rate
 * of the step taken after {@code t} earlier steps, so the first step uses {@code rate(0)} (see
 * {@link Optimizer} for what a step is). A lambda serves for a schedule of one's own; it must
 * return a finite rate {@code >= 0} and must not allocate if steps are to stay allocation-free.
 *
 * <pre>{@code
 * var schedule = LearningRateSchedule.cosine(1e-2, 1e-4, 10_000).withWarmup(500);
 * var adam = Adam.of(schedule);
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The rate of the step taken after {@code step} earlier steps ({@code step >= 0}). */
    double rate(long step);

    /**
     * This schedule preceded by a linear warm-up of {@code warmupSteps} steps: step {@code t <
     * warmupSteps} has rate {@code this.rate(0) * (t + 1) / warmupSteps}, and step {@code t >=
     * warmupSteps} has rate {@code this.rate(t - warmupSteps)}, so this schedule starts its clock
     * when the warm-up ends.
     */
    default LearningRateSchedule withWarmup(long warmupSteps) {
        return new Warmup(warmupSteps, this);
    }

    /** The same rate at every step. */
    static LearningRateSchedule constant(double rate) {
        return new Constant(rate);
    }

    /** {@code initial * factor^floor(t / everySteps)}: the rate drops by {@code factor} every {@code everySteps} steps. */
    static LearningRateSchedule stepDecay(double initial, double factor, long everySteps) {
        return new StepDecay(initial, factor, everySteps);
    }

    /** {@code initial * decayRate^(t / decaySteps)}, continuous in {@code t}. */
    static LearningRateSchedule exponentialDecay(double initial, double decayRate, long decaySteps) {
        return new ExponentialDecay(initial, decayRate, decaySteps);
    }

    /**
     * Cosine annealing from {@code initial} to {@code minimum} over {@code periodSteps} steps:
     * {@code minimum + (initial - minimum) * (1 + cos(pi * t / periodSteps)) / 2} for {@code t <=
     * periodSteps}, then {@code minimum} (no restarts).
     */
    static LearningRateSchedule cosine(double initial, double minimum, long periodSteps) {
        return new Cosine(initial, minimum, periodSteps);
    }

    /**
     * A constant rate.
     *
     * @param rate the rate; positive and finite
     */
    record Constant(double rate) implements LearningRateSchedule {
        public Constant {
            requirePositive(rate, "learning rate");
        }

        @Override
        public double rate(long step) {
            return rate;
        }
    }

    /**
     * Step decay: {@code initial * factor^floor(t / everySteps)}.
     *
     * @param initial the rate of the first {@code everySteps} steps; positive and finite
     * @param factor the multiplier at each drop, in {@code (0, 1]}
     * @param everySteps steps between drops; at least 1
     */
    record StepDecay(double initial, double factor, long everySteps) implements LearningRateSchedule {
        public StepDecay {
            requirePositive(initial, "initial learning rate");
            requireFactor(factor, "factor");
            requireSteps(everySteps, "everySteps");
        }

        @Override
        public double rate(long step) {
            return initial * Math.pow(factor, Math.floorDiv(step, everySteps));
        }
    }

    /**
     * Exponential decay: {@code initial * decayRate^(t / decaySteps)}.
     *
     * @param initial the rate at step 0; positive and finite
     * @param decayRate the factor applied over each {@code decaySteps} steps, in {@code (0, 1]}
     * @param decaySteps steps over which the rate is multiplied by {@code decayRate}; at least 1
     */
    record ExponentialDecay(double initial, double decayRate, long decaySteps) implements LearningRateSchedule {
        public ExponentialDecay {
            requirePositive(initial, "initial learning rate");
            requireFactor(decayRate, "decayRate");
            requireSteps(decaySteps, "decaySteps");
        }

        @Override
        public double rate(long step) {
            return initial * Math.pow(decayRate, (double) step / decaySteps);
        }
    }

    /**
     * Cosine annealing without restarts; see {@link LearningRateSchedule#cosine}.
     *
     * @param initial the rate at step 0; positive and finite
     * @param minimum the rate from step {@code periodSteps} on; in {@code [0, initial]}
     * @param periodSteps steps from {@code initial} to {@code minimum}; at least 1
     */
    record Cosine(double initial, double minimum, long periodSteps) implements LearningRateSchedule {
        public Cosine {
            requirePositive(initial, "initial learning rate");
            if (!(minimum >= 0 && minimum <= initial)) {
                throw new IllegalArgumentException(
                        "minimum learning rate is " + minimum + ", expected a value in [0, " + initial + "]");
            }
            requireSteps(periodSteps, "periodSteps");
        }

        @Override
        public double rate(long step) {
            double progress = Math.min(step, periodSteps) / (double) periodSteps;
            return minimum + (initial - minimum) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }

    /**
     * A linear warm-up followed by another schedule; see {@link LearningRateSchedule#withWarmup}.
     *
     * @param warmupSteps steps of the warm-up; at least 1
     * @param after the schedule that takes over, its step 0 being the first step after warm-up
     */
    record Warmup(long warmupSteps, LearningRateSchedule after) implements LearningRateSchedule {
        public Warmup {
            requireSteps(warmupSteps, "warmupSteps");
            Objects.requireNonNull(after, "after");
        }

        @Override
        public double rate(long step) {
            return step < warmupSteps
                    ? after.rate(0) * (step + 1) / warmupSteps
                    : after.rate(step - warmupSteps);
        }
    }

    private static void requirePositive(double rate, String what) {
        if (!(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " is " + rate + ", expected a positive finite number");
        }
    }

    private static void requireFactor(double factor, String what) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(what + " is " + factor + ", expected a value in (0, 1]");
        }
    }

    private static void requireSteps(long steps, String what) {
        if (steps < 1) {
            throw new IllegalArgumentException(what + " is " + steps + ", expected at least 1");
        }
    }
}
