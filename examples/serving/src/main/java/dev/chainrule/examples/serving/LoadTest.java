package dev.chainrule.examples.serving;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.serve.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load test of {@link IrisService} over loopback HTTP, beside the same model called
 * in process. It trains and saves the iris model, starts the service on a free loopback port
 * with {@link ServiceLimits#defaults()} (and {@code --read-timeout-ms}), and measures {@code POST
 * /predict} from {@code --clients} good clients, each a thread with its own keep-alive {@link
 * HttpClient} (HTTP/1.1) sending {@code --requests} requests in all after {@code --warmup}
 * unmeasured ones, each timed from sending it until the whole response has been read, in three
 * phases:
 * <ol>
 *   <li>undisturbed;
 *   <li>while {@code --slow-clients} slow clients each send the headers and half the body of a
 *       request and then nothing, over and over: each waits for the service's 408, then opens a
 *       new connection;
 *   <li>while {@code --malformed-clients} clients send {@code --malformed-rate} malformed
 *       requests a second each (0: without pause): bad JSON, a wrong field, NaN, a body over the
 *       limit, a feature the scaler cannot take, a wrong method or path, and bytes that are not
 *       HTTP, checking that each gets its 4xx.
 * </ol>
 * The disturbing clients run exactly as long as the good clients' measured requests of their
 * phase. Then it times {@code predict} called directly on pre-scaled rows, {@code --calls}
 * calls per thread after as many unmeasured ones, on one thread and on {@code --clients}
 * threads.
 *
 * <p>For each phase it prints the count, the throughput and the 50th, 99th and 99.9th
 * percentile and the largest latency (nearest rank), and for the disturbed phases their p99 as
 * a multiple of the undisturbed p99 and whether it held within 2x. It also reports what the
 * disturbing clients got, and fails (exit status 1) if a good request got anything but 200 or a
 * disturbing one anything but its expected status. Every phase also stops at {@code --seconds},
 * so a slow machine ends the run early rather than late, and the report says how many were
 * measured.
 *
 * <p>Run from the repository root after {@code mvn -B -q package -DskipTests}: {@code java -cp
 * runtime/target/chainrule-runtime.jar:examples/serving/target/chainrule-serving-example.jar:...
 * dev.chainrule.examples.serving.LoadTest} (the README gives the whole class path).
 */
public final class LoadTest {
    private LoadTest() {}

    /**
     * What to run.
     *
     * @param requests measured good requests per phase, shared among the clients
     * @param warmup unmeasured good requests before the first phase
     * @param clients good client threads
     * @param slowClients slow clients in the second phase
     * @param malformedClients malformed-request clients in the third phase
     * @param malformedRate requests per second each malformed-request client sends (0: no pause)
     * @param calls timed in-process calls per thread (0 leaves the in-process phases out)
     * @param seconds the most any phase runs
     * @param readTimeout the service's read timeout, which bounds how long a slow client holds a request
     * @param csv the iris data
     */
    public record Config(
            int requests,
            int warmup,
            int clients,
            int slowClients,
            int malformedClients,
            int malformedRate,
            int calls,
            int seconds,
            Duration readTimeout,
            Path csv) {
        /** The defaults of {@link #main}. */
        public static Config defaults() {
            return new Config(
                    20_000,
                    20_000,
                    4,
                    16,
                    4,
                    250,
                    1_000_000,
                    60,
                    Duration.ofSeconds(2),
                    Path.of("examples/data/iris.csv"));
        }
    }

    /** Latencies of one phase, in nanoseconds, sorted, and the wall time the phase took. */
    public record Phase(String name, long[] nanos, long wallNanos) {
        /** Sorts a copy of the latencies. */
        public Phase {
            nanos = nanos.clone();
            Arrays.sort(nanos);
        }

        /** How many operations were measured. */
        public int count() {
            return nanos.length;
        }

        /** The nearest-rank percentile {@code p} (0 < p <= 100), in microseconds. */
        public double percentileMicros(double p) {
            if (nanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100 * nanos.length);
            return nanos[Math.max(0, rank - 1)] / 1_000.0;
        }

        /** The largest latency, in microseconds. */
        public double maxMicros() {
            return nanos.length == 0 ? Double.NaN : nanos[nanos.length - 1] / 1_000.0;
        }

        /** Operations per second over the phase's wall time. */
        public double perSecond() {
            return nanos.length / (wallNanos / 1e9);
        }
    }

    /**
     * What the disturbing clients of a phase got.
     *
     * @param answered requests answered (a request cut short by the end of the phase is not counted)
     * @param expected those answered with the status they were meant to get
     * @param unexpected what the others got instead
     */
    public record Disturbance(long answered, long expected, List<String> unexpected) {}

    /**
     * What a run measured.
     *
     * @param undisturbed good clients alone
     * @param withSlowClients good clients while slow clients stall
     * @param withMalformed good clients while malformed requests arrive
     * @param slow what the slow clients got: requests begun, and 408s received
     * @param malformed what the malformed clients got: requests sent, and expected refusals
     * @param goodFailures answers to good requests other than a 200 prediction (none in a good run)
     * @param inProcess the in-process phases, empty if {@code calls} was 0
     */
    public record Report(
            Phase undisturbed,
            Phase withSlowClients,
            Phase withMalformed,
            Disturbance slow,
            Disturbance malformed,
            List<String> goodFailures,
            List<Phase> inProcess) {
        /** A disturbed phase's p99 as a multiple of the undisturbed p99. */
        public double p99Ratio(Phase disturbed) {
            return disturbed.percentileMicros(99) / undisturbed.percentileMicros(99);
        }

        /** Whether every good request got its prediction and every disturbing one its expected refusal. */
        public boolean allAsExpected() {
            return goodFailures.isEmpty()
                    && slow.unexpected().isEmpty()
                    && malformed.unexpected().isEmpty();
        }
    }

    /** Runs the load test with the options described in the class comment and prints its report. */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(
                args,
                Set.of(
                        "--requests",
                        "--warmup",
                        "--clients",
                        "--slow-clients",
                        "--malformed-clients",
                        "--malformed-rate",
                        "--calls",
                        "--seconds",
                        "--read-timeout-ms",
                        "--data"));
        Config d = Config.defaults();
        Config config = new Config(
                options.getInt("--requests", d.requests()),
                options.getInt("--warmup", d.warmup()),
                Math.max(1, options.getInt("--clients", d.clients())),
                options.getInt("--slow-clients", d.slowClients()),
                options.getInt("--malformed-clients", d.malformedClients()),
                options.getInt("--malformed-rate", d.malformedRate()),
                options.getInt("--calls", d.calls()),
                options.getInt("--seconds", d.seconds()),
                Duration.ofMillis(Math.max(1, options.getInt("--read-timeout-ms", (int)
                        d.readTimeout().toMillis()))),
                Path.of(options.get("--data", d.csv().toString())));
        Report report = run(config);
        print(config, report);
        if (!report.allAsExpected()) {
            System.exit(1);
        }
    }

    /** Runs every phase of {@code config} and returns what they measured. */
    public static Report run(Config config) throws Exception {
        Path file = Files.createTempFile("iris-load-", ".chainrule");
        try {
            IrisService.trainAndSave(config.csv(), file, 7L);
            Dataset rows = IrisTraining.load(config.csv());
            List<String> bodies = new ArrayList<>();
            for (int r = 0; r < rows.rows(); r++) {
                bodies.add(Json.predictRequest(
                        Arrays.copyOfRange(rows.features(), r * Iris.MEASUREMENTS, (r + 1) * Iris.MEASUREMENTS)));
            }
            long deadlineNanos = config.seconds() * 1_000_000_000L;
            List<String> goodFailures = java.util.Collections.synchronizedList(new ArrayList<>());
            ServiceLimits limits = ServiceLimits.defaults().withReadTimeout(config.readTimeout());
            Phase undisturbed;
            Phase withSlow;
            Phase withMalformed;
            Disturbance slow;
            Disturbance malformed;
            try (IrisService service = IrisService.startOnLoopback(file, 0, limits)) {
                URI uri = URI.create("http://127.0.0.1:" + service.port() + "/predict");
                int perClient = Math.max(1, config.requests() / config.clients());
                http(
                        "warm-up",
                        uri,
                        bodies,
                        config.clients(),
                        config.warmup() / config.clients(),
                        deadlineNanos,
                        goodFailures);
                undisturbed = http(
                        "HTTP POST /predict, undisturbed",
                        uri,
                        bodies,
                        config.clients(),
                        perClient,
                        deadlineNanos,
                        goodFailures);

                Duration patience = config.readTimeout().multipliedBy(3).plusSeconds(1);
                Disturbers slowClients = new Disturbers(
                        config.slowClients(),
                        patience,
                        (stop, began) -> slowClient(service.port(), bodies.get(0), config.readTimeout(), stop, began));
                try {
                    withSlow = http(
                            "... with " + config.slowClients() + " slow clients",
                            uri,
                            bodies,
                            config.clients(),
                            perClient,
                            deadlineNanos,
                            goodFailures);
                } finally {
                    slow = slowClients.stop();
                }

                Disturbers malformedClients = new Disturbers(
                        config.malformedClients(),
                        patience,
                        (stop, began) -> malformedClient(service.port(), bodies.get(0), config.malformedRate(), began));
                try {
                    withMalformed = http(
                            "... with " + config.malformedClients() + " malformed clients"
                                    + (config.malformedRate() > 0 ? ", " + config.malformedRate() + "/s each" : ""),
                            uri,
                            bodies,
                            config.clients(),
                            perClient,
                            deadlineNanos,
                            goodFailures);
                } finally {
                    malformed = malformedClients.stop();
                }
            }

            List<Phase> inProcess = new ArrayList<>();
            if (config.calls() > 0) {
                IrisModel model = new IrisModel(0L);
                FeatureScaler scaler = Preprocessing.load(file, model).orElseThrow();
                float[] scaled = rows.features();
                for (int r = 0; r < rows.rows(); r++) {
                    scaler.applyInPlace(scaled, r * Iris.MEASUREMENTS);
                }
                inProcess.add(inProcess(model, scaled, rows.rows(), 1, config.calls(), deadlineNanos));
                inProcess.add(inProcess(model, scaled, rows.rows(), config.clients(), config.calls(), deadlineNanos));
            }
            return new Report(
                    undisturbed, withSlow, withMalformed, slow, malformed, List.copyOf(goodFailures), inProcess);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void print(Config config, Report report) {
        System.out.printf(
                "Chainrule load test: %s; %d cores, Java %s; read timeout %d ms%n",
                IrisModel.SPEC.describe(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                config.readTimeout().toMillis());
        System.out.printf(
                "%-44s %10s %12s %10s %10s %10s %10s %12s%n",
                "", "measured", "per second", "p50 us", "p99 us", "p99.9 us", "max us", "p99 vs alone");
        List<Phase> phases =
                new ArrayList<>(List.of(report.undisturbed(), report.withSlowClients(), report.withMalformed()));
        phases.addAll(report.inProcess());
        for (Phase phase : phases) {
            boolean disturbed = phase == report.withSlowClients() || phase == report.withMalformed();
            System.out.printf(
                    "%-44s %10d %12.0f %10.2f %10.2f %10.2f %10.0f %12s%n",
                    phase.name(),
                    phase.count(),
                    phase.perSecond(),
                    phase.percentileMicros(50),
                    phase.percentileMicros(99),
                    phase.percentileMicros(99.9),
                    phase.maxMicros(),
                    disturbed
                            ? String.format(
                                    "%.2fx %s",
                                    report.p99Ratio(phase), report.p99Ratio(phase) <= 2 ? "held" : "NOT HELD")
                            : "");
        }
        System.out.printf(
                "slow clients: %d stalled requests answered, %d of them with 408 after the read timeout%n",
                report.slow().answered(), report.slow().expected());
        System.out.printf(
                "malformed clients: %d requests sent, %d refused with their expected 4xx%n",
                report.malformed().answered(), report.malformed().expected());
        System.out.printf(
                "good requests not answered 200: %d%n", report.goodFailures().size());
        for (String failure : report.goodFailures()
                .subList(0, Math.min(5, report.goodFailures().size()))) {
            System.out.println("  " + failure);
        }
        for (String unexpected :
                concat(report.slow().unexpected(), report.malformed().unexpected())) {
            System.out.println("  unexpected: " + unexpected);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.subList(0, Math.min(10, all.size()));
    }

    /** {@code clients} threads each sending {@code perClient} measured requests to {@code uri}. */
    private static Phase http(
            String name,
            URI uri,
            List<String> bodies,
            int clients,
            int perClient,
            long deadlineNanos,
            List<String> failures)
            throws Exception {
        return run(
                name,
                clients,
                deadlineNanos,
                client -> {
                    HttpClient http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .build();
                    return index -> {
                        HttpRequest request = HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        bodies.get((index * 31 + client) % bodies.size())))
                                .build();
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200 || !response.body().startsWith("{\"probabilities\":")) {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            failures.add("no answer: " + e);
                        }
                        return System.nanoTime() - start;
                    };
                },
                perClient);
    }

    /** One disturbing request, returning null if it was answered as expected or what it got instead. */
    private interface Disturbing {
        String send() throws Exception;
    }

    /**
     * Makes a disturbing client's requests, on the client's own thread; {@code stop} is set when
     * the phase ends, and the client runs {@code began} once its first request is under way.
     */
    private interface DisturbingClient {
        Disturbing make(AtomicBoolean stop, Runnable began) throws Exception;
    }

    /**
     * Disturbing clients, each repeating its requests until {@link #stop()}. The constructor
     * returns once every client's first request is under way (or after {@code patience}), so
     * the good clients' measured requests all meet the disturbance; {@link #stop()} lets every
     * client see at least one answer (within {@code patience}), so the report says what the
     * disturbance got.
     */
    private static final class Disturbers {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong expected = new AtomicLong();
        private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong answered = new AtomicLong();
        private final int count;
        private final Duration patience;
        private final ExecutorService pool;
        private final List<Future<?>> running = new ArrayList<>();

        Disturbers(int count, Duration patience, DisturbingClient client) throws InterruptedException {
            this.count = count;
            this.patience = patience;
            CountDownLatch began = new CountDownLatch(count);
            pool = Executors.newFixedThreadPool(Math.max(1, count), task -> {
                Thread thread = new Thread(task, "load-test-disturber");
                thread.setDaemon(true);
                return thread;
            });
            for (int i = 0; i < count; i++) {
                running.add(pool.submit(() -> {
                    AtomicBoolean once = new AtomicBoolean();
                    Disturbing disturbing = client.make(stop, () -> {
                        if (once.compareAndSet(false, true)) {
                            began.countDown();
                        }
                    });
                    while (!stop.get()) {
                        String got;
                        try {
                            got = disturbing.send();
                        } catch (IOException e) {
                            got = "a request failed: " + e;
                            Thread.sleep(10); // a service that is gone must not make this spin
                        }
                        if (got == STOPPED) {
                            continue;
                        }
                        answered.incrementAndGet();
                        if (got == null) {
                            expected.incrementAndGet();
                        } else {
                            unexpected.add(got);
                        }
                    }
                    return null;
                }));
            }
            began.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        }

        Disturbance stop() throws Exception {
            long until = System.nanoTime() + patience.toNanos();
            while (answered.get() < count && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Future<?> client : running) {
                client.get();
            }
            pool.shutdownNow();
            return new Disturbance(answered.get(), expected.get(), List.copyOf(unexpected));
        }
    }

    /** What a disturbing request returns when the phase ended while it waited. */
    private static final String STOPPED = "stopped";

    /**
     * A slow client: sends the headers and half the body of a predict request, then waits for
     * the 408 that the read timeout brings, on a new connection each time.
     */
    private static Disturbing slowClient(
            int port, String body, Duration readTimeout, AtomicBoolean stop, Runnable began) {
        byte[] head = ("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2))
                .getBytes(StandardCharsets.US_ASCII);
        long patienceNanos = 3 * readTimeout.toNanos() + 1_000_000_000L;
        return () -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(50);
                socket.getOutputStream().write(head);
                socket.getOutputStream().flush();
                began.run();
                StringBuilder answer = new StringBuilder();
                long start = System.nanoTime();
                InputStream in = socket.getInputStream();
                while (answer.length() < 12) {
                    try {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        answer.append((char) c);
                    } catch (SocketTimeoutException e) {
                        if (stop.get()) {
                            return STOPPED;
                        }
                        if (System.nanoTime() - start > patienceNanos) {
                            return "a slow client waited " + patienceNanos / 1_000_000 + " ms without an answer";
                        }
                    }
                }
                return answer.toString().equals("HTTP/1.1 408") ? null : "a slow client got " + answer;
            }
        };
    }

    /** A malformed request and the status it must get. */
    private record Malformed(String method, String path, String body, int status) {}

    /**
     * A client that sends {@code rate} malformed requests a second (0: without pause), each over
     * the same keep-alive client except the one that is not HTTP, and checks their statuses.
     */
    private static Disturbing malformedClient(int port, String good, int rate, Runnable began) {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Malformed> requests = List.of(
                new Malformed("POST", "/predict", good.substring(0, good.length() - 3), 400),
                new Malformed("POST", "/predict", "{\"petals\":[1,2,3,4]}", 400),
                new Malformed("POST", "/predict", "{\"features\":[5.1,NaN,1.4,0.2]}", 400),
                new Malformed("POST", "/predict", "{\"features\":[1,2,3]}", 400),
                new Malformed("POST", "/predict", "{\"features\":[3.4028235e38,0,0,0]}", 422),
                new Malformed("POST", "/predict", good + " ".repeat(5_000), 413),
                new Malformed("GET", "/predict", "", 405),
                new Malformed("POST", "/nowhere", good, 404),
                new Malformed("RAW", "", "HELLO\r\n\r\n", 400));
        int[] next = {0};
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long[] due = {System.nanoTime()};
        return () -> {
            Malformed m = requests.get(next[0]++ % requests.size());
            began.run();
            due[0] += interval;
            long wait = due[0] - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int status;
            if (m.method().equals("RAW")) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(m.body().getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    status = answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
                }
            } else {
                HttpRequest.BodyPublisher body = m.body().isEmpty()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(m.body());
                status = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + m.path()))
                                        .method(m.method(), body)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }
            return status == m.status()
                    ? null
                    : m.method() + " " + m.path() + " got " + status + ", expected " + m.status();
        };
    }

    /** {@code threads} threads each making {@code calls} timed predictions, after as many untimed. */
    private static Phase inProcess(
            IrisModel model, float[] scaled, int rows, int threads, int calls, long deadlineNanos) throws Exception {
        String name = "in-process predict, " + threads + (threads == 1 ? " thread" : " threads");
        run(
                "warm-up",
                threads,
                deadlineNanos,
                thread -> {
                    IrisModel sibling = model.withSharedParameters();
                    float[] out = new float[Iris.SPECIES];
                    return index -> {
                        sibling.predict(scaled, ((index * 31 + thread) % rows) * Iris.MEASUREMENTS, out, 0);
                        return 0;
                    };
                },
                calls);
        return run(
                name,
                threads,
                deadlineNanos,
                thread -> {
                    IrisModel sibling = model.withSharedParameters();
                    float[] out = new float[Iris.SPECIES];
                    return index -> {
                        int row = (index * 31 + thread) % rows;
                        long start = System.nanoTime();
                        sibling.predict(scaled, row * Iris.MEASUREMENTS, out, 0);
                        return System.nanoTime() - start;
                    };
                },
                calls);
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
     * Runs {@code workers} threads, each doing {@code count} operations, stopping early at the
     * deadline. The throughput is over the time from the first call to the last.
     */
    private static Phase run(String name, int workers, long deadlineNanos, Workers factory, int count)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long end = System.nanoTime() + deadlineNanos;
            List<Callable<Part>> tasks = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                tasks.add(() -> {
                    Timed timed = factory.make(worker);
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
