package dev.chainrule.examples.serving;

import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.OneHot;
import dev.chainrule.serve.ModelSlot;
import dev.chainrule.serve.Preprocessing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A scoring service for the {@link Iris} network on Jetty 12 (its core {@link Handler} API, no
 * servlets), with Jackson for JSON and Micrometer for metrics, bound to the loopback interface
 * unless told otherwise.
 *
 * <p>At start it loads a model file and the feature scaler saved with it ({@link Preprocessing});
 * the {@link #main} method first trains and saves the iris model if there is no file yet. It
 * answers:
 * <ul>
 *   <li>{@code POST /predict} with a body {@code {"features":[5.1,3.5,1.4,0.2]}} (the four raw
 *       measurements, in centimetres): {@code 200} and {@code
 *       {"probabilities":[...],"class":0,"species":"setosa","modelVersion":1}}. The features are
 *       rescaled by the scaler saved with the model before prediction. Probabilities are written
 *       as decimals that read back as the same floats.
 *   <li>{@code GET /health}: {@code 200} and {@code {"status":"ok","network":"...","modelVersion":1,...}}.
 *   <li>{@code POST /reload}: loads the model file again, checks it completely, and swaps it in
 *       without stopping ({@link ModelSlot}): {@code 200} and the new version. If the file is not
 *       a valid model file for the network, {@code 500} with the reason, and the old model keeps
 *       serving. The request cannot name another file: the service only ever reads the file it
 *       was started with. Anyone who can reach the port can trigger a reload, which is one more
 *       reason to keep the default loopback binding.
 *   <li>{@code GET /metrics}: the metrics of {@link ServiceMetrics} in the Prometheus text format.
 * </ul>
 *
 * <p>Refused requests get a JSON body {@code {"error":"..."}} that says what was wrong, and never
 * a Java exception's class or message: {@code 400} for a body that is not exactly the accepted
 * shape (see {@link PredictRequest}) or not UTF-8; {@code 422} for a finite feature that the
 * scaler saved with the model takes beyond the float range (the message names the feature and
 * the range it accepts); {@code 413} for a body over {@link ServiceLimits#maxBodyBytes()}; {@code
 * 408} for a body that has not arrived whole within {@link ServiceLimits#readTimeout()} (the
 * connection is then closed); {@code 431} for headers over {@link ServiceLimits#maxHeaderBytes()};
 * {@code 503} when {@link ServiceLimits#maxConcurrentRequests()} requests are being handled and
 * the queue is full or a request waited {@link ServiceLimits#maxQueueWait()}, and while shutting
 * down; {@code 405} (with an {@code Allow} header) for the wrong method and {@code 404} for any
 * other path. The service keeps serving after each of them. {@code /health} and {@code /metrics}
 * are outside the concurrency limit, so they answer under load.
 */
public final class IrisService implements AutoCloseable {
    /** The species, in the order of the class indices in {@code examples/data/iris.csv}. */
    public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

    /** The media type of {@code GET /metrics}: the Prometheus text format, version 0.0.4. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final System.Logger LOG = System.getLogger(IrisService.class.getName());

    private final Path modelFile;
    private final ServiceLimits limits;
    private final ModelSlot<IrisModel> slot;
    private final ThreadLocal<ModelSlot.Reader<IrisModel>> readers;
    private final ServiceMetrics metrics;
    private final Server server;
    private final ServerConnector connector;

    private IrisService(Path modelFile, InetSocketAddress address, ServiceLimits limits) throws IOException {
        this.modelFile = modelFile;
        this.limits = limits;
        IrisModel model = new IrisModel(0L);
        Optional<FeatureScaler> scaler = Preprocessing.load(modelFile, model);
        model.warmUp(); // compiled before the first request; every later IrisModel runs the same code
        this.slot = new ModelSlot<>(IrisModel::withSharedParameters, model, scaler);
        this.readers = ThreadLocal.withInitial(slot::reader);
        this.metrics = new ServiceMetrics(slot::version);
        metrics.modelServed(1, fingerprint(model, scaler), IrisModel.SPEC.describe());

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("iris-service");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));

        QoSHandler concurrency = new ConcurrencyLimit(new Endpoints());
        concurrency.setMaxRequestCount(limits.maxConcurrentRequests());
        concurrency.setMaxSuspendedRequestCount(limits.maxQueuedRequests());
        concurrency.setMaxSuspend(limits.maxQueueWait());
        concurrency.excludePath("/health", "/metrics");
        server.setHandler(metrics.handler(new Graceful(concurrency)));
        server.setErrorHandler(new JsonErrorHandler(limits.maxHeaderBytes()));
        server.setStopTimeout(limits.shutdownGrace().toMillis());
    }

    /**
     * Loads {@code modelFile} and its preprocessing and starts serving on {@code address} (port 0
     * picks a free port) within {@code limits}.
     *
     * @throws dev.chainrule.io.ModelFileException if the file is not a valid iris model file
     * @throws IOException if the file cannot be read or the address cannot be bound
     */
    public static IrisService start(Path modelFile, InetSocketAddress address, ServiceLimits limits)
            throws IOException {
        IrisService service = new IrisService(modelFile, address, limits);
        try {
            service.server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the server did not start on " + address + ": " + e.getMessage(), e);
        }
        return service;
    }

    /** {@link #start(Path, InetSocketAddress, ServiceLimits)} on the loopback interface. */
    public static IrisService startOnLoopback(Path modelFile, int port, ServiceLimits limits) throws IOException {
        return start(modelFile, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), limits);
    }

    /** The port the service listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The limits the service enforces. */
    public ServiceLimits limits() {
        return limits;
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
        Optional<FeatureScaler> scaler;
        try {
            scaler = Preprocessing.load(modelFile, model);
        } catch (IOException e) {
            metrics.reloaded(false);
            throw e;
        }
        synchronized (slot) { // the version and the fingerprint the metrics show change together
            long version = slot.publish(model, scaler);
            metrics.modelServed(version, fingerprint(model, scaler), IrisModel.SPEC.describe());
            metrics.reloaded(true);
            return version;
        }
    }

    /**
     * Shuts down gracefully: stops accepting connections, answers new requests on open ones with
     * 503, lets the requests in flight finish for up to {@link ServiceLimits#shutdownGrace()},
     * then stops.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "the server did not stop cleanly", e);
        }
    }

    /** {@link IrisTraining#trainAndSave}: trains the iris model and saves it with its standardizer. */
    public static void trainAndSave(Path csv, Path modelFile, long seed) throws IOException {
        IrisTraining.trainAndSave(csv, modelFile, seed);
    }

    /**
     * The first 16 hexadecimal digits of the SHA-256 of what a model computes with: its
     * parameters' bits, then its scaler's shifts and scales. Two files that serve the same
     * predictions have the same fingerprint, whatever else they hold.
     */
    static String fingerprint(IrisModel model, Optional<FeatureScaler> scaler) {
        float[] parameters = model.parameters();
        int features = scaler.map(FeatureScaler::featureCount).orElse(0);
        ByteBuffer bytes = ByteBuffer.allocate(4 * parameters.length + 16 * features);
        for (float p : parameters) {
            bytes.putInt(Float.floatToRawIntBits(p));
        }
        scaler.ifPresent(s -> {
            for (int j = 0; j < s.featureCount(); j++) {
                bytes.putLong(Double.doubleToRawLongBits(s.shift(j))).putLong(Double.doubleToRawLongBits(s.scale(j)));
            }
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.array());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The routes; every request that reaches them is answered, never passed on. */
    private final class Endpoints extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            try {
                switch (path) {
                    case "/predict" -> {
                        requireMethod(request, response, "POST");
                        BodyReader.read(request, limits.maxBodyBytes(), limits.readTimeout())
                                .whenComplete((body, failure) -> predict(body, failure, response, callback));
                    }
                    case "/health" -> {
                        requireMethod(request, response, "GET");
                        Responses.json(response, callback, 200, health());
                    }
                    case "/reload" -> {
                        requireMethod(request, response, "POST");
                        Responses.json(response, callback, 200, reloadRequest());
                    }
                    case "/metrics" -> {
                        requireMethod(request, response, "GET");
                        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                        response.setStatus(200);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, METRICS_CONTENT_TYPE);
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, text.length);
                        response.write(true, ByteBuffer.wrap(text), callback);
                    }
                    default ->
                        throw new BadRequestException(
                                404,
                                "no such resource " + path
                                        + "; this service has POST /predict, GET /health, POST /reload and GET /metrics");
                }
            } catch (BadRequestException e) {
                Responses.error(response, callback, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                internalError(path, e, response, callback);
            }
            return true;
        }
    }

    /** Answers a predict request once its body has arrived, or its refusal if it did not. */
    private void predict(byte[] body, Throwable failure, Response response, Callback callback) {
        try {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof BadRequestException refused) {
                    // A body too large or too slow is not read to its end: close the connection.
                    Responses.errorAndClose(response, callback, refused.status(), refused.getMessage());
                    return;
                }
                throw new IllegalStateException("reading the body failed", cause);
            }
            Responses.json(response, callback, 200, predict(decode(body)));
        } catch (BadRequestException e) {
            Responses.error(response, callback, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            internalError("/predict", e, response, callback);
        }
    }

    /** A 500 that tells the client only that it failed; what failed and how goes to the log. */
    private static void internalError(String path, RuntimeException e, Response response, Callback callback) {
        LOG.log(System.Logger.Level.ERROR, "request " + path + " failed", e);
        if (!response.isCommitted()) {
            Responses.error(response, callback, 500, Responses.describe(500, 0));
        } else {
            callback.failed(e);
        }
    }

    private byte[] predict(String body) throws BadRequestException {
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
                throw new BadRequestException(
                        422,
                        "the model's outputs for these features are not finite numbers;"
                                + " the features lie too far from the data it was trained on");
            }
        }
        int best = OneHot.argmax(probabilities, 0, Iris.SPECIES);
        long version = reader.version();
        return Json.write(out -> {
            out.writeStartObject();
            out.writeFieldName("probabilities");
            Json.floats(out, probabilities);
            out.writeNumberField("class", best);
            out.writeStringField("species", SPECIES.get(best));
            out.writeNumberField("modelVersion", version);
            out.writeEndObject();
        });
    }

    /**
     * The refusal of a finite feature that the scaler takes beyond the float range, with the
     * range of that feature it accepts: {@code |(x - shift) * scale| <= Float.MAX_VALUE}.
     */
    private static BadRequestException beyondScaler(int feature, float value, FeatureScaler scaler) {
        double reach = Float.MAX_VALUE / scaler.scale(feature);
        return new BadRequestException(
                422,
                String.format(
                        "feature %d is %s, which the model's scaler takes beyond"
                                + " the float range; it accepts feature %d from about %.3g to %.3g",
                        feature, value, feature, scaler.shift(feature) - reach, scaler.shift(feature) + reach));
    }

    private byte[] health() {
        ModelSlot.Reader<IrisModel> reader = readers.get();
        reader.acquire();
        long version = reader.version();
        String preprocessing =
                reader.scaler().map(s -> s.getClass().getSimpleName()).orElse("none");
        return Json.write(out -> {
            out.writeStartObject();
            out.writeStringField("status", "ok");
            out.writeStringField("network", IrisModel.SPEC.describe());
            out.writeNumberField("modelVersion", version);
            out.writeStringField("preprocessing", preprocessing);
            out.writeEndObject();
        });
    }

    private byte[] reloadRequest() throws BadRequestException {
        try {
            long version = reload();
            return Json.write(out -> {
                out.writeStartObject();
                out.writeStringField("status", "reloaded");
                out.writeNumberField("modelVersion", version);
                out.writeEndObject();
            });
        } catch (IOException e) {
            throw new BadRequestException(
                    500, "reload failed, still serving model version " + slot.version() + ": " + e.getMessage());
        }
    }

    private static void requireMethod(Request request, Response response, String method) throws BadRequestException {
        if (!request.getMethod().equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, method);
            throw new BadRequestException(
                    405,
                    request.getMethod() + " is not allowed on " + Request.getPathInContext(request) + "; use "
                            + method);
        }
    }

    /** The body as UTF-8 text, refused if it is not valid UTF-8. */
    private static String decode(byte[] bytes) throws BadRequestException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("the body is not valid UTF-8");
        }
    }

    /** Jetty's concurrency limit, answering the requests it turns away in the service's JSON. */
    private static final class ConcurrencyLimit extends QoSHandler {
        ConcurrencyLimit(Handler next) {
            super(next);
        }

        @Override
        protected void reject(Request request, Response response, Callback callback, int status) {
            Responses.error(
                    response,
                    callback,
                    503,
                    "the service is at its limit of concurrent requests and its queue is full; try again shortly");
        }

        @Override
        protected void expireSuspended(Request request, Response response, Callback callback) {
            Responses.error(
                    response,
                    callback,
                    503,
                    "the service is at its limit of concurrent requests and this request waited too long; try again shortly");
        }
    }

    /** Jetty's graceful shutdown, answering requests that arrive during it in the service's JSON. */
    private static final class Graceful extends GracefulHandler {
        Graceful(Handler next) {
            super(next);
        }

        @Override
        protected void handleShutdownRejection(Request request, Response response, Callback callback) {
            Responses.errorAndClose(response, callback, 503, "the service is shutting down");
        }
    }

    /**
     * Runs the service until the process is stopped; stopping it (Ctrl-C, {@code kill}) shuts it
     * down gracefully. Options: {@code --model FILE} (trained on {@code --data} and saved there
     * first if it does not exist; a temporary file if not given), {@code --port N} (default
     * 8080), {@code --data CSV} (default {@code examples/data/iris.csv}) and {@code --bind
     * ADDRESS} (default the loopback address). The limits are {@link ServiceLimits#defaults()}.
     */
    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args, Set.of("--model", "--port", "--data", "--bind"));
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
        IrisService service =
                start(file, new InetSocketAddress(bind, options.getInt("--port", 8080)), ServiceLimits.defaults());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "iris-service-shutdown"));
        System.out.printf(
                "serving %s on http://%s:%d (POST /predict, GET /health, POST /reload, GET /metrics)%n",
                file, bind.getHostAddress(), service.port());
        try {
            service.server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
