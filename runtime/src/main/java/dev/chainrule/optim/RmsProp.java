package dev.chainrule.optim;

import java.util.Arrays;

/**
 * RMSprop (Hinton, 2012): each parameter's rate is divided by a running root mean square of its
 * gradients. With learning rate {@code lr}, decay {@code rho}, effective gradient {@code g} (see
 * {@link GradientOptimizer}) and mean square {@code s} (initially 0):
 * <pre>
 *     s = rho * s + (1 - rho) * g^2
 *     w = w - lr * g / (sqrt(s) + epsilon)
 * </pre>
 * Defaults: {@code rho = 0.9}, {@code epsilon = 1e-8}; {@link #of()} uses {@code lr = 0.001}.
 */
public final class RmsProp extends ScheduledOptimizer<RmsProp> {

    private final double rho;
    private final double epsilon;
    /** The running mean of squared gradients of a {@code double} model. */
    private double[] meanSquare;
    /** The running mean of squared gradients of a {@code float} model. */
    private float[] meanSquareF;
    /** At least the largest mean square; and what it becomes with this step. */
    private double meanSquareBound;

    private double nextMeanSquareBound;

    private RmsProp(LearningRateSchedule schedule, GradientOptions options, double rho, double epsilon) {
        super(schedule, options);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    /** RMSprop with learning rate 0.001. */
    public static RmsProp of() {
        return of(1e-3);
    }

    /** RMSprop with a constant learning rate, which must be positive and finite. */
    public static RmsProp of(double learningRate) {
        return of(LearningRateSchedule.constant(learningRate));
    }

    /** RMSprop following {@code schedule}. */
    public static RmsProp of(LearningRateSchedule schedule) {
        return new RmsProp(schedule, GradientOptions.NONE, 0.9, 1e-8);
    }

    /** This optimizer with decay {@code rho} in {@code [0, 1)} of the mean square. */
    public RmsProp rho(double rho) {
        return new RmsProp(schedule(), options(), Require.fraction(rho, "rho"), epsilon);
    }

    /** This optimizer with {@code epsilon}, positive, added to the root in the denominator. */
    public RmsProp epsilon(double epsilon) {
        return new RmsProp(schedule(), options(), rho, Require.positive(epsilon, "epsilon"));
    }

    /** The decay of the mean square. */
    public double rho() {
        return rho;
    }

    /** The epsilon added to the denominator. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    RmsProp with(LearningRateSchedule schedule) {
        return new RmsProp(schedule, options(), rho, epsilon);
    }

    @Override
    RmsProp with(GradientOptions options) {
        return new RmsProp(schedule(), options, rho, epsilon);
    }

    @Override
    void allocateState(int length, boolean floats) {
        meanSquare = floats ? null : new double[length];
        meanSquareF = floats ? new float[length] : null;
    }

    @Override
    Object[] stateArrays() {
        return new Object[] {meanSquareF != null ? meanSquareF : meanSquare};
    }

    @Override
    String stateName(int k) {
        return "mean square";
    }

    @Override
    void initializeState() {
        if (meanSquareF != null) {
            Arrays.fill(meanSquareF, 0);
        } else {
            Arrays.fill(meanSquare, 0);
        }
        meanSquareBound = 0;
    }

    /**
     * {@code s' <= rho s + (1 - rho) g^2}; the change {@code lr g / (sqrt(s') + epsilon)} is at most
     * {@code lr |g| / epsilon}. The float update squares {@code g} before it scales the square by
     * {@code 1 - rho}, so the square itself must be finite too: with {@code rho = 0.9}, a gradient
     * of 1.9e19 squares past the largest float while a tenth of its square is below half of it.
     * (The double update scales first; there the bound only guards gradients beyond 1e154.)
     */
    @Override
    boolean provablyFinite(double gradientBound, double rate, boolean floats) {
        double eps = floats ? (float) epsilon : epsilon;
        double square = gradientBound * gradientBound * SLACK;
        double s = (rho * meanSquareBound + (1 - rho) * gradientBound * gradientBound) * SLACK;
        nextMeanSquareBound = s;
        return s < largest(floats) / 2
                && square < largest(floats)
                && rate * gradientBound / eps * SLACK < reach(floats) / 2;
    }

    @Override
    void stepTaken(boolean proved, double[] stateMaxima) {
        meanSquareBound = proved ? nextMeanSquareBound : stateMaxima[0];
    }

    @Override
    void apply(float[] params, float[] grads, int from, int to, double gradScale, double rate, long step) {
        // float arithmetic throughout, which the JIT turns into vector instructions
        float[] meanSquare = meanSquareF;
        float scale = (float) gradScale;
        float decay = (float) rho;
        float keep = (float) (1 - rho);
        float eps = (float) epsilon;
        float lr = (float) rate;
        for (int i = from; i < to; i++) {
            float w = params[i];
            float g = floatGradient(w, grads[i], scale);
            float s = decay * meanSquare[i] + keep * (g * g);
            meanSquare[i] = s;
            params[i] = w - lr * g / ((float) Math.sqrt(s) + eps);
        }
    }

    @Override
    void apply(double[] params, double[] grads, int from, int to, double gradScale, double rate, long step) {
        for (int i = from; i < to; i++) {
            double g = gradient(params[i], grads[i], gradScale);
            double s = rho * meanSquare[i] + (1 - rho) * g * g;
            meanSquare[i] = s;
            params[i] -= rate * g / (Math.sqrt(s) + epsilon);
        }
    }

    @Override
    public String toString() {
        return "RmsProp(" + describeRateAndOptions() + ", rho=" + rho + ", epsilon=" + epsilon + ")";
    }
}
