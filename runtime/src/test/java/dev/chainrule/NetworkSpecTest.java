package dev.chainrule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes, parameter blocks and canonical text of networks of every layer kind. */
class NetworkSpecTest {
    private static final NetworkSpec LENET = new NetworkSpec(
            "test.LeNet",
            Precision.FLOAT,
            Loss.CROSS_ENTROPY,
            List.of(
                    LayerSpec.image("PIXELS", 1, 28, 28),
                    new LayerSpec.Conv2DSpec("C1", 6, Activation.RELU, 5, 5, 1, 1, Padding.VALID, 2, 2),
                    new LayerSpec.Pool2DSpec("P1", LayerSpec.Kind.MAX_POOL2D, 6, 2, 2, 2, 2),
                    new LayerSpec.Conv2DSpec("C2", 16, Activation.RELU, 5, 5, 1, 1, Padding.VALID, 0, 0),
                    new LayerSpec.Pool2DSpec("P2", LayerSpec.Kind.AVG_POOL2D, 16, 2, 2, 2, 2),
                    LayerSpec.dense("F1", 120, Activation.RELU),
                    LayerSpec.dense("OUT", 10, Activation.SOFTMAX)));

    @Test
    void shapesFollowTheGeometry() {
        assertEquals(
                List.of(
                        Shape.image(1, 28, 28),
                        Shape.image(6, 28, 28),
                        Shape.image(6, 14, 14),
                        Shape.image(16, 10, 10),
                        Shape.image(16, 5, 5),
                        Shape.features(120),
                        Shape.features(10)),
                LENET.shapes());
        assertEquals(784, LENET.inputSize());
        assertEquals(10, LENET.outputSize());
    }

    @Test
    void parameterBlocksTileTheArrayInDeclarationOrder() {
        List<ParameterBlock> blocks = LENET.parameterBlocks();
        assertEquals(8, blocks.size());
        assertEquals(
                new ParameterBlock(
                        "C1",
                        ParameterBlock.Role.WEIGHTS,
                        0,
                        List.of(6, 1, 5, 5),
                        List.of("filters", "channels", "kernelHeight", "kernelWidth")),
                blocks.get(0));
        assertEquals(
                new ParameterBlock("C1", ParameterBlock.Role.BIASES, 150, List.of(6), List.of("filters")),
                blocks.get(1));
        assertEquals(List.of(400, 120), blocks.get(4).dimensions());
        int offset = 0;
        for (ParameterBlock block : blocks) {
            assertEquals(offset, block.offset(), block.describe());
            offset += block.size();
        }
        assertEquals(156 + 2416 + 48120 + 1210, offset);
        assertEquals(offset, LENET.parameterCount());
    }

    @Test
    void canonicalTextNamesEveryKindsGeometry() {
        assertEquals(
                "float|input:784:1x28x28|conv2d:6:5x5:s1x1:p2x2:relu|maxpool2d:6:2x2:s2x2|conv2d:16:5x5:s1x1:p0x0:relu"
                        + "|avgpool2d:16:2x2:s2x2|dense:120:relu|dense:10:softmax",
                LENET.canonicalShape());
        NetworkSpec same = new NetworkSpec(
                "x",
                Precision.FLOAT,
                Loss.MSE,
                List.of(
                        LayerSpec.image("IN", 3, 8, 8),
                        new LayerSpec.Conv2DSpec("C", 4, Activation.TANH, 3, 3, 1, 1, Padding.SAME, 0, 0),
                        new LayerSpec.GlobalAvgPool2DSpec("G", 4),
                        LayerSpec.dense("OUT", 1, Activation.IDENTITY)));
        assertEquals(
                "float|input:192:3x8x8|conv2d:4:3x3:s1x1:same:tanh|globalavgpool2d:4|dense:1:identity",
                same.canonicalShape());
    }

    @Test
    void denseNetworksKeepTheirCanonicalText() {
        NetworkSpec dense = new NetworkSpec(
                "x",
                Precision.DOUBLE,
                Loss.MSE,
                List.of(
                        LayerSpec.input("IN", 4),
                        LayerSpec.dense("H", 16, Activation.RELU, 0.5),
                        LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));
        assertEquals("double|input:4|dense:16:relu|dense:3:softmax", dense.canonicalShape());
    }

    @Test
    void sameWindowPutsTheOddZeroAfter() {
        Window w = Window.same(5, 4, 1);
        assertEquals(1, w.padBefore());
        assertEquals(2, w.padAfter());
        assertEquals(5, w.output());
        Window strided = Window.same(7, 3, 2);
        assertEquals(4, strided.output());
        assertEquals(1, strided.padBefore());
        assertEquals(1, strided.padAfter());
    }

    @Test
    void impossibleNetworksAreRefusedWithTheLayersName() {
        IllegalArgumentException flat = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(
                        "x",
                        Precision.FLOAT,
                        Loss.MSE,
                        List.of(
                                LayerSpec.input("IN", 64),
                                new LayerSpec.Pool2DSpec("P", LayerSpec.Kind.MAX_POOL2D, 1, 2, 2, 2, 2))));
        assertTrue(flat.getMessage().contains("layer P (maxpool2d) reads an image"), flat.getMessage());
        IllegalArgumentException large = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(
                        "x",
                        Precision.FLOAT,
                        Loss.MSE,
                        List.of(
                                LayerSpec.image("IN", 1, 4, 4),
                                new LayerSpec.Conv2DSpec("C", 2, Activation.RELU, 5, 5, 1, 1, Padding.VALID, 0, 0))));
        assertTrue(
                large.getMessage().contains("layer C: a 5x5 kernel does not fit in its padded 4x4 input"),
                large.getMessage());
        IllegalArgumentException channels = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(
                        "x",
                        Precision.FLOAT,
                        Loss.MSE,
                        List.of(LayerSpec.image("IN", 3, 4, 4), new LayerSpec.GlobalAvgPool2DSpec("G", 2))));
        assertTrue(
                channels.getMessage().contains("layer G pools 2 channels, but its input has 3"), channels.getMessage());
    }

    private static final NetworkSpec SEQUENCE = new NetworkSpec(
            "test.Seq",
            Precision.FLOAT,
            Loss.CROSS_ENTROPY,
            List.of(
                    LayerSpec.sequence("IN", 28, 3),
                    new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 16, Activation.TANH, true),
                    new LayerSpec.StepDenseSpec("S", 8, Activation.RELU),
                    new LayerSpec.RecurrentSpec("R", LayerSpec.Kind.SIMPLE_RNN, 4, Activation.RELU, false),
                    new LayerSpec.FixedPointSpec("F", 5, Activation.SIGMOID, 1e-6, 50, 0.9),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)));

    @Test
    void sequenceLayersHaveTheirShapesBlocksAndText() {
        assertEquals(
                List.of(
                        Shape.sequence(28, 3),
                        Shape.sequence(28, 16),
                        Shape.sequence(28, 8),
                        Shape.features(4),
                        Shape.features(5),
                        Shape.features(3)),
                SEQUENCE.shapes());
        List<ParameterBlock> blocks = SEQUENCE.parameterBlocks();
        assertEquals(
                new ParameterBlock(
                        "L", ParameterBlock.Role.WEIGHTS, 0, List.of(64, 3), List.of("gateUnits", "features")),
                blocks.get(0));
        assertEquals(
                new ParameterBlock(
                        "L",
                        ParameterBlock.Role.RECURRENT_WEIGHTS,
                        192,
                        List.of(64, 16),
                        List.of("gateUnits", "units")),
                blocks.get(1));
        assertEquals(ParameterBlock.Role.RECURRENT_BIASES, blocks.get(3).role());
        assertEquals(List.of(16, 8), blocks.get(4).dimensions(), "dense per step: features x units");
        assertEquals(List.of(5, 4), blocks.get(10).dimensions(), "fixed point U: units x inputs");
        assertEquals(ParameterBlock.Role.RECURRENT_WEIGHTS, blocks.get(11).role());
        int offset = 0;
        for (ParameterBlock block : blocks) {
            assertEquals(offset, block.offset(), block.describe());
            offset += block.size();
        }
        assertEquals(64 * (3 + 16 + 2) + (16 + 1) * 8 + 4 * (8 + 4 + 2) + 5 * (4 + 5 + 1) + (5 + 1) * 3, offset);
        assertEquals(offset, SEQUENCE.parameterCount());
        assertEquals(
                "float|input:84:seq28x3|lstm:16:sequences|stepdense:8:relu|simplernn:4:last:relu|fixedpoint:5:sigmoid"
                        + "|dense:3:softmax",
                SEQUENCE.canonicalShape());
        assertTrue(ParameterBlock.Role.RECURRENT_BIASES.isBias() && !ParameterBlock.Role.RECURRENT_WEIGHTS.isBias());
    }

    @Test
    void impossibleSequenceLayersAreRefusedWithTheLayersName() {
        IllegalArgumentException flat = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(
                        "x",
                        Precision.FLOAT,
                        Loss.MSE,
                        List.of(
                                LayerSpec.input("IN", 6),
                                new LayerSpec.RecurrentSpec("G", LayerSpec.Kind.GRU, 2, Activation.TANH, false))));
        assertTrue(
                flat.getMessage().contains("layer G (gru) reads a sequence, but its input is 6 flat features"),
                flat.getMessage());
        IllegalArgumentException step = assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(
                        "x",
                        Precision.FLOAT,
                        Loss.MSE,
                        List.of(LayerSpec.input("IN", 6), new LayerSpec.StepDenseSpec("S", 2, Activation.TANH))));
        assertTrue(step.getMessage().contains("layer S (dense per step) reads a sequence"), step.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.LSTM, 4, Activation.RELU, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LayerSpec.RecurrentSpec("L", LayerSpec.Kind.DENSE, 4, Activation.TANH, false));
        assertThrows(IllegalArgumentException.class, () -> Shape.sequence(0, 3));
        assertThrows(IllegalArgumentException.class, () -> Shape.sequence(1 << 16, 1 << 16));
        IllegalArgumentException fixed = assertThrows(
                IllegalArgumentException.class,
                () -> new LayerSpec.FixedPointSpec("F", 4, Activation.TANH, 1e-6, 10, 1.0));
        assertTrue(fixed.getMessage().contains("layer F: impossible iteration"), fixed.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new LayerSpec.FixedPointSpec("F", 4, Activation.RELU, 1e-6, 10, 0));
    }
}
