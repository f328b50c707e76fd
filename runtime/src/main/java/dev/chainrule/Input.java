package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the input layer of a {@link Network}: the field's value is the number of values of one
 * sample. Exactly one field must carry it, and it must be the first layer field.
 *
 * <p>An image input also declares its {@link #channels()}, {@link #height()} and {@link
 * #width()}, whose product must be the field's value; a sample is then the image flattened
 * channel by channel, row by row ({@code x[c * height * width + y * width + x]}, PyTorch's
 * {@code CHW} order):
 *
 * <pre>{@code
 * @Input(channels = 1, height = 28, width = 28) int PIXELS = 784;
 * }</pre>
 *
 * <p>A sequence input declares its {@link #steps()} and {@link #features()} per step, whose
 * product must be the field's value; a sample is then the steps one after the other ({@code
 * x[t * features + f]}, PyTorch's {@code batch_first} order), which recurrent layers read:
 *
 * <pre>{@code
 * @Input(steps = 28, features = 28) int ROWS = 784;
 * }</pre>
 *
 * <p>Without them (all 0, the default) the input is a flat vector of features, which only
 * {@link Dense} layers read.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
    /** Channels of an image input (1 for greyscale, 3 for RGB); 0 for a flat input. */
    int channels() default 0;

    /** Rows of an image input; 0 for a flat input. */
    int height() default 0;

    /** Columns of an image input; 0 for a flat input. */
    int width() default 0;

    /** Steps of a sequence input; 0 for a flat input. */
    int steps() default 0;

    /** Values of each step of a sequence input; 0 for a flat input. */
    int features() default 0;
}
