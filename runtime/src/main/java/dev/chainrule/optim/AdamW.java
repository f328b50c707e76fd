package dev.chainrule.optim;

/**
 * AdamW (Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", 2019): {@link Adam}
 * whose weight decay shrinks the weights directly instead of passing through the gradient
 * moments. The factories return an {@link Adam} with {@link Adam#weightDecay(double)} set, so
 * every Adam option applies:
 * <pre>{@code
 * Adam adamW = AdamW.of(1e-3).weightDecay(0.05).beta2(0.98);
 * }</pre>
 * Default weight decay: 0.01.
 */
public final class AdamW {
    /** The default decoupled weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;

    private AdamW() {}

    /** AdamW with learning rate 0.001 and weight decay 0.01. */
    public static Adam of() {
        return of(1e-3);
    }

    /** AdamW with a constant learning rate, which must be positive and finite, and weight decay 0.01. */
    public static Adam of(double learningRate) {
        return Adam.of(learningRate).weightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /** AdamW following {@code schedule}, with weight decay 0.01. */
    public static Adam of(LearningRateSchedule schedule) {
        return Adam.of(schedule).weightDecay(DEFAULT_WEIGHT_DECAY);
    }
}
