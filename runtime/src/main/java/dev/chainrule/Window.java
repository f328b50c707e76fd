package dev.chainrule;

/**
 * How a kernel or pooling window slides along one axis of an image: the arithmetic behind every
 * convolution's and pooling layer's output shape, written once for the processor, the runtime
 * and the generated code's documentation.
 *
 * @param input length of the axis before padding
 * @param kernel length of the kernel or window
 * @param stride step between positions
 * @param padBefore zeros added before the first value (top or left)
 * @param padAfter zeros added after the last value (bottom or right)
 */
public record Window(int input, int kernel, int stride, int padBefore, int padAfter) {

    public Window {
        if (input < 1 || kernel < 1 || stride < 1 || padBefore < 0 || padAfter < 0) {
            throw new IllegalArgumentException("impossible window: input " + input + ", kernel " + kernel + ", stride "
                    + stride + ", padding " + padBefore + " and " + padAfter);
        }
    }

    /** {@code pad} zeros on both sides ({@link Padding#VALID} with an explicit pad, or none). */
    public static Window valid(int input, int kernel, int stride, int pad) {
        return new Window(input, kernel, stride, pad, pad);
    }

    /**
     * {@link Padding#SAME}: the output is {@code ceil(input / stride)} long, and the zeros it takes,
     * {@code max((out - 1) stride + kernel - input, 0)}, are split with the odd one after.
     */
    public static Window same(int input, int kernel, int stride) {
        int out = (input + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - input, 0);
        return new Window(input, kernel, stride, total / 2, total - total / 2);
    }

    /** The padded length: {@code input + padBefore + padAfter}. */
    public long padded() {
        return (long) input + padBefore + padAfter;
    }

    /** Whether the kernel fits in the padded input at least once. */
    public boolean fits() {
        return kernel <= padded();
    }

    /** Number of positions: {@code floor((padded - kernel) / stride) + 1}; only when it {@link #fits()}. */
    public int output() {
        if (!fits()) {
            throw new IllegalStateException("a kernel of " + kernel + " does not fit in " + padded() + " values");
        }
        return (int) ((padded() - kernel) / stride) + 1;
    }

    /** Padded values after the last position that no kernel position reads. */
    public int unread() {
        return (int) ((padded() - kernel) % stride);
    }
}
