package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer of a {@link Network}: the field's value is the number of units.
 *
 * <p>With {@code n} inputs and {@code m} units it computes {@code z = W^T x + b} and
 * {@code a = activation(z)}, holding {@code n * m} weights and {@code m} biases (see {@link
 * Model} for their place in the parameter array).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {
    /** The activation applied to the layer's pre-activation {@code z}. */
    Activation activation() default Activation.IDENTITY;

    /**
     * The fraction of this layer's outputs dropped in training mode (inverted dropout: each
     * output is kept with probability {@code 1 - dropout} and then scaled by {@code 1 / (1 -
     * dropout)}, so inference needs no rescaling). In {@code [0, 1)}; 0, the default, means no
     * dropout. Not allowed on the output layer. See {@link Model#setTraining(boolean)}.
     */
    double dropout() default 0;
}
