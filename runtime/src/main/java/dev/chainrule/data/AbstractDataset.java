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
    /**
     * Each row's training weight, or {@code null} when every row weighs 1: set once, by the method
     * that made this dataset, before it is returned; never modified.
     */
    double[] sampleWeights;

    AbstractDataset(
            int rows, int featureCount, int targetCount, int[] labels, int classCount, List<String> classNames) {
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
            throw new IllegalArgumentException(
                    "labels has length " + labels.length + ", expected " + rows + " (one per row)");
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
        D selected = copyRows(rowIndices, selectLabels(rowIndices));
        if (sampleWeights != null) {
            double[] w = new double[rowIndices.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = sampleWeights[rowIndices[i]];
            }
            selected.sampleWeights = w;
        }
        return selected;
    }

    /**
     * This dataset with a training weight per row, as Keras' {@code sample_weight}: the {@link
     * dev.chainrule.train.Trainer} minimises the weighted mean loss {@code sum_r w_r l_r / sum_r
     * w_r} of each mini-batch, so a row of weight 2 counts as two copies of it and a row of weight
     * 0 not at all. Each row keeps its weight through {@link #select}, {@link #range}, {@link
     * #shuffled}, the splits and folds, and the scalers. The weights weigh training batches only;
     * validation losses and metrics stay unweighted.
     *
     * @param weights one per row, finite and at least 0; copied
     * @throws IllegalArgumentException if the length is not {@code rows()} or a weight is NaN,
     *     infinite or negative (the message names the row)
     */
    public final D withSampleWeights(double... weights) {
        if (weights.length != rows) {
            throw new IllegalArgumentException(
                    "sample weights has length " + weights.length + ", expected " + rows + " (one per row)");
        }
        dev.chainrule.kernel.Checks.weights(weights, 0, rows, "sample weights");
        D weighted = sameRows();
        weighted.sampleWeights = weights.clone();
        return weighted;
    }

    /** Whether the rows carry training weights ({@link #withSampleWeights}). */
    public final boolean hasSampleWeights() {
        return sampleWeights != null;
    }

    /**
     * A copy of the rows' training weights.
     *
     * @throws IllegalStateException if the dataset has none
     */
    public final double[] sampleWeights() {
        if (sampleWeights == null) {
            throw new IllegalStateException("this dataset has no sample weights");
        }
        return sampleWeights.clone();
    }

    /**
     * The class of each row's targets, as class weights in training read them: the index of the
     * row's largest target (the first of equals, as for one-hot targets), or with a single target
     * 1 if it is at least 0.5, else 0.
     *
     * @throws IllegalStateException if the dataset has no targets
     */
    public final int[] targetClasses() {
        if (targetCount == 0) {
            throw new IllegalStateException("this dataset has no targets to read classes from");
        }
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            if (targetCount == 1) {
                classes[r] = targetAt(r, 0) >= 0.5 ? 1 : 0;
            } else {
                int best = 0;
                for (int k = 1; k < targetCount; k++) {
                    if (targetAt(r, k) > targetAt(r, best)) {
                        best = k;
                    }
                }
                classes[r] = best;
            }
        }
        return classes;
    }

    /** {@code derived} (the same rows, other values) with this dataset's sample weights. */
    final <E extends AbstractDataset<?>> E keepWeights(E derived) {
        derived.sampleWeights = sampleWeights;
        return derived;
    }

    /**
     * A new dataset of rows {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= rows()}
     */
    public final D range(int from, int to) {
        if (from < 0 || from > to || to > rows) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") is not inside the " + rows + " rows");
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
        return stratifiedSplit(labels, classCount, trainFraction, validationFraction, seed);
    }

    /**
     * Like {@link #stratifiedSplit}, for regression: the strata are {@code bins} bins of the
     * target holding equally many rows (quantiles: the rows are ranked by target, ties by row
     * index, and rank {@code i} goes to bin {@code i * bins / rows()}), so every part spans the
     * range of the target as the whole does, its tails included. Each bin is divided on its own
     * with the given fractions (rounded per bin). With 5 to 10 bins the parts' target
     * distributions match closely; bins of a handful of rows each make the rounding coarse.
     *
     * @param bins at least 1; 1 is {@link #split} with a different order
     * @throws IllegalStateException unless the dataset has exactly one target column
     * @throws IllegalArgumentException if {@code bins < 1}, or a fraction is negative or not
     *     finite, or they add up to more than 1
     */
    public final Split<D> binnedSplit(int bins, double trainFraction, double validationFraction, long seed) {
        return stratifiedSplit(targetBins(bins), bins, trainFraction, validationFraction, seed);
    }

    /**
     * Divides the rows into {@code k} folds for cross-validation: fold {@code f} validates on
     * one {@code k}-th of the rows and trains on the others, and every row is validated on in
     * exactly one fold. The rows are permuted with {@code seed} and dealt out in turn, so fold
     * sizes differ by at most one; each part keeps the rows in their original order.
     *
     * @param k the number of folds, from 2 to {@code rows()}
     * @throws IllegalArgumentException if {@code k} is out of that range
     */
    public final List<Fold<D>> kFold(int k, long seed) {
        return folds(k, new int[rows], 1, seed);
    }

    /**
     * Like {@link #kFold}, stratified by class: the rows of each class are dealt out over the
     * folds on their own, so every fold's validation part holds each class in about the
     * proportion of the whole (a class of fewer than {@code k} rows is missing from some folds).
     *
     * @throws IllegalStateException if the dataset has no labels
     * @throws IllegalArgumentException if {@code k} is not in {@code 2 .. rows()}
     */
    public final List<Fold<D>> stratifiedKFold(int k, long seed) {
        requireLabels();
        return folds(k, labels, classCount, seed);
    }

    /**
     * Like {@link #kFold}, stratified by {@code bins} quantile bins of the single target, as
     * {@link #binnedSplit} does: for regression.
     *
     * @throws IllegalStateException unless the dataset has exactly one target column
     * @throws IllegalArgumentException if {@code bins < 1} or {@code k} is not in {@code 2 .. rows()}
     */
    public final List<Fold<D>> binnedKFold(int k, int bins, long seed) {
        return folds(k, targetBins(bins), bins, seed);
    }

    private Split<D> stratifiedSplit(
            int[] strata, int strataCount, double trainFraction, double validationFraction, long seed) {
        checkFractions(trainFraction, validationFraction);
        int[] start = new int[strataCount + 1];
        int[] grouped = groupByStratum(strata, strataCount, seed, start);
        int[] partOf = new int[rows];
        for (int c = 0; c < strataCount; c++) {
            assignParts(grouped, start[c], start[c + 1], trainFraction, validationFraction, partOf);
        }
        return splitBy(partOf);
    }

    /**
     * The rows permuted with {@code seed}, then grouped by stratum, keeping the permuted order
     * inside each stratum; {@code start[c] .. start[c + 1]} receives where stratum {@code c} lies.
     */
    private int[] groupByStratum(int[] strata, int strataCount, long seed, int[] start) {
        int[] order = Shuffle.permutation(rows, seed);
        for (int stratum : strata) {
            start[stratum + 1]++;
        }
        for (int c = 0; c < strataCount; c++) {
            start[c + 1] += start[c];
        }
        int[] grouped = new int[rows];
        int[] next = Arrays.copyOf(start, strataCount);
        for (int row : order) {
            grouped[next[strata[row]]++] = row;
        }
        return grouped;
    }

    private List<Fold<D>> folds(int k, int[] strata, int strataCount, long seed) {
        if (k < 2 || k > rows) {
            throw new IllegalArgumentException(
                    "k is " + k + ", expected 2 .. " + rows + " folds (at most one per row)");
        }
        int[] grouped = groupByStratum(strata, strataCount, seed, new int[strataCount + 1]);
        int[] foldOf = new int[rows];
        for (int i = 0; i < rows; i++) {
            foldOf[grouped[i]] = i % k; // dealt in turn through the strata, one after the other
        }
        List<Fold<D>> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int count = 0;
            for (int fold : foldOf) {
                count += fold == f ? 1 : 0;
            }
            int[] validation = new int[count];
            int[] train = new int[rows - count];
            int v = 0;
            int t = 0;
            for (int r = 0; r < rows; r++) {
                if (foldOf[r] == f) {
                    validation[v++] = r;
                } else {
                    train[t++] = r;
                }
            }
            folds.add(new Fold<>(f, select(train), select(validation)));
        }
        return List.copyOf(folds);
    }

    /** Each row's quantile bin of the single target, in {@code 0 .. bins-1}. */
    private int[] targetBins(int bins) {
        if (targetCount != 1) {
            throw new IllegalStateException("binning stratifies by one target, but this dataset has " + targetCount
                    + " target columns; use split or kFold, or stratifiedSplit for labelled data");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins is " + bins + ", expected at least 1");
        }
        Integer[] byTarget = new Integer[rows];
        for (int r = 0; r < rows; r++) {
            byTarget[r] = r;
        }
        Arrays.sort(byTarget, (a, b) -> {
            int order = Double.compare(targetAt(a, 0), targetAt(b, 0));
            return order != 0 ? order : Integer.compare(a, b);
        });
        int[] bin = new int[rows];
        for (int i = 0; i < rows; i++) {
            bin[byTarget[i]] = (int) ((long) i * bins / rows);
        }
        return bin;
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

    /** A new dataset sharing this one's rows (their arrays are never modified), without sample weights. */
    abstract D sameRows();

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
