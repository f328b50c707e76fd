package dev.chainrule.processor;

import static dev.chainrule.processor.DiagnosticsTest.expectError;
import static dev.chainrule.processor.DiagnosticsTest.source;

import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per diagnostic of image inputs, convolution and pooling: its message, its hint and its element. */
class ImageDiagnosticsTest {

    /** A network of an image input, {@code layer}, then a dense output. */
    private static JavaFileObject network(String input, String layer) {
        return source(
                "Scorer",
                "@Network",
                "public interface Scorer {",
                "    " + input,
                "    " + layer,
                "    @Dense int OUT = 2;",
                "}");
    }

    private static final String IMAGE = "@Input(channels = 1, height = 6, width = 5) int IN = 30;";

    @Test
    void imagePartial() {
        expectError(
                network("@Input(channels = 1, height = 6) int IN = 30;", "@Dense int H = 3;"),
                "[Chainrule/ImagePartial] input IN gives channels and height of an image's channels, height and width, "
                        + "but not width. Fix: give all three",
                "int IN = 30");
    }

    @Test
    void imageDimension() {
        expectError(
                network("@Input(channels = 1, height = -6, width = 5) int IN = 30;", "@Dense int H = 3;"),
                "[Chainrule/ImageDimension] input IN has height = -6, but an image has at least 1",
                "int IN = 30");
    }

    @Test
    void imageSize() {
        expectError(
                network("@Input(channels = 3, height = 6, width = 5) int IN = 30;", "@Dense int H = 3;"),
                "[Chainrule/ImageSize] input IN has size 30, but its image of 3 x 6 x 5 holds 90 values. "
                        + "Fix: declare `int IN = 90;`",
                "int IN = 30");
    }

    @Test
    void needsImage() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    " + IMAGE,
                        "    @Dense int H = 30;",
                        "    @Conv2D(kernel = 3) int C = 2;",
                        "    @Dense int OUT = 2;",
                        "}"),
                "[Chainrule/NeedsImage] layer C (@Conv2D) reads an image, but layer H before it gives 30 flat features. "
                        + "Fix: declare image layers before the first @Dense layer",
                "int C = 2");
    }

    @Test
    void needsImageAfterAFlatInput() {
        expectError(
                network("@Input int IN = 30;", "@MaxPool2D(window = 2) int P = 1;"),
                "[Chainrule/NeedsImage] layer P (@MaxPool2D) reads an image, but layer IN before it gives 30 flat features",
                "int P = 1");
    }

    @Test
    void kernelMissing() {
        expectError(
                network(IMAGE, "@Conv2D(activation = Activation.RELU) int C = 2;"),
                "[Chainrule/KernelMissing] layer C (@Conv2D) has no kernel size. Fix: give `kernel = 3`, or both kernelHeight "
                        + "and kernelWidth",
                "int C = 2");
    }

    @Test
    void kernelWidthMissing() {
        expectError(
                network(IMAGE, "@Conv2D(kernelHeight = 3) int C = 2;"),
                "[Chainrule/KernelMissing] layer C (@Conv2D) has no kernel size",
                "int C = 2");
    }

    @Test
    void windowMissing() {
        expectError(
                network(IMAGE, "@AvgPool2D(stride = 2) int P = 1;"),
                "[Chainrule/KernelMissing] layer P (@AvgPool2D) has no window size. Fix: give `window = 3`",
                "int P = 1");
    }

    @Test
    void negativeStride() {
        expectError(
                network(IMAGE, "@Conv2D(kernel = 3, stride = 0) int C = 2;"),
                "[Chainrule/GeometryValue] layer C has stride = 0, but it must be at least 1",
                "int C = 2");
    }

    @Test
    void negativePad() {
        expectError(
                network(IMAGE, "@Conv2D(kernel = 3, padWidth = -2) int C = 2;"),
                "[Chainrule/GeometryValue] layer C has padWidth = -2, but it must be at least 0",
                "int C = 2");
    }

    @Test
    void negativeWindow() {
        expectError(
                network(IMAGE, "@MaxPool2D(window = -2) int P = 1;"),
                "[Chainrule/GeometryValue] layer P has window = -2, but it must be at least 1",
                "int P = 1");
    }

    @Test
    void paddingConflict() {
        expectError(
                network(IMAGE, "@Conv2D(kernel = 3, padding = Padding.SAME, pad = 1) int C = 2;"),
                "[Chainrule/PaddingConflict] convolution C has padding = SAME and also pad = 1. Fix: use padding = SAME alone",
                "int C = 2");
    }

    @Test
    void kernelTooLarge() {
        expectError(
                network(IMAGE, "@Conv2D(kernelHeight = 7, kernelWidth = 3) int C = 2;"),
                "[Chainrule/KernelTooLarge] the 7 x 3 kernel of layer C does not fit in its input IN, which is 6 x 5 with "
                        + "padding",
                "int C = 2");
    }

    @Test
    void kernelFitsOnceItIsPadded() {
        JavaFileObject file = network(IMAGE, "@Conv2D(kernelHeight = 7, kernelWidth = 3, padHeight = 1) int C = 2;");
        com.google.testing.compile.CompilationSubject.assertThat(com.google.testing.compile.Compiler.javac()
                        .withProcessors(new ChainruleProcessor())
                        .compile(file))
                .succeeded();
    }

    @Test
    void windowTooLarge() {
        expectError(
                network(IMAGE, "@MaxPool2D(window = 6) int P = 1;"),
                "[Chainrule/KernelTooLarge] the 6 x 6 window of layer P does not fit in its input IN, which is 6 x 5",
                "int P = 1");
    }

    @Test
    void poolChannels() {
        expectError(
                network(IMAGE, "@MaxPool2D(window = 2) int P = 4;"),
                "[Chainrule/PoolChannels] pooling layer P declares 4 channels, but its input IN has 1. "
                        + "Fix: declare `int P = 1;`",
                "int P = 4");
    }

    @Test
    void globalPoolChannels() {
        expectError(
                network(IMAGE, "@GlobalAvgPool2D int G = 3;"),
                "[Chainrule/PoolChannels] pooling layer G declares 3 channels, but its input IN has 1",
                "int G = 3");
    }

    @Test
    void convSoftmax() {
        expectError(
                network(IMAGE, "@Conv2D(kernel = 3, activation = Activation.SOFTMAX) int C = 2;"),
                "[Chainrule/ConvSoftmax] convolution C uses SOFTMAX, which normalises a dense output layer only",
                "activation = Activation.SOFTMAX");
    }

    @Test
    void layerTooLarge() {
        expectError(
                network(
                        "@Input(channels = 1, height = 20000, width = 20000) int IN = 400000000;",
                        "@Conv2D(kernel = 3, padding = Padding.SAME) int C = 8;"),
                "[Chainrule/LayerTooLarge] layer C needs a buffer of 3600000000 values, more than the 2147483639 one array "
                        + "can hold",
                "int C = 8");
    }

    @Test
    void twoLayerKinds() {
        expectError(
                network(IMAGE, "@Conv2D(kernel = 3) @MaxPool2D(window = 2) int C = 2;"),
                "[Chainrule/TwoLayerKinds] field C is annotated both @Conv2D and @MaxPool2D; one field declares one layer",
                "int C = 2");
    }

    @Test
    void crossEntropyAfterPooling() {
        expectError(
                source(
                        "Scorer",
                        "@Network(loss = Loss.CROSS_ENTROPY)",
                        "public interface Scorer {",
                        "    " + IMAGE,
                        "    @MaxPool2D(window = 2) int P = 1;",
                        "}"),
                "[Chainrule/LossNeedsSoftmax] loss CROSS_ENTROPY needs a SOFTMAX output layer, but output layer P uses no "
                        + "activation",
                "loss = Loss.CROSS_ENTROPY");
    }
}
