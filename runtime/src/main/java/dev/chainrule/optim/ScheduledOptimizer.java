package dev.chainrule.optim;

import java.util.Objects;

/**
 * An optimizer driven by a learning rate: a constant, or a {@link LearningRateSchedule}
 * evaluated at {@link #steps()} before each step.
 *
 * @param <O> the concrete optimizer, returned by the fluent options
 */
public abstract sealed class ScheduledOptimizer<O extends ScheduledOptimizer<O>> extends GradientOptimizer<O>
        permits Sgd, Adagrad, RmsProp, Adam {

    private final LearningRateSchedule schedule;
    /** This step's learning rate, from {@link #provablyFinite(double, boolean)}. */
    private double stepRate;

    ScheduledOptimizer(LearningRateSchedule schedule, GradientOptions options) {
        super(options);
        this.schedule = Objects.requireNonNull(schedule, "learning-rate schedule");
    }

    /** A new optimizer like this one, with fresh state, following {@code schedule}. */
    abstract O with(LearningRateSchedule schedule);

    /**
     * Updates {@code params[from, to)} and their state with learning rate {@code rate}, element by
     * element; {@code step} is the number of earlier steps (0 for the first), and {@code
     * gradScale} the clipping factor to pass to {@link #floatGradient(float, float, float)}. Runs on
     * any thread, for disjoint ranges of one step.
     */
    abstract void apply(float[] params, float[] grads, int from, int to, double gradScale, double rate, long step);

    /**
     * Updates {@code double} {@code params[from, to)}; see {@link #apply(float[], float[], int, int,
     * double, double, long)}, with {@link #gradient(double, double, double)} for the effective
     * gradient.
     */
    abstract void apply(double[] params, double[] grads, int from, int to, double gradScale, double rate, long step);

    /**
     * {@link GradientOptimizer#provablyFinite(double, boolean)} at this step's learning rate
     * {@code rate}, finite and at least 0.
     */
    abstract boolean provablyFinite(double gradientBound, double rate, boolean floats);

    /** This optimizer with a constant learning rate, which must be positive and finite. */
    public final O learningRate(double rate) {
        return with(LearningRateSchedule.constant(rate));
    }

    /** This optimizer following {@code schedule}. */
    public final O learningRate(LearningRateSchedule schedule) {
        return with(Objects.requireNonNull(schedule, "learning-rate schedule"));
    }

    /** The learning-rate schedule. */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /** Passes the figure on to the schedule ({@link LearningRateSchedule#observe(double)}). */
    @Override
    public final void observe(double value) {
        schedule.observe(value);
    }

    @Override
    final void resetSchedule() {
        schedule.reset();
    }

    @Override
    final boolean provablyFinite(double gradientBound, boolean floats) {
        stepRate = rate();
        return stepRate < reach(floats) / 2 && provablyFinite(gradientBound, stepRate, floats);
    }

    @Override
    final void update(float[] params, float[] grads, int from, int to, double gradScale, double loss) {
        apply(params, grads, from, to, gradScale, stepRate, steps());
    }

    @Override
    final void update(double[] params, double[] grads, int from, int to, double gradScale, double loss) {
        apply(params, grads, from, to, gradScale, stepRate, steps());
    }

    private double rate() {
        double rate = schedule.rate(steps());
        if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) {
            throw new IllegalStateException("learning-rate schedule " + schedule + " gave " + rate + " at step "
                    + steps() + ", expected a finite rate >= 0");
        }
        return rate;
    }

    /** The schedule and gradient options, for {@link #toString()}. */
    final String describeRateAndOptions() {
        return "learningRate=" + schedule + describeOptions();
    }
}
