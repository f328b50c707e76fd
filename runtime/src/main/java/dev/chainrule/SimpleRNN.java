package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A simple (Elman) recurrent layer of a {@link Network}: the field's value is the number of
 * units. At step {@code t} it computes {@code h_t = f(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)},
 * PyTorch's {@code nn.RNN}, with {@code f} tanh or relu.
 *
 * <pre>{@code
 * @SimpleRNN(returnSequences = true) int STATE = 32;
 * }</pre>
 *
 * <p>It reads a sequence (a sequence {@link Input} or a recurrent layer with {@code
 * returnSequences = true}) of {@code T} steps of {@code F} features, starts from a zero state and
 * runs over the steps in order. Its parameters are laid out as PyTorch's (see {@link
 * LayerSpec.RecurrentSpec}): input weights {@code [G units][F]}, recurrent weights {@code [G
 * units][units]}, input biases, recurrent biases, so that weights move between the two. The
 * weights start uniform in {@code [-1/sqrt(units), 1/sqrt(units)]}, as PyTorch's, and the biases
 * at 0.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface SimpleRNN {
    /** {@link Activation#TANH} (the default) or {@link Activation#RELU}, PyTorch's {@code nonlinearity}. */
    Activation activation() default Activation.TANH;

    /**
     * Whether the layer writes its state at every step, a sequence of {@code units} features per
     * step that another recurrent layer can read, or only its last state ({@code units} features,
     * for a dense layer to read: many-to-one).
     */
    boolean returnSequences() default false;
}
