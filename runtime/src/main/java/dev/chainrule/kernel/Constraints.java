package dev.chainrule.kernel;

/** Bounds on blocks of parameters that keep a layer's map what it must be, such as contractive. */
public final class Constraints {
    private Constraints() {}

    /**
     * Rescales each of the {@code rows} rows of {@code columns} values at {@code p[offset ..]}
     * whose absolute sum exceeds {@code bound} to an absolute sum of {@code bound}; other rows are
     * left as they are. A matrix whose rows all pass has an infinity norm of at most {@code bound}.
     */
    public static void boundRows(float[] p, int offset, int rows, int columns, double bound) {
        for (int i = 0; i < rows; i++) {
            int from = offset + i * columns;
            double sum = 0;
            for (int j = 0; j < columns; j++) {
                sum += Math.abs(p[from + j]);
            }
            if (sum > bound) {
                float scale = (float) (bound / sum);
                for (int j = 0; j < columns; j++) {
                    p[from + j] *= scale;
                }
            }
        }
    }

    /**
     * Rescales each of the {@code rows} rows of {@code columns} values at {@code p[offset ..]}
     * whose absolute sum exceeds {@code bound} to an absolute sum of {@code bound}; other rows are
     * left as they are. A matrix whose rows all pass has an infinity norm of at most {@code bound}.
     */
    public static void boundRows(double[] p, int offset, int rows, int columns, double bound) {
        for (int i = 0; i < rows; i++) {
            int from = offset + i * columns;
            double sum = 0;
            for (int j = 0; j < columns; j++) {
                sum += Math.abs(p[from + j]);
            }
            if (sum > bound) {
                double scale = bound / sum;
                for (int j = 0; j < columns; j++) {
                    p[from + j] *= scale;
                }
            }
        }
    }
}
