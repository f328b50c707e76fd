package dev.chainrule.serve;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.TargetScaler;
import dev.chainrule.io.LoadedModelFile;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.ModelFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Saves a model together with the {@link FeatureScaler} it was trained behind, and loads both
 * back, so that a service rescales each request exactly as training did.
 *
 * <pre>{@code
 * Preprocessing.save(model, scaler, Path.of("iris.chainrule"));
 *
 * IrisModel served = new IrisModel(0L);
 * Optional<FeatureScaler> scaler = Preprocessing.load(Path.of("iris.chainrule"), served);
 * }</pre>
 *
 * <p>The scaler is stored as the model file attachment named {@value #ATTACHMENT}; its payload is
 * exactly what {@link FeatureScaler#writeTo} writes, nothing before or after it. A model file
 * without that attachment (for instance one saved with {@link ModelFile#save(Model, Path)}) loads
 * with an empty scaler.
 *
 * <p>A regression model trained on standardised targets also keeps its {@link TargetScaler}, the
 * attachment {@value #TARGET_ATTACHMENT}, so that a service maps predictions back to the original
 * units:
 * <pre>{@code
 * Preprocessing.save(model, features, targets, Path.of("prices.chainrule"));
 *
 * Preprocessing.Scalers scalers = Preprocessing.loadScalers(Path.of("prices.chainrule"), served);
 * scalers.features().ifPresent(f -> f.applyInPlace(row, 0));
 * served.predict(row, price);
 * scalers.targets().ifPresent(t -> t.inverseInPlace(price, 0));
 * }</pre>
 *
 * <p>Loading checks, besides everything {@link ModelFile#load(Path, Model)} checks, that each
 * attachment is a well-formed scaler whose statistics a fit can produce (so that every scale is
 * finite and positive: see {@link dev.chainrule.data.Standardizer} and {@link
 * dev.chainrule.data.MinMaxScaler}), that nothing follows it, and that it was fitted on as many
 * features as the model takes (as many targets as it has outputs). Any failure throws {@link
 * ModelFileException} naming the source and the attachment, and leaves the model's parameters as
 * they were.
 */
public final class Preprocessing {
    /** The name of the model file attachment that holds the fitted feature scaler. */
    public static final String ATTACHMENT = "chainrule.feature-scaler";

    /** The name of the model file attachment that holds the fitted target scaler. */
    public static final String TARGET_ATTACHMENT = "chainrule.target-scaler";

    /**
     * The scalers saved with a model.
     *
     * @param features the feature scaler, or empty if the file has none
     * @param targets the target scaler, or empty if the file has none
     */
    public record Scalers(Optional<FeatureScaler> features, Optional<TargetScaler> targets) {
        public Scalers {
            Objects.requireNonNull(features, "features");
            Objects.requireNonNull(targets, "targets");
        }
    }

    private Preprocessing() {}

    /**
     * Saves {@code model} with {@code scaler} as its {@value #ATTACHMENT} attachment, atomically
     * (see {@link ModelFile#save(Model, Path, Map)}).
     *
     * @throws IllegalArgumentException if the scaler was fitted on a different number of features
     *     than the model takes; nothing is written then
     * @throws ModelFileException if the model cannot be saved (a parameter is not finite)
     * @throws IOException if writing fails; {@code file} is then as it was
     */
    public static void save(Model model, FeatureScaler scaler, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        requireFeatureCount(scaler, model);
        ModelFile.save(model, file, Map.of(ATTACHMENT, encode(scaler)));
    }

    /**
     * Saves {@code model} with both scalers, as the attachments {@value #ATTACHMENT} and
     * {@value #TARGET_ATTACHMENT}, atomically.
     *
     * @throws IllegalArgumentException if the feature scaler was fitted on a different number of
     *     features than the model takes, or the target scaler on a different number of targets
     *     than it has outputs; nothing is written then
     * @throws ModelFileException if the model cannot be saved (a parameter is not finite)
     * @throws IOException if writing fails; {@code file} is then as it was
     */
    public static void save(Model model, FeatureScaler features, TargetScaler targets, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        requireFeatureCount(features, model);
        requireTargetCount(targets, model);
        Map<String, byte[]> attachments = new LinkedHashMap<>();
        attachments.put(ATTACHMENT, encode(features));
        attachments.put(TARGET_ATTACHMENT, encode(targets));
        ModelFile.save(model, file, attachments);
    }

    /**
     * Saves {@code model} with a target scaler only, as the attachment {@value
     * #TARGET_ATTACHMENT}; see {@link #save(Model, FeatureScaler, TargetScaler, Path)}.
     */
    public static void save(Model model, TargetScaler targets, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        requireTargetCount(targets, model);
        ModelFile.save(model, file, Map.of(TARGET_ATTACHMENT, encode(targets)));
    }

    /**
     * Loads the model file {@code file} into {@code target} and returns both scalers saved with
     * it, each empty if the file has none.
     *
     * @throws ModelFileException if the file is not a valid model file for {@code target} or a
     *     scaler attachment is damaged or does not fit the model; {@code target} is then unchanged
     * @throws IOException if the file cannot be read
     */
    public static Scalers loadScalers(Path file, Model target) throws IOException {
        Objects.requireNonNull(file, "file");
        return loadChecked(
                target,
                file.toString(),
                () -> ModelFile.load(file, target),
                (loaded, source) -> scalersOf(loaded, target, source));
    }

    /** {@link #loadScalers(Path, Model)} for a stream holding exactly one model file; does not close it. */
    public static Scalers loadScalers(InputStream in, Model target) throws IOException {
        Objects.requireNonNull(in, "in");
        return loadChecked(
                target,
                "input stream",
                () -> ModelFile.load(in, target),
                (loaded, source) -> scalersOf(loaded, target, source));
    }

    /** {@link #loadScalers(Path, Model)} for a class path resource; see {@link #loadResource}. */
    public static Scalers loadScalersResource(Class<?> anchor, String name, Model target) throws IOException {
        Objects.requireNonNull(anchor, "anchor");
        return loadChecked(
                target,
                "class path resource " + name,
                () -> ModelFile.loadResource(anchor, name, target),
                (loaded, source) -> scalersOf(loaded, target, source));
    }

    /**
     * Loads the model file {@code file} into {@code target} and returns the scaler saved with it.
     *
     * @return the scaler, or empty if the file has no {@value #ATTACHMENT} attachment
     * @throws ModelFileException if the file is not a valid model file for {@code target} or its
     *     scaler attachment is damaged or does not fit the model; {@code target} is then unchanged
     * @throws IOException if the file cannot be read
     */
    public static Optional<FeatureScaler> load(Path file, Model target) throws IOException {
        Objects.requireNonNull(file, "file");
        return loadChecked(
                target,
                file.toString(),
                () -> ModelFile.load(file, target),
                (loaded, source) -> scalerOf(loaded, target, source));
    }

    /** {@link #load(Path, Model)} for a stream holding exactly one model file; does not close it. */
    public static Optional<FeatureScaler> load(InputStream in, Model target) throws IOException {
        Objects.requireNonNull(in, "in");
        return loadChecked(
                target,
                "input stream",
                () -> ModelFile.load(in, target),
                (loaded, source) -> scalerOf(loaded, target, source));
    }

    /**
     * {@link #load(Path, Model)} for the class path resource {@code name}, resolved like {@link
     * Class#getResource} from {@code anchor}: a service can ship its model and preprocessing
     * inside its jar.
     */
    public static Optional<FeatureScaler> loadResource(Class<?> anchor, String name, Model target) throws IOException {
        Objects.requireNonNull(anchor, "anchor");
        return loadChecked(
                target,
                "class path resource " + name,
                () -> ModelFile.loadResource(anchor, name, target),
                (loaded, source) -> scalerOf(loaded, target, source));
    }

    /**
     * The bytes {@link #save} stores for {@code scaler}: for saving it with other attachments
     * through {@link ModelFile#save(Model, Path, Map)} under the name {@value #ATTACHMENT}.
     */
    public static byte[] encode(FeatureScaler scaler) {
        Objects.requireNonNull(scaler, "scaler");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            scaler.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /** The bytes {@link #save(Model, TargetScaler, Path)} stores for {@code scaler}, under {@value #TARGET_ATTACHMENT}. */
    public static byte[] encode(TargetScaler scaler) {
        Objects.requireNonNull(scaler, "scaler");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            scaler.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Both scalers in a file already loaded with {@link ModelFile#load}, checked against the model
     * it was loaded into; see {@link #scalerOf} and {@link #targetScalerOf}.
     */
    public static Scalers scalersOf(LoadedModelFile loaded, Model target, String source) throws ModelFileException {
        return new Scalers(scalerOf(loaded, target, source), targetScalerOf(loaded, target, source));
    }

    /**
     * The target scaler in a file already loaded with {@link ModelFile#load}, checked against the
     * model it was loaded into.
     *
     * @param source what the file was read from, for messages
     * @return the scaler, or empty if the file has no {@value #TARGET_ATTACHMENT} attachment
     * @throws ModelFileException if the attachment is not a well-formed target scaler, has bytes
     *     after it, or was fitted on a different number of targets than {@code target} has outputs
     */
    public static Optional<TargetScaler> targetScalerOf(LoadedModelFile loaded, Model target, String source)
            throws ModelFileException {
        Optional<TargetScaler> read = attached(loaded, TARGET_ATTACHMENT, source, TargetScaler::readFrom);
        if (read.isEmpty()) {
            return read;
        }
        TargetScaler scaler = read.get();
        String where = source + ": attachment \"" + TARGET_ATTACHMENT + "\": ";
        if (scaler.targetCount() != target.outputSize()) {
            throw new ModelFileException(
                    where + "the scaler was fitted on " + scaler.targetCount() + " targets but the model has "
                            + target.outputSize() + " outputs (" + target.spec().describe() + ")");
        }
        return Optional.of(scaler);
    }

    /**
     * The scaler in a file already loaded with {@link ModelFile#load}, checked against the model
     * it was loaded into.
     *
     * @param source what the file was read from, for messages
     * @return the scaler, or empty if the file has no {@value #ATTACHMENT} attachment
     * @throws ModelFileException if the attachment is not a well-formed scaler, has bytes after
     *     it, or was fitted on a different number of features than {@code target} takes
     */
    public static Optional<FeatureScaler> scalerOf(LoadedModelFile loaded, Model target, String source)
            throws ModelFileException {
        Optional<FeatureScaler> read = attached(loaded, ATTACHMENT, source, FeatureScaler::readFrom);
        if (read.isEmpty()) {
            return read;
        }
        FeatureScaler scaler = read.get();
        String where = source + ": attachment \"" + ATTACHMENT + "\": ";
        if (scaler.featureCount() != target.inputSize()) {
            throw new ModelFileException(
                    where + "the scaler was fitted on " + scaler.featureCount() + " features but the model takes "
                            + target.inputSize() + " (" + target.spec().describe() + ")");
        }
        return Optional.of(scaler);
    }

    /** Reads a value from a {@code DataInput}. */
    private interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    /**
     * The attachment {@code name} of {@code loaded} read by {@code reader}, or empty if there is
     * none; refused when the reader fails or bytes follow what it read.
     */
    private static <T> Optional<T> attached(LoadedModelFile loaded, String name, String source, Reader<T> reader)
            throws ModelFileException {
        Optional<byte[]> payload = loaded.attachment(name);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = payload.get();
        String where = source + ": attachment \"" + name + "\": ";
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        T value;
        try {
            value = reader.read(new DataInputStream(stream));
        } catch (IOException e) {
            throw withCause(new ModelFileException(where + e.getMessage()), e);
        }
        if (stream.available() > 0) {
            throw new ModelFileException(where + stream.available() + " bytes follow the saved scaler (the payload has "
                    + bytes.length + " bytes, the scaler ends after " + (bytes.length - stream.available()) + ")");
        }
        return Optional.of(value);
    }

    private static void requireFeatureCount(FeatureScaler scaler, Model model) {
        Objects.requireNonNull(scaler, "scaler");
        if (scaler.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException(
                    "the scaler was fitted on " + scaler.featureCount() + " features but the model takes "
                            + model.inputSize() + " (" + model.spec().describe() + ")");
        }
    }

    private static void requireTargetCount(TargetScaler scaler, Model model) {
        Objects.requireNonNull(scaler, "target scaler");
        if (scaler.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException(
                    "the target scaler was fitted on " + scaler.targetCount() + " targets but the model has "
                            + model.outputSize() + " outputs (" + model.spec().describe() + ")");
        }
    }

    /** A load that may throw {@link IOException}. */
    private interface Load {
        LoadedModelFile run() throws IOException;
    }

    /** Reads what the caller wants from a loaded file. */
    private interface Read<T> {
        T from(LoadedModelFile loaded, String source) throws ModelFileException;
    }

    /**
     * Runs {@code load}, which writes into {@code target} only once the file is valid, then reads
     * the scalers; puts the previous parameters back if a scaler is refused.
     */
    private static <T> T loadChecked(Model target, String source, Load load, Read<T> read) throws IOException {
        Objects.requireNonNull(target, "target");
        Runnable restore = snapshot(target);
        LoadedModelFile loaded = load.run();
        try {
            return read.from(loaded, source);
        } catch (ModelFileException e) {
            restore.run();
            throw e;
        }
    }

    /** Copies the parameters now; the returned action writes the copy back. */
    private static Runnable snapshot(Model model) {
        if (model instanceof FloatModel floats) {
            float[] saved = floats.parameters().clone();
            return () -> System.arraycopy(saved, 0, floats.parameters(), 0, saved.length);
        }
        if (model instanceof DoubleModel doubles) {
            double[] saved = doubles.parameters().clone();
            return () -> System.arraycopy(saved, 0, doubles.parameters(), 0, saved.length);
        }
        return () -> {}; // ModelFile.load refuses such a model before writing anything
    }

    private static ModelFileException withCause(ModelFileException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }
}
