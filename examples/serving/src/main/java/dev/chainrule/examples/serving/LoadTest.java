package dev.chainrule.examples.serving;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.serve.Preprocessing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded load test of {@link IrisService} over loopback HTTP, beside the same model called
 * in process. It trains and saves the iris model, starts the service on a free loopback port,
 * and measures:
 * <ol>
 *   <li>{@code POST /predict} from {@code --clients} threads, each with its own keep-alive
 *       {@link HttpClient} (HTTP/1.1), {@code --requests} requests in all after {@code --warmup}
 *       unmeasured ones, each timed from sending it until the whole response body has been read;
 *   <li>{@code predict} called directly on pre-scaled rows, {@code --calls} calls per thread
 *       after as many unmeasured ones, each timed with {@link System#nanoTime()}, on one thread
 *       and on {@code --clients} threads (one {@code withSharedParameters()} sibling each).
 * </ol>
 * For each it prints the count, the throughput and the 50th, 99th and 99.9th percentile latency
 * (nearest rank). Every phase also stops at {@code --seconds}, so a slow machine ends the run
 * early rather than late, and the report says how many were measured.
 *
 * <p>Run from the repository root after {@code mvn -B -q package -DskipTests}: {@code java -cp
 * runtime/target/chainrule-runtime.jar:examples/serving/target/chainrule-serving-example.jar
 * dev.chainrule.examples.serving.LoadTest}.
 */
public final class LoadTest {
    private LoadTest() {}

    /** Latencies of one phase, in nanoseconds, sorted, and the wall time the phase took. */
    private record Phase(String name, long[] nanos, long wallNanos) {
        Phase {
            nanos = nanos.clone();
            Arrays.sort(nanos);
        }

        /** The nearest-rank percentile {@code p} (0 < p <= 100), in microseconds. */
        double percentileMicros(double p) {
            int rank = (int) Math.ceil(p / 100 * nanos.length);
            return nanos[Math.max(0, rank - 1)] / 1_000.0;
        }

        double perSecond() {
            return nanos.length / (wallNanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args,
                Set.of("--requests", "--warmup", "--clients", "--server-threads", "--calls", "--seconds", "--data"));
        int requests = options.getInt("--requests", 20_000);
        int warmup = options.getInt("--warmup", 2_000);
        int clients = Math.max(1, options.getInt("--clients", 4));
        int serverThreads = Math.max(1, options.getInt("--server-threads", 4));
        int calls = options.getInt("--calls", 1_000_000);
        long deadlineNanos = options.getInt("--seconds", 60) * 1_000_000_000L;
        Path csv = Path.of(options.get("--data", "examples/data/iris.csv"));

        Path file = Files.createTempFile("iris-load-", ".chainrule");
        try {
            IrisService.trainAndSave(csv, file, 7L);
            Dataset rows = IrisTraining.load(csv);
            List<String> bodies = new ArrayList<>();
            for (int r = 0; r < rows.rows(); r++) {
                float[] f = Arrays.copyOfRange(rows.features(), r * Iris.MEASUREMENTS, (r + 1) * Iris.MEASUREMENTS);
                bodies.add(Json.predictRequest(f));
            }

            List<Phase> phases = new ArrayList<>();
            try (IrisService service = IrisService.startOnLoopback(file, 0, ServiceLimits.defaults())) {
                URI uri = URI.create("http://127.0.0.1:" + service.port() + "/predict");
                phases.add(http(uri, bodies, clients, warmup, requests, deadlineNanos));
            }

            IrisModel model = new IrisModel(0L);
            FeatureScaler scaler = Preprocessing.load(file, model).orElseThrow();
            float[] scaled = rows.features();
            for (int r = 0; r < rows.rows(); r++) {
                scaler.applyInPlace(scaled, r * Iris.MEASUREMENTS);
            }
            phases.add(inProcess(model, scaled, rows.rows(), 1, calls, deadlineNanos));
            phases.add(inProcess(model, scaled, rows.rows(), clients, calls, deadlineNanos));

            System.out.printf("Chainrule load test: %s; %d cores, Java %s%n", IrisModel.SPEC.describe(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("%-44s %10s %12s %10s %10s %10s%n", "", "measured", "per second", "p50 us", "p99 us",
                    "p99.9 us");
            for (Phase phase : phases) {
                System.out.printf("%-44s %10d %12.0f %10.2f %10.2f %10.2f%n", phase.name(), phase.nanos().length,
                        phase.perSecond(), phase.percentileMicros(50), phase.percentileMicros(99),
                        phase.percentileMicros(99.9));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code clients} threads sharing {@code requests} measured requests to {@code uri}. */
    private static Phase http(URI uri, List<String> bodies, int clients, int warmup, int requests, long deadlineNanos)
            throws Exception {
        return run("HTTP POST /predict, " + clients + " client threads", clients, deadlineNanos, client -> {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            return index -> {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get((index * 31 + client) % bodies.size())))
                        .build();
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long elapsed = System.nanoTime() - start;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
                }
                return elapsed;
            };
        }, warmup / clients, requests / clients);
    }

    /** {@code threads} threads each making {@code calls} timed predictions, after as many untimed. */
    private static Phase inProcess(IrisModel model, float[] scaled, int rows, int threads, int calls,
            long deadlineNanos) throws Exception {
        String name = "in-process predict, " + threads + (threads == 1 ? " thread" : " threads");
        return run(name, threads, deadlineNanos, thread -> {
            IrisModel sibling = model.withSharedParameters();
            float[] out = new float[Iris.SPECIES];
            return index -> {
                int row = (index * 31 + thread) % rows;
                long start = System.nanoTime();
                sibling.predict(scaled, row * Iris.MEASUREMENTS, out, 0);
                return System.nanoTime() - start;
            };
        }, calls, calls);
    }

    /** One timed operation, given the index of the call; returns its latency in nanoseconds. */
    private interface Timed {
        long run(int index) throws Exception;
    }

    /** What one worker measured: its latencies, and when its measured calls began and ended. */
    private record Part(long[] nanos, long start, long end) {}

    /** Makes a worker's operation, on the worker's own thread. */
    private interface Workers {
        Timed make(int worker) throws Exception;
    }

    /**
     * Runs {@code workers} threads, each doing {@code warmup} unmeasured then {@code count}
     * measured operations, stopping early at the deadline. The throughput is over the time from
     * the first measured call to the last.
     */
    private static Phase run(String name, int workers, long deadlineNanos, Workers factory, int warmup, int count)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long end = System.nanoTime() + deadlineNanos;
            List<Callable<Part>> tasks = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                tasks.add(() -> {
                    Timed timed = factory.make(worker);
                    for (int i = 0; i < warmup && System.nanoTime() < end; i++) {
                        timed.run(i);
                    }
                    long[] nanos = new long[count];
                    int done = 0;
                    long first = System.nanoTime();
                    while (done < count && System.nanoTime() < end) {
                        nanos[done] = timed.run(done);
                        done++;
                    }
                    return new Part(Arrays.copyOf(nanos, done), first, System.nanoTime());
                });
            }
            long[] all = new long[0];
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (Future<Part> result : pool.invokeAll(tasks)) {
                Part part = result.get();
                int at = all.length;
                all = Arrays.copyOf(all, at + part.nanos().length);
                System.arraycopy(part.nanos(), 0, all, at, part.nanos().length);
                first = Math.min(first, part.start());
                last = Math.max(last, part.end());
            }
            return new Phase(name, all, last - first);
        } finally {
            pool.shutdownNow();
        }
    }
}
