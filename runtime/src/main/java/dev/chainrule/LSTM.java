package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A long short-term memory layer of a {@link Network}: the field's value is the number of units.
 * At step {@code t}, PyTorch's {@code nn.LSTM}, with the gates stacked in its order (input,
 * forget, cell, output):
 *
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)        o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c_t = f c_(t-1) + i g                          h_t = o tanh(c_t)
 * </pre>
 *
 * <pre>{@code
 * @LSTM int MEMORY = 128;
 * }</pre>
 *
 * <p>It reads a sequence (a sequence {@link Input} or a recurrent layer with {@code
 * returnSequences = true}) of {@code T} steps of {@code F} features, starts from a zero state and
 * runs over the steps in order. Its parameters are laid out as PyTorch's (see {@link
 * LayerSpec.RecurrentSpec}): input weights {@code [G units][F]}, recurrent weights {@code [G
 * units][units]}, input biases, recurrent biases, so that weights move between the two. The
 * weights start uniform in {@code [-1/sqrt(units), 1/sqrt(units)]}, as PyTorch's, and the biases
 * at 0, except the forget gate's input biases, which start at {@link #forgetBias()}
 * (1, as Keras and Jozefowicz et al. advise, so that the layer remembers from the start).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LSTM {
    /**
     * Whether the layer writes its state at every step, a sequence of {@code units} features per
     * step that another recurrent layer can read, or only its last state ({@code units} features,
     * for a dense layer to read: many-to-one).
     */
    boolean returnSequences() default false;

    /** The initial value of the forget gate's input biases {@code b_if}; 0 gives PyTorch's all-zero start. */
    double forgetBias() default 1;
}
