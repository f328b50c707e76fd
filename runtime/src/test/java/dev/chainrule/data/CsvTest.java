package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path writeGzip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Loads and expects a format error at the given line and column whose message says {@code what}. */
    private static void assertError(Csv csv, Path file, int line, int column, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, csv::load);
        assertEquals(file, e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": line " + line + ", column " + column + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    private static final String IRIS_HEAD = """
            150,4,setosa,versicolor,virginica
            5.1,3.5,1.4,0.2,0
            7.0,3.2,4.7,1.4,1
            6.3,3.3,6.0,2.5,2
            4.9,3.0,1.4,0.2,0
            """;

    @Test
    void loadsTheIrisLayoutWithIndexLabels() throws IOException {
        Dataset d = Csv.from(write("iris.csv", IRIS_HEAD))
                .skipLines(1)
                .labelIndexColumn(4, 3)
                .load();
        assertEquals(4, d.rows());
        assertEquals(4, d.featureCount());
        assertEquals(3, d.targetCount());
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, java.util.Arrays.copyOf(d.features(), 4));
        assertArrayEquals(new float[] {0, 1, 0}, java.util.Arrays.copyOfRange(d.targets(), 3, 6));
        assertEquals(List.of(), d.classNames());
    }

    @Test
    void loadsClassNamesInOrderOfFirstAppearance() throws IOException {
        Path file = write("names.csv", """
                sepal,petal,species
                1.5,2,virginica
                2.5,3,setosa

                3.5,4,virginica
                """);
        DoubleDataset d = Csv.from(file).header().labelColumn("species").loadDouble();
        assertEquals(List.of("virginica", "setosa"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertArrayEquals(new double[] {1.5, 2, 2.5, 3, 3.5, 4}, d.features());
        assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0}, d.targets());
    }

    @Test
    void loadsClassNamesInAGivenOrder() throws IOException {
        Path file = write("given.csv", "\"b\";1\n\"a\";2\n");
        Dataset d = Csv.from(file)
                .delimiter(';')
                .labelColumn(0)
                .classNames("a", "b", "c")
                .load();
        assertEquals(List.of("a", "b", "c"), d.classNames());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertArrayEquals(new float[] {1, 2}, d.features());
        assertEquals(3, d.targetCount());
    }

    @Test
    void loadsNumericTargetsByIndexAndByName() throws IOException {
        Path file = write("reg.csv", "x,y,z,w\n1,2,3,4\n5,6,7,8\n");
        Dataset byIndex = Csv.from(file).header().targetColumns(3, 1).load();
        assertArrayEquals(new float[] {1, 3, 5, 7}, byIndex.features());
        assertArrayEquals(new float[] {4, 2, 8, 6}, byIndex.targets());
        Dataset byName = Csv.from(file).header().targetColumns("w", "y").load();
        assertArrayEquals(byIndex.targets(), byName.targets());
        assertEquals(false, byName.hasLabels());
    }

    @Test
    void readsGzipByItsMagicBytesWhateverTheName() throws IOException {
        Path file = writeGzip("plain-looking.csv", IRIS_HEAD);
        Dataset d = Csv.from(file).skipLines(1).labelIndexColumn(4, 3).load();
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels());
        assertEquals(6.0f, d.feature(2, 2));
    }

    @Test
    void corruptGzipFailsNamingTheFile() throws IOException {
        byte[] gz = Files.readAllBytes(writeGzip("x.csv.gz", IRIS_HEAD));
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(
                DataFormatException.class, () -> Csv.from(cut).skipLines(1).load());
        assertTrue(e.getMessage().startsWith(cut + ": corrupt gzip data"), e.getMessage());
        Path header = Files.write(dir.resolve("header.csv.gz"), new byte[] {0x1f, (byte) 0x8b});
        e = assertThrows(DataFormatException.class, () -> Csv.from(header).load());
        assertEquals(header + ": corrupt gzip data (it ends early)", e.getMessage());
    }

    @Test
    void aDirectoryIsRefusedByName() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("data.csv"));
        FileSystemException e =
                assertThrows(FileSystemException.class, () -> Csv.from(folder).load());
        assertEquals(folder.toString(), e.getFile());
        assertEquals(folder + ": is a directory, not a data file", e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = write("empty.csv", "");
        assertError(Csv.from(empty), empty, 1, 1, "empty file");
        assertError(Csv.from(empty).header(), empty, 1, 1, "empty file: no header line");
        Path onlyHeader = write("header.csv", "skip me\na,b\n\n");
        assertError(Csv.from(onlyHeader).skipLines(1).header(), onlyHeader, 4, 1, "empty file: no data rows");
        Path short1 = write("short.csv", "1,2\n");
        assertError(Csv.from(short1).skipLines(3), short1, 2, 1, "empty file: ended before the 3 lines to skip");
    }

    @Test
    void wrongColumnCount() throws IOException {
        Path file = write("cols.csv", "a,b,c\n1,2,3\n4,5\n");
        assertError(Csv.from(file).header(), file, 3, 3, "expected 3 columns (as in the header), found 2");
        Path extra = write("extra.csv", "1,2,3\n4,5,6\n7,8,9,10\n");
        assertError(Csv.from(extra), extra, 3, 4, "expected 3 columns (as on line 1), found 4");
    }

    @Test
    void nonNumericValue() throws IOException {
        Path file = write("text.csv", "a,b\n1,2\n3,x7\n");
        assertError(Csv.from(file).header(), file, 3, 2, "'x7' is not a number in column 'b'");
        for (String bad : List.of("NaN", "Infinity", "1.2.3", "0x10", "1f", "--1")) {
            Path f = write("bad.csv", "1," + bad + "\n");
            assertError(Csv.from(f), f, 1, 2, "'" + bad + "' is not a number");
        }
        Path huge = write("huge.csv", "1,1e999\n");
        assertError(Csv.from(huge), huge, 1, 2, "'1e999' is out of the range of a double");
    }

    @Test
    void numbersBeyondTheRangeOfAFloatAreRefusedByTheFloatLoader() throws IOException {
        Path big = write("big.csv", "1,1e39,1,1,0\n");
        assertError(Csv.from(big).labelIndexColumn(4, 3), big, 1, 2, "'1e39' is out of the range of a float");
        Path negative = write("negative.csv", "a,b\n1,2\n-3.5e38,4\n");
        assertError(
                Csv.from(negative).header(), negative, 3, 1, "'-3.5e38' is out of the range of a float in column 'a'");
        Path target = write("target.csv", "1,2\n3,4e38\n");
        assertError(Csv.from(target).targetColumns(1), target, 2, 2, "'4e38' is out of the range of a float");

        // The largest float, as Java prints it, still rounds to it; a double dataset holds more.
        Path edge = write("edge.csv", "3.4028235e38,-3.4028235e38\n");
        assertArrayEquals(
                new float[] {Float.MAX_VALUE, -Float.MAX_VALUE},
                Csv.from(edge).load().features());
        assertArrayEquals(
                new double[] {1, 1e39, 1, 1},
                Csv.from(big).labelIndexColumn(4, 3).loadDouble().features());
        assertEquals(-3.5e38, Csv.from(negative).header().loadDouble().feature(1, 0));
        Path huge = write("huge.csv", "1,1e309\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Csv.from(huge).loadDouble());
        assertTrue(
                e.getMessage().startsWith(huge + ": line 1, column 2: '1e309' is out of the range of a double"),
                e.getMessage());
    }

    @Test
    void linesEndAtLineFeedCarriageReturnOrBoth() throws IOException {
        Path file = write("endings.csv", "a,b\r\n1,2\r\n\r\n3,4\r5,6\n\n7,\u00e9t\u00e9");
        Dataset d = Csv.from(file).header().labelColumn("b").load();
        assertArrayEquals(new float[] {1, 3, 5, 7}, d.features());
        assertEquals(List.of("2", "4", "6", "\u00e9t\u00e9"), d.classNames());
        Path wrong = write("wrong.csv", "1,2\r3,x\r\n");
        assertError(Csv.from(wrong), wrong, 2, 2, "'x' is not a number");
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
        Path header = write("bom-header.csv", "\uFEFFlabel,x\ncat,1\ndog,2\n");
        Dataset named = Csv.from(header).header().labelColumn("label").load();
        assertEquals(List.of("cat", "dog"), named.classNames());
        assertArrayEquals(new float[] {1, 2}, named.features());
        Path plain = write("bom.csv", "\uFEFF5.1,3.5,0\n4.9,3.0,1\n");
        Dataset unnamed = Csv.from(plain).labelIndexColumn(2, 2).load();
        assertArrayEquals(new float[] {5.1f, 3.5f, 4.9f, 3.0f}, unnamed.features());
        assertArrayEquals(new int[] {0, 1}, unnamed.labels());
        Path gz = writeGzip("bom.csv.gz", "\uFEFF5.1,3.5,0\n");
        assertArrayEquals(
                new float[] {5.1f, 3.5f},
                Csv.from(gz).labelIndexColumn(2, 2).load().features());
        Path skipped = write("bom-skip.csv", "\uFEFF150,4\n5.1,3.5\n");
        assertArrayEquals(
                new float[] {5.1f, 3.5f}, Csv.from(skipped).skipLines(1).load().features());
        // Only at the start of the file: elsewhere it is a character like any other.
        Path later = write("bom-later.csv", "1,2\n\uFEFF3,4\n");
        assertError(Csv.from(later), later, 2, 1, "'\uFEFF3' is not a number");
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorOnTheirLine() throws IOException {
        // Latin-1, not UTF-8: decoded leniently, both names would become one class "caf\uFFFD".
        Path latin1 = Files.write(
                dir.resolve("latin1.csv"), "x,label\n1,caf\u00e9\n2,caf\u00e8\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(Csv.from(latin1).header().labelColumn("label"), latin1, 2, 2, "not UTF-8: byte 0xe9 after 'caf'");

        // Far into a gzip'd file, past any read-ahead buffer: still the line and column of the bad byte.
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append(i).append(",\u00e9t\u00e9\n"); // valid UTF-8
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length + 7);
        System.arraycopy(new byte[] {'7', ',', 'a', (byte) 0xC3, (byte) 0x28, 'b', '\n'}, 0, bad, good.length, 7);
        Path gz = dir.resolve("bad.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(bad);
        }
        assertError(Csv.from(gz).labelColumn(1), gz, 5001, 2, "not UTF-8: byte 0xc3 after 'a'");
        // A sequence cut short by the end of the line is malformed too.
        Path cut = Files.write(dir.resolve("cut.csv"), new byte[] {'1', ',', 'x', (byte) 0xE2, (byte) 0x82, '\n'});
        assertError(Csv.from(cut).labelColumn(1), cut, 1, 2, "not UTF-8: bytes 0xe2 0x82 after 'x'");
    }

    @Test
    void errorsQuoteAtMost64CharactersOfAHugeField() throws IOException {
        int size = 10 << 20;
        String digits = "9".repeat(size);
        String prefix = "'" + "9".repeat(64) + "...' (" + size + " characters)";
        Path number = write("number.csv", "1," + digits + "\n");
        assertShortError(Csv.from(number), prefix + " is out of the range of a double");
        Path text = write("text.csv", "1,x" + digits + "\n");
        assertShortError(
                Csv.from(text), "'x" + "9".repeat(63) + "...' (" + (size + 1) + " characters) is not a number");
        Path index = write("index.csv", "1," + digits + "\n");
        assertShortError(Csv.from(index).labelIndexColumn(1, 3), "class index " + prefix + " is out of range 0 .. 2");
        assertShortError(Csv.from(text).labelIndexColumn(1, 3), " characters) is not a class index");
        Path name = write("name.csv", "1," + digits + "\n");
        assertShortError(Csv.from(name).labelColumn(1).classNames("a"), "unknown class name " + prefix);
        Path header = write("header.csv", "a," + digits + "\n1,x\n");
        assertShortError(Csv.from(header).header(), "'x' is not a number in column " + prefix);
        assertShortError(Csv.from(header).header().labelColumn("c"), "no column named 'c'");
        Path bytes = Files.write(
                dir.resolve("bytes.csv"), ("1," + digits + "\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        assertShortError(Csv.from(bytes), "not UTF-8: byte 0xe9 after '9999");
    }

    /** Expects a format error whose message contains {@code what} and is short, however long the line. */
    private static void assertShortError(Csv csv, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, csv::load);
        String message = e.getMessage();
        assertTrue(
                message.length() < e.file().toString().length() + 300,
                message.length() + " characters: " + message.substring(0, Math.min(message.length(), 500)));
        assertTrue(message.contains(what), message);
    }

    @Test
    void missingValue() throws IOException {
        Path file = write("missing.csv", "1,2,3\n4, ,6\n");
        assertError(Csv.from(file), file, 2, 2, "missing value");
        Path label = write("missing-label.csv", "1,a\n2,\n");
        assertError(Csv.from(label).labelColumn(1), label, 2, 2, "missing value");
    }

    @Test
    void labelIndexOutOfRangeOrNotAnInteger() throws IOException {
        Path file = write("range.csv", "1,0\n2,3\n");
        assertError(Csv.from(file).labelIndexColumn(1, 3), file, 2, 2, "class index 3 is out of range 0 .. 2");
        Path negative = write("negative.csv", "1,-1\n");
        assertError(Csv.from(negative).labelIndexColumn(1, 3), negative, 1, 2, "class index -1 is out of range");
        Path fraction = write("fraction.csv", "1,0.5\n");
        assertError(Csv.from(fraction).labelIndexColumn(1, 3), fraction, 1, 2, "'0.5' is not a class index");
    }

    @Test
    void classIndicesAndNumbersTakeAsciiDigitsOnly() throws IOException {
        // U+0662 ARABIC-INDIC DIGIT TWO and U+FF12 FULLWIDTH DIGIT TWO: Integer.parseInt reads both as 2.
        for (String two : List.of("\u0662", "\uFF12", "1\u0662")) {
            Path label = write("label.csv", "1," + two + "\n");
            assertError(Csv.from(label).labelIndexColumn(1, 3), label, 1, 2, "'" + two + "' is not a class index");
            Path feature = write("feature.csv", two + ",0\n");
            assertError(Csv.from(feature).labelIndexColumn(1, 3), feature, 1, 1, "'" + two + "' is not a number");
        }
        Path ascii = write("ascii.csv", "1,2\n2,+1\n3,00\n");
        assertArrayEquals(
                new int[] {2, 1, 0},
                Csv.from(ascii).labelIndexColumn(1, 3).load().labels());
        Path big = write("big.csv", "1,99999999999\n");
        assertError(Csv.from(big).labelIndexColumn(1, 3), big, 1, 2, "class index 99999999999 is out of range 0 .. 2");
        Path sign = write("sign.csv", "1,+\n");
        assertError(Csv.from(sign).labelIndexColumn(1, 3), sign, 1, 2, "'+' is not a class index");
    }

    @Test
    void unknownClassName() throws IOException {
        Path file = write("unknown.csv", "kind,x\ncat,1\ndog,2\nemu,3\n");
        assertError(
                Csv.from(file).header().labelColumn("kind").classNames("cat", "dog"),
                file,
                4,
                1,
                "unknown class name 'emu' in column 'kind', expected one of [cat, dog]");
    }

    @Test
    void columnsThatDoNotExist() throws IOException {
        Path file = write("cols.csv", "a,b\n1,2\n");
        assertError(Csv.from(file).header().labelColumn("c"), file, 1, 1, "no column named 'c'");
        assertError(Csv.from(file).header().targetColumns(2), file, 1, 2, "target column index 2 does not exist");
        assertError(Csv.from(file).header().targetColumns(0, 1), file, 1, 1, "no feature columns");
    }

    @Test
    void aSpaceSeparatedFileGetsAHintNotJustNotANumber() throws IOException {
        Path file = write("spaces.csv", "59 2 32.1 0.87\n61 1 30.2 0.91\n");
        assertError(
                Csv.from(file).targetColumns(0),
                file,
                1,
                1,
                "no feature columns: the file's one column is the"
                        + " target (the file looks separated by spaces: use .delimiter(' '))");
        assertError(
                Csv.from(file),
                file,
                1,
                1,
                "'59 2 32.1 0.87' is not a number (the file looks separated by spaces: use .delimiter(' '))");
    }

    @Test
    void semicolonsAndTabsAreNamedInTheHintToo() throws IOException {
        Path semicolons = write("semi.csv", "a;b;y\n1;2;3\n");
        assertError(
                Csv.from(semicolons).header().targetColumns("y"),
                semicolons,
                1,
                1,
                "no column named 'y' for the target in the header ['a;b;y'] (the file looks separated by semicolons:"
                        + " use .delimiter(';'))");
        assertError(
                Csv.from(semicolons).skipLines(1).targetColumns(2),
                semicolons,
                2,
                1,
                "target column index 2 does not exist: there are 1 columns on line 2 (the file looks separated by"
                        + " semicolons: use .delimiter(';'))");
        Path tabs = write("tabs.tsv", "1\t2\t3\n");
        assertError(Csv.from(tabs), tabs, 1, 1, "(the file looks separated by tabs: use .delimiter('\\t'))");
        Path commas = write("commas.csv", "1,2\n3,4\n");
        assertError(
                Csv.from(commas).delimiter(';'),
                commas,
                1,
                1,
                "(the file looks separated by commas: use .delimiter(',')");
        Path decimalCommas = write("euro.csv", "1,5;2\n");
        assertError(
                Csv.from(decimalCommas).delimiter(';'),
                decimalCommas,
                1,
                1,
                "'1,5' is not a number (the file looks separated by commas: use .delimiter(','); or if the comma is a"
                        + " decimal comma, write numbers with a decimal point)");
        Path rows = write("rows.csv", "a,b,c\n1,2,3\n4;5;6\n");
        assertError(
                Csv.from(rows).header(),
                rows,
                3,
                2,
                "expected 3 columns (as in the header), found 1 (the file looks separated by semicolons");
    }

    @Test
    void aNameWithASpaceInAHeaderThatSplitIsNotTakenForADelimiter() throws IOException {
        Path file = write("names.csv", "sepal length,petal length\n1,2\n");
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> Csv.from(file).header().targetColumns("petal width").load());
        assertTrue(!e.getMessage().contains("looks separated"), e.getMessage());
    }

    @Test
    void aSpaceDelimiterTakesRunsOfSpacesAndTabsAsOneSeparator() throws IOException {
        Path file = write("aligned.txt", "  59   2\t32.1  0.87  \n 61 1 30.2 0.91\n");
        Dataset d = Csv.from(file).delimiter(' ').targetColumns(3).load();
        assertEquals(2, d.rows());
        assertEquals(3, d.featureCount());
        assertArrayEquals(new float[] {59, 2, 32.1f, 61, 1, 30.2f}, d.features());
        assertArrayEquals(new float[] {0.87f, 0.91f}, d.targets());
    }

    @Test
    void aBinaryLabelColumnOfTwoNamesGivesOneZeroOneTarget() throws IOException {
        Path file = write("tumours.csv", "radius,texture,diagnosis\n17.9,10.3,M\n13.5,14.3,B\n20.5,21.2,M\n");
        Dataset d =
                Csv.from(file).header().binaryLabelColumn("diagnosis", "B", "M").load();
        assertEquals(1, d.targetCount());
        assertArrayEquals(new float[] {1, 0, 1}, d.targets());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertEquals(2, d.classCount());
        assertEquals(List.of("B", "M"), d.classNames());
        assertEquals(2, d.featureCount());
        assertError(
                Csv.from(write("other.csv", "1,B\n2,X\n")).binaryLabelColumn(1, "B", "M"),
                dir.resolve("other.csv"),
                2,
                2,
                "unknown class name 'X', expected one of the binary label's [B, M]");
        assertThrows(IllegalArgumentException.class, () -> Csv.from(file).binaryLabelColumn(2, "B", "B"));
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(file)
                        .header()
                        .binaryLabelColumn(2, "B", "M")
                        .classNames("B", "M")
                        .load());
    }

    @Test
    void aBinaryLabelColumnOfZerosAndOnesTakesDecimalsToo() throws IOException {
        Path file = write("zero-one.csv", "0.5,1\n0.25,0.0\n0.75,1.0\n");
        DoubleDataset d = Csv.from(file).binaryLabelColumn(1).loadDouble();
        assertArrayEquals(new double[] {1, 0, 1}, d.targets());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertEquals(2, d.classCount());
        assertEquals(List.of(), d.classNames());
        Dataset split = d.toFloat().stratifiedSplit(0.67, 0, 1L).train();
        assertEquals(1, split.targetCount());
        Path two = write("two.csv", "0.5,1\n0.25,2\n");
        assertError(Csv.from(two).binaryLabelColumn(1), two, 2, 2, "'2' is not 0 or 1");
    }

    @Test
    void targetsFromAnotherFileRowForRow() throws IOException {
        Path x = write("X.csv", "a,b\n1,2\n3,4\n5,6\n");
        Path y = write("y.csv", "price\n10.5\n11\n12.25\n");
        Dataset d = Csv.from(x).header().targetsFrom(Csv.from(y).header()).load();
        assertEquals(2, d.featureCount());
        assertEquals(1, d.targetCount());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features());
        assertArrayEquals(new float[] {10.5f, 11, 12.25f}, d.targets());

        Path labels = write("labels.csv", "yes\nno\nyes\n");
        Dataset binary = Csv.from(x)
                .header()
                .targetsFrom(Csv.from(labels).binaryLabelColumn(0, "no", "yes"))
                .load();
        assertArrayEquals(new float[] {1, 0, 1}, binary.targets());
        assertEquals(List.of("no", "yes"), binary.classNames());
        Dataset classes = Csv.from(x)
                .header()
                .targetsFrom(Csv.from(labels).labelColumn(0))
                .load();
        assertEquals(2, classes.targetCount());
        assertArrayEquals(new int[] {0, 1, 0}, classes.labels());
    }

    @Test
    void targetsFromRefusesFilesThatDoNotPair() throws IOException {
        Path x = write("X.csv", "1,2\n3,4\n");
        Path y = write("y.csv", "10\n11\n12\n");
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> Csv.from(x).targetsFrom(Csv.from(y)).load());
        assertEquals(
                y + ": 3 data rows of targets, but the features file " + x
                        + " has 2 (targetsFrom pairs the two files row for row)",
                e.getMessage());
        Path extra = write("extra.csv", "1,yes\n2,no\n");
        assertError(Csv.from(extra), extra, 1, 2, "is not a number");
        e = assertThrows(
                DataFormatException.class,
                () -> Csv.from(x).targetsFrom(Csv.from(extra).labelColumn(1)).load());
        assertEquals(
                extra + ": line 1, column 1: column 1 of 2 is neither a target nor the label, but the file given"
                        + " to targetsFrom(...) holds targets only",
                e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(x).targetColumns(1).targetsFrom(Csv.from(y)).load());
        Csv self = Csv.from(x);
        assertThrows(IllegalArgumentException.class, () -> self.targetsFrom(self));
    }

    @Test
    void aFileOfTargetsAloneSaysHowToLoadItWithItsFeatures() throws IOException {
        Path y = write("y.csv", "price\n10.5\n11\n");
        assertError(
                Csv.from(y).header().targetColumns(0),
                y,
                1,
                1,
                "no feature columns: the file's one column is the"
                        + " target. A dataset needs at least one feature; if the features are in another file, load the two"
                        + " together with Csv.from(featuresFile).targetsFrom(Csv.from(thisFile)...)");
        assertError(Csv.from(y).header().labelColumn(0), y, 1, 1, "the file's one column is the label.");
    }

    @Test
    void inconsistentConfigurationIsRefusedBeforeReading() throws IOException {
        Path file = write("ok.csv", "1,2\n");
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(file).targetColumns(0).labelColumn(1).load());
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(file).targetColumns("a").load());
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(file).targetColumns(1, 1).load());
        assertThrows(
                IllegalStateException.class,
                () -> Csv.from(file).labelIndexColumn(1, 2).classNames("a").load());
        assertThrows(IllegalArgumentException.class, () -> Csv.from(file).classNames("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> Csv.from(file).skipLines(-1));
        assertThrows(IllegalArgumentException.class, () -> Csv.from(file).targetColumns(-1));
        assertThrows(IllegalArgumentException.class, () -> Csv.from(file).labelIndexColumn(1, 0));
    }
}
