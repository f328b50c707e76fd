package dev.chainrule.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.OneHot;
import dev.chainrule.data.Standardizer;
import dev.chainrule.serve.Preprocessing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The scoring service on an ephemeral loopback port, against the same model run in process. */
class IrisServiceTest {
    private static final Path CSV = Path.of("../data/iris.csv");
    private static final Pattern PREDICTION = Pattern.compile(
            "\\{\"probabilities\":\\[([^\\]]*)\\],\"class\":(\\d),\"species\":\"(\\w+)\",\"modelVersion\":(\\d+)\\}");

    /** A qualified Java name, or an exception's or error's class name: what no response may show. */
    private static final Pattern JAVA_NAME =
            Pattern.compile("\\b(java|javax|jdk|sun|dev\\.chainrule)\\.|\\w(Exception|Error)\\b");

    /** The read timeout the service under test is started with. */
    private static final long READ_TIMEOUT_MILLIS = 1_000;

    /** The documented defaults, with a shorter read timeout so that the slow-client tests are quick. */
    static final ServiceLimits LIMITS =
            ServiceLimits.defaults().withReadTimeout(Duration.ofMillis(READ_TIMEOUT_MILLIS));

    @TempDir
    static Path trained;

    @TempDir
    Path dir;

    private static Dataset rows;
    private static InProcess modelA;
    private static InProcess modelB;

    private Path served;
    private IrisService service;
    private HttpClient http;

    /** The model in a file, loaded in process with its scaler: what every answer must equal. */
    private record InProcess(Path file, IrisModel model, FeatureScaler scaler) {
        static InProcess load(Path file) throws IOException {
            IrisModel model = new IrisModel(0L);
            return new InProcess(file, model, Preprocessing.load(file, model).orElseThrow());
        }

        /** Synchronized: the two clients of the reload test share this model, which is not thread-safe. */
        synchronized float[] probabilities(int row) {
            float[] features =
                    Arrays.copyOfRange(rows.features(), row * Iris.MEASUREMENTS, (row + 1) * Iris.MEASUREMENTS);
            scaler.applyInPlace(features, 0);
            float[] p = new float[Iris.SPECIES];
            model.predict(features, p);
            return p;
        }
    }

    @BeforeAll
    static void trainTwoModels() throws IOException {
        rows = IrisTraining.load(CSV);
        IrisService.trainAndSave(CSV, trained.resolve("a.chainrule"), 7L);
        IrisService.trainAndSave(CSV, trained.resolve("b.chainrule"), 8L);
        modelA = InProcess.load(trained.resolve("a.chainrule"));
        modelB = InProcess.load(trained.resolve("b.chainrule"));
    }

    @BeforeEach
    void start() throws IOException {
        served = dir.resolve("served.chainrule");
        Files.copy(modelA.file(), served);
        service = IrisService.startOnLoopback(served, 0, LIMITS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private HttpResponse<String> send(String method, String path, BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .method(method, body)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> predict(String json) throws Exception {
        return send("POST", "/predict", BodyPublishers.ofString(json));
    }

    private static String requestFor(int row) {
        return Json.predictRequest(
                Arrays.copyOfRange(rows.features(), row * Iris.MEASUREMENTS, (row + 1) * Iris.MEASUREMENTS));
    }

    /**
     * Checks that {@code response} is a prediction whose probabilities are bit for bit {@code
     * expected}'s for {@code row}, with the matching class and species; returns its model version.
     */
    private static long assertPrediction(InProcess expected, int row, HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "application/json; charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow());
        Matcher m = PREDICTION.matcher(response.body());
        assertTrue(m.matches(), response.body());
        float[] want = expected.probabilities(row);
        String[] got = m.group(1).split(",");
        assertEquals(Iris.SPECIES, got.length, response.body());
        for (int k = 0; k < Iris.SPECIES; k++) {
            assertEquals(
                    Float.floatToRawIntBits(want[k]),
                    Float.floatToRawIntBits(Float.parseFloat(got[k])),
                    "row " + row + ", probability " + k + ": " + response.body());
        }
        int best = OneHot.argmax(want, 0, Iris.SPECIES);
        assertEquals(best, Integer.parseInt(m.group(2)));
        assertEquals(IrisService.SPECIES.get(best), m.group(3));
        return Long.parseLong(m.group(4));
    }

    @Test
    void everyFlowerIsScoredExactlyAsInProcess() throws Exception {
        for (int row = 0; row < rows.rows(); row++) {
            assertEquals(1, assertPrediction(modelA, row, predict(requestFor(row))));
        }
    }

    @Test
    void theSavedScalerIsTheOneTrainingUsed() throws Exception {
        // Scoring the held-out rows through the saved scaler reproduces the accuracy training measured.
        var split = rows.stratifiedSplit(0.8, 0.0, 7L);
        Dataset test = split.test();
        int correct = 0;
        float[] p = new float[Iris.SPECIES];
        for (int r = 0; r < test.rows(); r++) {
            float[] f = Arrays.copyOfRange(test.features(), r * Iris.MEASUREMENTS, (r + 1) * Iris.MEASUREMENTS);
            modelA.scaler().applyInPlace(f, 0);
            modelA.model().predict(f, p);
            correct += OneHot.argmax(p, 0, Iris.SPECIES) == test.label(r) ? 1 : 0;
        }
        assertEquals(IrisTraining.train(CSV, 7L).testAccuracy(), (double) correct / test.rows());
        Standardizer s = (Standardizer) modelA.scaler();
        assertEquals(Standardizer.fit(split.train()).mean(2), s.mean(2));
    }

    @Test
    void healthReportsTheModelAndItsPreprocessing() throws Exception {
        HttpResponse<String> response = send("GET", "/health", BodyPublishers.noBody());
        assertEquals(200, response.statusCode());
        assertEquals(
                "{\"status\":\"ok\",\"network\":\"MEASUREMENTS 4 -> HIDDEN 16 relu -> SPECIES 3 softmax"
                        + " (float, cross_entropy)\",\"modelVersion\":1,\"preprocessing\":\"Standardizer\"}",
                response.body());
    }

    private void assertRefused(int status, String error, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("{\"error\":\"" + error + "\"}", response.body());
        assertFalse(JAVA_NAME.matcher(response.body()).find(), "a Java class name in " + response.body());
        assertEquals(
                "application/json; charset=utf-8",
                response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void malformedRequestsAreRefusedWithTheirReasonAndTheServiceKeepsServing() throws Exception {
        assertRefused(
                400,
                "invalid JSON: the body ends at character 20 before the object is complete",
                predict("{\"features\":[5.1,3.5"));
        assertRefused(400, "invalid JSON at character 1, found 'h' (not a JSON value)", predict("hello"));
        assertRefused(400, "expected 4 features, got 3", predict("{\"features\":[5.1,3.5,1.4]}"));
        assertRefused(400, "expected 4 features, got 5", predict("{\"features\":[5.1,3.5,1.4,0.2,9]}"));
        assertRefused(
                400,
                "feature 2 at character 22 is a string, expected a number",
                predict("{\"features\":[5.1,3.5,\"1.4\",0.2]}"));
        assertRefused(
                400,
                "feature 1 at character 18 is NaN, which is not a JSON number; expected a number",
                predict("{\"features\":[5.1,NaN,1.4,0.2]}"));
        assertRefused(
                400,
                "feature 3 at character 26: 3e40 is beyond the float range",
                predict("{\"features\":[5.1,3.5,1.4,3e40]}"));
        assertRefused(400, "missing field \\\"features\\\"", predict("{ }"));
        assertRefused(
                400,
                "unknown field \\\"petals\\\" at character 2; the only field is \\\"features\\\"",
                predict("{\"petals\":[1,2,3,4]}"));
        assertRefused(400, "the body is empty; expected {\\\"features\\\":[...]}", predict(""));
        assertRefused(
                400,
                "the body is not valid UTF-8",
                send("POST", "/predict", BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, '"', '}'})));

        assertEquals(4096, LIMITS.maxBodyBytes());
        String oversize = "{\"features\":[5.1,3.5,1.4,0.2]}" + " ".repeat(LIMITS.maxBodyBytes());
        assertRefused(413, "the body is larger than 4096 bytes", predict(oversize));
        byte[] streamed = oversize.getBytes(StandardCharsets.UTF_8);
        assertRefused(
                413,
                "the body is larger than 4096 bytes",
                send(
                        "POST",
                        "/predict",
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(streamed)))); // chunked: no length
        String largestAccepted = "{\"features\":[5.1,3.5,1.4,0.2]}";
        largestAccepted += " ".repeat(LIMITS.maxBodyBytes() - largestAccepted.length());
        assertPrediction(modelA, 0, predict(largestAccepted));

        HttpResponse<String> get = send("GET", "/predict", BodyPublishers.noBody());
        assertRefused(405, "GET is not allowed on /predict; use POST", get);
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> post = send("POST", "/health", BodyPublishers.noBody());
        assertRefused(405, "POST is not allowed on /health; use GET", post);
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
        assertRefused(
                405, "DELETE is not allowed on /reload; use POST", send("DELETE", "/reload", BodyPublishers.noBody()));
        assertRefused(
                404,
                "no such resource /predictions; this service has POST /predict, GET /health, POST /reload and"
                        + " GET /metrics",
                send("POST", "/predictions", BodyPublishers.ofString(requestFor(0))));

        assertEquals(200, send("GET", "/health", BodyPublishers.noBody()).statusCode());
        assertEquals(1, assertPrediction(modelA, 42, predict(requestFor(42))));
    }

    /** Sends {@code request} as it is over a new connection and returns all the service answers. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** What Jetty refuses before the service's code sees a request is answered in the same JSON. */
    @Test
    void requestsThatAreNotHttpOrTooLargeGetJsonErrorsToo() throws Exception {
        String notHttp = raw("HELLO\r\n\r\n");
        assertTrue(notHttp.startsWith("HTTP/1.1 400 "), notHttp);
        assertTrue(notHttp.endsWith("{\"error\":\"the request is not valid HTTP/1.1\"}"), notHttp);

        String headers = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                + "x".repeat(LIMITS.maxHeaderBytes()) + "\r\nConnection: close\r\n\r\n");
        assertTrue(headers.startsWith("HTTP/1.1 431 "), headers);
        assertTrue(
                headers.endsWith("{\"error\":\"the request line and headers are larger than 8192 bytes\"}"), headers);
        assertFalse(JAVA_NAME.matcher(notHttp + headers).find(), notHttp + headers);
        assertEquals(1, assertPrediction(modelA, 9, predict(requestFor(9))));
    }

    /**
     * A feature that is a finite float but so far from the training data that the saved scaler
     * takes it beyond the float range is refused with 422, naming the feature, instead of
     * reaching the model (whose outputs would be NaN) or failing inside the service.
     */
    @Test
    void aFiniteFeatureThatOverflowsInScalingIsRefusedNamingIt() throws Exception {
        Standardizer s = (Standardizer) modelA.scaler();
        for (int feature : new int[] {0, 3}) {
            for (float value : new float[] {Float.MAX_VALUE, -Float.MAX_VALUE}) {
                float[] features = {5.1f, 3.5f, 1.4f, 0.2f};
                features[feature] = value;
                HttpResponse<String> response = predict(Json.predictRequest(features));
                double reach = Float.MAX_VALUE / s.scale(feature);
                assertRefused(
                        422,
                        String.format(
                                "feature %d is %s, which the model's scaler takes beyond the float"
                                        + " range; it accepts feature %d from about %.3g to %.3g",
                                feature, value, feature, s.shift(feature) - reach, s.shift(feature) + reach),
                        response);
            }
        }
        assertEquals(1, assertPrediction(modelA, 3, predict(requestFor(3))));
    }

    /**
     * Opens a connection to {@code port} and sends the headers of a predict request for {@code
     * row} and half of its body, then nothing more: a slow or stalled client. {@link #finish}
     * sends the rest.
     */
    private static Socket stall(int port, int row) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        String body = requestFor(row);
        String head = "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Sends the rest of the body {@link #stall} began for {@code row} and returns the whole response. */
    private static String finish(Socket socket, int row) throws IOException {
        String body = requestFor(row);
        socket.getOutputStream().write(body.substring(body.length() / 2).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return readResponse(socket);
    }

    /** Reads one response with a {@code Content-Length} from {@code socket}: its status line, headers and body. */
    private static String readResponse(Socket socket) throws IOException {
        var in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return head.toString();
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /**
     * Clients that send half a request and stop, more of them than the old service had request
     * threads, do not hold up anyone else: good requests sent while they stall are answered well
     * within the read timeout. The stalled clients themselves get a 408 once it has passed, and
     * their connections are closed.
     */
    @Test
    @Timeout(60)
    void stalledClientsDoNotBlockOthersAndAreRefusedAfterTheReadTimeout() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                stalled.add(stall(service.port(), i));
            }
            for (int row = 0; row < 20; row++) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + service.port() + "/predict"))
                        .timeout(Duration.ofMillis(READ_TIMEOUT_MILLIS))
                        .POST(BodyPublishers.ofString(requestFor(row)))
                        .build();
                assertEquals(
                        1, assertPrediction(modelA, row, http.send(request, HttpResponse.BodyHandlers.ofString())));
            }
            for (Socket socket : stalled) {
                String response = readResponse(socket);
                assertTrue(response.startsWith("HTTP/1.1 408 "), response);
                assertTrue(response.contains("Connection: close"), response);
                assertTrue(
                        response.endsWith("{\"error\":\"the body did not arrive within the read timeout of "
                                + READ_TIMEOUT_MILLIS + " ms\"}"),
                        response);
                assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
            }
            assertTrue(System.nanoTime() - start >= READ_TIMEOUT_MILLIS * 1_000_000, "refused before the read timeout");
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /**
     * Beyond the concurrency limit and its queue a request is answered with 503 at once, not
     * queued; {@code /health} stays outside the limit; once the slots free up, requests succeed.
     * Two stalled clients hold the two slots of this service.
     */
    @Test
    @Timeout(60)
    void excessRequestsAreRefusedQuicklyWith503() throws Exception {
        ServiceLimits limits = LIMITS.withConcurrency(2, 0, Duration.ofMillis(100));
        try (IrisService small = IrisService.startOnLoopback(served, 0, limits);
                Socket first = stall(small.port(), 0);
                Socket second = stall(small.port(), 1)) {
            Thread.sleep(200); // let both reach the service and take the two slots
            URI predict = URI.create("http://127.0.0.1:" + small.port() + "/predict");
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(predict)
                            .POST(BodyPublishers.ofString(requestFor(2)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertRefused(
                    503,
                    "the service is at its limit of concurrent requests and its queue is full;" + " try again shortly",
                    refused);
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());

            assertTrue(finish(first, 0).startsWith("HTTP/1.1 200 "));
            assertTrue(finish(second, 1).startsWith("HTTP/1.1 200 "));
            HttpResponse<String> served = http.send(
                    HttpRequest.newBuilder(predict)
                            .POST(BodyPublishers.ofString(requestFor(2)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(1, assertPrediction(modelA, 2, served));
        }
    }

    /** A request that finds the one slot taken waits in the queue at most the queue wait, then gets 503. */
    @Test
    @Timeout(60)
    void aQueuedRequestIsRefusedAfterTheQueueWait() throws Exception {
        ServiceLimits limits = LIMITS.withConcurrency(1, 4, Duration.ofMillis(200));
        try (IrisService small = IrisService.startOnLoopback(served, 0, limits);
                Socket holder = stall(small.port(), 0)) {
            Thread.sleep(200);
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + "/predict"))
                            .POST(BodyPublishers.ofString(requestFor(2)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertRefused(
                    503,
                    "the service is at its limit of concurrent requests and this request waited too long;"
                            + " try again shortly",
                    refused);
            assertTrue(finish(holder, 0).startsWith("HTTP/1.1 200 "), "the request holding the slot is served");
        }
    }

    /**
     * Closing the service lets a request in flight finish: its client sends the rest of its
     * body after shutdown began and still gets its prediction. Afterwards nothing listens.
     */
    @Test
    @Timeout(60)
    void shutdownLetsRequestsInFlightFinish() throws Exception {
        IrisService closing = IrisService.startOnLoopback(served, 0, LIMITS.withReadTimeout(Duration.ofSeconds(10)));
        int port = closing.port();
        try (Socket inFlight = stall(port, 4)) {
            Thread.sleep(200); // the request has reached the service
            Thread stopper = new Thread(closing::close);
            stopper.start();
            Thread.sleep(300); // shutdown has begun and is waiting for the request
            assertTrue(stopper.isAlive(), "close() waits for the request in flight");
            String response = finish(inFlight, 4);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertTrue(PREDICTION.matcher(body).matches(), body);
            stopper.join(10_000);
            assertFalse(stopper.isAlive(), "close() returns once the request is done");
        } finally {
            closing.close();
        }
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    /** {@code GET /metrics}: request counts by route and status, the latency histogram and the model served. */
    @Test
    void metricsCountRequestsAndNameTheModel() throws Exception {
        for (int row = 0; row < 3; row++) {
            assertPrediction(modelA, row, predict(requestFor(row)));
        }
        predict("{}");
        HttpResponse<String> first = send("GET", "/metrics", BodyPublishers.noBody());
        assertEquals(200, first.statusCode());
        assertEquals(
                IrisService.METRICS_CONTENT_TYPE,
                first.headers().firstValue("Content-Type").orElseThrow());
        String text = first.body();
        assertTrue(text.contains("# TYPE chainrule_http_requests_seconds histogram"), text);
        assertTrue(text.contains("chainrule_http_requests_seconds_count{route=\"/predict\",status=\"200\"} 3"), text);
        assertTrue(text.contains("chainrule_http_requests_seconds_count{route=\"/predict\",status=\"400\"} 1"), text);
        assertTrue(
                text.contains("chainrule_http_requests_seconds_bucket{route=\"/predict\",status=\"200\",le=\"0.001\"}"),
                text);
        assertTrue(
                text.contains(
                        "chainrule_http_requests_seconds_bucket{route=\"/predict\",status=\"200\",le=\"+Inf\"} 3"),
                text);
        assertTrue(text.contains("chainrule_model_version 1"), text);
        String fingerprintA = IrisService.fingerprint(modelA.model(), Optional.of(modelA.scaler()));
        assertTrue(text.contains("chainrule_model_info{fingerprint=\"" + fingerprintA + "\""), text);

        serve(modelB);
        assertEquals(200, send("POST", "/reload", BodyPublishers.noBody()).statusCode());
        String after = send("GET", "/metrics", BodyPublishers.noBody()).body();
        String fingerprintB = IrisService.fingerprint(modelB.model(), Optional.of(modelB.scaler()));
        assertFalse(fingerprintA.equals(fingerprintB));
        assertTrue(after.contains("chainrule_model_version 2"), after);
        assertTrue(after.contains("chainrule_model_info{fingerprint=\"" + fingerprintB + "\""), after);
        assertFalse(after.contains(fingerprintA), "the old model's row is gone");
        assertTrue(after.contains("chainrule_model_reloads_total{result=\"ok\"} 1"), after);
        assertTrue(after.contains("chainrule_http_requests_seconds_count{route=\"/metrics\",status=\"200\"} 1"), after);
    }

    /** Replaces the served file in one atomic move, as {@code ModelFile.save} does. */
    private void serve(InProcess model) throws IOException {
        Path next = dir.resolve("next.chainrule");
        Files.copy(model.file(), next, StandardCopyOption.REPLACE_EXISTING);
        Files.move(next, served, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void reloadSwapsInTheNewModelAndItsScaler() throws Exception {
        int differing = 0;
        for (int row = 0; row < rows.rows(); row++) {
            differing += Arrays.equals(modelA.probabilities(row), modelB.probabilities(row)) ? 0 : 1;
        }
        assertTrue(differing > 100, "models A and B must answer differently for the test to mean anything");

        serve(modelB);
        HttpResponse<String> reload = send("POST", "/reload", BodyPublishers.noBody());
        assertEquals(200, reload.statusCode(), reload.body());
        assertEquals("{\"status\":\"reloaded\",\"modelVersion\":2}", reload.body());
        for (int row = 0; row < rows.rows(); row++) {
            assertEquals(2, assertPrediction(modelB, row, predict(requestFor(row))));
        }
    }

    @Test
    void aFailedReloadReportsWhyAndKeepsServingTheOldModel() throws Exception {
        Files.writeString(served, "not a model");
        HttpResponse<String> reload = send("POST", "/reload", BodyPublishers.noBody());
        assertEquals(500, reload.statusCode());
        assertTrue(
                reload.body()
                        .startsWith("{\"error\":\"reload failed, still serving model version 1: " + served
                                + ": byte 0 (magic number): not a Chainrule model file"),
                reload.body());
        assertEquals(1, service.modelVersion());
        assertEquals(1, assertPrediction(modelA, 7, predict(requestFor(7))));
    }

    /**
     * Two clients score flowers without pause while the file alternates between models B and A
     * and is reloaded each time: every answer is exactly the answer of the model its version
     * names (A at odd versions, B at even), never a mixture. After each reload the test waits
     * until both clients have been answered by the new version, so each client sees every one.
     */
    @Test
    @Timeout(300) // guards against a hang; no timing is asserted
    void answersDuringReloadsAreAlwaysExactlyOneModels() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLongArray latest = new AtomicLongArray(2);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] running = new Future<?>[2];
            for (int c = 0; c < 2; c++) {
                int client = c;
                running[c] = clients.submit(() -> {
                    long answers = 0;
                    for (int n = 0; !done.get() || answers < 10; n++) {
                        int row = (n * 13 + client * 71) % rows.rows();
                        HttpResponse<String> response = predict(requestFor(row));
                        Matcher m = PREDICTION.matcher(response.body());
                        assertTrue(m.matches(), response.body());
                        long version = Long.parseLong(m.group(4));
                        assertPrediction(version % 2 == 1 ? modelA : modelB, row, response);
                        latest.set(client, version);
                        answers++;
                    }
                    return null;
                });
            }
            for (int swap = 1; swap <= 20; swap++) {
                serve(swap % 2 == 1 ? modelB : modelA);
                HttpResponse<String> reload = send("POST", "/reload", BodyPublishers.noBody());
                assertEquals("{\"status\":\"reloaded\",\"modelVersion\":" + (swap + 1) + "}", reload.body());
                for (int c = 0; c < 2; c++) {
                    while (latest.get(c) != swap + 1) {
                        if (running[c].isDone()) {
                            running[c].get(); // rethrows what stopped the client
                        }
                        Thread.sleep(1);
                    }
                }
            }
            done.set(true);
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            done.set(true);
            clients.shutdownNow();
        }
    }
}
