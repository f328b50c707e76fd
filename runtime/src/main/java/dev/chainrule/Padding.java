package dev.chainrule;

/** How a {@link Conv2D} layer pads its input with zeros before sliding its kernel over it. */
public enum Padding {
    /**
     * No padding beyond the explicit {@link Conv2D#pad()} (0 by default): the kernel stays inside
     * the (padded) input, so the output is {@code floor((in + 2 pad - kernel) / stride) + 1} long
     * on each axis (PyTorch's {@code padding=pad}, Keras's {@code "valid"} when {@code pad} is 0).
     */
    VALID,
    /**
     * Enough zeros that the output is {@code ceil(in / stride)} long on each axis, the extra one
     * of an odd total at the bottom and right (Keras's and TensorFlow's {@code "same"}; with
     * stride 1, PyTorch's {@code padding="same"}).
     */
    SAME;

    /** The lower-case name used in messages and descriptions, e.g. {@code same}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
