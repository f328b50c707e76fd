package dev.chainrule.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Data that does not have the promised format: a malformed CSV or IDX file, or corrupt saved
 * preprocessing. The message always says where (file and 1-based line and column for text, file
 * and byte offset for binary files) and what is wrong; the position is also available from the
 * accessors.
 *
 * <p>It is an {@link IOException} because it is found while reading, and code that reads data
 * handles I/O failures already.
 */
public final class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final int column;

    private DataFormatException(String message, Path file, long line, int column) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** A problem that has no position in a file, e.g. in a stream of saved preprocessing. */
    public DataFormatException(String message) {
        this(message, null, -1, -1);
    }

    /** A problem at a 1-based line and column of a text file. */
    static DataFormatException atLine(Path file, long line, int column, String what) {
        return new DataFormatException(
                file + ": line " + line + ", column " + column + ": " + what, file, line, column);
    }

    /** A problem at a byte offset (0-based, counted in the decompressed data) of a binary file. */
    static DataFormatException atByte(Path file, long offset, String what) {
        return new DataFormatException(file + ": byte " + offset + ": " + what, file, -1, -1);
    }

    /** A problem with a file as a whole. */
    static DataFormatException inFile(Path file, String what) {
        return new DataFormatException(file + ": " + what, file, -1, -1);
    }

    /** The file the problem is in, or {@code null} if it did not come from a file. */
    public Path file() {
        return file;
    }

    /** The 1-based line of a text file the problem is on, or -1. */
    public long line() {
        return line;
    }

    /** The 1-based column of a text file the problem is in, or -1. */
    public int column() {
        return column;
    }
}
