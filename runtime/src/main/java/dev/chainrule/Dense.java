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
 * Model} for their place in the parameter array). It reads whatever the layer before writes as
 * flat features: an image channel by channel, a sequence step by step.
 *
 * <p>With {@link #perStep()} it reads a sequence instead and applies the same weights to every
 * step ({@code F} features in, {@code units} out, Keras's {@code TimeDistributed(Dense)}, PyTorch's
 * {@code nn.Linear} on a sequence), writing a sequence of {@code units} per step: many-to-many.
 * Softmax then normalises each step on its own, and as the output layer the loss is averaged
 * over the steps (cross-entropy per step; mean squared error and binary cross-entropy are means
 * over every value already).
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

    /** Whether the layer applies to each step of the sequence it reads, writing a sequence; see above. */
    boolean perStep() default false;
}
