package dev.chainrule.examples.serving;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error responses (a request it could not parse, headers over the limit, a failure
 * outside the service's handlers) as the service's own: {@code {"error":"..."}} in words from
 * {@link Responses#describe}, never Jetty's HTML page nor the message or class of the exception
 * behind it.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final int maxHeaderBytes;

    JsonErrorHandler(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        Responses.error(response, callback, code, Responses.describe(code, maxHeaderBytes));
    }
}
