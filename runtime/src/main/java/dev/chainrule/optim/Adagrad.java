package dev.chainrule.optim;

import java.util.Arrays;

/**
 * Adagrad (Duchi, Hazan &amp; Singer, 2011): each parameter's rate shrinks with the sum of its
 * squared gradients. With learning rate {@code lr}, effective gradient {@code g} (see {@link
 * GradientOptimizer}) and accumulator {@code s} (initially 0):
 * <pre>
 *     s = s + g^2
 *     w = w - lr * g / (sqrt(s) + epsilon)
 * </pre>
 * Defaults: {@code epsilon = 1e-10}; {@link #of()} uses {@code lr = 0.01}.
 */
public final class Adagrad extends ScheduledOptimizer<Adagrad> {

    private final double epsilon;
    /** The sums of squared gradients of a {@code double} model. */
    private double[] sumOfSquares;
    /** The sums of squared gradients of a {@code float} model. */
    private float[] sumOfSquaresF;
    /** At least the largest sum; and what it becomes with this step. */
    private double sumBound;

    private double nextSumBound;

    private Adagrad(LearningRateSchedule schedule, GradientOptions options, double epsilon) {
        super(schedule, options);
        this.epsilon = epsilon;
    }

    /** Adagrad with learning rate 0.01. */
    public static Adagrad of() {
        return of(0.01);
    }

    /** Adagrad with a constant learning rate, which must be positive and finite. */
    public static Adagrad of(double learningRate) {
        return of(LearningRateSchedule.constant(learningRate));
    }

    /** Adagrad following {@code schedule}. */
    public static Adagrad of(LearningRateSchedule schedule) {
        return new Adagrad(schedule, GradientOptions.NONE, 1e-10);
    }

    /** This optimizer with {@code epsilon}, positive, added to the root in the denominator. */
    public Adagrad epsilon(double epsilon) {
        return new Adagrad(schedule(), options(), Require.positive(epsilon, "epsilon"));
    }

    /** The epsilon added to the denominator. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    Adagrad with(LearningRateSchedule schedule) {
        return new Adagrad(schedule, options(), epsilon);
    }

    @Override
    Adagrad with(GradientOptions options) {
        return new Adagrad(schedule(), options, epsilon);
    }

    @Override
    void allocateState(int length, boolean floats) {
        sumOfSquares = floats ? null : new double[length];
        sumOfSquaresF = floats ? new float[length] : null;
    }

    @Override
    Object[] stateArrays() {
        return new Object[] {sumOfSquaresF != null ? sumOfSquaresF : sumOfSquares};
    }

    @Override
    String stateName(int k) {
        return "sum of squared gradients";
    }

    @Override
    void initializeState() {
        if (sumOfSquaresF != null) {
            Arrays.fill(sumOfSquaresF, 0);
        } else {
            Arrays.fill(sumOfSquares, 0);
        }
        sumBound = 0;
    }

    /** {@code s' <= s + g^2}; the change {@code lr g / (sqrt(s') + epsilon)} is at most {@code lr |g| / epsilon}. */
    @Override
    boolean provablyFinite(double gradientBound, double rate, boolean floats) {
        double eps = floats ? (float) epsilon : epsilon;
        double s = (sumBound + gradientBound * gradientBound) * SLACK;
        nextSumBound = s;
        return s < largest(floats) / 2 && rate * gradientBound / eps * SLACK < reach(floats) / 2;
    }

    @Override
    void stepTaken(boolean proved, double[] stateMaxima) {
        sumBound = proved ? nextSumBound : stateMaxima[0];
    }

    @Override
    void apply(float[] params, float[] grads, int from, int to, double gradScale, double rate, long step) {
        // float arithmetic throughout, which the JIT turns into vector instructions
        float[] sums = sumOfSquaresF;
        float scale = (float) gradScale;
        float eps = (float) epsilon;
        float lr = (float) rate;
        for (int i = from; i < to; i++) {
            float w = params[i];
            float g = floatGradient(w, grads[i], scale);
            float s = sums[i] + g * g;
            sums[i] = s;
            params[i] = w - lr * g / ((float) Math.sqrt(s) + eps);
        }
    }

    @Override
    void apply(double[] params, double[] grads, int from, int to, double gradScale, double rate, long step) {
        for (int i = from; i < to; i++) {
            double g = gradient(params[i], grads[i], gradScale);
            double s = sumOfSquares[i] + g * g;
            sumOfSquares[i] = s;
            params[i] -= rate * g / (Math.sqrt(s) + epsilon);
        }
    }

    @Override
    public String toString() {
        return "Adagrad(" + describeRateAndOptions() + ", epsilon=" + epsilon + ")";
    }
}
