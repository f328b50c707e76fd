package dev.chainrule.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceLimitsTest {
    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ServiceLimits limits = ServiceLimits.defaults();
        assertEquals(4096, limits.maxBodyBytes());
        assertEquals(8192, limits.maxHeaderBytes());
        assertEquals(Duration.ofSeconds(5), limits.readTimeout());
        assertEquals(Duration.ofSeconds(30), limits.idleTimeout());
        assertEquals(64, limits.maxConcurrentRequests());
        assertEquals(256, limits.maxQueuedRequests());
        assertEquals(Duration.ofMillis(100), limits.maxQueueWait());
        assertEquals(1024, limits.maxConnections());
        assertEquals(Duration.ofSeconds(10), limits.shutdownGrace());
    }

    @Test
    void eachWitherChangesOnlyItsOwnLimits() {
        ServiceLimits d = ServiceLimits.defaults();
        assertEquals(
                Duration.ofMillis(7), d.withReadTimeout(Duration.ofMillis(7)).readTimeout());
        assertEquals(d.idleTimeout(), d.withReadTimeout(Duration.ofMillis(7)).idleTimeout());
        assertEquals(
                Duration.ofMillis(8), d.withIdleTimeout(Duration.ofMillis(8)).idleTimeout());
        ServiceLimits small = d.withConcurrency(2, 0, Duration.ofMillis(9));
        assertEquals(2, small.maxConcurrentRequests());
        assertEquals(0, small.maxQueuedRequests());
        assertEquals(Duration.ofMillis(9), small.maxQueueWait());
        assertEquals(d.maxBodyBytes(), small.maxBodyBytes());
        assertEquals(
                Duration.ofSeconds(1),
                d.withShutdownGrace(Duration.ofSeconds(1)).shutdownGrace());
    }

    @Test
    void refusesLimitsThatCannotWorkNamingThem() {
        ServiceLimits d = ServiceLimits.defaults();
        assertEquals(
                "maxConcurrentRequests is 0, expected at least 1",
                assertThrows(IllegalArgumentException.class, () -> d.withConcurrency(0, 1, Duration.ofMillis(1)))
                        .getMessage());
        assertEquals(
                "maxQueuedRequests is -1, expected at least 0",
                assertThrows(IllegalArgumentException.class, () -> d.withConcurrency(1, -1, Duration.ofMillis(1)))
                        .getMessage());
        assertEquals(
                "readTimeout is PT0S, expected a positive duration",
                assertThrows(IllegalArgumentException.class, () -> d.withReadTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "idleTimeout is null, expected a positive duration",
                assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(null))
                        .getMessage());
        assertEquals(
                "maxBodyBytes is 0, expected at least 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new ServiceLimits(
                                        0,
                                        1,
                                        Duration.ofSeconds(1),
                                        Duration.ofSeconds(1),
                                        1,
                                        0,
                                        Duration.ofSeconds(1),
                                        1,
                                        Duration.ofSeconds(1)))
                        .getMessage());
    }
}
