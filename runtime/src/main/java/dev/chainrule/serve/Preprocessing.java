package dev.chainrule.serve;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.io.LoadedModelFile;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.ModelFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
 * <p>Loading checks, besides everything {@link ModelFile#load(Path, Model)} checks, that the
 * attachment is a well-formed scaler whose statistics a fit can produce (so that every scale is
 * finite and positive: see {@link dev.chainrule.data.Standardizer} and {@link
 * dev.chainrule.data.MinMaxScaler}), that nothing follows it, and that it was fitted on as many
 * features as the model takes. Any failure throws {@link ModelFileException} naming the source
 * and the attachment, and leaves the model's parameters as they were.
 */
public final class Preprocessing {
    /** The name of the model file attachment that holds the fitted feature scaler. */
    public static final String ATTACHMENT = "chainrule.feature-scaler";

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
     * Loads the model file {@code file} into {@code target} and returns the scaler saved with it.
     *
     * @return the scaler, or empty if the file has no {@value #ATTACHMENT} attachment
     * @throws ModelFileException if the file is not a valid model file for {@code target} or its
     *     scaler attachment is damaged or does not fit the model; {@code target} is then unchanged
     * @throws IOException if the file cannot be read
     */
    public static Optional<FeatureScaler> load(Path file, Model target) throws IOException {
        Objects.requireNonNull(file, "file");
        return loadChecked(target, file.toString(), () -> ModelFile.load(file, target));
    }

    /** {@link #load(Path, Model)} for a stream holding exactly one model file; does not close it. */
    public static Optional<FeatureScaler> load(InputStream in, Model target) throws IOException {
        Objects.requireNonNull(in, "in");
        return loadChecked(target, "input stream", () -> ModelFile.load(in, target));
    }

    /**
     * {@link #load(Path, Model)} for the class path resource {@code name}, resolved like {@link
     * Class#getResource} from {@code anchor}: a service can ship its model and preprocessing
     * inside its jar.
     */
    public static Optional<FeatureScaler> loadResource(Class<?> anchor, String name, Model target)
            throws IOException {
        Objects.requireNonNull(anchor, "anchor");
        return loadChecked(target, "class path resource " + name, () -> ModelFile.loadResource(anchor, name, target));
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
        Optional<byte[]> payload = loaded.attachment(ATTACHMENT);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = payload.get();
        String where = source + ": attachment \"" + ATTACHMENT + "\": ";
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        FeatureScaler scaler;
        try {
            scaler = FeatureScaler.readFrom(new DataInputStream(stream));
        } catch (IOException e) {
            throw withCause(new ModelFileException(where + e.getMessage()), e);
        }
        if (stream.available() > 0) {
            throw new ModelFileException(where + stream.available() + " bytes follow the saved scaler (the payload has "
                    + bytes.length + " bytes, the scaler ends after " + (bytes.length - stream.available()) + ")");
        }
        if (scaler.featureCount() != target.inputSize()) {
            throw new ModelFileException(where + "the scaler was fitted on " + scaler.featureCount()
                    + " features but the model takes " + target.inputSize() + " (" + target.spec().describe() + ")");
        }
        return Optional.of(scaler);
    }

    private static void requireFeatureCount(FeatureScaler scaler, Model model) {
        Objects.requireNonNull(scaler, "scaler");
        if (scaler.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException("the scaler was fitted on " + scaler.featureCount()
                    + " features but the model takes " + model.inputSize() + " (" + model.spec().describe() + ")");
        }
    }

    /** A load that may throw {@link IOException}. */
    private interface Load {
        LoadedModelFile run() throws IOException;
    }

    /**
     * Runs {@code load}, which writes into {@code target} only once the file is valid, then reads
     * the scaler; puts the previous parameters back if the scaler is refused.
     */
    private static Optional<FeatureScaler> loadChecked(Model target, String source, Load load) throws IOException {
        Objects.requireNonNull(target, "target");
        Runnable restore = snapshot(target);
        LoadedModelFile loaded = load.run();
        try {
            return scalerOf(loaded, target, source);
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
