package dev.chainrule.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, decompressing gzip'd ones, which are recognised by their magic bytes. */
final class Inputs {
    private static final int BUFFER = 1 << 16;

    private Inputs() {}

    /**
     * An open file and, when it is not compressed, its size in bytes.
     *
     * @param stream the (decompressed) content, buffered
     * @param size the number of bytes the stream will deliver, or -1 if unknown (gzip)
     */
    record Opened(InputStream stream, long size) {}

    /**
     * Opens {@code file}.
     *
     * @throws FileSystemException naming the file if it is a directory (a missing file throws
     *     {@link java.nio.file.NoSuchFileException}, which names it too)
     */
    static Opened open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            // Opening one succeeds on Linux and the first read fails with "Is a directory", naming nothing.
            throw new FileSystemException(file.toString(), null, "is a directory, not a data file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            if (gzip) {
                return new Opened(new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER), -1);
            }
            return new Opened(raw, Files.size(file));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * What a {@link java.util.zip.ZipException} or {@link java.io.EOFException} from a gzip'd
     * stream means, for an error message; an early end carries no message of its own.
     */
    static String corruptGzip(IOException e) {
        return "corrupt gzip data (" + (e.getMessage() != null ? e.getMessage() : "it ends early") + ")";
    }
}
