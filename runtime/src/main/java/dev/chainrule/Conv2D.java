package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A two-dimensional convolution of a {@link Network}: the field's value is the number of
 * filters (output channels). It reads an image-shaped layer (an image {@link Input}, another
 * convolution or a pooling layer) of {@code C x H x W} and writes {@code filters x H' x W'}.
 *
 * <pre>{@code
 * @Conv2D(kernel = 5, padding = Padding.SAME, activation = Activation.RELU) int FEATURES_1 = 6;
 * }</pre>
 *
 * <p>Output value {@code (f, y, x)} is {@code b[f] + sum_{c, i, j} W[f][c][i][j] in[c][y s_h + i
 * - p_top][x s_w + j - p_left]}, zeros outside the input (a cross-correlation, as in PyTorch
 * and Keras), then the activation. The layer holds its {@code filters x C x kh x kw} weights in
 * PyTorch's order {@code [filters][channels][kh][kw]}, then its {@code filters} biases (see
 * {@link Model} for the parameter array).
 *
 * <p>Give the kernel as {@link #kernel()} (square) or as {@link #kernelHeight()} and {@link
 * #kernelWidth()}; likewise the stride and the explicit padding. An attribute left at its default
 * takes the value of the square one.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2D {
    /** Height and width of a square kernel; 0 when {@link #kernelHeight()} and {@link #kernelWidth()} give it. */
    int kernel() default 0;

    /** Rows of the kernel; 0 takes {@link #kernel()}. */
    int kernelHeight() default 0;

    /** Columns of the kernel; 0 takes {@link #kernel()}. */
    int kernelWidth() default 0;

    /** Step between kernel positions on both axes. */
    int stride() default 1;

    /** Step between kernel rows; 0 takes {@link #stride()}. */
    int strideHeight() default 0;

    /** Step between kernel columns; 0 takes {@link #stride()}. */
    int strideWidth() default 0;

    /** {@link Padding#VALID} (only the explicit {@link #pad()}) or {@link Padding#SAME}. */
    Padding padding() default Padding.VALID;

    /** Zero rows and columns added on every side with {@link Padding#VALID} (PyTorch's {@code padding}). */
    int pad() default 0;

    /** Zero rows added at the top and at the bottom; -1 takes {@link #pad()}. */
    int padHeight() default -1;

    /** Zero columns added at the left and at the right; -1 takes {@link #pad()}. */
    int padWidth() default -1;

    /** The activation applied to every output value; any but {@link Activation#SOFTMAX}. */
    Activation activation() default Activation.IDENTITY;
}
