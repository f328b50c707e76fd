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
 *
 * <h2>Schedules that adapt</h2>
 * A schedule may also follow how training goes: {@link #reduceOnPlateau} lowers the rate when
 * the figure it is told after each epoch stops improving. The training loop tells the optimizer
 * ({@link Optimizer#observe(double)}), which passes the figure on to its schedule's {@link
 * #observe(double)}; {@code Trainer} does so after every epoch with the figure it monitors, and
 * {@link Optimizer#reset()} brings the schedule back to its start through {@link #reset()}. The
 * fixed schedules ignore both.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The rate of the step taken after {@code step} earlier steps ({@code step >= 0}). */
    double rate(long step);

    /**
     * Takes the figure of an epoch that has just ended, oriented so that lower is better (a loss;
     * a figure where higher is better, such as accuracy, negated). This default ignores it.
     */
    default void observe(double value) {}

    /** Forgets what {@link #observe(double)} learned, as before the first epoch. This default does nothing. */
    default void reset() {}

    /**
     * This schedule preceded by a linear warm-up of {@code warmupSteps} steps: step {@code t <
     * warmupSteps} has rate {@code this.rate(0) * (t + 1) / warmupSteps}, and step {@code t >=
     * warmupSteps} has rate {@code this.rate(t - warmupSteps)}, so this schedule starts its clock
     * when the warm-up ends.
     */
    default LearningRateSchedule withWarmup(long warmupSteps) {
        return new Warmup(warmupSteps, this);
    }

    /**
     * This schedule joined {@code steps} steps in: step {@code t} has rate {@code this.rate(t +
     * steps)}. For an optimizer that takes over a run part-way, such as a new optimizer for each
     * round of local steps that should follow one schedule over the whole run, or training resumed
     * after {@code steps} steps. Observations and resets pass through to this schedule.
     *
     * @param steps the steps already taken, at least 0
     */
    default LearningRateSchedule startingAt(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps is " + steps + ", expected at least 0");
        }
        return steps == 0 ? this : new Joined(steps, this);
    }

    /**
     * {@code initial} until the observed figure has not improved by more than {@code minDelta}
     * (0 unless set; see {@link ReduceOnPlateau}) for {@code patience} epochs, then {@code factor}
     * times less, and so on, never below a minimum (0 unless set): PyTorch's and Keras's reduce
     * on plateau. It holds state, so give each optimizer its own.
     *
     * <pre>{@code
     * var plateau = LearningRateSchedule.reduceOnPlateau(1e-3, 0.5, 5).minimum(1e-6);
     * Trainer.of(model).optimizer(Adam.of(plateau)).validation(validationData).fit(train);
     * }</pre>
     */
    static ReduceOnPlateau reduceOnPlateau(double initial, double factor, int patience) {
        return new ReduceOnPlateau(initial, factor, patience, 0, 0);
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
            return initial * StrictPower.of(factor, (double) Math.floorDiv(step, everySteps));
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
            return initial * StrictPower.of(decayRate, (double) step / decaySteps);
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
            return minimum + (initial - minimum) * 0.5 * (1 + cosPi(progress));
        }

        /**
         * {@code cos(pi p)} for {@code p} in {@code [0, 1]}, as {@code sin(pi (1/2 - p))}, by the
         * Taylor polynomials of sine or cosine on {@code [-pi/4, pi/4]} (within {@code 4e-16} of
         * {@code StrictMath.cos(Math.PI * p)}, {@code CosPiTest}): plain arithmetic, so the same bits on every JVM, and no allocation, unlike
         * {@code StrictMath.cos}, which allocates an array on every call from JDK 21 on, and
         * {@code Math.cos}, whose intrinsic may round differently from one JDK or CPU to another.
         * Exact at 0, 1/2 and 1.
         */
        static double cosPi(double p) {
            double r = 0.5 - p;
            if (Math.abs(r) <= 0.25) {
                double x = Math.PI * r;
                double x2 = x * x;
                return x
                        * (1
                                + x2
                                        * (-1.0 / 6
                                                + x2
                                                        * (1.0 / 120
                                                                + x2
                                                                        * (-1.0 / 5040
                                                                                + x2
                                                                                        * (1.0 / 362880
                                                                                                + x2
                                                                                                        * (-1.0
                                                                                                                        / 39916800
                                                                                                                + x2
                                                                                                                        * (1.0
                                                                                                                                        / 6227020800L
                                                                                                                                + x2
                                                                                                                                        * (-1.0
                                                                                                                                                        / 1307674368000L
                                                                                                                                                + x2
                                                                                                                                                        * (1.0
                                                                                                                                                                / 355687428096000L)))))))));
            }
            double x = Math.PI * (0.5 - Math.abs(r));
            double x2 = x * x;
            double c = 1
                    + x2
                            * (-1.0 / 2
                                    + x2
                                            * (1.0 / 24
                                                    + x2
                                                            * (-1.0 / 720
                                                                    + x2
                                                                            * (1.0 / 40320
                                                                                    + x2
                                                                                            * (-1.0 / 3628800
                                                                                                    + x2
                                                                                                            * (1.0
                                                                                                                            / 479001600
                                                                                                                    + x2
                                                                                                                            * (-1.0
                                                                                                                                            / 87178291200L
                                                                                                                                    + x2
                                                                                                                                            * (1.0
                                                                                                                                                            / 20922789888000L
                                                                                                                                                    + x2
                                                                                                                                                            * (-1.0
                                                                                                                                                                    / 6402373705728000L)))))))));
            return r < 0 ? -c : c;
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
            return step < warmupSteps ? after.rate(0) * (step + 1) / warmupSteps : after.rate(step - warmupSteps);
        }

        @Override
        public void observe(double value) {
            after.observe(value);
        }

        @Override
        public void reset() {
            after.reset();
        }
    }

    /** Another schedule joined part-way; see {@link LearningRateSchedule#startingAt(long)}. */
    record Joined(long steps, LearningRateSchedule from) implements LearningRateSchedule {
        public Joined {
            Objects.requireNonNull(from, "from");
        }

        @Override
        public double rate(long step) {
            return from.rate(step + steps);
        }

        @Override
        public void observe(double value) {
            from.observe(value);
        }

        @Override
        public void reset() {
            from.reset();
        }
    }

    /**
     * A rate that drops by {@code factor} when the observed figure stops improving; see {@link
     * LearningRateSchedule#reduceOnPlateau}. An epoch improves when its figure is below the best
     * so far by more than {@code minDelta}; after {@code patience} epochs in a row that do not,
     * the rate becomes {@code max(rate * factor, minimum)} and the count starts again. A NaN
     * figure does not improve. The configuration is immutable ({@link #minDelta(double)} and
     * {@link #minimum(double)} return new schedules); the rate, the best figure and the count
     * are state, which {@link #reset()} clears. Observing and {@link #rate(long)} allocate
     * nothing. Not safe for concurrent use.
     */
    final class ReduceOnPlateau implements LearningRateSchedule {
        private final double initial;
        private final double factor;
        private final int patience;
        private final double minDelta;
        private final double minimum;
        private double rate;
        private double best;
        private int epochsWithoutGain;
        private int reductions;

        ReduceOnPlateau(double initial, double factor, int patience, double minDelta, double minimum) {
            requirePositive(initial, "initial learning rate");
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("factor is " + factor + ", expected a value in (0, 1)");
            }
            requireSteps(patience, "patience");
            if (!(minDelta >= 0 && minDelta < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("minDelta is " + minDelta + ", expected a finite number at least 0");
            }
            if (!(minimum >= 0 && minimum <= initial)) {
                throw new IllegalArgumentException(
                        "minimum learning rate is " + minimum + ", expected a value in [0, " + initial + "]");
            }
            this.initial = initial;
            this.factor = factor;
            this.patience = patience;
            this.minDelta = minDelta;
            this.minimum = minimum;
            reset();
        }

        /** This schedule, with fresh state, counting only a gain of more than {@code delta} ({@code >= 0}). */
        public ReduceOnPlateau minDelta(double delta) {
            return new ReduceOnPlateau(initial, factor, patience, delta, minimum);
        }

        /** This schedule, with fresh state, never going below {@code rate} (in {@code [0, initial]}). */
        public ReduceOnPlateau minimum(double rate) {
            return new ReduceOnPlateau(initial, factor, patience, minDelta, rate);
        }

        @Override
        public double rate(long step) {
            return rate;
        }

        @Override
        public void observe(double value) {
            if (value < best - minDelta || (Double.isNaN(best) && !Double.isNaN(value))) {
                best = value;
                epochsWithoutGain = 0;
                return;
            }
            if (++epochsWithoutGain >= patience) {
                double lower = Math.max(rate * factor, minimum);
                if (lower < rate) {
                    rate = lower;
                    reductions++;
                }
                epochsWithoutGain = 0;
            }
        }

        @Override
        public void reset() {
            rate = initial;
            best = Double.NaN;
            epochsWithoutGain = 0;
            reductions = 0;
        }

        /** The rate now: the initial rate times {@code factor} once per reduction, but at least the minimum. */
        public double currentRate() {
            return rate;
        }

        /** How many times the rate has been lowered since construction or the last {@link #reset()}. */
        public int reductions() {
            return reductions;
        }

        /** The best figure observed so far, or NaN before the first. */
        public double best() {
            return best;
        }

        @Override
        public String toString() {
            return "ReduceOnPlateau[initial=" + initial + ", factor=" + factor + ", patience=" + patience
                    + ", minDelta=" + minDelta + ", minimum=" + minimum + ", rate=" + rate + "]";
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
