package dev.chainrule.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts of actual against predicted classes, with the per-class figures derived from them.
 * Row {@code a}, column {@code p} counts the rows of class {@code a} that were predicted as
 * {@code p}. Immutable.
 *
 * <p>Precision of class {@code c} is {@code count(c, c) / (column c total)}, recall is {@code
 * count(c, c) / (row c total)}, F1 their harmonic mean. A ratio whose denominator is zero (a
 * class never predicted, or never present) is reported as 0.
 */
public final class ConfusionMatrix {
    private final int classCount;
    private final long[] counts;

    ConfusionMatrix(int classCount, long[] counts) {
        this.classCount = classCount;
        this.counts = counts;
    }

    /**
     * The confusion matrix of parallel arrays of class indices.
     *
     * @param actual the true class of each row, in {@code 0 .. classCount-1}
     * @param predicted the predicted class of each row, same length and range
     * @throws IllegalArgumentException if the lengths differ or an index is out of range (the
     *     message names the array and position)
     */
    public static ConfusionMatrix of(int[] actual, int[] predicted, int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual has length " + actual.length + " but predicted has length "
                    + predicted.length + "; expected one prediction per row");
        }
        long[] counts = new long[classCount * classCount];
        for (int i = 0; i < actual.length; i++) {
            counts[
                    checkClass(actual[i], i, "actual", classCount) * classCount
                            + checkClass(predicted[i], i, "predicted", classCount)]++;
        }
        return new ConfusionMatrix(classCount, counts);
    }

    /**
     * The confusion matrix of counts already made, for example summed over a cluster's partitions.
     *
     * @param counts {@code classCount * classCount} counts, actual-major: the rows of class {@code
     *     a} predicted as {@code p} at {@code a * classCount + p}; copied
     * @throws IllegalArgumentException if the length is not {@code classCount * classCount} or a
     *     count is negative (the message names its position)
     */
    public static ConfusionMatrix ofCounts(int classCount, long[] counts) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        if (counts.length != classCount * classCount) {
            throw new IllegalArgumentException("counts has length " + counts.length + ", expected " + classCount + " * "
                    + classCount + " = " + classCount * classCount);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("counts[" + i + "] (actual " + i / classCount + ", predicted "
                        + i % classCount + ") is " + counts[i] + ", expected at least 0");
            }
        }
        return new ConfusionMatrix(classCount, counts.clone());
    }

    private static int checkClass(int value, int index, String what, int classCount) {
        if (value < 0 || value >= classCount) {
            throw new IllegalArgumentException(
                    what + "[" + index + "] is " + value + ", expected a class in 0 .. " + (classCount - 1));
        }
        return value;
    }

    /** The number of classes: rows and columns of the matrix. */
    public int classCount() {
        return classCount;
    }

    /** Rows of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[check(actual) * classCount + check(predicted)];
    }

    /** All rows counted. */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Rows whose predicted class is the actual one: the diagonal. */
    public long correct() {
        long correct = 0;
        for (int c = 0; c < classCount; c++) {
            correct += counts[c * classCount + c];
        }
        return correct;
    }

    /** {@code correct() / total()}; 0 for an empty matrix. */
    public double accuracy() {
        return ratio(correct(), total());
    }

    /** Of the rows predicted as {@code c}, the fraction that are {@code c}. */
    public double precision(int c) {
        long predicted = 0;
        for (int a = 0; a < classCount; a++) {
            predicted += counts[a * classCount + check(c)];
        }
        return ratio(counts[c * classCount + c], predicted);
    }

    /** Of the rows of class {@code c}, the fraction predicted as {@code c}. */
    public double recall(int c) {
        long actual = 0;
        for (int p = 0; p < classCount; p++) {
            actual += counts[check(c) * classCount + p];
        }
        return ratio(counts[c * classCount + c], actual);
    }

    /** The harmonic mean of {@link #precision(int)} and {@link #recall(int)}; 0 if both are 0. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of {@link #f1(int)} over the classes. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < classCount; c++) {
            sum += f1(c);
        }
        return sum / classCount;
    }

    private int check(int c) {
        if (c < 0 || c >= classCount) {
            throw new IndexOutOfBoundsException("class " + c + " is not in 0 .. " + (classCount - 1));
        }
        return c;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    /**
     * The matrix as an SVG picture, the classes named by their indices; see {@link
     * #toSvg(List)}.
     */
    public String toSvg() {
        List<String> names = new ArrayList<>(classCount);
        for (int c = 0; c < classCount; c++) {
            names.add(Integer.toString(c));
        }
        return new ConfusionChart(this, names).render();
    }

    /**
     * The matrix as an SVG document: actual classes down, predicted classes across, each cell with
     * its count and shaded by its share of its row (its actual class's rows), blue on the diagonal
     * and red off it, so that the classes the model confuses stand out however many rows each
     * class has. Each row ends with the class's recall, each column with its precision. Open it in
     * a browser, beside {@link History#toSvg()}.
     *
     * @param classNames the name of each class, in index order (for instance {@code
     *     data.classNames()})
     * @throws IllegalArgumentException if there are not {@link #classCount()} names
     */
    public String toSvg(List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames");
        if (classNames.size() != classCount) {
            throw new IllegalArgumentException("the confusion matrix has " + classCount + " classes, but "
                    + classNames.size() + " class names were given");
        }
        return new ConfusionChart(this, List.copyOf(classNames)).render();
    }

    /** Writes {@link #toSvg()} to {@code file} in UTF-8, replacing it. */
    public void writeSvg(Path file) {
        write(file, toSvg());
    }

    /** Writes {@link #toSvg(List)} to {@code file} in UTF-8, replacing it. */
    public void writeSvg(Path file, List<String> classNames) {
        write(file, toSvg(classNames));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.toAbsolutePath(), e);
        }
    }

    /** The matrix as a text table (rows actual, columns predicted) followed by precision, recall and F1 per class. */
    @Override
    public String toString() {
        int width = Math.max(6, Long.toString(total()).length() + 1);
        StringBuilder sb = new StringBuilder("actual \\ predicted\n      ");
        for (int p = 0; p < classCount; p++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "d", p));
        }
        sb.append('\n');
        for (int a = 0; a < classCount; a++) {
            sb.append(String.format(Locale.ROOT, "%6d", a));
            for (int p = 0; p < classCount; p++) {
                sb.append(String.format(Locale.ROOT, "%" + width + "d", counts[a * classCount + p]));
            }
            sb.append('\n');
        }
        sb.append("class  precision  recall      f1\n");
        for (int c = 0; c < classCount; c++) {
            sb.append(String.format(Locale.ROOT, "%5d  %9.4f  %6.4f  %6.4f%n", c, precision(c), recall(c), f1(c)));
        }
        return sb.toString();
    }
}
