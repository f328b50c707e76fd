package dev.chainrule.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.OneHot;
import dev.chainrule.data.Standardizer;
import dev.chainrule.serve.Preprocessing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import java.util.Arrays;
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
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|jdk|sun|dev\\.chainrule)\\.|\\w(Exception|Error)\\b");

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
            float[] features = Arrays.copyOfRange(rows.features(), row * Iris.MEASUREMENTS, (row + 1) * Iris.MEASUREMENTS);
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
        service = IrisService.startOnLoopback(served, 0, 2);
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
        return "{\"features\":" + Json.array(Arrays.copyOfRange(rows.features(), row * Iris.MEASUREMENTS,
                (row + 1) * Iris.MEASUREMENTS)) + "}";
    }

    /**
     * Checks that {@code response} is a prediction whose probabilities are bit for bit {@code
     * expected}'s for {@code row}, with the matching class and species; returns its model version.
     */
    private static long assertPrediction(InProcess expected, int row, HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        Matcher m = PREDICTION.matcher(response.body());
        assertTrue(m.matches(), response.body());
        float[] want = expected.probabilities(row);
        String[] got = m.group(1).split(",");
        assertEquals(Iris.SPECIES, got.length, response.body());
        for (int k = 0; k < Iris.SPECIES; k++) {
            assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(Float.parseFloat(got[k])),
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
        assertEquals("{\"status\":\"ok\",\"network\":\"MEASUREMENTS 4 -> HIDDEN 16 relu -> SPECIES 3 softmax"
                + " (float, cross_entropy)\",\"modelVersion\":1,\"preprocessing\":\"Standardizer\"}", response.body());
    }

    private void assertRefused(int status, String error, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("{\"error\":\"" + error + "\"}", response.body());
        assertFalse(JAVA_NAME.matcher(response.body()).find(), "a Java class name in " + response.body());
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void malformedRequestsAreRefusedWithTheirReasonAndTheServiceKeepsServing() throws Exception {
        assertRefused(400, "expected ',' or ']' at character 21, found the end of the body",
                predict("{\"features\":[5.1,3.5"));
        assertRefused(400, "expected an object {\\\"features\\\":[...]} at character 1, found 'h'", predict("hello"));
        assertRefused(400, "expected 4 features, got 3", predict("{\"features\":[5.1,3.5,1.4]}"));
        assertRefused(400, "expected 4 features, got 5", predict("{\"features\":[5.1,3.5,1.4,0.2,9]}"));
        assertRefused(400, "feature 2 at character 22 is a string, expected a number",
                predict("{\"features\":[5.1,3.5,\"1.4\",0.2]}"));
        assertRefused(400, "feature 1 at character 18 is NaN (not a JSON number), expected a number",
                predict("{\"features\":[5.1,NaN,1.4,0.2]}"));
        assertRefused(400, "feature 3 at character 26: 3e40 is beyond the float range",
                predict("{\"features\":[5.1,3.5,1.4,3e40]}"));
        assertRefused(400, "missing field \\\"features\\\"", predict("{ }"));
        assertRefused(400, "unknown field \\\"petals\\\" at character 2; the only field is \\\"features\\\"",
                predict("{\"petals\":[1,2,3,4]}"));
        assertRefused(400, "the body is empty; expected {\\\"features\\\":[...]}", predict(""));
        assertRefused(400, "the body is not valid UTF-8", send("POST", "/predict",
                BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, '"', '}'})));

        assertEquals(4096, IrisService.MAX_BODY_BYTES);
        String oversize = "{\"features\":[5.1,3.5,1.4,0.2]}" + " ".repeat(IrisService.MAX_BODY_BYTES);
        assertRefused(413, "the body is larger than 4096 bytes", predict(oversize));
        byte[] streamed = oversize.getBytes(StandardCharsets.UTF_8);
        assertRefused(413, "the body is larger than 4096 bytes", send("POST", "/predict",
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(streamed)))); // chunked: no length
        String largestAccepted = "{\"features\":[5.1,3.5,1.4,0.2]}";
        largestAccepted += " ".repeat(IrisService.MAX_BODY_BYTES - largestAccepted.length());
        assertPrediction(modelA, 0, predict(largestAccepted));

        HttpResponse<String> get = send("GET", "/predict", BodyPublishers.noBody());
        assertRefused(405, "GET is not allowed on /predict; use POST", get);
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> post = send("POST", "/health", BodyPublishers.noBody());
        assertRefused(405, "POST is not allowed on /health; use GET", post);
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
        assertRefused(405, "DELETE is not allowed on /reload; use POST", send("DELETE", "/reload", BodyPublishers.noBody()));
        assertRefused(404, "no such resource /predictions; this service has POST /predict, GET /health and POST /reload",
                send("POST", "/predictions", BodyPublishers.ofString(requestFor(0))));

        assertEquals(200, send("GET", "/health", BodyPublishers.noBody()).statusCode());
        assertEquals(1, assertPrediction(modelA, 42, predict(requestFor(42))));
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
                HttpResponse<String> response = predict("{\"features\":" + Json.array(features) + "}");
                double reach = Float.MAX_VALUE / s.scale(feature);
                assertRefused(422, String.format("feature %d is %s, which the model's scaler takes beyond the float"
                        + " range; it accepts feature %d from about %.3g to %.3g", feature, value, feature,
                        s.shift(feature) - reach, s.shift(feature) + reach), response);
            }
        }
        assertEquals(1, assertPrediction(modelA, 3, predict(requestFor(3))));
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
        assertTrue(reload.body().startsWith("{\"error\":\"reload failed, still serving model version 1: "
                + served + ": byte 0 (magic number): not a Chainrule model file"), reload.body());
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
