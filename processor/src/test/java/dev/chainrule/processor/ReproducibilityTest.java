package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.io.ModelFile;
import dev.chainrule.kernel.Kernels;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reproducibility contract, against committed bits. {@code src/test/resources/reproducibility}
 * holds a model file per network (every activation, both precisions, dense, convolutional and
 * recurrent layers, wide enough for the loop code and its kernels) and, per kernel path, the bits
 * of what the models compute from those files: single predictions, batch predictions, batch
 * losses and the parameters after ten Adam steps. The build runs this class on both kernel
 * paths, and CI runs the build on JDK 17 and on JDK 25, so passing everywhere means the same
 * model file gives the same bits on both JDKs on the plain Java path; the Vector API path gives
 * the committed bits on JDK 17 and values within a few ulps of them on JDK 25 (see {@link
 * #EXACT}). It also checks that the seeded
 * initialisation gives the committed file's parameters bit for bit.
 *
 * <p>The Vector API path's bits depend on the CPU's vector width (its sums run in that many
 * lanes), so its expected bits are kept per width; on a CPU of a width with no committed file
 * only the run-to-run checks apply, and the cross-JDK check says it has nothing to compare with.
 *
 * <p>A batch prediction is not the same bits as the single predictions of its rows (its sums
 * run in another order), so both are recorded.
 *
 * <p>To write the files again (after a deliberate change of the numerics), run {@code mvn -B -q
 * -o test -pl runtime,processor -Dtest=ReproducibilityTest
 * -Dchainrule.updateReproducibility=true} (the build runs it on both paths) and review the
 * diff.
 */
class ReproducibilityTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/reproducibility");
    private static final boolean UPDATE = Boolean.getBoolean("chainrule.updateReproducibility");
    private static final long SEED = 20_260_101L;
    private static final int ROWS = 16;
    private static final int STEPS = 10;
    /**
     * Whether this JVM's kernel path promises exact bits: the plain Java path always; the Vector
     * API path only on JDK 17, where its reductions ({@code reduceLanes(ADD)}) add the lanes in
     * order. On JDK 25 C2 adds them in another order than the interpreter, so a prediction can
     * change in its last bits once compiled; there the figures are compared within {@link
     * #FLOAT_TOLERANCE} and {@link #DOUBLE_TOLERANCE}, and the trained parameters' digest is
     * not compared.
     */
    static final boolean EXACT = !Kernels.VECTOR_API || Runtime.version().feature() == 17;

    private static final double FLOAT_TOLERANCE = 1e-5;
    private static final double DOUBLE_TOLERANCE = 1e-12;

    /** Hidden layers with every element-wise activation, 20 wide: loop code, with kernel tails. */
    private static List<LayerSpec> everyActivation() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("IN", 12));
        Activation[] hidden = {
            Activation.SIGMOID,
            Activation.TANH,
            Activation.RELU,
            Activation.LEAKY_RELU,
            Activation.ELU,
            Activation.SOFTPLUS,
            Activation.GELU,
            Activation.IDENTITY
        };
        for (int i = 0; i < hidden.length; i++) {
            layers.add(LayerSpec.dense("H" + i, 20, hidden[i]));
        }
        layers.add(LayerSpec.dense("OUT", 6, Activation.SOFTMAX));
        return layers;
    }

    private static List<LayerSpec> recurrent() {
        return List.of(
                LayerSpec.sequence("IN", 5, 4),
                new LayerSpec.RecurrentSpec("R", LayerSpec.Kind.SIMPLE_RNN, 18, Activation.TANH, true),
                new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 17, Activation.TANH, true),
                new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 19, Activation.TANH, false),
                LayerSpec.dense("OUT", 3, Activation.SIGMOID));
    }

    private static List<LayerSpec> convolutional() {
        return List.of(
                LayerSpec.image("IN", 2, 9, 9),
                new LayerSpec.Conv2DSpec("C1", 12, Activation.GELU, 3, 3, 1, 1, Padding.SAME, 0, 0),
                new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 12, 2, 2, 2, 2),
                new LayerSpec.Conv2DSpec("C2", 10, Activation.TANH, 2, 2, 1, 1, Padding.VALID, 0, 0),
                LayerSpec.dense("OUT", 5, Activation.SOFTMAX));
    }

    static final List<NetworkSource> NETWORKS = List.of(
            new NetworkSource("repro", "EveryActivation", Loss.CROSS_ENTROPY, Precision.FLOAT, everyActivation()),
            new NetworkSource(
                    "repro", "EveryActivationDouble", Loss.CROSS_ENTROPY, Precision.DOUBLE, everyActivation()),
            new NetworkSource("repro", "Recurrent", Loss.BINARY_CROSS_ENTROPY, Precision.FLOAT, recurrent()),
            new NetworkSource("repro", "RecurrentDouble", Loss.BINARY_CROSS_ENTROPY, Precision.DOUBLE, recurrent()),
            new NetworkSource("repro", "Convolutional", Loss.CROSS_ENTROPY, Precision.FLOAT, convolutional()));

    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(NETWORKS);

    /** The file of expected bits for this JVM's kernel path (and, on the Vector API path, its widths). */
    static String pathName() {
        if (!Kernels.VECTOR_API) {
            return "scalar";
        }
        // "vector (512-bit)": the width the Vector API kernels use, as their own name reports it
        return Kernels.IMPL.name().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
    }

    private static Path expectedFile() {
        return DIRECTORY.resolve("expected-" + pathName() + ".txt");
    }

    /** What {@code source}'s model computes from its committed file, as {@code key -> hex bits}. */
    private static Map<String, String> observe(NetworkSource source) throws IOException {
        Model seeded = COMPILED.newModel(source, SEED);
        Path file = DIRECTORY.resolve(source.name() + ".chainrule");
        if (UPDATE && !Kernels.VECTOR_API) {
            Files.createDirectories(DIRECTORY);
            ModelFile.save(seeded, file);
        }
        assertTrue(Files.isRegularFile(file), "committed model file " + file.toAbsolutePath());
        Model model = COMPILED.newModel(source, 1);
        ModelFile.load(file, model);
        assertEquals(
                parameterBits(seeded),
                parameterBits(model),
                source.name() + ": the seed " + SEED + " initialises the parameters committed in " + file);

        Map<String, String> observed = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(SEED + source.name().hashCode());
        int in = model.inputSize();
        int out = model.outputSize();
        if (model instanceof FloatModel f) {
            float[] xs = new float[ROWS * in];
            float[] ys = new float[ROWS * out];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) random.nextDouble(-3, 3);
            }
            fillTargets(random, source.loss(), ys, out);
            float[] single = new float[ROWS * out];
            for (int r = 0; r < ROWS; r++) {
                f.predict(xs, r * in, single, r * out);
            }
            float[] batch = new float[ROWS * out];
            f.predictBatch(xs, batch, ROWS);
            observed.put("predict", hex(single));
            observed.put("predictBatch", hex(batch));
            observed.put("lossBatch", hex(new float[] {f.lossBatch(xs, ys, ROWS)}));
            Optimizer adam = Adam.of(0.01);
            for (int s = 0; s < STEPS; s++) {
                f.zeroGradients();
                f.accumulateGradientsBatch(xs, ys, ROWS);
                adam.step(f.parameters(), f.gradients());
            }
        } else {
            DoubleModel d = (DoubleModel) model;
            double[] xs = new double[ROWS * in];
            double[] ys = new double[ROWS * out];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = random.nextDouble(-3, 3);
            }
            float[] targets = new float[ys.length];
            fillTargets(random, source.loss(), targets, out);
            for (int i = 0; i < ys.length; i++) {
                ys[i] = targets[i];
            }
            double[] single = new double[ROWS * out];
            for (int r = 0; r < ROWS; r++) {
                d.predict(xs, r * in, single, r * out);
            }
            double[] batch = new double[ROWS * out];
            d.predictBatch(xs, batch, ROWS);
            observed.put("predict", hex(single));
            observed.put("predictBatch", hex(batch));
            observed.put("lossBatch", hex(new double[] {d.lossBatch(xs, ys, ROWS)}));
            Optimizer adam = Adam.of(0.01);
            for (int s = 0; s < STEPS; s++) {
                d.zeroGradients();
                d.accumulateGradientsBatch(xs, ys, ROWS);
                adam.step(d.parameters(), d.gradients());
            }
        }
        observed.put("trained.sha256", parameterBits(model));
        return observed;
    }

    private static void fillTargets(SplittableRandom random, Loss loss, float[] ys, int out) {
        for (int r = 0; r < ys.length / out; r++) {
            if (loss == Loss.CROSS_ENTROPY) {
                ys[r * out + random.nextInt(out)] = 1;
            } else {
                for (int k = 0; k < out; k++) {
                    ys[r * out + k] = random.nextInt(2);
                }
            }
        }
    }

    private static Map<String, String> observeAll() throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (NetworkSource source : NETWORKS) {
            observe(source).forEach((key, value) -> all.put(source.name() + "." + key, value));
        }
        return all;
    }

    @Test
    void theCommittedModelFilesGiveTheCommittedBitsOnThisPath() throws IOException {
        Map<String, String> observed = observeAll();
        Path file = expectedFile();
        if (UPDATE) {
            StringBuilder text = new StringBuilder("# What ReproducibilityTest's models compute on the " + pathName()
                    + " kernels from the committed model files: IEEE bits in hex.\n");
            observed.forEach(
                    (key, value) -> text.append(key).append(" = ").append(value).append('\n'));
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        }
        Assumptions.assumeTrue(
                Files.isRegularFile(file),
                "no bits are committed for the " + pathName()
                        + " kernels (this CPU's vector width): nothing to compare across JDKs with; expected " + file);
        Map<String, String> expected = read(file);
        assertEquals(expected.keySet(), observed.keySet(), "the figures in " + file);
        compare(expected, observed, "expected bits from " + file);
    }

    /** Equal bits where {@link #EXACT}, else every value within the tolerance. */
    private static void compare(Map<String, String> expected, Map<String, String> observed, String source) {
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String actual = observed.get(entry.getKey());
            String where = entry.getKey() + " on the " + pathName() + " kernels, JDK "
                    + Runtime.version().feature();
            if (EXACT) {
                if (!entry.getValue().equals(actual)) {
                    fail(where + ": " + firstDifference(entry.getValue(), actual) + " (" + source + ")");
                }
            } else if (!entry.getKey().endsWith(".sha256")) {
                String[] e = entry.getValue().split(",");
                String[] a = actual.split(",");
                assertEquals(e.length, a.length, where + ": values (" + source + ")");
                for (int i = 0; i < e.length; i++) {
                    double ev = value(e[i]);
                    double av = value(a[i]);
                    double tolerance =
                            (e[i].length() == 8 ? FLOAT_TOLERANCE : DOUBLE_TOLERANCE) * Math.max(1, Math.abs(ev));
                    assertEquals(ev, av, tolerance, where + ", value " + i + " (" + source + ")");
                }
            }
        }
    }

    /** A value written by {@link #hex(float[])} (8 digits) or {@link #hex(double[])} (16). */
    private static double value(String hex) {
        return hex.length() == 8
                ? Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16))
                : Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    /**
     * Whatever the committed files say, a second run in the same JVM gives the same bits (within
     * the tolerance where the path does not promise exact bits).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void theSameJvmGivesTheSameBitsTwice(int which) throws IOException {
        NetworkSource source = NETWORKS.get(which);
        Map<String, String> first = observe(source);
        compare(first, observe(source), "the first run in this JVM");
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> map = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            assertTrue(eq > 0, "a line of " + file + " is key = value: " + line);
            map.put(line.substring(0, eq), line.substring(eq + 3));
        }
        assertNotNull(map.isEmpty() ? null : map, "figures in " + file);
        return map;
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split(",");
        String[] a = actual.split(",");
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                return "value " + i + " is " + a[i] + ", expected " + e[i];
            }
        }
        return a.length + " values, expected " + e.length;
    }

    private static String hex(float[] values) {
        StringBuilder sb = new StringBuilder();
        for (float v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format("%08x", Float.floatToRawIntBits(v)));
        }
        return sb.toString();
    }

    private static String hex(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format("%016x", Double.doubleToRawLongBits(v)));
        }
        return sb.toString();
    }

    /** The SHA-256 of the model's parameter bits, in hex. */
    private static String parameterBits(Model model) {
        StringBuilder bits = new StringBuilder();
        if (model instanceof FloatModel f) {
            bits.append(hex(f.parameters()));
        } else {
            bits.append(hex(((DoubleModel) model).parameters()));
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(bits.toString().getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder();
            for (byte b : digest) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
