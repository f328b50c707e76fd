package dev.chainrule.examples.serving;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.OneHot;
import dev.chainrule.serve.ModelSlot;
import dev.chainrule.serve.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP scoring service for the {@link Iris} network on the JDK's built-in {@link
 * HttpServer}, bound to the loopback interface unless told otherwise.
 *
 * <p>At start it loads a model file and the feature scaler saved with it ({@link Preprocessing});
 * the {@link #main} method first trains and saves the iris model if there is no file yet. It
 * answers:
 * <ul>
 *   <li>{@code POST /predict} with a body {@code {"features":[5.1,3.5,1.4,0.2]}} (the four raw
 *       measurements, in centimetres): {@code 200} and {@code
 *       {"probabilities":[...],"class":0,"species":"setosa","modelVersion":1}}. The features are
 *       rescaled by the scaler saved with the model before prediction. Probabilities are written
 *       as the shortest decimals that read back as the same floats.
 *   <li>{@code GET /health}: {@code 200} and {@code {"status":"ok","network":"...","modelVersion":1,...}}.
 *   <li>{@code POST /reload}: loads the model file again, checks it completely, and swaps it in
 *       without stopping ({@link ModelSlot}): {@code 200} and the new version. If the file is not
 *       a valid model file for the network, {@code 500} with the reason, and the old model keeps
 *       serving. The request cannot name another file: the service only ever reads the file it
 *       was started with. Anyone who can reach the port can trigger a reload, which is one more
 *       reason to keep the default loopback binding.
 * </ul>
 *
 * <p>Loading this class sets the system property {@code sun.net.httpserver.nodelay} to {@code
 * true} unless it is set already: the JDK server writes a response's headers and body separately,
 * and without {@code TCP_NODELAY} each keep-alive request waits for the client's delayed
 * acknowledgement. It takes effect if no {@code HttpServer} was created in the JVM before.
 *
 * <p>Refused requests get a JSON body {@code {"error":"..."}} that says what was wrong: {@code
 * 400} for a body that is not exactly the accepted shape (see {@link PredictRequest}) or not
 * UTF-8, {@code 422} for a finite feature that the scaler saved with the model takes beyond the
 * float range (the message names the feature and the range it accepts), {@code 413} for a body over {@value #MAX_BODY_BYTES} bytes, {@code 405} (with an {@code
 * Allow} header) for the wrong method and {@code 404} for any other path. The service keeps
 * serving after each of them.
 */
public final class IrisService implements AutoCloseable {
    /** The largest request body accepted, in bytes; a longer one is answered with 413. */
    public static final int MAX_BODY_BYTES = 4096;

    /** The species, in the order of the class indices in {@code examples/data/iris.csv}. */
    public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed acknowledgement: about 40 ms per keep-alive request. Read once, at the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private static final System.Logger LOG = System.getLogger(IrisService.class.getName());

    private final Path modelFile;
    private final ModelSlot<IrisModel> slot;
    private final ThreadLocal<ModelSlot.Reader<IrisModel>> readers;
    private final HttpServer server;
    private final ExecutorService workers;

    private IrisService(Path modelFile, ModelSlot<IrisModel> slot, HttpServer server, ExecutorService workers) {
        this.modelFile = modelFile;
        this.slot = slot;
        this.readers = ThreadLocal.withInitial(slot::reader);
        this.server = server;
        this.workers = workers;
    }

    /**
     * Loads {@code modelFile} and its preprocessing and starts serving on {@code address} (port 0
     * picks a free port) with {@code threads} request threads.
     *
     * @throws dev.chainrule.io.ModelFileException if the file is not a valid iris model file
     * @throws IOException if the file cannot be read or the address cannot be bound
     */
    public static IrisService start(Path modelFile, InetSocketAddress address, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        IrisModel model = new IrisModel(0L);
        Optional<FeatureScaler> scaler = Preprocessing.load(modelFile, model);
        ModelSlot<IrisModel> slot = new ModelSlot<>(IrisModel::withSharedParameters, model, scaler);
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService workers = Executors.newFixedThreadPool(threads, daemonThreads("iris-service-"));
        IrisService service = new IrisService(modelFile, slot, server, workers);
        server.createContext("/", service::handle);
        server.setExecutor(workers);
        server.start();
        return service;
    }

    /** {@link #start(Path, InetSocketAddress, int)} on the loopback interface. */
    public static IrisService startOnLoopback(Path modelFile, int port, int threads) throws IOException {
        return start(modelFile, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), threads);
    }

    /** The port the service listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The version of the model being served: 1 at start, one more after each successful reload. */
    public long modelVersion() {
        return slot.version();
    }

    /**
     * Loads the model file again and swaps it in; what {@code POST /reload} does.
     *
     * @return the new model version
     * @throws IOException if the file cannot be read or is not a valid model file for the
     *     network; the current model keeps serving
     */
    public long reload() throws IOException {
        IrisModel model = new IrisModel(0L);
        Optional<FeatureScaler> scaler = Preprocessing.load(modelFile, model);
        return slot.publish(model, scaler);
    }

    /** Stops listening, lets exchanges in progress finish for up to a second, and stops the threads. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link IrisTraining#trainAndSave}: trains the iris model and saves it with its standardizer. */
    public static void trainAndSave(Path csv, Path modelFile, long seed) throws IOException {
        IrisTraining.trainAndSave(csv, modelFile, seed);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status;
            String body;
            try {
                body = route(exchange);
                status = 200;
            } catch (BadRequestException e) {
                status = e.status();
                body = error(e.getMessage());
            } catch (RuntimeException e) {
                // The client learns that it failed, not how: class names and messages stay in the log.
                LOG.log(System.Logger.Level.ERROR, "request " + exchange.getRequestURI().getPath() + " failed", e);
                status = 500;
                body = error("internal error; the service's log has the details");
            }
            respond(exchange, status, body);
        }
    }

    private String route(HttpExchange exchange) throws BadRequestException, IOException {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case "/predict" -> {
                requireMethod(exchange, "POST");
                return predict(readBody(exchange));
            }
            case "/health" -> {
                requireMethod(exchange, "GET");
                return health();
            }
            case "/reload" -> {
                requireMethod(exchange, "POST");
                return reloadRequest();
            }
            default -> throw new BadRequestException(404, "no such resource " + path
                    + "; this service has POST /predict, GET /health and POST /reload");
        }
    }

    private String predict(String body) throws BadRequestException {
        float[] features = PredictRequest.parse(body, Iris.MEASUREMENTS);
        float[] given = features.clone();
        ModelSlot.Reader<IrisModel> reader = readers.get();
        IrisModel model = reader.acquire();
        reader.preprocess(features, 0);
        for (int j = 0; j < features.length; j++) {
            if (!Float.isFinite(features[j])) {
                throw beyondScaler(j, given[j], reader.scaler().orElseThrow());
            }
        }
        float[] probabilities = new float[Iris.SPECIES];
        model.predict(features, probabilities);
        for (float p : probabilities) {
            if (!Float.isFinite(p)) {
                throw new BadRequestException(422, "the model's outputs for these features are not finite numbers;"
                        + " the features lie too far from the data it was trained on");
            }
        }
        int best = OneHot.argmax(probabilities, 0, Iris.SPECIES);
        return "{\"probabilities\":" + Json.array(probabilities) + ",\"class\":" + best + ",\"species\":"
                + Json.quote(SPECIES.get(best)) + ",\"modelVersion\":" + reader.version() + "}";
    }

    /**
     * The refusal of a finite feature that the scaler takes beyond the float range, with the
     * range of that feature it accepts: {@code |(x - shift) * scale| <= Float.MAX_VALUE}.
     */
    private static BadRequestException beyondScaler(int feature, float value, FeatureScaler scaler) {
        double reach = Float.MAX_VALUE / scaler.scale(feature);
        return new BadRequestException(422, String.format("feature %d is %s, which the model's scaler takes beyond"
                + " the float range; it accepts feature %d from about %.3g to %.3g", feature, value, feature,
                scaler.shift(feature) - reach, scaler.shift(feature) + reach));
    }

    private String health() {
        ModelSlot.Reader<IrisModel> reader = readers.get();
        reader.acquire();
        return "{\"status\":\"ok\",\"network\":" + Json.quote(IrisModel.SPEC.describe()) + ",\"modelVersion\":"
                + reader.version() + ",\"preprocessing\":"
                + Json.quote(reader.scaler().map(s -> s.getClass().getSimpleName()).orElse("none")) + "}";
    }

    private String reloadRequest() throws BadRequestException {
        try {
            return "{\"status\":\"reloaded\",\"modelVersion\":" + reload() + "}";
        } catch (IOException e) {
            throw new BadRequestException(500, "reload failed, still serving model version " + slot.version()
                    + ": " + e.getMessage());
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) throws BadRequestException {
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new BadRequestException(405, exchange.getRequestMethod() + " is not allowed on "
                    + exchange.getRequestURI().getPath() + "; use " + method);
        }
    }

    /** The request body as UTF-8 text, refused if it is longer than {@link #MAX_BODY_BYTES}. */
    private static String readBody(HttpExchange exchange) throws BadRequestException, IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && (declared.length() > 9 || Integer.parseInt(declared.strip()) > MAX_BODY_BYTES)) {
            throw tooLarge(); // refused before reading; the server checked that the header is a number
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("the body is not valid UTF-8");
        }
    }

    private static BadRequestException tooLarge() {
        return new BadRequestException(413, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static String error(String message) {
        return "{\"error\":" + Json.quote(message) + "}";
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Runs the service until the process is stopped. Options: {@code --model FILE} (trained on
     * {@code --data} and saved there first if it does not exist; a temporary file if not given),
     * {@code --port N} (default 8080), {@code --threads N} (default 4), {@code --data CSV}
     * (default {@code examples/data/iris.csv}) and {@code --bind ADDRESS} (default the loopback
     * address).
     */
    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args, Set.of("--model", "--port", "--threads", "--data", "--bind"));
        Path csv = Path.of(options.get("--data", "examples/data/iris.csv"));
        String model = options.get("--model", null);
        Path file = model != null ? Path.of(model) : Files.createTempFile("iris-", ".chainrule");
        if (model == null || !Files.exists(file)) {
            trainAndSave(csv, file, 7L);
            System.out.println("trained the iris model on " + csv + " and saved it to " + file);
        }
        InetAddress bind = options.has("--bind")
                ? InetAddress.getByName(options.get("--bind", null))
                : InetAddress.getLoopbackAddress();
        IrisService service = start(file, new InetSocketAddress(bind, options.getInt("--port", 8080)),
                options.getInt("--threads", 4));
        System.out.printf("serving %s on http://%s:%d (POST /predict, GET /health, POST /reload)%n",
                file, bind.getHostAddress(), service.port());
    }
}
