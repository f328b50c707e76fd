package dev.chainrule.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
 *       dataset keeps the labels, or
 *   <li>one binary label column ({@link #binaryLabelColumn(int, String, String)} with two class
 *       names, {@link #binaryLabelColumn(int)} with 0 and 1), which gives a single 0/1 target for
 *       a sigmoid output; the dataset keeps the labels of the two classes, or
 *   <li>the columns of another file, row for row ({@link #targetsFrom(Csv)}), for features and
 *       targets kept apart. A file of targets alone is no dataset: it has no features.
 * </ul>
 *
 * <h2>Lines and fields</h2>
 * A UTF-8 byte-order mark at the start of the file is skipped. After {@link #skipLines(int)
 * skipped lines} and the optional header, each non-blank line is one row. Lines end at {@code
 * "\n"}, {@code "\r"} or {@code "\r\n"}; a line holding bytes that are not UTF-8 is an error, not
 * decoded with replacement characters. Fields are split at the {@link #delimiter(char)
 * delimiter} (',' unless set; with ' ', at runs of spaces and tabs) and trimmed; a field wholly inside double quotes loses them (quoted
 * fields cannot contain the delimiter). Numbers are decimal, as {@link Double#parseDouble} reads
 * them, without {@code NaN}, infinities, hexadecimal or type suffixes; class indices are
 * integers. Both take ASCII digits only, not those of other scripts.
 *
 * <h2>Errors</h2>
 * A malformed file throws {@link DataFormatException} naming the file, line, column and problem:
 * bytes that are not UTF-8, no data rows, a wrong number of columns, a missing (empty) value, a
 * value that is not a number, a number beyond the range of the dataset's precision (a float for
 * {@link #load()}, a double for {@link #loadDouble()}), a class name not among the given ones, a
 * class index out of range. A value that holds another common delimiter (a semicolon, tab,
 * comma or space) than the one set says so: {@code "the file looks separated by semicolons: use
 * .delimiter(';')"}. A configuration that does not fit the file (a column name not in the
 * header, a column index beyond the last column) is a {@code DataFormatException} too, on the
 * line that shows it. A path that is missing or a directory throws a {@link
 * java.nio.file.FileSystemException} naming it.
 */
public final class Csv {
    /** The most characters of a field an error message quotes. */
    private static final int QUOTED = 64;
    /** The most column names an error message lists. */
    private static final int LISTED = 16;

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
    private boolean binary; // the label column gives one 0/1 target: names binaryNames, or 0 and 1
    private List<String> binaryNames = List.of();
    private Csv targetsFile;

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

    /**
     * The character between fields; ',' unless set. With {@code ' '} a run of spaces and tabs
     * separates two fields, and spaces at the start or end of a line are ignored, as in files
     * aligned in columns; every other delimiter separates at each occurrence, so two in a row
     * leave an empty (missing) field between them.
     */
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

    /**
     * The label column (0-based index) holds two class names, {@code negative} and {@code
     * positive}, and gives one target, 0 or 1: the target of a single {@code SIGMOID} output with
     * {@code BINARY_CROSS_ENTROPY}. The dataset keeps the labels (0 for {@code negative}, 1 for
     * {@code positive}) and the two names; any other name is an error.
     */
    public Csv binaryLabelColumn(int column, String negative, String positive) {
        return binaryLabel(Column.of(column), negative, positive);
    }

    /** The label column (by header name) holds two class names; see {@link #binaryLabelColumn(int, String, String)}. */
    public Csv binaryLabelColumn(String name, String negative, String positive) {
        return binaryLabel(Column.of(name), negative, positive);
    }

    /**
     * The label column (0-based index) holds 0 and 1 (written as integers or as decimals, such as
     * {@code 1.0}), and gives one target, 0 or 1, for a single {@code SIGMOID} output; the dataset
     * keeps them as labels of two classes. Any other value is an error.
     */
    public Csv binaryLabelColumn(int column) {
        return binaryLabel(Column.of(column), null, null);
    }

    /** The label column (by header name) holds 0 and 1; see {@link #binaryLabelColumn(int)}. */
    public Csv binaryLabelColumn(String name) {
        return binaryLabel(Column.of(name), null, null);
    }

    /**
     * The targets are in another file, row for row: row {@code r} of this file (its features)
     * goes with row {@code r} of {@code targets}. Configure {@code targets} as its own file
     * (header, skipped lines, delimiter) and say what its columns are: without target columns or
     * a label, every column is a numeric target; otherwise its target columns or its label column
     * must be all the columns it has. Every column of this file is then a feature.
     * <pre>{@code
     * Dataset data = Csv.from(Path.of("X.csv")).header()
     *         .targetsFrom(Csv.from(Path.of("y.csv")).header().binaryLabelColumn(0, "benign", "malignant"))
     *         .load();
     * }</pre>
     * The two files must have the same number of data rows.
     */
    public Csv targetsFrom(Csv targets) {
        if (targets == this) {
            throw new IllegalArgumentException("a file cannot hold its own targets: give the targets file's Csv");
        }
        this.targetsFile = java.util.Objects.requireNonNull(targets, "targets");
        return this;
    }

    private Csv label(Column column, int classCount) {
        this.labelColumn = column;
        this.labelClassCount = classCount;
        this.binary = false;
        this.binaryNames = List.of();
        return this;
    }

    private Csv binaryLabel(Column column, String negative, String positive) {
        if (negative != null) {
            if (negative.isEmpty() || positive.isEmpty() || negative.equals(positive)) {
                throw new IllegalArgumentException(
                        "the two class names must be distinct and not empty: '" + negative + "', '" + positive + "'");
            }
        }
        label(column, negative == null ? 2 : 0);
        this.binary = true;
        this.binaryNames = negative == null ? List.of() : List.of(negative, positive);
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
        if (targetsFile != null) {
            if (labelColumn != null || !targetColumns.isEmpty()) {
                throw new IllegalStateException("the targets come from targetsFrom(...): this file cannot have target"
                        + " columns or a label column too");
            }
            if (targetsFile.targetsFile != null) {
                throw new IllegalStateException(
                        "the targets file given to targetsFrom(...) has a targetsFrom of its own");
            }
            targetsFile.checkConfiguration();
        }
        Table table = table(floats, false);
        if (targetsFile == null) {
            return table.toDataset();
        }
        Table targets = targetsFile.table(floats, true);
        if (targets.rows != table.rows) {
            throw DataFormatException.inFile(
                    targetsFile.file,
                    targets.rows + " data rows of targets, but the features" + " file " + file + " has " + table.rows
                            + " (targetsFrom pairs the two files row for row)");
        }
        return new Table(
                        table.rows,
                        table.features,
                        table.featureCount,
                        targets.targets,
                        targets.targetCount,
                        targets.labels,
                        targets.classCount,
                        targets.classNames)
                .toDataset();
    }

    /** Reads this file; {@code targetsOnly}: as the targets file of {@link #targetsFrom}. */
    private Table table(boolean floats, boolean targetsOnly) throws IOException {
        try (InputStream in = Inputs.open(file).stream()) {
            return new Reader(new Lines(in), floats, targetsOnly).read();
        } catch (ZipException | EOFException e) {
            throw DataFormatException.inFile(file, Inputs.corruptGzip(e));
        }
    }

    /** What a file gives: features, targets and labels, before they become a dataset. */
    @SuppressWarnings("ArrayRecordComponent") // a value in passing, never compared
    private record Table(
            int rows,
            double[] features,
            int featureCount,
            double[] targets,
            int targetCount,
            int[] labels,
            int classCount,
            List<String> classNames) {
        DoubleDataset toDataset() {
            return new DoubleDataset(features, featureCount, targets, targetCount, labels, classCount, classNames);
        }
    }

    private void checkConfiguration() {
        if (labelColumn != null && !targetColumns.isEmpty()) {
            throw new IllegalStateException("give either target columns or a label column, not both");
        }
        if ((labelClassCount > 0 || binary) && !classNames.isEmpty()) {
            throw new IllegalStateException(
                    binary
                            ? "a binary label column takes its two class names in binaryLabelColumn, not in classNames"
                            : "class names apply to a label column of names, not of indices");
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
        private final Lines in;
        private final boolean floats;
        private final boolean targetsOnly;
        private long lineNumber;
        private String columnLine = "";
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

        Reader(Lines in, boolean floats, boolean targetsOnly) {
            this.in = in;
            this.floats = floats;
            this.targetsOnly = targetsOnly;
            List<String> names = binary ? binaryNames : classNames;
            for (int c = 0; c < names.size(); c++) {
                classIndex.put(names.get(c), c);
            }
        }

        Table read() throws IOException {
            for (int i = 0; i < skipLines; i++) {
                if (nextLine() == null) {
                    throw DataFormatException.atLine(
                            file, lineNumber + 1, 1, "empty file: ended before the " + skipLines + " lines to skip");
                }
            }
            String line;
            if (header) {
                line = nextNonBlankLine();
                if (line == null) {
                    throw DataFormatException.atLine(file, lineNumber + 1, 1, "empty file: no header line");
                }
                headerNames = split(line);
                columnLine = line;
                defineColumns(headerNames.size(), "in the header");
            }
            while ((line = nextNonBlankLine()) != null) {
                List<String> fields = split(line);
                if (featureColumns == null) {
                    columnLine = line;
                    defineColumns(fields.size(), "on line " + lineNumber);
                }
                readRow(fields, line);
            }
            if (rows == 0) {
                throw DataFormatException.atLine(file, lineNumber + 1, 1, "empty file: no data rows");
            }
            return build();
        }

        private String nextLine() throws IOException {
            String line;
            try {
                line = in.next();
            } catch (Lines.Malformed e) {
                String before = e.before();
                int column = (int) before.chars().filter(c -> c == delimiter).count();
                String field =
                        before.substring(before.lastIndexOf(delimiter) + 1).stripLeading();
                throw DataFormatException.atLine(
                        file,
                        lineNumber + 1,
                        column + 1,
                        "not UTF-8: " + e.bytes()
                                + (field.isEmpty() ? " at the start of the field" : " after " + quote(field))
                                + " (the file must be UTF-8 text; convert one in another encoding first, e.g. with iconv)");
            }
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
            if (delimiter == ' ') {
                String trimmed = line.strip();
                List<String> fields = new ArrayList<>();
                for (String field : trimmed.split("[ \\t]+", -1)) {
                    fields.add(unquote(field));
                }
                return fields;
            }
            List<String> fields = new ArrayList<>();
            int start = 0;
            while (true) {
                int end = line.indexOf(delimiter, start);
                fields.add(unquote(
                        line.substring(start, end < 0 ? line.length() : end).trim()));
                if (end < 0) {
                    return fields;
                }
                start = end + 1;
            }
        }

        private String unquote(String field) {
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                return field.substring(1, field.length() - 1).trim();
            }
            return field;
        }

        /** Fixes the column count and which columns are features, targets and the label. */
        private void defineColumns(int count, String source) throws DataFormatException {
            columnCount = count;
            columnCountSource = source;
            targetIndices = new int[targetColumns.size()];
            for (int t = 0; t < targetIndices.length; t++) {
                targetIndices[t] = resolve(targetColumns.get(t), "target");
            }
            if (targetsOnly && labelColumn == null && targetColumns.isEmpty()) {
                targetIndices = IntStream.range(0, count).toArray(); // a targets file: every column is a target
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
            if (targetsOnly && featureColumns.length > 0) {
                throw DataFormatException.atLine(
                        file,
                        lineNumber,
                        featureColumns[0] + 1,
                        "column "
                                + (featureColumns[0] + 1) + " of " + count
                                + " is neither a target nor the label, but the file"
                                + " given to targetsFrom(...) holds targets only");
            }
            if (!targetsOnly && featureColumns.length == 0) {
                String hint = lineHint(columnLine, count);
                throw DataFormatException.atLine(
                        file,
                        lineNumber,
                        1,
                        "no feature columns: "
                                + (count == 1
                                        ? "the file's one column is the " + (labelIndex >= 0 ? "label" : "target")
                                        : "all " + count + " columns are targets or the label")
                                + (hint.isEmpty()
                                        ? ". A dataset needs at least one feature; if the features are in another file,"
                                                + " load the two together with Csv.from(featuresFile).targetsFrom(Csv.from("
                                                + "thisFile)...)"
                                        : hint));
            }
        }

        private int resolve(Column column, String role) throws DataFormatException {
            if (column.name() != null) {
                int index = headerNames.indexOf(column.name());
                if (index < 0) {
                    throw DataFormatException.atLine(
                            file,
                            lineNumber,
                            1,
                            "no column named " + column + " for the " + role + " in the header " + describe(headerNames)
                                    + lineHint(columnLine, columnCount));
                }
                return index;
            }
            if (column.index() >= columnCount) {
                throw DataFormatException.atLine(
                        file,
                        lineNumber,
                        columnCount,
                        role + " column index " + column.index() + " does not exist: there are " + columnCount
                                + " columns " + columnCountSource + lineHint(columnLine, columnCount));
            }
            return column.index();
        }

        private void readRow(List<String> fields, String line) throws DataFormatException {
            if (fields.size() != columnCount) {
                int column = Math.min(fields.size(), columnCount) + 1;
                throw DataFormatException.atLine(
                        file,
                        lineNumber,
                        column,
                        "expected " + columnCount + " columns (as " + columnCountSource + "), found " + fields.size()
                                + lineHint(line, fields.size()));
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
                        throw error(column, quote(field) + " is out of the range of a double" + named(column));
                    }
                    if (floats && Float.isInfinite((float) value)) {
                        throw error(
                                column,
                                quote(field) + " is out of the range of a float" + named(column) + " (at most "
                                        + Float.MAX_VALUE + " in magnitude; loadDouble() reads it)");
                    }
                    return value;
                } catch (NumberFormatException e) {
                    // reported below, like any other text that is not a number
                }
            }
            throw error(column, quote(field) + " is not a number" + named(column) + delimiterHint(field));
        }

        private int label(String field, int column) throws DataFormatException {
            requireValue(field, column);
            if (binary && binaryNames.isEmpty()) {
                double value = isDecimal(field) ? parseOrNaN(field) : Double.NaN;
                if (value == 0 || value == 1) {
                    return (int) value;
                }
                throw error(
                        column,
                        quote(field) + " is not 0 or 1" + named(column) + " (binaryLabelColumn reads 0 and 1;"
                                + " for two class names give them, e.g. binaryLabelColumn(" + column
                                + ", \"no\", \"yes\"))"
                                + delimiterHint(field));
            }
            if (labelClassCount > 0) {
                if (!isInteger(field)) {
                    throw error(
                            column,
                            quote(field) + " is not a class index (an integer)" + named(column) + delimiterHint(field));
                }
                String shown;
                int index = -1;
                try {
                    index = Integer.parseInt(field);
                    shown = Integer.toString(index);
                } catch (NumberFormatException e) {
                    shown = field.length() <= QUOTED ? field : quote(field); // digits beyond an int
                }
                if (index < 0 || index >= labelClassCount) {
                    throw error(
                            column,
                            "class index " + shown + " is out of range 0 .. " + (labelClassCount - 1) + named(column));
                }
                return index;
            }
            Integer index = classIndex.get(field);
            if (index == null) {
                if (binary) {
                    throw error(
                            column,
                            "unknown class name " + quote(field) + named(column)
                                    + ", expected one of the binary label's " + binaryNames);
                }
                if (!classNames.isEmpty()) {
                    throw error(
                            column,
                            "unknown class name " + quote(field) + named(column) + ", expected one of " + classNames);
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
            return headerNames.isEmpty() ? "" : " in column " + quote(headerNames.get(column));
        }

        private Table build() {
            if (labelIndex < 0) {
                return new Table(
                        rows,
                        features.toArray(),
                        featureColumns.length,
                        targets.toArray(),
                        targetIndices.length,
                        null,
                        0,
                        List.of());
            }
            int[] rowLabels = Arrays.copyOf(labels, rows);
            if (binary) {
                double[] zeroOne = new double[rows];
                for (int r = 0; r < rows; r++) {
                    zeroOne[r] = rowLabels[r];
                }
                return new Table(
                        rows, features.toArray(), featureColumns.length, zeroOne, 1, rowLabels, 2, binaryNames);
            }
            int classCount = labelClassCount > 0 ? labelClassCount : classIndex.size();
            List<String> names = labelClassCount > 0 ? List.of() : List.copyOf(classIndex.keySet());
            return new Table(
                    rows,
                    features.toArray(),
                    featureColumns.length,
                    OneHot.encodeDouble(rowLabels, classCount),
                    classCount,
                    rowLabels,
                    classCount,
                    names);
        }

        /** {@link #delimiterHint} for a line that did not split: one that gave a single field. */
        private String lineHint(String line, int fields) {
            return fields == 1 ? delimiterHint(line) : "";
        }

        /**
         * A hint for a field or line that holds another common delimiter than the one set, e.g.
         * {@code " (the file looks separated by semicolons: use .delimiter(';'))"}, or "".
         */
        private String delimiterHint(String text) {
            String[][] candidates = {
                {";", "semicolons", "';'"}, {"\t", "tabs", "'\\t'"}, {",", "commas", "','"}, {" ", "spaces", "' '"}
            };
            for (String[] c : candidates) {
                if (c[0].charAt(0) != delimiter && text.indexOf(c[0].charAt(0)) >= 0) {
                    boolean decimalComma = c[0].equals(",") && text.matches("[+-]?[0-9]+,[0-9]+");
                    return " (the file looks separated by " + c[1] + ": use .delimiter(" + c[2] + ")"
                            + (decimalComma
                                    ? "; or if the comma is a decimal comma, write numbers with a decimal point"
                                    : "")
                            + ")";
                }
            }
            return "";
        }
    }

    private static double parseOrNaN(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Whether {@code text} is an optional sign and ASCII digits: an integer as {@link #isDecimal}
     * reads numbers, where {@link Integer#parseInt} alone would also take other scripts' digits.
     */
    private static boolean isInteger(String text) {
        int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return text.length() > start;
    }

    /** Whether {@code text} has only the characters of a decimal number and at least one ASCII digit. */
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

    /**
     * {@code text} in single quotes for an error message: whole if it has at most {@value
     * #QUOTED} characters, else its first ones, "..." and its length, so that a huge field does
     * not make a huge message.
     */
    private static String quote(String text) {
        if (text.length() <= QUOTED) {
            return "'" + text + "'";
        }
        int end = Character.isHighSurrogate(text.charAt(QUOTED - 1)) ? QUOTED - 1 : QUOTED;
        return "'" + text.substring(0, end) + "...' (" + text.length() + " characters)";
    }

    /** A header's names for an error message: at most {@value #LISTED} of them, each {@link #quote quoted}. */
    private static String describe(List<String> names) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Math.min(names.size(), LISTED); i++) {
            text.append(i == 0 ? "" : ", ").append(quote(names.get(i)));
        }
        if (names.size() > LISTED) {
            text.append(", ... (").append(names.size()).append(" columns)");
        }
        return text.append(']').toString();
    }

    private static String describe(char c) {
        return c == '\n' ? "'\\n'" : c == '\r' ? "'\\r'" : "'" + c + "'";
    }

    /**
     * The lines of a stream of UTF-8 text, which end at {@code "\n"}, {@code "\r"} or {@code
     * "\r\n"} as for {@link java.io.BufferedReader#readLine()}. A UTF-8 byte-order mark at the
     * start of the stream is skipped. Each line is decoded strictly: bytes that are not UTF-8 throw
     * {@link Malformed}, so the error is on the line that holds them.
     */
    private static final class Lines {
        /** Bytes that are not UTF-8, found on the line {@link #next()} was reading. */
        static final class Malformed extends IOException {
            private static final long serialVersionUID = 1L;

            private final String before;
            private final String bytes;

            Malformed(String before, String bytes) {
                super(bytes);
                this.before = before;
                this.bytes = bytes;
            }

            /** The line's text up to the bad bytes. */
            String before() {
                return before;
            }

            /** The bad bytes, e.g. "byte 0xe9" or "bytes 0xe2 0x82". */
            String bytes() {
                return bytes;
            }
        }

        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private boolean started;
        private boolean afterCarriageReturn;
        private byte[] line = new byte[256];
        private int length;

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its terminator, or {@code null} at the end of the stream. */
        String next() throws IOException {
            if (!started) {
                started = true;
                skipByteOrderMark();
            }
            length = 0;
            while (true) {
                if (position == limit) {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        return length == 0 ? null : decode();
                    }
                    position = 0;
                    limit = n;
                    continue;
                }
                if (afterCarriageReturn) {
                    afterCarriageReturn = false;
                    if (buffer[position] == '\n') {
                        position++;
                        continue;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                    position++;
                }
                append(start, position - start);
                if (position < limit) {
                    afterCarriageReturn = buffer[position] == '\r';
                    position++;
                    return decode();
                }
            }
        }

        /** Skips EF BB BF, the UTF-8 encoding of U+FEFF, if the stream starts with it. */
        private void skipByteOrderMark() throws IOException {
            int n;
            while (limit < 3 && (n = in.read(buffer, limit, buffer.length - limit)) >= 0) {
                limit += n;
            }
            if (limit >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF) {
                position = 3;
            }
        }

        private void append(int start, int count) {
            int needed = Math.addExact(length, count);
            if (needed > line.length) {
                line = Arrays.copyOf(line, Math.max(needed, (int) Math.min(2L * line.length, Integer.MAX_VALUE - 8)));
            }
            System.arraycopy(buffer, start, line, length, count);
            length += count;
        }

        private String decode() throws Malformed {
            boolean ascii = true;
            for (int i = 0; i < length && ascii; i++) {
                ascii = line[i] >= 0;
            }
            if (ascii) {
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
            CharBuffer chars = CharBuffer.allocate(length); // UTF-8 never has more chars than bytes
            decoder.reset();
            CoderResult result = decoder.decode(bytes, chars, true);
            if (!result.isError()) {
                result = decoder.flush(chars);
            }
            if (result.isError()) {
                StringBuilder bad = new StringBuilder(result.length() == 1 ? "byte" : "bytes");
                for (int i = 0; i < result.length(); i++) {
                    bad.append(String.format(" 0x%02x", line[bytes.position() + i] & 0xFF));
                }
                throw new Malformed(chars.flip().toString(), bad.toString());
            }
            return chars.flip().toString();
        }
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
