package dev.chainrule.examples.serving;

/**
 * A request the scoring service refuses: the status to answer with (400 unless said otherwise)
 * and a message for the client that says what was wrong.
 */
final class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequestException(String message) {
        this(400, message);
    }

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status code to answer with. */
    int status() {
        return status;
    }
}
