package dev.chainrule.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.ZipException;

/**
 * Loads a dataset from a delimited text file (UTF-8, plain or gzip'd), configured step by step:
 * <pre>{@code
 * Dataset iris = Csv.from(Path.of("iris.csv"))
 *         .skipLines(1)              // "150,4,setosa,versicolor,virginica"
 *         .labelIndexColumn(4, 3)    // last column: class 0, 1 or 2
 *         .load();
 * }</pre>
 *
 * <h2>Columns</h2>
 * Columns are given by 0-based index or, when the file has a {@link #header()}, by name; error
 * messages count lines and columns from 1, like an editor. Every column that is not a target or
 * the label is a numeric feature, in file order. Targets are either
 * <ul>
 *   <li>numeric {@link #targetColumns(int...) target columns} (regression), or
 *   <li>one label column, holding class names ({@link #labelColumn(int)}, mapped to indices in
 *       order of first appearance or in the order of {@link #classNames(String...)}) or class
 *       indices ({@link #labelIndexColumn(int, int)}); the targets are then one-hot and the
 *       dataset keeps the labels.
 * </ul>
 *
 * <h2>Lines and fields</h2>
 * After {@link #skipLines(int) skipped lines} and the optional header, each non-blank line is
 * one row. Fields are split at the {@link #delimiter(char) delimiter} (',' unless set) and
 * trimmed; a field wholly inside double quotes loses them (quoted fields cannot contain the
 * delimiter). Numbers are decimal, as {@link Double#parseDouble} reads them, without {@code
 * NaN}, infinities, hexadecimal or type suffixes.
 *
 * <h2>Errors</h2>
 * A malformed file throws {@link DataFormatException} naming the file, line, column and problem:
 * no data rows, a wrong number of columns, a missing (empty) value, a value that is not a number,
 * a number beyond the range of the dataset's precision (a float for {@link #load()}, a double for
 * {@link #loadDouble()}), a class name not among the given ones, a class index out of range. A
 * configuration that does not fit the file (a column name not in the header, a column index
 * beyond the last column) is a {@code DataFormatException} too, on the line that shows it.
 */
public final class Csv {
    /** A column given by index or by name. */
    private record Column(int index, String name) {
        static Column of(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("column index is " + index + ", expected at least 0");
            }
            return new Column(index, null);
        }

        static Column of(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("column name is empty");
            }
            return new Column(-1, name);
        }

        @Override
        public String toString() {
            return name != null ? "'" + name + "'" : Integer.toString(index);
        }
    }

    private final Path file;
    private boolean header;
    private int skipLines;
    private char delimiter = ',';
    private List<Column> targetColumns = List.of();
    private Column labelColumn;
    private int labelClassCount; // > 0: the label column holds indices below it
    private List<String> classNames = List.of();

    private Csv(Path file) {
        this.file = file;
    }

    /** Starts configuring how to load {@code file}. */
    public static Csv from(Path file) {
        return new Csv(file);
    }

    /** The first line (after skipped lines) names the columns. */
    public Csv header() {
        this.header = true;
        return this;
    }

    /** Skips the first {@code lines} lines of the file, before the header if there is one. */
    public Csv skipLines(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines is " + lines + ", expected at least 0");
        }
        this.skipLines = lines;
        return this;
    }

    /** The character between fields; ',' unless set. */
    public Csv delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter cannot be " + describe(delimiter));
        }
        this.delimiter = delimiter;
        return this;
    }

    /** Numeric target columns by 0-based index, in the order the targets take. */
    public Csv targetColumns(int... columns) {
        this.targetColumns = Arrays.stream(columns).mapToObj(Column::of).toList();
        return this;
    }

    /** Numeric target columns by header name, in the order the targets take. */
    public Csv targetColumns(String... names) {
        this.targetColumns = Arrays.stream(names).map(Column::of).toList();
        return this;
    }

    /** The label column (0-based index) holds class names. */
    public Csv labelColumn(int column) {
        return label(Column.of(column), 0);
    }

    /** The label column (by header name) holds class names. */
    public Csv labelColumn(String name) {
        return label(Column.of(name), 0);
    }

    /** The label column (0-based index) holds class indices {@code 0 .. classCount-1}. */
    public Csv labelIndexColumn(int column, int classCount) {
        return label(Column.of(column), requirePositive(classCount));
    }

    /** The label column (by header name) holds class indices {@code 0 .. classCount-1}. */
    public Csv labelIndexColumn(String name, int classCount) {
        return label(Column.of(name), requirePositive(classCount));
    }

    /**
     * The classes a {@link #labelColumn(int) label column of names} may hold, in index order;
     * any other name is an error. Without it, classes are numbered in order of first appearance.
     */
    public Csv classNames(String... names) {
        List<String> list = List.of(names);
        if (list.isEmpty() || new HashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException("class names must be distinct and at least one: " + list);
        }
        this.classNames = list;
        return this;
    }

    private Csv label(Column column, int classCount) {
        this.labelColumn = column;
        this.labelClassCount = classCount;
        return this;
    }

    private static int requirePositive(int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected at least 1");
        }
        return classCount;
    }

    /**
     * Loads the file as a {@code float} dataset (numbers are read as double, then rounded). A
     * number beyond the range of a float, which would round to an infinity, is an error.
     */
    public Dataset load() throws IOException {
        return read(true).toFloat();
    }

    /**
     * Loads the file as a {@code double} dataset. A number beyond the range of a double is an
     * error.
     */
    public DoubleDataset loadDouble() throws IOException {
        return read(false);
    }

    /** Reads the file in double; {@code floats}: every number must also fit a float. */
    private DoubleDataset read(boolean floats) throws IOException {
        checkConfiguration();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Inputs.open(file).stream(), StandardCharsets.UTF_8))) {
            return new Reader(reader, floats).read();
        } catch (ZipException | EOFException e) {
            throw DataFormatException.inFile(file, "corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    private void checkConfiguration() {
        if (labelColumn != null && !targetColumns.isEmpty()) {
            throw new IllegalStateException("give either target columns or a label column, not both");
        }
        if (labelClassCount > 0 && !classNames.isEmpty()) {
            throw new IllegalStateException("class names apply to a label column of names, not of indices");
        }
        List<Column> named = new ArrayList<>(targetColumns);
        if (labelColumn != null) {
            named.add(labelColumn);
        }
        if (!header && named.stream().anyMatch(c -> c.name() != null)) {
            throw new IllegalStateException("columns are given by name but the file has no header()");
        }
        if (named.stream().distinct().count() != named.size()) {
            throw new IllegalStateException("a column is given twice: " + named);
        }
    }

    /** The state of one pass over the file. */
    private final class Reader {
        private final BufferedReader in;
        private final boolean floats;
        private long lineNumber;
        private List<String> headerNames = List.of();
        private int columnCount;
        private String columnCountSource;
        private int[] featureColumns;
        private int[] targetIndices;
        private int labelIndex = -1;
        private final Map<String, Integer> classIndex = new LinkedHashMap<>();
        private final Growing features = new Growing();
        private final Growing targets = new Growing();
        private int[] labels = new int[16];
        private int rows;

        Reader(BufferedReader in, boolean floats) {
            this.in = in;
            this.floats = floats;
            for (int c = 0; c < classNames.size(); c++) {
                classIndex.put(classNames.get(c), c);
            }
        }

        DoubleDataset read() throws IOException {
            for (int i = 0; i < skipLines; i++) {
                if (nextLine() == null) {
                    throw DataFormatException.atLine(file, lineNumber + 1, 1,
                            "empty file: ended before the " + skipLines + " lines to skip");
                }
            }
            String line;
            if (header) {
                line = nextNonBlankLine();
                if (line == null) {
                    throw DataFormatException.atLine(file, lineNumber + 1, 1, "empty file: no header line");
                }
                headerNames = split(line);
                defineColumns(headerNames.size(), "in the header");
            }
            while ((line = nextNonBlankLine()) != null) {
                List<String> fields = split(line);
                if (featureColumns == null) {
                    defineColumns(fields.size(), "on line " + lineNumber);
                }
                readRow(fields);
            }
            if (rows == 0) {
                throw DataFormatException.atLine(file, lineNumber + 1, 1, "empty file: no data rows");
            }
            return build();
        }

        private String nextLine() throws IOException {
            String line = in.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        }

        private String nextNonBlankLine() throws IOException {
            String line;
            do {
                line = nextLine();
            } while (line != null && line.isBlank());
            return line;
        }

        private List<String> split(String line) {
            List<String> fields = new ArrayList<>();
            int start = 0;
            while (true) {
                int end = line.indexOf(delimiter, start);
                String field = line.substring(start, end < 0 ? line.length() : end).trim();
                if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                    field = field.substring(1, field.length() - 1).trim();
                }
                fields.add(field);
                if (end < 0) {
                    return fields;
                }
                start = end + 1;
            }
        }

        /** Fixes the column count and which columns are features, targets and the label. */
        private void defineColumns(int count, String source) throws DataFormatException {
            columnCount = count;
            columnCountSource = source;
            targetIndices = new int[targetColumns.size()];
            for (int t = 0; t < targetIndices.length; t++) {
                targetIndices[t] = resolve(targetColumns.get(t), "target");
            }
            if (labelColumn != null) {
                labelIndex = resolve(labelColumn, "label");
            }
            boolean[] taken = new boolean[count];
            for (int t : targetIndices) {
                taken[t] = true;
            }
            if (labelIndex >= 0) {
                taken[labelIndex] = true;
            }
            featureColumns = IntStream.range(0, count).filter(c -> !taken[c]).toArray();
            if (featureColumns.length == 0) {
                throw DataFormatException.atLine(file, lineNumber, 1,
                        "no feature columns: all " + count + " columns are targets or the label");
            }
        }

        private int resolve(Column column, String role) throws DataFormatException {
            if (column.name() != null) {
                int index = headerNames.indexOf(column.name());
                if (index < 0) {
                    throw DataFormatException.atLine(file, lineNumber, 1,
                            "no column named " + column + " for the " + role + " in the header " + headerNames);
                }
                return index;
            }
            if (column.index() >= columnCount) {
                throw DataFormatException.atLine(file, lineNumber, columnCount,
                        role + " column index " + column.index() + " does not exist: there are " + columnCount
                                + " columns " + columnCountSource);
            }
            return column.index();
        }

        private void readRow(List<String> fields) throws DataFormatException {
            if (fields.size() != columnCount) {
                int column = Math.min(fields.size(), columnCount) + 1;
                throw DataFormatException.atLine(file, lineNumber, column, "expected " + columnCount + " columns (as "
                        + columnCountSource + "), found " + fields.size());
            }
            for (int c : featureColumns) {
                features.add(number(fields.get(c), c));
            }
            for (int c : targetIndices) {
                targets.add(number(fields.get(c), c));
            }
            if (labelIndex >= 0) {
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, rows * 2);
                }
                labels[rows] = label(fields.get(labelIndex), labelIndex);
            }
            rows++;
        }

        private double number(String field, int column) throws DataFormatException {
            requireValue(field, column);
            if (isDecimal(field)) {
                try {
                    double value = Double.parseDouble(field);
                    if (!Double.isFinite(value)) {
                        throw error(column, "'" + field + "' is out of the range of a double" + named(column));
                    }
                    if (floats && Float.isInfinite((float) value)) {
                        throw error(column, "'" + field + "' is out of the range of a float" + named(column)
                                + " (at most " + Float.MAX_VALUE + " in magnitude; loadDouble() reads it)");
                    }
                    return value;
                } catch (NumberFormatException e) {
                    // reported below, like any other text that is not a number
                }
            }
            throw error(column, "'" + field + "' is not a number" + named(column));
        }

        private int label(String field, int column) throws DataFormatException {
            requireValue(field, column);
            if (labelClassCount > 0) {
                int index;
                try {
                    index = Integer.parseInt(field);
                } catch (NumberFormatException e) {
                    throw error(column, "'" + field + "' is not a class index (an integer)" + named(column));
                }
                if (index < 0 || index >= labelClassCount) {
                    throw error(column, "class index " + index + " is out of range 0 .. " + (labelClassCount - 1)
                            + named(column));
                }
                return index;
            }
            Integer index = classIndex.get(field);
            if (index == null) {
                if (!classNames.isEmpty()) {
                    throw error(column, "unknown class name '" + field + "'" + named(column)
                            + ", expected one of " + classNames);
                }
                index = classIndex.size();
                classIndex.put(field, index);
            }
            return index;
        }

        private void requireValue(String field, int column) throws DataFormatException {
            if (field.isEmpty()) {
                throw error(column, "missing value" + named(column));
            }
        }

        private DataFormatException error(int column, String what) {
            return DataFormatException.atLine(file, lineNumber, column + 1, what);
        }

        private String named(int column) {
            return headerNames.isEmpty() ? "" : " in column '" + headerNames.get(column) + "'";
        }

        private DoubleDataset build() {
            if (labelIndex < 0) {
                return new DoubleDataset(features.toArray(), featureColumns.length, targets.toArray(),
                        targetIndices.length, null, 0, List.of());
            }
            int[] rowLabels = Arrays.copyOf(labels, rows);
            int classCount = labelClassCount > 0 ? labelClassCount : classIndex.size();
            List<String> names = labelClassCount > 0 ? List.of() : List.copyOf(classIndex.keySet());
            return new DoubleDataset(features.toArray(), featureColumns.length,
                    OneHot.encodeDouble(rowLabels, classCount), classCount, rowLabels, classCount, names);
        }
    }

    /** Whether {@code text} has only the characters of a decimal number and at least one digit. */
    private static boolean isDecimal(String text) {
        boolean digit = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if ("+-.eE".indexOf(c) < 0) {
                return false;
            }
        }
        return digit;
    }

    private static String describe(char c) {
        return c == '\n' ? "'\\n'" : c == '\r' ? "'\\r'" : "'" + c + "'";
    }

    /** A growable array of doubles. */
    private static final class Growing {
        private double[] values = new double[1024];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.multiplyExact(size, 2));
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
