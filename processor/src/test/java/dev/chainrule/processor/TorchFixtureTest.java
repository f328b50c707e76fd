package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.AnyModel;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An independent check of convolution, pooling and the recurrent layers: for the same weights,
 * input and target, the outputs, loss and parameter gradients of each generated network equal
 * those PyTorch computes ({@code torch.nn.functional.conv2d}, {@code max_pool2d}, {@code
 * avg_pool2d}; the modules {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU}; autograd), within
 * 1e-5 in float and 1e-9 in double, through the single-sample methods and the batch methods
 * alike. The fixtures, and the scripts that wrote them once, are in {@code
 * src/test/resources/fixtures/conv} and {@code src/test/resources/fixtures/recurrent} (see their
 * READMEs).
 */
class TorchFixtureTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    /**
     * Rows of the batch check, the fixture's sample repeated (so that the mean loss and gradient
     * are the sample's): a full block of the generated code's 32 rows and part of another.
     */
    private static final int ROWS = 35;
    /** Each fixture's file, without {@code .float.txt} or {@code .double.txt}, by the name of its interfaces. */
    private static final Map<String, Path> FILES = new HashMap<>();

    private static CompiledNetworks compiled;
    private static final List<NetworkSource> SOURCES = new ArrayList<>();

    static {
        define(
                "conv",
                "conv_basic",
                Loss.CROSS_ENTROPY,
                LayerSpec.image("IN", 1, 6, 5),
                conv("C", 4, 3, 3, 1, 0, Padding.VALID, Activation.RELU),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define(
                "conv",
                "conv_stride_pad",
                Loss.MSE,
                LayerSpec.image("IN", 2, 7, 6),
                conv("C", 3, 3, 2, 2, 1, Padding.VALID, Activation.TANH),
                new LayerSpec.Pool2DSpec("P", Kind.MAX_POOL2D, 3, 3, 3, 1, 1),
                LayerSpec.dense("OUT", 2, Activation.IDENTITY));
        define(
                "conv",
                "conv_same_avg",
                Loss.BINARY_CROSS_ENTROPY,
                LayerSpec.image("IN", 3, 5, 5),
                conv("C", 2, 4, 4, 1, 0, Padding.SAME, Activation.SIGMOID),
                new LayerSpec.Pool2DSpec("P", Kind.AVG_POOL2D, 2, 2, 2, 2, 2),
                LayerSpec.dense("OUT", 1, Activation.SIGMOID));
        define(
                "conv",
                "conv_1x1_gap",
                Loss.CROSS_ENTROPY,
                LayerSpec.image("IN", 3, 4, 4),
                conv("C", 5, 1, 1, 1, 0, Padding.VALID, Activation.RELU),
                new LayerSpec.GlobalAvgPool2DSpec("G", 5),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define(
                "conv",
                "maxpool_overlap",
                Loss.MSE,
                LayerSpec.image("IN", 2, 7, 7),
                new LayerSpec.Pool2DSpec("P", Kind.MAX_POOL2D, 2, 3, 3, 2, 2),
                conv("C", 2, 2, 2, 1, 0, Padding.VALID, Activation.IDENTITY),
                LayerSpec.dense("OUT", 2, Activation.TANH));
        define(
                "conv",
                "lenet5",
                Loss.CROSS_ENTROPY,
                LayerSpec.image("IN", 1, 28, 28),
                conv("C1", 6, 5, 5, 1, 2, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool2DSpec("P1", Kind.MAX_POOL2D, 6, 2, 2, 2, 2),
                conv("C2", 16, 5, 5, 1, 0, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool2DSpec("P2", Kind.MAX_POOL2D, 16, 2, 2, 2, 2),
                LayerSpec.dense("F1", 120, Activation.RELU),
                LayerSpec.dense("F2", 84, Activation.RELU),
                LayerSpec.dense("OUT", 10, Activation.SOFTMAX));

        define(
                "recurrent",
                "rnn_tanh_last",
                Loss.MSE,
                LayerSpec.sequence("IN", 4, 3),
                rnn("R", Kind.SIMPLE_RNN, 5, Activation.TANH, false),
                LayerSpec.dense("OUT", 2, Activation.IDENTITY));
        define(
                "recurrent",
                "rnn_relu_sequences",
                Loss.CROSS_ENTROPY,
                LayerSpec.sequence("IN", 5, 2),
                rnn("R", Kind.SIMPLE_RNN, 4, Activation.RELU, true),
                rnn("R2", Kind.SIMPLE_RNN, 3, Activation.TANH, false),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define(
                "recurrent",
                "lstm_last",
                Loss.MSE,
                LayerSpec.sequence("IN", 4, 3),
                rnn("L", Kind.LSTM, 5, false),
                LayerSpec.dense("OUT", 2, Activation.IDENTITY));
        define(
                "recurrent",
                "lstm_sequences_dense",
                Loss.BINARY_CROSS_ENTROPY,
                LayerSpec.sequence("IN", 3, 4),
                rnn("L", Kind.LSTM, 4, true),
                LayerSpec.dense("OUT", 2, Activation.SIGMOID));
        define(
                "recurrent",
                "gru_last_tanh",
                Loss.MSE,
                LayerSpec.sequence("IN", 4, 3),
                rnn("G", Kind.GRU, 5, false),
                LayerSpec.dense("OUT", 2, Activation.TANH));
        define(
                "recurrent",
                "gru_sequences_output",
                Loss.MSE,
                LayerSpec.sequence("IN", 3, 2),
                rnn("G", Kind.GRU, 3, true),
                rnn("OUT", Kind.GRU, 2, true));
        define(
                "recurrent",
                "gru_tagger",
                Loss.CROSS_ENTROPY,
                LayerSpec.sequence("IN", 5, 3),
                rnn("G", Kind.GRU, 4, true),
                new LayerSpec.StepDenseSpec("OUT", 3, Activation.SOFTMAX));
        define(
                "recurrent",
                "step_rnn_step",
                Loss.MSE,
                LayerSpec.sequence("IN", 4, 3),
                new LayerSpec.StepDenseSpec("S", 4, Activation.TANH),
                rnn("R", Kind.SIMPLE_RNN, 3, Activation.TANH, true),
                new LayerSpec.StepDenseSpec("OUT", 2, Activation.IDENTITY));
        define(
                "recurrent",
                "rnn_lstm_gru",
                Loss.CROSS_ENTROPY,
                LayerSpec.sequence("IN", 4, 3),
                rnn("R", Kind.SIMPLE_RNN, 4, Activation.TANH, true),
                rnn("L", Kind.LSTM, 3, true),
                rnn("G", Kind.GRU, 4, false),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define(
                "recurrent",
                "lstm_long",
                Loss.MSE,
                LayerSpec.sequence("IN", 24, 2),
                rnn("L", Kind.LSTM, 3, false),
                LayerSpec.dense("OUT", 1, Activation.IDENTITY));
        define(
                "recurrent",
                "gru_long",
                Loss.MSE,
                LayerSpec.sequence("IN", 30, 1),
                rnn("G", Kind.GRU, 3, false),
                LayerSpec.dense("OUT", 1, Activation.IDENTITY));
        define(
                "recurrent",
                "lstm_one_step_one_unit",
                Loss.MSE,
                LayerSpec.sequence("IN", 1, 3),
                rnn("L", Kind.LSTM, 1, false),
                LayerSpec.dense("OUT", 1, Activation.IDENTITY));
        define(
                "recurrent",
                "gru_one_step_one_unit",
                Loss.MSE,
                LayerSpec.sequence("IN", 1, 2),
                rnn("OUT", Kind.GRU, 1, true));
        define(
                "recurrent",
                "rnn_relu_one_unit",
                Loss.CROSS_ENTROPY,
                LayerSpec.sequence("IN", 6, 2),
                rnn("R", Kind.SIMPLE_RNN, 1, Activation.RELU, false),
                LayerSpec.dense("OUT", 2, Activation.SOFTMAX));
        define(
                "recurrent",
                "lstm_wide",
                Loss.MSE,
                LayerSpec.sequence("IN", 3, 40),
                rnn("L", Kind.LSTM, 40, false),
                LayerSpec.dense("OUT", 2, Activation.IDENTITY));
    }

    private static LayerSpec conv(
            String name, int filters, int kh, int kw, int stride, int pad, Padding padding, Activation a) {
        return new LayerSpec.Conv2DSpec(name, filters, a, kh, kw, stride, stride, padding, pad, pad);
    }

    private static LayerSpec rnn(String name, Kind kind, int units, Activation activation, boolean sequences) {
        return new LayerSpec.RecurrentSpec(name, kind, units, activation, sequences);
    }

    private static LayerSpec rnn(String name, Kind kind, int units, boolean sequences) {
        return rnn(name, kind, units, Activation.TANH, sequences);
    }

    private static void define(String directory, String name, Loss loss, LayerSpec... layers) {
        for (Precision precision : Precision.values()) {
            NetworkSource source =
                    new NetworkSource("torch", source(name, precision), loss, precision, List.of(layers));
            SOURCES.add(source);
            FILES.put(source.name(), FIXTURES.resolve(directory).resolve(name));
        }
    }

    private static String source(String fixture, Precision precision) {
        StringBuilder sb = new StringBuilder();
        for (String part : fixture.split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.append(precision == Precision.FLOAT ? "Float" : "Double").toString();
    }

    static synchronized CompiledNetworks compiled() {
        if (compiled == null) {
            compiled = CompiledNetworks.compile(SOURCES);
        }
        return compiled;
    }

    static Stream<Arguments> fixtures() {
        return SOURCES.stream().map(s -> Arguments.of(s.name(), s));
    }

    /** The values of {@code source}'s fixture file, its parameters set into {@code model}. */
    private static Map<String, double[]> fixture(NetworkSource source, AnyModel model) {
        Path base = FILES.get(source.name());
        Map<String, double[]> values = read(base.resolveSibling(
                base.getFileName() + (source.precision() == Precision.DOUBLE ? ".double.txt" : ".float.txt")));
        double[] parameters = values.get("parameters");
        assertEquals(model.parameters().length, parameters.length, "parameter count of " + base.getFileName());
        model.setParameters(parameters);
        return values;
    }

    private static double tolerance(NetworkSource source) {
        return source.precision() == Precision.DOUBLE ? 1e-9 : 1e-5;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void outputsLossAndGradientsEqualPyTorchs(String name, NetworkSource source) {
        AnyModel model = AnyModel.of(compiled().newModel(source, 1));
        Map<String, double[]> values = fixture(source, model);
        double tolerance = tolerance(source);
        double[] x = values.get("input");
        double[] y = values.get("target");
        compare(values.get("output"), model.predict(x), tolerance, "output");
        compare(values.get("loss"), new double[] {model.loss(x, y)}, tolerance, "loss");
        compare(values.get("gradient"), model.gradient(x, y), tolerance, "gradient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void batchMethodsEqualPyTorchsOnRepeatedSample(String name, NetworkSource source) {
        AnyModel model = AnyModel.of(compiled().newModel(source, 1));
        Map<String, double[]> values = fixture(source, model);
        double tolerance = tolerance(source);
        double[] xs = repeat(values.get("input"));
        double[] ys = repeat(values.get("target"));
        compare(repeat(values.get("output")), model.predictBatch(xs, ROWS), tolerance, "batch output");
        compare(values.get("loss"), new double[] {model.lossBatch(xs, ys, ROWS)}, tolerance, "batch loss");
        compare(values.get("gradient"), model.batchGradient(xs, ys, ROWS), tolerance, "batch gradient");
    }

    private static double[] repeat(double[] row) {
        double[] rows = new double[ROWS * row.length];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(row, 0, rows, r * row.length, row.length);
        }
        return rows;
    }

    private static void compare(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance * Math.max(1, Math.abs(expected[i])))) {
                fail(what + " " + i + ": PyTorch " + expected[i] + ", Chainrule " + actual[i]);
            }
        }
    }

    /** The arrays of a fixture file: one {@code key: v v v} line each, {@code #} lines comments. */
    static Map<String, double[]> read(Path file) {
        Map<String, double[]> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.isBlank() || line.startsWith("network:")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String[] parts = line.substring(colon + 1).trim().split(" ");
                double[] array = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    array[i] = Double.parseDouble(parts[i]);
                }
                values.put(line.substring(0, colon), array);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
