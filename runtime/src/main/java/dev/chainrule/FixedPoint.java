package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A layer with feedback, relaxed to a stable state: the field's value is its number of units.
 * For its input {@code x} (the layer before's output, read flat) its output is the fixed point of
 *
 * <pre>
 * s = f(W s + U x + b)
 * </pre>
 *
 * <p>found by iterating from {@code s = 0} until no unit moves by more than {@link #tolerance()},
 * at most {@link #maxIterations()} times. It is trained by recurrent backpropagation (Almeida
 * 1987, Pineda 1987): at the fixed point the adjoint {@code v = W^T D v + dL/ds}, {@code D} the
 * activation's slopes, is solved by the same kind of iteration (to the same tolerance, relative
 * to {@code dL/ds}), and the parameters' gradients are {@code u = D v} times the input, the state
 * and 1. Memory does not grow with the iterations.
 *
 * <pre>{@code
 * @FixedPoint(tolerance = 1e-6, maxIterations = 200, contraction = 0.9) int ATTRACTOR = 64;
 * }</pre>
 *
 * <p>The iteration converges when the map is a contraction, which holds when every row of
 * {@code W} has an absolute sum below {@code 1 / max f'} (1 for tanh, 4 for sigmoid). The weights
 * start there (each row rescaled to half the bound). With {@link #contraction()} in {@code (0,
 * 1)} training keeps them there: after each step the model's {@code applyConstraints()} rescales
 * every row whose absolute sum exceeds {@code contraction / max f'}. A solve that reaches the
 * iteration limit is never silent: the model counts it (see {@link FixedPointModel}) and the
 * {@code Trainer} reports the count of every epoch.
 *
 * <p>Parameters: the input weights {@code U [units][inputs]}, the recurrent weights {@code W
 * [units][units]}, the biases {@code b [units]}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface FixedPoint {
    /** {@link Activation#TANH} (the default) or {@link Activation#SIGMOID}. */
    Activation activation() default Activation.TANH;

    /** The largest change of any unit, in the last iteration, at which the state counts as a fixed point. */
    double tolerance() default 1e-6;

    /** The most iterations of a solve, forward or adjoint. */
    int maxIterations() default 100;

    /** The contraction factor training keeps the map under, in {@code (0, 1)}; 0 (the default) leaves {@code W} free. */
    double contraction() default 0;
}
