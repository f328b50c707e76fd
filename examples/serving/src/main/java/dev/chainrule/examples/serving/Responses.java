package dev.chainrule.examples.serving;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing the service's JSON responses, and the words for the statuses Jetty itself answers with. */
final class Responses {
    private Responses() {}

    /** Answers with {@code status} and the JSON {@code body}, completing {@code callback}. */
    static void json(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Answers with {@code status} and {@code {"error":message}}. */
    static void error(Response response, Callback callback, int status, String message) {
        json(response, callback, status, Json.error(message));
    }

    /** {@link #error} that also closes the connection afterwards. */
    static void errorAndClose(Response response, Callback callback, int status, String message) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        error(response, callback, status, message);
    }

    /**
     * What an error status Jetty answers by itself (a request it cannot parse, a limit of its
     * own, a failure outside the service's code) means, in words for the client. Never the
     * exception behind it: that stays in the log.
     *
     * @param maxHeaderBytes the header limit, which the 431 message names
     */
    static String describe(int status, int maxHeaderBytes) {
        return switch (status) {
            case 400 -> "the request is not valid HTTP/1.1";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the request target is too long";
            case 431 -> "the request line and headers are larger than " + maxHeaderBytes + " bytes";
            case 500 -> "internal error; the service's log has the details";
            case 503 -> "the service is at its limit of concurrent requests; try again shortly";
            case 505 -> "this HTTP version is not supported; use HTTP/1.1";
            default -> {
                String reason = HttpStatus.getMessage(status);
                yield reason != null ? reason.toLowerCase(java.util.Locale.ROOT) : "error " + status;
            }
        };
    }
}
