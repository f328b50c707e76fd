package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Global average pooling: the mean of each channel of an image-shaped layer, so {@code C x H x W}
 * becomes {@code C} values (PyTorch's {@code AdaptiveAvgPool2d(1)} then flatten, Keras's {@code
 * GlobalAveragePooling2D}). The field's value is the number of channels, which must equal the
 * channels of the layer before. The layer has no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface GlobalAvgPool2D {}
