package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network whose code Chainrule generates at compile time.
 *
 * <p>Put it on an interface whose fields are the layers, in order: one {@link Input} first,
 * then one or more {@link Dense} layers. Each field's value is the layer's size, a compile-time
 * constant the whole program can use:
 *
 * <pre>{@code
 * @Network(loss = Loss.CROSS_ENTROPY)
 * public interface FraudScorer {
 *     @Input                                  int FEATURES = 32;
 *     @Dense(activation = Activation.RELU)    int HIDDEN   = 64;
 *     @Dense(activation = Activation.SOFTMAX) int CLASSES  = 2;
 * }
 * }</pre>
 *
 * <p>The annotation processor generates, in the same package, a final class named after the
 * interface with {@code Model} appended ({@code FraudScorerModel}; for a nested interface
 * {@code Outer.Scorer} it is {@code Outer_ScorerModel}). The class implements the interface and
 * {@link FloatModel} (or {@link DoubleModel} when {@link #precision()} is {@link
 * Precision#DOUBLE}).
 *
 * <p>Fields without a layer annotation are ordinary constants and take no part in the network.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {
    /**
     * The loss the generated training methods minimise; {@link Loss#MSE} if not given. A {@code
     * SOFTMAX} output left with that default draws a compile-time warning: give {@link
     * Loss#CROSS_ENTROPY} for classes, or write {@code loss = Loss.MSE} to mean it.
     */
    Loss loss() default Loss.MSE;

    /** The floating-point type of parameters, activations and gradients. */
    Precision precision() default Precision.FLOAT;
}
