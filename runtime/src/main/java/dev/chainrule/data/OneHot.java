package dev.chainrule.data;

/**
 * One-hot targets from class indices, and back: class {@code c} of {@code k} becomes {@code k}
 * values, 1 at position {@code c} and 0 elsewhere.
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
     * values[offset .. offset + count)}, the first one on a tie. Allocates nothing.
     */
    public static int argmax(float[] values, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Like {@link #argmax(float[], int, int)}, in double. */
    public static int argmax(double[] values, int offset, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
