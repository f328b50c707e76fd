package dev.chainrule.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short, bounded run of {@link LoadTest}: every phase runs, every good request gets its
 * prediction, and neither slow nor malformed clients hold good ones up for as long as the read
 * timeout. How the latencies compare is measured by running {@link LoadTest#main}, not asserted
 * here.
 */
class LoadTestTest {
    @Test
    @Timeout(120) // guards against a hang; the run itself is bounded by its request counts
    void aShortRunMeasuresEveryPhaseAndEveryGoodRequestSucceeds() throws Exception {
        Duration readTimeout = Duration.ofSeconds(1);
        LoadTest.Config config =
                new LoadTest.Config(300, 60, 2, 4, 2, 0, 1_000, 60, readTimeout, Path.of("../data/iris.csv"));
        LoadTest.Report report = LoadTest.run(config);

        assertTrue(report.goodFailures().isEmpty(), report.goodFailures().toString());
        for (LoadTest.Phase phase :
                new LoadTest.Phase[] {report.undisturbed(), report.withSlowClients(), report.withMalformed()}) {
            assertEquals(300, phase.count(), phase.name());
            assertTrue(
                    phase.maxMicros() < readTimeout.toNanos() / 1_000.0,
                    phase.name() + ": a good request waited " + phase.maxMicros() + " us");
        }
        assertTrue(report.slow().answered() >= 4, "each slow client saw its stalled request answered");
        assertEquals(
                report.slow().answered(),
                report.slow().expected(),
                report.slow().unexpected().toString());
        assertTrue(report.malformed().answered() >= 2, "each malformed client was answered");
        assertEquals(
                report.malformed().answered(),
                report.malformed().expected(),
                report.malformed().unexpected().toString());
        assertTrue(report.allAsExpected());
        assertEquals(2, report.inProcess().size());
        assertEquals(1_000, report.inProcess().get(0).count());
    }
}
