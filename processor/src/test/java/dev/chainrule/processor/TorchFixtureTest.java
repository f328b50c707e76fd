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
 * An independent check of convolution and pooling: for the same weights, input and target, the
 * outputs, loss and parameter gradients of each generated network equal those PyTorch computes
 * ({@code torch.nn.functional.conv2d}, {@code max_pool2d}, {@code avg_pool2d}, autograd), within
 * 1e-5 in float and 1e-9 in double. The fixtures, and the script that wrote them once, are in
 * {@code src/test/resources/fixtures/conv} (see its README).
 */
class TorchFixtureTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/conv");
    private static final Map<String, List<LayerSpec>> NETWORKS = new HashMap<>();
    private static final Map<String, Loss> LOSSES = new HashMap<>();
    private static CompiledNetworks compiled;
    private static final List<NetworkSource> SOURCES = new ArrayList<>();

    static {
        define("conv_basic", Loss.CROSS_ENTROPY, LayerSpec.image("IN", 1, 6, 5),
                conv("C", 4, 3, 3, 1, 0, Padding.VALID, Activation.RELU), LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define("conv_stride_pad", Loss.MSE, LayerSpec.image("IN", 2, 7, 6),
                conv("C", 3, 3, 2, 2, 1, Padding.VALID, Activation.TANH),
                new LayerSpec.Pool2DSpec("P", Kind.MAX_POOL2D, 3, 3, 3, 1, 1), LayerSpec.dense("OUT", 2, Activation.IDENTITY));
        define("conv_same_avg", Loss.BINARY_CROSS_ENTROPY, LayerSpec.image("IN", 3, 5, 5),
                conv("C", 2, 4, 4, 1, 0, Padding.SAME, Activation.SIGMOID),
                new LayerSpec.Pool2DSpec("P", Kind.AVG_POOL2D, 2, 2, 2, 2, 2), LayerSpec.dense("OUT", 1, Activation.SIGMOID));
        define("conv_1x1_gap", Loss.CROSS_ENTROPY, LayerSpec.image("IN", 3, 4, 4),
                conv("C", 5, 1, 1, 1, 0, Padding.VALID, Activation.RELU), new LayerSpec.GlobalAvgPool2DSpec("G", 5),
                LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        define("maxpool_overlap", Loss.MSE, LayerSpec.image("IN", 2, 7, 7),
                new LayerSpec.Pool2DSpec("P", Kind.MAX_POOL2D, 2, 3, 3, 2, 2),
                conv("C", 2, 2, 2, 1, 0, Padding.VALID, Activation.IDENTITY), LayerSpec.dense("OUT", 2, Activation.TANH));
        define("lenet5", Loss.CROSS_ENTROPY, LayerSpec.image("IN", 1, 28, 28),
                conv("C1", 6, 5, 5, 1, 2, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool2DSpec("P1", Kind.MAX_POOL2D, 6, 2, 2, 2, 2),
                conv("C2", 16, 5, 5, 1, 0, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool2DSpec("P2", Kind.MAX_POOL2D, 16, 2, 2, 2, 2),
                LayerSpec.dense("F1", 120, Activation.RELU), LayerSpec.dense("F2", 84, Activation.RELU),
                LayerSpec.dense("OUT", 10, Activation.SOFTMAX));
    }

    private static LayerSpec conv(String name, int filters, int kh, int kw, int stride, int pad, Padding padding, Activation a) {
        return new LayerSpec.Conv2DSpec(name, filters, a, kh, kw, stride, stride, padding, pad, pad);
    }

    private static void define(String name, Loss loss, LayerSpec... layers) {
        NETWORKS.put(name, List.of(layers));
        LOSSES.put(name, loss);
        for (Precision precision : Precision.values()) {
            SOURCES.add(new NetworkSource("torch", source(name, precision), loss, precision, List.of(layers)));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void outputsLossAndGradientsEqualPyTorchs(String name, NetworkSource source) {
        boolean isDouble = source.precision() == Precision.DOUBLE;
        String fixture = NETWORKS.keySet().stream().filter(f -> source(f, source.precision()).equals(name)).findFirst()
                .orElseThrow();
        Map<String, double[]> values = read(FIXTURES.resolve(fixture + (isDouble ? ".double.txt" : ".float.txt")));
        AnyModel model = AnyModel.of(compiled().newModel(source, 1));
        double[] parameters = values.get("parameters");
        assertEquals(model.parameters().length, parameters.length, "parameter count of " + fixture);
        model.setParameters(parameters);
        double tolerance = isDouble ? 1e-9 : 1e-5;
        double[] x = values.get("input");
        double[] y = values.get("target");
        compare(values.get("output"), model.predict(x), tolerance, "output");
        compare(values.get("loss"), new double[] {model.loss(x, y)}, tolerance, "loss");
        compare(values.get("gradient"), model.gradient(x, y), tolerance, "gradient");
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
