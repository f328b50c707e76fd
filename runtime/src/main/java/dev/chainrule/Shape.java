package dev.chainrule;

/**
 * The shape of the values one layer of a network produces for one sample. Whatever the shape, a
 * layer's values sit in one flat array of {@link #size()} values; the shape says how to read it.
 */
public sealed interface Shape permits Shape.Features, Shape.Image, Shape.Sequence {

    /** Number of values. */
    int size();

    /** A short description, e.g. {@code 64} or {@code 6x28x28}. */
    String describe();

    /** A flat vector of {@code size} features. */
    static Features features(int size) {
        return new Features(size);
    }

    /** An image of {@code channels x height x width} values. */
    static Image image(int channels, int height, int width) {
        return new Image(channels, height, width);
    }

    /** A sequence of {@code steps} steps of {@code features} values each. */
    static Sequence sequence(int steps, int features) {
        return new Sequence(steps, features);
    }

    /** A flat vector of features, as a dense layer reads and writes them. */
    record Features(int size) implements Shape {
        public Features {
            if (size < 1) {
                throw new IllegalArgumentException("a shape has at least one value, got " + size);
            }
        }

        @Override
        public String describe() {
            return Integer.toString(size);
        }
    }

    /**
     * Channels of rows of columns, stored channel by channel and row by row: value {@code (c, y,
     * x)} is at {@code c * height * width + y * width + x} (PyTorch's {@code CHW} order). A dense
     * layer reads an image in this order, as PyTorch's {@code flatten} does.
     */
    record Image(int channels, int height, int width) implements Shape {
        public Image {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("an image has at least one channel, row and column, got " + channels
                        + "x" + height + "x" + width);
            }
            if ((long) channels * height * width > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("an image of " + channels + "x" + height + "x" + width
                        + " values is larger than an array holds");
            }
        }

        @Override
        public int size() {
            return channels * height * width;
        }

        /** Values of one channel: {@code height * width}. */
        public int plane() {
            return height * width;
        }

        @Override
        public String describe() {
            return channels + "x" + height + "x" + width;
        }
    }

    /**
     * Steps of features, stored step by step: feature {@code f} of step {@code t} is at {@code t *
     * features + f} (PyTorch's {@code batch_first} order for one sample). A dense layer reads a
     * sequence in this order, as flat features.
     */
    record Sequence(int steps, int features) implements Shape {
        public Sequence {
            if (steps < 1 || features < 1) {
                throw new IllegalArgumentException(
                        "a sequence has at least one step of one feature, got " + steps + " steps of " + features);
            }
            if ((long) steps * features > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "a sequence of " + steps + " steps of " + features + " values is larger than an array holds");
            }
        }

        @Override
        public int size() {
            return steps * features;
        }

        @Override
        public String describe() {
            return steps + " steps x " + features;
        }
    }
}
