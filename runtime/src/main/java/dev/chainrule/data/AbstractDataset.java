package dev.chainrule.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link Dataset} and {@link DoubleDataset} share: the shape of the rows, the optional class
 * labels, and every operation that only chooses or reorders rows (subsets, shuffling, splits).
 *
 * <h2>Layout</h2>
 * Row {@code r} has {@link #featureCount()} features at {@code features[r * featureCount() ..]}
 * and {@link #targetCount()} targets at {@code targets[r * targetCount() ..]}: the row-major
 * layout of {@code predictBatch} and {@code accumulateGradientsBatch}.
 *
 * <h2>Labels</h2>
 * A classification dataset also knows each row's class index in {@code 0 .. classCount()-1}
 * ({@link #label(int)}), usually with one-hot targets, and optionally the class names.
 *
 * <h2>Immutability</h2>
 * A dataset never changes: the arrays it was made from are copied in, accessors copy out, and
 * every operation returns a new dataset holding copies of the chosen rows.
 *
 * @param <D> the concrete type, returned by the row operations
 */
public abstract sealed class AbstractDataset<D extends AbstractDataset<D>> permits Dataset, DoubleDataset {
    final int rows;
    final int featureCount;
    final int targetCount;
    /** Class index per row, or {@code null} for a dataset without labels. */
    final int[] labels;
    final int classCount;
    final List<String> classNames;

    AbstractDataset(int rows, int featureCount, int targetCount, int[] labels, int classCount, List<String> classNames) {
        if (featureCount < 1) {
            throw new IllegalArgumentException("featureCount is " + featureCount + ", expected at least 1");
        }
        if (targetCount < 0) {
            throw new IllegalArgumentException("targetCount is " + targetCount + ", expected at least 0");
        }
        this.rows = rows;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.labels = labels;
        this.classCount = labels == null ? 0 : classCount;
        this.classNames = labels == null ? List.of() : List.copyOf(classNames);
        if (labels != null) {
            checkLabels(labels, rows, classCount);
            if (!classNames.isEmpty() && classNames.size() != classCount) {
                throw new IllegalArgumentException(
                        classNames.size() + " class names given for " + classCount + " classes");
            }
        }
    }

    static void checkLabels(int[] labels, int rows, int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels has length " + labels.length + ", expected " + rows + " (one per row)");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classCount) {
                throw new IllegalArgumentException(
                        "labels[" + r + "] is " + labels[r] + ", expected 0 .. " + (classCount - 1));
            }
        }
    }

    static int rowsOf(int length, int width, String what) {
        if (width < 1) {
            throw new IllegalArgumentException("featureCount is " + width + ", expected at least 1");
        }
        if (length % width != 0) {
            throw new IllegalArgumentException(
                    what + " has length " + length + ", not a whole number of rows of " + width);
        }
        return length / width;
    }

    /** The number of rows (samples); may be 0. */
    public final int rows() {
        return rows;
    }

    /** The number of features in each row: the model's {@code inputSize()}. */
    public final int featureCount() {
        return featureCount;
    }

    /** The number of targets in each row: the model's {@code outputSize()}; 0 for unlabelled data. */
    public final int targetCount() {
        return targetCount;
    }

    /** Whether each row has a class label. */
    public final boolean hasLabels() {
        return labels != null;
    }

    /** The number of classes of a labelled dataset, 0 otherwise. */
    public final int classCount() {
        return classCount;
    }

    /** The class names, index by index, or an empty list if the classes are unnamed or there are no labels. */
    public final List<String> classNames() {
        return classNames;
    }

    /**
     * The class index of a row.
     *
     * @throws IllegalStateException if the dataset has no labels
     * @throws IndexOutOfBoundsException if {@code row} is not in {@code 0 .. rows()-1}
     */
    public final int label(int row) {
        requireLabels();
        return labels[checkRow(row)];
    }

    /**
     * A copy of the class index of every row.
     *
     * @throws IllegalStateException if the dataset has no labels
     */
    public final int[] labels() {
        requireLabels();
        return labels.clone();
    }

    /**
     * A new dataset of the rows at {@code rowIndices}, in that order; an index may repeat.
     *
     * @throws IndexOutOfBoundsException naming the first index that is not a row
     */
    public final D select(int... rowIndices) {
        for (int i = 0; i < rowIndices.length; i++) {
            if (rowIndices[i] < 0 || rowIndices[i] >= rows) {
                throw new IndexOutOfBoundsException(
                        "rowIndices[" + i + "] is " + rowIndices[i] + ", expected 0 .. " + (rows - 1));
            }
        }
        return copyRows(rowIndices, selectLabels(rowIndices));
    }

    /**
     * A new dataset of rows {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= rows()}
     */
    public final D range(int from, int to) {
        if (from < 0 || from > to || to > rows) {
            throw new IndexOutOfBoundsException(
                    "range [" + from + ", " + to + ") is not inside the " + rows + " rows");
        }
        int[] indices = new int[to - from];
        Arrays.setAll(indices, i -> from + i);
        return select(indices);
    }

    /** A new dataset of the same rows in the order {@link Shuffle#permutation Shuffle.permutation(rows(), seed)}. */
    public final D shuffled(long seed) {
        return select(Shuffle.permutation(rows, seed));
    }

    /**
     * Divides the rows at random into training, validation and test parts. The rows are
     * permuted with {@code seed} ({@link Shuffle#permutation}); the first {@code round(rows *
     * trainFraction)} go to training, the next {@code round(rows * validationFraction)} (fewer if
     * too few remain) to validation, the rest to test. Each part keeps the rows in their original
     * order, so the same seed gives the same parts on every JVM.
     *
     * @throws IllegalArgumentException if a fraction is negative or not finite, or they add up to more than 1
     */
    public final Split<D> split(double trainFraction, double validationFraction, long seed) {
        checkFractions(trainFraction, validationFraction);
        int[] order = Shuffle.permutation(rows, seed);
        int[] partOf = new int[rows];
        assignParts(order, 0, rows, trainFraction, validationFraction, partOf);
        return splitBy(partOf);
    }

    /**
     * Like {@link #split}, but stratified: each class is divided on its own with the same
     * fractions (rounded per class), so every part keeps the class proportions of the whole.
     *
     * @throws IllegalStateException if the dataset has no labels
     * @throws IllegalArgumentException if a fraction is negative or not finite, or they add up to more than 1
     */
    public final Split<D> stratifiedSplit(double trainFraction, double validationFraction, long seed) {
        requireLabels();
        checkFractions(trainFraction, validationFraction);
        // Group the permuted rows by class, keeping the permuted order inside each class.
        int[] order = Shuffle.permutation(rows, seed);
        int[] classStart = new int[classCount + 1];
        for (int label : labels) {
            classStart[label + 1]++;
        }
        for (int c = 0; c < classCount; c++) {
            classStart[c + 1] += classStart[c];
        }
        int[] grouped = new int[rows];
        int[] next = Arrays.copyOf(classStart, classCount);
        for (int row : order) {
            grouped[next[labels[row]]++] = row;
        }
        int[] partOf = new int[rows];
        for (int c = 0; c < classCount; c++) {
            assignParts(grouped, classStart[c], classStart[c + 1], trainFraction, validationFraction, partOf);
        }
        return splitBy(partOf);
    }

    private static void checkFractions(double train, double validation) {
        if (!(train >= 0 && validation >= 0 && train + validation <= 1 + 1e-12)) {
            throw new IllegalArgumentException("fractions train " + train + " and validation " + validation
                    + " must be finite, at least 0, and add up to at most 1");
        }
    }

    /** Marks rows {@code order[from .. to)} as train (0), validation (1) or test (2). */
    private static void assignParts(int[] order, int from, int to, double train, double validation, int[] partOf) {
        int n = to - from;
        int trainRows = (int) Math.min(n, Math.round(n * train));
        int validationRows = (int) Math.min(n - trainRows, Math.round(n * validation));
        for (int i = 0; i < n; i++) {
            partOf[order[from + i]] = i < trainRows ? 0 : i < trainRows + validationRows ? 1 : 2;
        }
    }

    private Split<D> splitBy(int[] partOf) {
        List<D> parts = new ArrayList<>(3);
        for (int part = 0; part < 3; part++) {
            int count = 0;
            for (int p : partOf) {
                count += p == part ? 1 : 0;
            }
            int[] indices = new int[count];
            int k = 0;
            for (int r = 0; r < rows; r++) {
                if (partOf[r] == part) {
                    indices[k++] = r;
                }
            }
            parts.add(select(indices));
        }
        return new Split<>(parts.get(0), parts.get(1), parts.get(2));
    }

    private int[] selectLabels(int[] rowIndices) {
        if (labels == null) {
            return null;
        }
        int[] selected = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            selected[i] = labels[rowIndices[i]];
        }
        return selected;
    }

    final int checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " is not in 0 .. " + (rows - 1));
        }
        return row;
    }

    final int checkColumn(int column, int count, String what) {
        if (column < 0 || column >= count) {
            throw new IndexOutOfBoundsException(what + " " + column + " is not in 0 .. " + (count - 1));
        }
        return column;
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException("this dataset has no class labels");
        }
    }

    /** Copies the rows at the (checked) indices into a new dataset with the given labels. */
    abstract D copyRows(int[] rowIndices, int[] selectedLabels);

    /** Feature {@code column} of {@code row}, widened to double: for fitting preprocessing. */
    abstract double featureAt(int row, int column);

    /** Target {@code column} of {@code row}, widened to double: for fitting a {@link TargetScaler}. */
    abstract double targetAt(int row, int column);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + rows + " rows, " + featureCount + " features, " + targetCount
                + " targets" + (labels == null ? "" : ", " + classCount + " classes") + "]";
    }
}
