package dev.chainrule.examples.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The service's metrics, kept by Micrometer and written in the Prometheus text format by {@code
 * GET /metrics}:
 * <ul>
 *   <li>{@code chainrule_http_requests_seconds} (a histogram; {@code _count} is the number of
 *       requests): every request answered, by {@code route} ({@code /predict}, {@code /health},
 *       {@code /reload}, {@code /metrics} or {@code other}) and {@code status}, timed from its
 *       headers to the end of its response. Refusals for load (503) and for slowness (408) count
 *       too; requests Jetty cannot parse as HTTP do not reach it.
 *   <li>{@code chainrule_model_version}: the version of the model being served, 1 at start.
 *   <li>{@code chainrule_model_info}: 1, with the served model's {@code version}, {@code
 *       fingerprint} (of its parameters and scaler, see {@link IrisService#fingerprint}) and
 *       {@code network} (the shape the file must have) as labels.
 *   <li>{@code chainrule_model_reloads_total}: reloads by {@code result}, {@code ok} or {@code
 *       failed}.
 * </ul>
 */
final class ServiceMetrics {
    /** The histogram's bucket bounds: from 100 us to 10 s. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private static final List<String> ROUTES = List.of("/predict", "/health", "/reload", "/metrics");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge modelInfo;
    private final Counter reloadsOk;
    private final Counter reloadsFailed;

    /** Metrics for a service whose model version {@code version} reads. */
    ServiceMetrics(LongSupplier version) {
        Gauge.builder("chainrule.model.version", version, v -> v.getAsLong())
                .description("The version of the model being served: 1 at start, one more after each reload")
                .register(registry);
        modelInfo = MultiGauge.builder("chainrule.model.info")
                .description("The model being served, in labels; the value is always 1")
                .register(registry);
        reloadsOk = reloads("ok");
        reloadsFailed = reloads("failed");
    }

    private Counter reloads(String result) {
        return Counter.builder("chainrule.model.reloads")
                .description("Reloads of the model file, by result")
                .tag("result", result)
                .register(registry);
    }

    /** Records that the model {@code version} with {@code fingerprint} of {@code network} is now served. */
    void modelServed(long version, String fingerprint, String network) {
        modelInfo.register(
                List.of(MultiGauge.Row.of(
                        Tags.of("version", Long.toString(version), "fingerprint", fingerprint, "network", network), 1)),
                true);
    }

    /** Counts a reload that succeeded or failed. */
    void reloaded(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    /** Records a request to {@code path} answered with {@code status} after {@code nanos}. */
    void request(String path, int status, long nanos) {
        Timer.builder("chainrule.http.requests")
                .description("Requests answered, by route and status, from their headers to the end of the response")
                .tags("route", ROUTES.contains(path) ? path : "other", "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Every metric in the Prometheus text format, version 0.0.4. */
    String scrape() {
        return registry.scrape();
    }

    /** A handler that records every request that passes through it into these metrics. */
    Handler.Wrapper handler(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                long start = System.nanoTime();
                String path = Request.getPathInContext(request);
                Request.addCompletionListener(
                        request, failure -> request(path, response.getStatus(), System.nanoTime() - start));
                return super.handle(request, response, callback);
            }
        };
    }
}
