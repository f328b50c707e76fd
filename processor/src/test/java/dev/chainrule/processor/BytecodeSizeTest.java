package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.ClassFiles;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HotSpot never JIT-compiles a method over 8,000 bytes of bytecode: every method of every
 * generated class must stay under that, whatever the network's size and code shape.
 */
class BytecodeSizeTest {
    /** HotSpot's HugeMethodLimit. */
    private static final int HUGE_METHOD_LIMIT = 8000;

    private static final NetworkSource BIG = new NetworkSource(
            "size",
            "Big",
            Loss.CROSS_ENTROPY,
            Precision.FLOAT,
            List.of(
                    LayerSpec.input("PIXELS", 784),
                    LayerSpec.dense("H1", 512, Activation.RELU),
                    LayerSpec.dense("H2", 512, Activation.RELU),
                    LayerSpec.dense("CLASSES", 10, Activation.SOFTMAX)));

    /** Layers at the edge of what is unrolled: 256 inputs or units, split into the most parts. */
    private static final NetworkSource EDGES = new NetworkSource(
            "size",
            "Edges",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.input("IN", 256),
                    LayerSpec.dense("H1", 16, Activation.GELU),
                    LayerSpec.dense("H2", 256, Activation.ELU),
                    LayerSpec.dense("H3", 1, Activation.TANH),
                    LayerSpec.dense("OUT", 256, Activation.SOFTMAX)));

    /** The wider of the two convolutional benchmark networks, double: the largest patch matrices. */
    private static final NetworkSource CONV = new NetworkSource(
            "size",
            "Conv",
            Loss.CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.image("PIXELS", 1, 28, 28),
                    new LayerSpec.Conv2DSpec("C1", 32, Activation.RELU, 3, 3, 1, 1, Padding.VALID, 0, 0),
                    new LayerSpec.Pool2DSpec("P1", LayerSpec.Kind.MAX_POOL2D, 32, 2, 2, 2, 2),
                    new LayerSpec.Conv2DSpec("C2", 64, Activation.RELU, 3, 3, 2, 1, Padding.SAME, 0, 0),
                    new LayerSpec.Pool2DSpec("P2", LayerSpec.Kind.AVG_POOL2D, 64, 2, 3, 1, 2),
                    new LayerSpec.GlobalAvgPool2DSpec("G", 64),
                    LayerSpec.dense("H", 128, Activation.RELU),
                    LayerSpec.dense("CLASSES", 10, Activation.SOFTMAX)));

    /** A thousand steps through every recurrent kind, wide, double, with a softmax per step: time is a loop. */
    private static final NetworkSource LONG = new NetworkSource(
            "size",
            "Long",
            Loss.CROSS_ENTROPY,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.sequence("IN", 1000, 64),
                    new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 256, Activation.TANH, true),
                    new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 128, Activation.TANH, true),
                    new LayerSpec.RecurrentSpec("R", LayerSpec.Kind.SIMPLE_RNN, 64, Activation.RELU, true),
                    new LayerSpec.StepDenseSpec("OUT", 10, Activation.SOFTMAX)));

    @Test
    void everyMethodStaysUnderTheHugeMethodLimit() {
        check(CompiledNetworks.compile(List.of(BIG, EDGES, deepest(), CONV, LONG)), 5);
        check(CompiledNetworks.compile(List.of(BIG, EDGES, deepest()), "-Achainrule.unrollLimit=0"), 3);
        check(CompiledNetworks.compile(List.of(EDGES), "-Achainrule.unrollLimit=100000"), 1);
    }

    @Test
    void theLargeNetworkRuns() {
        CompiledNetworks compiled = CompiledNetworks.compile(List.of(BIG));
        FloatModel model = compiled.newFloatModel(BIG, 1);
        assertEquals(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, model.parameterCount());
        float[] x = new float[784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f;
        }
        float[] p = new float[10];
        model.predict(x, p);
        float sum = 0;
        for (float v : p) {
            assertTrue(v > 0 && v < 1, "a probability");
            sum += v;
        }
        assertEquals(1, sum, 1e-5);
    }

    /** The most layers a network may have, each with every buffer there is (dropout, block rows). */
    private static NetworkSource deepest() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("IN", 40));
        for (int i = 0; i < 62; i++) {
            layers.add(LayerSpec.dense("L" + i, 40, Activation.TANH, 0.1));
        }
        layers.add(LayerSpec.dense("OUT", 3, Activation.SOFTMAX));
        return new NetworkSource("size", "Deepest", Loss.MSE, Precision.FLOAT, layers);
    }

    private static void check(CompiledNetworks compiled, int expectedModels) {
        int models = 0;
        for (Map.Entry<String, byte[]> entry : compiled.classFiles().entrySet()) {
            if (!entry.getKey().endsWith("Model")) {
                continue;
            }
            models++;
            Map<String, Integer> lengths = ClassFiles.codeLengths(entry.getValue());
            assertTrue(lengths.size() > 20, "read the methods of " + entry.getKey());
            for (Map.Entry<String, Integer> method : lengths.entrySet()) {
                if (method.getValue() >= HUGE_METHOD_LIMIT) {
                    fail(entry.getKey() + "." + method.getKey() + " has " + method.getValue() + " bytes of bytecode");
                }
            }
        }
        assertEquals(expectedModels, models, "generated classes checked");
    }
}
