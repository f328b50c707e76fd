package dev.chainrule.optim;

import java.util.Arrays;

/**
 * Adam (Kingma &amp; Ba, 2015), with optional decoupled weight decay (AdamW, Loshchilov &amp;
 * Hutter, 2019). With learning rate {@code lr}, effective gradient {@code g} (see {@link
 * GradientOptimizer}), moments {@code m} and {@code v} (initially 0) and {@code t} the number of
 * this step counting from 1:
 * <pre>
 *     m = beta1 * m + (1 - beta1) * g
 *     v = beta2 * v + (1 - beta2) * g^2
 *     mHat = m / (1 - beta1^t)          bias correction
 *     vHat = v / (1 - beta2^t)
 *     w = w - lr * (mHat / (sqrt(vHat) + epsilon) + weightDecay * w)
 * </pre>
 * Defaults: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}, {@code
 * weightDecay = 0}; {@link #of()} uses {@code lr = 0.001}.
 *
 * <h2>Weight decay versus L2</h2>
 * {@link #l2(double)} adds {@code l2 * w} to the gradient, so the decay passes through the
 * moments and is rescaled per parameter ("Adam with L2"). {@link #weightDecay(double)} instead
 * shrinks each weight directly, outside the moments: the decoupled decay of AdamW (see {@link
 * AdamW}). As in common libraries the decay is multiplied by the learning rate, so a schedule
 * scales both together; the paper's {@code lambda} (with {@code alpha = lr}) is {@code
 * weightDecay * lr}.
 */
public final class Adam extends ScheduledOptimizer<Adam> {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    /** The moments of a {@code double} model's parameters. */
    private double[] firstMoment;

    private double[] secondMoment;
    /** The moments of a {@code float} model's parameters. */
    private float[] firstMomentF;

    private float[] secondMomentF;
    /** At least the largest magnitude of each moment; and what they become with this step. */
    private double firstBound;

    private double secondBound;
    private double nextFirstBound;
    private double nextSecondBound;
    /** This step's bias corrections as factors, {@code 1 / (1 - beta^t)}: one power per step, not per range. */
    private double correction1;

    private double correction2;

    private Adam(
            LearningRateSchedule schedule,
            GradientOptions options,
            double beta1,
            double beta2,
            double epsilon,
            double weightDecay) {
        super(schedule, options);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /** Adam with learning rate 0.001. */
    public static Adam of() {
        return of(1e-3);
    }

    /** Adam with a constant learning rate, which must be positive and finite. */
    public static Adam of(double learningRate) {
        return of(LearningRateSchedule.constant(learningRate));
    }

    /** Adam following {@code schedule}. */
    public static Adam of(LearningRateSchedule schedule) {
        return new Adam(schedule, GradientOptions.NONE, 0.9, 0.999, 1e-8, 0);
    }

    /** This optimizer with decay {@code beta1} in {@code [0, 1)} of the first moment. */
    public Adam beta1(double beta1) {
        return new Adam(schedule(), options(), Require.fraction(beta1, "beta1"), beta2, epsilon, weightDecay);
    }

    /** This optimizer with decay {@code beta2} in {@code [0, 1)} of the second moment. */
    public Adam beta2(double beta2) {
        return new Adam(schedule(), options(), beta1, Require.fraction(beta2, "beta2"), epsilon, weightDecay);
    }

    /** This optimizer with {@code epsilon}, positive, added to the root in the denominator. */
    public Adam epsilon(double epsilon) {
        return new Adam(schedule(), options(), beta1, beta2, Require.positive(epsilon, "epsilon"), weightDecay);
    }

    /** This optimizer with decoupled weight decay {@code decay >= 0} (AdamW); 0 is plain Adam. */
    public Adam weightDecay(double decay) {
        return new Adam(schedule(), options(), beta1, beta2, epsilon, Require.nonNegative(decay, "weight decay"));
    }

    /** The decay of the first moment. */
    public double beta1() {
        return beta1;
    }

    /** The decay of the second moment. */
    public double beta2() {
        return beta2;
    }

    /** The epsilon added to the denominator. */
    public double epsilon() {
        return epsilon;
    }

    /** The decoupled weight decay; 0 for plain Adam. */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    Adam with(LearningRateSchedule schedule) {
        return new Adam(schedule, options(), beta1, beta2, epsilon, weightDecay);
    }

    @Override
    Adam with(GradientOptions options) {
        return new Adam(schedule(), options, beta1, beta2, epsilon, weightDecay);
    }

    @Override
    void allocateState(int length, boolean floats) {
        firstMoment = floats ? null : new double[length];
        secondMoment = floats ? null : new double[length];
        firstMomentF = floats ? new float[length] : null;
        secondMomentF = floats ? new float[length] : null;
    }

    @Override
    Object[] stateArrays() {
        return firstMomentF != null
                ? new Object[] {firstMomentF, secondMomentF}
                : new Object[] {firstMoment, secondMoment};
    }

    @Override
    String stateName(int k) {
        return k == 0 ? "first moment" : "second moment";
    }

    @Override
    void initializeState() {
        if (firstMomentF != null) {
            Arrays.fill(firstMomentF, 0);
            Arrays.fill(secondMomentF, 0);
        } else {
            Arrays.fill(firstMoment, 0);
            Arrays.fill(secondMoment, 0);
        }
        firstBound = 0;
        secondBound = 0;
    }

    /**
     * {@code |m'| <= beta1 |m| + (1 - beta1) |g|}, {@code v' <= beta2 v + (1 - beta2) g^2}; the bias
     * corrections are at most {@code 1 / (1 - beta)}, so the direction is at most {@code |m'| / (1
     * - beta1) / epsilon}. Without weight decay the change is {@code lr} times that. With it, {@code
     * w - lr (direction + decay w)} stays within {@code |w| + lr |direction|} while {@code lr},
     * {@code decay} and their product are at most 1 (no intermediate exceeds {@code |w|} then),
     * which ordinary settings are; others take the guarded path.
     */
    @Override
    boolean provablyFinite(double gradientBound, double rate, boolean floats) {
        double half = largest(floats) / 2;
        double reach = reach(floats) / 2;
        double eps = floats ? (float) epsilon : epsilon;
        double m = (beta1 * firstBound + (1 - beta1) * gradientBound) * SLACK;
        double v = (beta2 * secondBound + (1 - beta2) * gradientBound * gradientBound) * SLACK;
        nextFirstBound = m;
        nextSecondBound = v;
        double corrected = m / (1 - beta1) * SLACK;
        double direction = corrected / eps * SLACK;
        boolean moments = m < half && v / (1 - beta2) * SLACK < half && corrected < half && direction < reach;
        boolean decay = weightDecay == 0 || (rate <= 1 && weightDecay <= 1 && rate * weightDecay <= 1);
        return moments && decay && rate * direction * SLACK < reach;
    }

    @Override
    void stepTaken(boolean proved, double[] stateMaxima) {
        firstBound = proved ? nextFirstBound : stateMaxima[0];
        secondBound = proved ? nextSecondBound : stateMaxima[1];
    }

    @Override
    void beginUpdate(double loss) {
        // the bias corrections as factors: one division per parameter instead of three
        correction1 = 1 / (1 - StrictPower.of(beta1, (double) (steps() + 1)));
        correction2 = 1 / (1 - StrictPower.of(beta2, (double) (steps() + 1)));
    }

    @Override
    void apply(float[] params, float[] grads, int from, int to, double gradScale, double rate, long step) {
        // float arithmetic throughout, which the JIT turns into vector instructions
        float[] first = firstMomentF;
        float[] second = secondMomentF;
        float scale = (float) gradScale;
        float b1 = (float) beta1;
        float c1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float c2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float lr = (float) rate;
        float decay = (float) weightDecay;
        float scale1 = (float) correction1;
        float scale2 = (float) correction2;
        for (int i = from; i < to; i++) {
            float w = params[i];
            float g = floatGradient(w, grads[i], scale);
            float m = b1 * first[i] + c1 * g;
            float v = b2 * second[i] + c2 * (g * g);
            first[i] = m;
            second[i] = v;
            float direction = m * scale1 / ((float) Math.sqrt(v * scale2) + eps);
            params[i] = w - lr * (direction + decay * w);
        }
    }

    @Override
    void apply(double[] params, double[] grads, int from, int to, double gradScale, double rate, long step) {
        double scale1 = correction1;
        double scale2 = correction2;
        for (int i = from; i < to; i++) {
            double w = params[i];
            double g = gradient(w, grads[i], gradScale);
            double m = beta1 * firstMoment[i] + (1 - beta1) * g;
            double v = beta2 * secondMoment[i] + (1 - beta2) * g * g;
            firstMoment[i] = m;
            secondMoment[i] = v;
            double direction = m * scale1 / (Math.sqrt(v * scale2) + epsilon);
            params[i] = w - rate * (direction + weightDecay * w);
        }
    }

    @Override
    String name() {
        return weightDecay > 0 ? "AdamW" : "Adam";
    }

    @Override
    public String toString() {
        return name() + "(" + describeRateAndOptions() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon="
                + epsilon + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "") + ")";
    }
}
