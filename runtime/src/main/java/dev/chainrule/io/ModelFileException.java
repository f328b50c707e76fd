package dev.chainrule.io;

import java.io.IOException;

/**
 * A model file that cannot be read or written as it is: wrong magic number, unknown version, a
 * different network, damaged or truncated contents, non-finite parameters, lengths out of
 * bounds. The message says what is wrong and where (the source, and the byte offset and field
 * for a file being read).
 *
 * <p>Failures of the underlying file system or stream are plain {@link IOException}s, not this
 * type: catching {@code ModelFileException} catches exactly "this is not a usable model file
 * for this model".
 */
public final class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says what is wrong and where. */
    public ModelFileException(String message) {
        super(message);
    }
}
