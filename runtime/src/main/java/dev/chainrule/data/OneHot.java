package dev.chainrule.data;

/**
 * One-hot targets from class indices, and back: class {@code c} of {@code k} becomes {@code k}
 * values, 1 at position {@code c} and 0 elsewhere. {@link #argmax} and {@link #classOf} read the
 * class a row of model outputs predicts; the models' {@code predictClass} uses them.
 */
public final class OneHot {
    private OneHot() {}

    /**
     * One-hot rows for every label, row after row ({@code labels.length * classCount} values).
     *
     * @throws IllegalArgumentException naming the first label outside {@code 0 .. classCount-1}
     */
    public static float[] encode(int[] labels, int classCount) {
        AbstractDataset.checkLabels(labels, labels.length, classCount);
        float[] targets = new float[Math.multiplyExact(labels.length, classCount)];
        for (int r = 0; r < labels.length; r++) {
            targets[r * classCount + labels[r]] = 1f;
        }
        return targets;
    }

    /** Like {@link #encode(int[], int)}, in double. */
    public static double[] encodeDouble(int[] labels, int classCount) {
        AbstractDataset.checkLabels(labels, labels.length, classCount);
        double[] targets = new double[Math.multiplyExact(labels.length, classCount)];
        for (int r = 0; r < labels.length; r++) {
            targets[r * classCount + labels[r]] = 1d;
        }
        return targets;
    }

    /**
     * The class a row of scores or probabilities predicts: the index of the largest of {@code
     * values[offset .. offset + count)}, the first one on a tie. Infinities are ordered like other
     * values. A row holding a NaN has no largest value, and no class: it is refused, naming the
     * NaN (a model gives NaN outputs for an input with a NaN, or after training diverged), rather
     * than answered with an index a caller would take for a prediction. Allocates nothing.
     *
     * @throws IllegalArgumentException if {@code count < 1}, the row does not lie inside {@code
     *     values}, or one of its values is NaN
     */
    public static int argmax(float[] values, int offset, int count) {
        checkRow(values.length, offset, count);
        int best = 0;
        float max = values[offset];
        for (int i = 0; i < count; i++) {
            float v = values[offset + i];
            if (v > max) {
                max = v;
                best = i;
            } else if (Float.isNaN(v)) {
                throw notANumber(offset, count, i);
            }
        }
        return best;
    }

    /** Like {@link #argmax(float[], int, int)}, in double. */
    public static int argmax(double[] values, int offset, int count) {
        checkRow(values.length, offset, count);
        int best = 0;
        double max = values[offset];
        for (int i = 0; i < count; i++) {
            double v = values[offset + i];
            if (v > max) {
                max = v;
                best = i;
            } else if (Double.isNaN(v)) {
                throw notANumber(offset, count, i);
            }
        }
        return best;
    }

    /**
     * The class a row of {@code width} model outputs predicts, as {@code Metrics} reads it: for
     * one output (a sigmoid's probability of class 1), 1 if it exceeds 0.5 and 0 otherwise; for
     * more, the {@link #argmax(float[], int, int) argmax}. Allocates nothing.
     *
     * @throws IllegalArgumentException if {@code width < 1}, the row does not lie inside {@code
     *     outputs}, or one of its values is NaN
     */
    public static int classOf(float[] outputs, int offset, int width) {
        if (width == 1) {
            checkRow(outputs.length, offset, 1);
            float p = outputs[offset];
            if (Float.isNaN(p)) {
                throw notANumber(offset, 1, 0);
            }
            return p > 0.5f ? 1 : 0;
        }
        return argmax(outputs, offset, width);
    }

    /** Like {@link #classOf(float[], int, int)}, in double. */
    public static int classOf(double[] outputs, int offset, int width) {
        if (width == 1) {
            checkRow(outputs.length, offset, 1);
            double p = outputs[offset];
            if (Double.isNaN(p)) {
                throw notANumber(offset, 1, 0);
            }
            return p > 0.5 ? 1 : 0;
        }
        return argmax(outputs, offset, width);
    }

    private static void checkRow(int length, int offset, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("argmax needs at least one value, count is " + count);
        }
        if (offset < 0 || offset > length - count) {
            throw new IllegalArgumentException(
                    "values has length " + length + ", cannot hold " + count + " values from offset " + offset);
        }
    }

    private static IllegalArgumentException notANumber(int offset, int count, int i) {
        return new IllegalArgumentException("values[" + (offset + i) + "] is NaN: the row values[" + offset + " .. "
                + (offset + count) + ") has no largest value");
    }
}
