package dev.chainrule.optim;

import dev.chainrule.kernel.Kernels;
import java.util.Arrays;

/**
 * Stochastic gradient descent, plain or with momentum. With learning rate {@code lr}, momentum
 * {@code mu} and effective gradient {@code g} (see {@link GradientOptimizer}), each parameter
 * {@code w} with velocity {@code v} (initially 0) is updated as
 * <pre>
 *     v = mu * v - lr * g
 *     w = w + v                    classical momentum (plain SGD when mu = 0)
 *     w = w + mu * v - lr * g      Nesterov momentum
 * </pre>
 * The velocity carries the learning rate (the form of Sutskever et al., 2013), so a schedule
 * changes the size of new contributions without rescaling the accumulated velocity. The
 * Nesterov form keeps the parameters at the look-ahead point {@code w + mu * v} of the
 * original formulation: the gradients given are taken there, as the method prescribes.
 *
 * <pre>{@code
 * Sgd.of(0.1)                            // plain
 * Sgd.of(0.1).momentum(0.9)              // classical momentum
 * Sgd.of(0.1).momentum(0.9).nesterov()   // Nesterov momentum
 * }</pre>
 */
public final class Sgd extends ScheduledOptimizer<Sgd> {

    private final double momentum;
    private final boolean nesterov;
    /** The velocities of a {@code double} model's parameters. */
    private double[] velocity;
    /** The velocities of a {@code float} model's parameters. */
    private float[] velocityF;
    /** At least the largest velocity's magnitude; and what it becomes with this step. */
    private double velocityBound;

    private double nextVelocityBound;

    private Sgd(LearningRateSchedule schedule, GradientOptions options, double momentum, boolean nesterov) {
        super(schedule, options);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /** Plain SGD with a constant learning rate, which must be positive and finite. */
    public static Sgd of(double learningRate) {
        return of(LearningRateSchedule.constant(learningRate));
    }

    /** Plain SGD following {@code schedule}. */
    public static Sgd of(LearningRateSchedule schedule) {
        return new Sgd(schedule, GradientOptions.NONE, 0, false);
    }

    /** This optimizer with momentum {@code mu} in {@code [0, 1)}; 0 is plain SGD. */
    public Sgd momentum(double mu) {
        return new Sgd(schedule(), options(), Require.fraction(mu, "momentum"), nesterov);
    }

    /** This optimizer with Nesterov momentum (set the momentum with {@link #momentum(double)}). */
    public Sgd nesterov() {
        return nesterov(true);
    }

    /** This optimizer with Nesterov momentum on or off. */
    public Sgd nesterov(boolean on) {
        return new Sgd(schedule(), options(), momentum, on);
    }

    /** The momentum; 0 for plain SGD. */
    public double momentum() {
        return momentum;
    }

    /** Whether the momentum is Nesterov's. */
    public boolean isNesterov() {
        return nesterov;
    }

    @Override
    Sgd with(LearningRateSchedule schedule) {
        return new Sgd(schedule, options(), momentum, nesterov);
    }

    @Override
    Sgd with(GradientOptions options) {
        return new Sgd(schedule(), options, momentum, nesterov);
    }

    @Override
    void allocateState(int length, boolean floats) {
        velocity = floats ? null : new double[length];
        velocityF = floats ? new float[length] : null;
    }

    @Override
    Object[] stateArrays() {
        if (momentum == 0 && !penalized) {
            return new Object[0]; // plain gradient descent remembers nothing
        }
        return new Object[] {velocityF != null ? velocityF : velocity};
    }

    @Override
    String stateName(int k) {
        return "velocity";
    }

    @Override
    void initializeState() {
        if (velocityF != null) {
            Arrays.fill(velocityF, 0);
        } else {
            Arrays.fill(velocity, 0);
        }
        velocityBound = 0;
    }

    /**
     * Plain: the change is {@code lr * g}. With momentum: {@code |v'| <= mu |v| + lr |g|}, and the
     * change is {@code v'}, or {@code mu v' - lr g} for Nesterov's.
     */
    @Override
    boolean provablyFinite(double gradientBound, double rate, boolean floats) {
        double reach = reach(floats) / 2;
        if (momentum == 0 && !penalized) {
            return rate * gradientBound * SLACK < reach;
        }
        double v = (momentum * velocityBound + rate * gradientBound) * SLACK;
        nextVelocityBound = v;
        double change = nesterov ? (momentum * v + rate * gradientBound) * SLACK : v;
        return v < largest(floats) / 2 && change < reach;
    }

    @Override
    void stepTaken(boolean proved, double[] stateMaxima) {
        if (momentum != 0 || penalized) {
            velocityBound = proved ? nextVelocityBound : stateMaxima[0];
        }
    }

    @Override
    void apply(float[] params, float[] grads, int from, int to, double gradScale, double rate, long step) {
        if (momentum == 0 && !penalized) {
            // plain gradient descent: the velocity would be -rate * g, nothing to remember
            // from is a multiple of every vector width: each value takes the same path as in one call
            Kernels.axpy((float) (-rate * gradScale), grads, from, params, from, to - from);
            return;
        }
        // float arithmetic throughout, which the JIT turns into vector instructions
        float[] velocity = velocityF;
        float scale = (float) gradScale;
        float mu = (float) momentum;
        float lr = (float) rate;
        for (int i = from; i < to; i++) {
            float w = params[i];
            float g = floatGradient(w, grads[i], scale);
            float v = mu * velocity[i] - lr * g;
            velocity[i] = v;
            params[i] = w + (nesterov ? mu * v - lr * g : v);
        }
    }

    @Override
    void apply(double[] params, double[] grads, int from, int to, double gradScale, double rate, long step) {
        double mu = momentum;
        if (mu == 0 && !penalized) {
            double r = rate * gradScale;
            for (int i = from; i < to; i++) {
                params[i] -= r * grads[i];
            }
            return;
        }
        for (int i = from; i < to; i++) {
            double g = gradient(params[i], grads[i], gradScale);
            double v = mu * velocity[i] - rate * g;
            velocity[i] = v;
            params[i] += nesterov ? mu * v - rate * g : v;
        }
    }

    @Override
    public String toString() {
        return "Sgd(" + describeRateAndOptions()
                + (momentum > 0 ? ", momentum=" + momentum : "")
                + (nesterov ? ", nesterov" : "") + ")";
    }
}
