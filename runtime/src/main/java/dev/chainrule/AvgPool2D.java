package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Avg pooling over windows of an image-shaped layer: each output value is the mean of one
 * channel's values under a {@code window} that moves by {@code stride}. The field's value is the
 * number of channels, which pooling keeps: it must equal the channels of the layer before. A
 * {@code C x H x W} input gives {@code C x H' x W'} with {@code H' = floor((H - window) / stride)
 * + 1} (rows past the last whole window are not read, as in PyTorch and Keras). The layer has no
 * parameters.
 *
 * <pre>{@code
 * @AvgPool2D(window = 2) int POOLED_1 = 6;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AvgPool2D {
    /** Height and width of a square window; 0 when {@link #windowHeight()} and {@link #windowWidth()} give it. */
    int window() default 0;

    /** Rows of the window; 0 takes {@link #window()}. */
    int windowHeight() default 0;

    /** Columns of the window; 0 takes {@link #window()}. */
    int windowWidth() default 0;

    /** Step between windows on both axes; 0, the default, takes the window's size on each axis. */
    int stride() default 0;

    /** Step between window rows; 0 takes {@link #stride()}. */
    int strideHeight() default 0;

    /** Step between window columns; 0 takes {@link #stride()}. */
    int strideWidth() default 0;
}
