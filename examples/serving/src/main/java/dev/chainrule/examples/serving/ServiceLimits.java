package dev.chainrule.examples.serving;

import java.time.Duration;

/**
 * The limits {@link IrisService} enforces, so that no client, slow, malformed or too many, can
 * take the service down for the others. {@link #defaults()} gives the values the README
 * documents; the {@code with...} methods change one.
 *
 * @param maxBodyBytes the largest request body accepted; a longer one is answered with 413
 * @param maxHeaderBytes the largest request line and headers accepted; larger ones get 431
 * @param readTimeout the longest a request's body may take to arrive, from the moment its
 *     headers have; a slower one is answered with 408 and its connection closed
 * @param idleTimeout how long a connection may pass no bytes either way before it is closed:
 *     between keep-alive requests, and while a client sends its headers
 * @param maxConcurrentRequests how many requests are handled at once, including those whose
 *     body is still arriving
 * @param maxQueuedRequests how many requests beyond that wait for a slot; one more is answered
 *     with 503 at once
 * @param maxQueueWait the longest a request waits for a slot before it is answered with 503
 * @param maxConnections how many connections are open at once; beyond that the service stops
 *     accepting until one closes
 * @param shutdownGrace how long {@link IrisService#close()} lets requests in flight finish
 */
public record ServiceLimits(
        int maxBodyBytes,
        int maxHeaderBytes,
        Duration readTimeout,
        Duration idleTimeout,
        int maxConcurrentRequests,
        int maxQueuedRequests,
        Duration maxQueueWait,
        int maxConnections,
        Duration shutdownGrace) {

    /**
     * Checks every limit.
     *
     * @throws IllegalArgumentException if a size or count is below 1 (the queue: below 0) or a
     *     duration is not positive, naming the limit
     */
    public ServiceLimits {
        atLeast("maxBodyBytes", maxBodyBytes, 1);
        atLeast("maxHeaderBytes", maxHeaderBytes, 1);
        positive("readTimeout", readTimeout);
        positive("idleTimeout", idleTimeout);
        atLeast("maxConcurrentRequests", maxConcurrentRequests, 1);
        atLeast("maxQueuedRequests", maxQueuedRequests, 0);
        positive("maxQueueWait", maxQueueWait);
        atLeast("maxConnections", maxConnections, 1);
        positive("shutdownGrace", shutdownGrace);
    }

    /**
     * A body of 4096 bytes, headers of 8192, a read timeout of 5 s and an idle timeout of 30 s,
     * 64 requests at once with 256 more waiting up to 100 ms, 1024 connections, and 10 s for
     * requests in flight at shutdown.
     */
    public static ServiceLimits defaults() {
        return new ServiceLimits(
                4096,
                8192,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                64,
                256,
                Duration.ofMillis(100),
                1024,
                Duration.ofSeconds(10));
    }

    /** These limits with another {@link #readTimeout()}. */
    public ServiceLimits withReadTimeout(Duration timeout) {
        return new ServiceLimits(
                maxBodyBytes,
                maxHeaderBytes,
                timeout,
                idleTimeout,
                maxConcurrentRequests,
                maxQueuedRequests,
                maxQueueWait,
                maxConnections,
                shutdownGrace);
    }

    /** These limits with another {@link #idleTimeout()}. */
    public ServiceLimits withIdleTimeout(Duration timeout) {
        return new ServiceLimits(
                maxBodyBytes,
                maxHeaderBytes,
                readTimeout,
                timeout,
                maxConcurrentRequests,
                maxQueuedRequests,
                maxQueueWait,
                maxConnections,
                shutdownGrace);
    }

    /** These limits with another {@link #maxConcurrentRequests()}, {@link #maxQueuedRequests()} and {@link #maxQueueWait()}. */
    public ServiceLimits withConcurrency(int concurrent, int queued, Duration queueWait) {
        return new ServiceLimits(
                maxBodyBytes,
                maxHeaderBytes,
                readTimeout,
                idleTimeout,
                concurrent,
                queued,
                queueWait,
                maxConnections,
                shutdownGrace);
    }

    /** These limits with another {@link #shutdownGrace()}. */
    public ServiceLimits withShutdownGrace(Duration grace) {
        return new ServiceLimits(
                maxBodyBytes,
                maxHeaderBytes,
                readTimeout,
                idleTimeout,
                maxConcurrentRequests,
                maxQueuedRequests,
                maxQueueWait,
                maxConnections,
                grace);
    }

    private static void atLeast(String name, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(name + " is " + value + ", expected at least " + least);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " is " + value + ", expected a positive duration");
        }
    }
}
