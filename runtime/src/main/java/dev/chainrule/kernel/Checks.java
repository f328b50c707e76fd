package dev.chainrule.kernel;

/**
 * Argument checks with messages that say what was expected and what was given. Generated code
 * calls these on entry to every public method.
 */
public final class Checks {
    private Checks() {}

    /** Throws unless {@code actual == expected}. */
    public static void length(int actual, int expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has length " + actual + ", expected " + expected);
        }
    }

    /** Throws unless {@code [offset, offset + count)} lies inside an array of {@code length}. */
    public static void range(int length, int offset, int count, String what) {
        if (offset < 0 || offset > length - count) {
            throw new IllegalArgumentException(
                    what + " needs " + count + " values from offset " + offset + " but has length " + length);
        }
    }

    /**
     * Throws unless {@code rows} is at least 1 and {@code rows} rows of {@code width} values fit
     * in an array of {@code length} from {@code offset}.
     */
    public static void rowsAt(int length, int offset, int rows, int width, String what) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows is " + rows + ", expected at least 1");
        }
        long needed = (long) rows * width;
        if (offset < 0 || offset + needed > length) {
            throw new IllegalArgumentException(what + " needs " + rows + " rows of " + width + " values from offset "
                    + offset + " but has length " + length);
        }
    }

    /**
     * Throws unless {@code rows >= 1} and the array holds {@code rows} rows of {@code width}. A
     * longer array passes: mini-batch buffers are sized for a full batch and reused for the
     * shorter last batch of an epoch, so the length cannot tell a wrong width from spare room.
     * {@link #batch} checks the widths themselves where they are known.
     */
    public static void rows(int length, int rows, int width, String what) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows is " + rows + ", expected at least 1");
        }
        long needed = (long) rows * width;
        if (length < needed) {
            throw new IllegalArgumentException(what + " has length " + length + ", expected at least " + needed + " ("
                    + rows + " rows of " + width + ")");
        }
    }

    /**
     * Throws unless a mini-batch has rows and its rows have the model's widths: {@code features}
     * per row equal to {@code inputSize} and, unless {@code targets} is negative (prediction, which
     * reads no targets), {@code targets} per row equal to {@code outputSize}.
     */
    public static void batch(int rows, int features, int targets, int inputSize, int outputSize) {
        if (features != inputSize) {
            throw new IllegalArgumentException("the batch has " + features + " features per row but the model takes "
                    + inputSize + (inputSize == 1 ? " input" : " inputs"));
        }
        if (targets >= 0 && targets != outputSize) {
            throw new IllegalArgumentException("the batch has " + targets + " targets per row but the model has "
                    + outputSize + (outputSize == 1 ? " output" : " outputs") + oneOutputHint(targets, outputSize));
        }
        if (rows < 1) {
            throw new IllegalArgumentException("the batch is empty: use it after next() returned true, not after"
                    + " the false that ends an epoch");
        }
    }

    /**
     * For rows of two targets given to a model of one output, typically one-hot targets of two
     * classes for a sigmoid: how to get one 0/1 target instead; otherwise "".
     */
    public static String oneOutputHint(int targets, int outputSize) {
        return targets == 2 && outputSize == 1
                ? " (one-hot targets for a single output? give one 0/1 target per row instead,"
                        + " e.g. with Csv.binaryLabelColumn)"
                : "";
    }

    /** Throws if one of {@code a[offset .. offset + count)} is NaN or infinite. */
    public static void finite(float[] a, int offset, int count, String what) {
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(a[offset + i])) {
                throw notFinite(a[offset + i], i, what);
            }
        }
    }

    /** Throws if one of {@code a[offset .. offset + count)} is NaN or infinite. */
    public static void finite(double[] a, int offset, int count, String what) {
        for (int i = 0; i < count; i++) {
            if (!Double.isFinite(a[offset + i])) {
                throw notFinite(a[offset + i], i, what);
            }
        }
    }

    /**
     * Throws if one of the weights {@code a[offset .. offset + count)} is NaN, infinite or
     * negative: {@code what[i] is -1.0, expected a finite weight of at least 0}.
     */
    public static void weights(float[] a, int offset, int count, String what) {
        for (int i = 0; i < count; i++) {
            float w = a[offset + i];
            if (!(Float.isFinite(w) && w >= 0)) {
                throw notWeight(w, i, what);
            }
        }
    }

    /** Throws if one of the weights {@code a[offset .. offset + count)} is NaN, infinite or negative. */
    public static void weights(double[] a, int offset, int count, String what) {
        for (int i = 0; i < count; i++) {
            double w = a[offset + i];
            if (!(Double.isFinite(w) && w >= 0)) {
                throw notWeight(w, i, what);
            }
        }
    }

    private static IllegalArgumentException notWeight(double value, int index, String what) {
        return new IllegalArgumentException(
                what + "[" + index + "] is " + value + ", expected a finite weight of at least 0");
    }

    /**
     * Throws if {@code value} is NaN or infinite: {@code what is NaN, expected a finite number}.
     * Takes float values too (widening keeps NaN and the infinities as they are).
     */
    public static void finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " is " + value + ", expected a finite number");
        }
    }

    private static IllegalArgumentException notFinite(double value, int index, String what) {
        return new IllegalArgumentException(what + "[" + index + "] is " + value + ", expected a finite number");
    }
}
