package dev.chainrule.examples.serving;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body without holding a thread while it arrives, and refuses it once it is
 * larger than a limit or slower than a deadline. Jetty calls back as bytes arrive ({@link
 * Content.Source#demand}), so a client that sends half a body and stops costs a connection and
 * a little memory, never a request thread, and only until the deadline.
 *
 * <p>The result completes with the body, or exceptionally with a {@link BadRequestException}:
 * {@code 413} when the declared or received length is over the limit, {@code 408} when the body
 * has not arrived whole by the deadline, {@code 400} when the connection failed while reading.
 */
final class BodyReader implements Runnable {
    private final Request request;
    private final int maxBytes;
    private final Duration timeout;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private byte[] bytes = new byte[256];
    private int count;

    private BodyReader(Request request, int maxBytes, Duration timeout) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    /**
     * Starts reading the body of {@code request}.
     *
     * @param maxBytes the largest body accepted
     * @param timeout how long the whole body may take to arrive, from now
     * @return the body, once it has arrived whole
     */
    static CompletableFuture<byte[]> read(Request request, int maxBytes, Duration timeout) {
        BodyReader reader = new BodyReader(request, maxBytes, timeout);
        HttpField length = request.getHeaders().getField(HttpHeader.CONTENT_LENGTH);
        if (length != null && length.getLongValue() > maxBytes) {
            reader.result.completeExceptionally(tooLarge(maxBytes)); // refused before reading a byte
            return reader.result;
        }
        Scheduler.Task deadline = request.getComponents().getScheduler().schedule(reader::expire, timeout);
        reader.result.whenComplete((body, failure) -> deadline.cancel());
        reader.run();
        return reader.result;
    }

    private static BadRequestException tooLarge(int maxBytes) {
        return new BadRequestException(413, "the body is larger than " + maxBytes + " bytes");
    }

    private void expire() {
        result.completeExceptionally(new BadRequestException(
                408, "the body did not arrive within the read timeout of " + timeout.toMillis() + " ms"));
    }

    /** Takes every chunk that has arrived, then asks to be called again when more does. */
    @Override
    public void run() {
        while (!result.isDone()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                result.completeExceptionally(
                        failure instanceof TimeoutException
                                ? new BadRequestException(408, "the connection was idle while the body was being read")
                                : new BadRequestException("the connection failed while the body was being read"));
                return;
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int n = buffer.remaining();
            if (n > maxBytes - count) {
                chunk.release();
                result.completeExceptionally(tooLarge(maxBytes));
                return;
            }
            if (count + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(count + n, 2 * bytes.length)));
            }
            buffer.get(bytes, count, n);
            count += n;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                result.complete(Arrays.copyOf(bytes, count));
            }
        }
    }
}
