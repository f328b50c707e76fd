package dev.chainrule.onnx;

import java.io.IOException;

/**
 * An ONNX file that cannot be used as it is: bytes that are not an ONNX model (truncated or
 * corrupt protobuf), a graph Chainrule does not import (an operator, attribute or data layout it
 * does not support, external data, a cycle), a tensor whose claimed size its bytes do not hold,
 * or a graph that does not match the network it is loaded into. The message says what is wrong
 * and where: the file, the node or tensor by name, and what was expected beside what was found.
 *
 * <p>Failures of the file system itself are plain {@link IOException}s, not this type.
 */
public final class OnnxException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message says what is wrong and where. */
    public OnnxException(String message) {
        super(message);
    }

    /** Creates an exception whose message says what is wrong and where, caused by {@code cause}. */
    public OnnxException(String message, Throwable cause) {
        super(message, cause);
    }
}
