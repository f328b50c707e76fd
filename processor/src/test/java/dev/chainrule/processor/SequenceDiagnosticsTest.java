package dev.chainrule.processor;

import static dev.chainrule.processor.DiagnosticsTest.expectError;
import static dev.chainrule.processor.DiagnosticsTest.source;

import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per diagnostic of sequence inputs and recurrent layers: its message, its hint and its element. */
class SequenceDiagnosticsTest {

    /** A network of {@code input}, {@code layer}, then a dense output. */
    private static JavaFileObject network(String input, String layer) {
        return source(
                "Forecaster",
                "@Network",
                "public interface Forecaster {",
                "    " + input,
                "    " + layer,
                "    @Dense int OUT = 2;",
                "}");
    }

    private static final String SEQUENCE = "@Input(steps = 5, features = 3) int IN = 15;";

    @Test
    void sequencePartial() {
        expectError(
                network("@Input(features = 3) int IN = 15;", "@LSTM int L = 4;"),
                "[Chainrule/SequencePartial] input IN gives a sequence's features but not its steps. "
                        + "Fix: give both for a sequence input, e.g. `@Input(steps = 28, features = 28)`",
                "int IN = 15");
    }

    @Test
    void stepsBelowOne() {
        expectError(
                network("@Input(steps = -5, features = 3) int IN = 15;", "@GRU int G = 4;"),
                "[Chainrule/SequenceDimension] input IN has steps = -5, but a sequence has at least 1. "
                        + "Fix: give steps a positive value",
                "int IN = 15");
    }

    @Test
    void sequenceSize() {
        expectError(
                network("@Input(steps = 5, features = 4) int IN = 15;", "@SimpleRNN int R = 4;"),
                "[Chainrule/SequenceSize] input IN has size 15, but its sequence of 5 steps x 4 features holds 20 values. "
                        + "Fix: declare `int IN = 20;` (steps x features)",
                "int IN = 15");
    }

    @Test
    void imageAndSequence() {
        expectError(
                network(
                        "@Input(steps = 5, features = 3, channels = 1, height = 5, width = 3) int IN = 15;",
                        "@LSTM int L = 4;"),
                "[Chainrule/ImageAndSequence] input IN gives both an image's shape and a sequence's. "
                        + "Fix: give channels, height and width for an image, or steps and features for a sequence",
                "int IN = 15");
    }

    @Test
    void recurrentAfterAFlatInput() {
        expectError(
                network("@Input int IN = 15;", "@LSTM int L = 4;"),
                "[Chainrule/NeedsSequence] layer L (@LSTM) reads a sequence, but layer IN before it gives 15 flat features. "
                        + "Fix: give the @Input its steps and features",
                "int L = 4");
    }

    @Test
    void recurrentAfterALastState() {
        expectError(
                source(
                        "Forecaster",
                        "@Network",
                        "public interface Forecaster {",
                        "    " + SEQUENCE,
                        "    @GRU int G = 6;",
                        "    @LSTM int L = 4;",
                        "    @Dense int OUT = 2;",
                        "}"),
                "[Chainrule/NeedsSequence] layer L (@LSTM) reads a sequence, but layer G before it gives 6 flat features. "
                        + "Fix: give the @Input its steps and features, and set `returnSequences = true` on a recurrent layer "
                        + "another one reads",
                "int L = 4");
    }

    @Test
    void recurrentAfterADenseLayer() {
        expectError(
                source(
                        "Forecaster",
                        "@Network",
                        "public interface Forecaster {",
                        "    " + SEQUENCE,
                        "    @Dense int H = 8;",
                        "    @SimpleRNN int R = 4;",
                        "    @Dense int OUT = 2;",
                        "}"),
                "[Chainrule/NeedsSequence] layer R (@SimpleRNN) reads a sequence, but layer H before it gives 8 flat features",
                "int R = 4");
    }

    @Test
    void recurrentAfterAnImage() {
        expectError(
                network("@Input(channels = 1, height = 5, width = 3) int IN = 15;", "@GRU int G = 4;"),
                "[Chainrule/NeedsSequence] layer G (@GRU) reads a sequence, but layer IN before it gives an image of 1x5x3",
                "int G = 4");
    }

    @Test
    void convolutionAfterASequence() {
        expectError(
                network(SEQUENCE, "@Conv2D(kernel = 2) int C = 2;"),
                "[Chainrule/NeedsImage] layer C (@Conv2D) reads an image, but layer IN before it gives a sequence of "
                        + "5 steps x 3",
                "int C = 2");
    }

    @Test
    void simpleRecurrentActivation() {
        expectError(
                network(SEQUENCE, "@SimpleRNN(activation = Activation.SIGMOID) int R = 4;"),
                "[Chainrule/RecurrentActivation] simple recurrent layer R uses SIGMOID, but PyTorch's nn.RNN, whose equations "
                        + "it follows, takes tanh or relu. Fix: use Activation.TANH (the default) or Activation.RELU",
                "int R = 4");
    }

    @Test
    void forgetBiasNotFinite() {
        expectError(
                network(SEQUENCE, "@LSTM(forgetBias = Double.NaN) int L = 4;"),
                "[Chainrule/ForgetBias] LSTM layer L has forgetBias NaN, which is not a finite number",
                "int L = 4");
    }

    @Test
    void noUnits() {
        expectError(network(SEQUENCE, "@LSTM int L = 0;"), "[Chainrule/SizeTooSmall] layer L has size 0", "int L = 0");
    }

    @Test
    void recurrentNamesAreReserved() {
        expectError(
                source(
                        "Forecaster",
                        "@Network",
                        "public interface Forecaster {",
                        "    " + SEQUENCE,
                        "    @LSTM int L = 4;",
                        "    @Dense int OUT = 2;",
                        "    int L_RECURRENT_WEIGHTS = 7;",
                        "}"),
                "[Chainrule/NameClash] member L_RECURRENT_WEIGHTS clashes with the member L_RECURRENT_WEIGHTS that Chainrule "
                        + "generates for layer L",
                "int L_RECURRENT_WEIGHTS");
    }

    @Test
    void aDensePerStepWithoutASequence() {
        expectError(
                source(
                        "Forecaster",
                        "@Network",
                        "public interface Forecaster {",
                        "    " + SEQUENCE,
                        "    @LSTM int L = 4;",
                        "    @Dense(perStep = true) int OUT = 2;",
                        "}"),
                "[Chainrule/StepWithoutSequence] layer OUT is a dense layer per step, but layer L before it gives 4 flat "
                        + "features, which has no steps. Fix: remove `perStep = true` to read flat features",
                "int OUT = 2");
    }

    @Test
    void aDensePerStepAfterAFlatInput() {
        expectError(
                network("@Input int IN = 15;", "@Dense(perStep = true) int S = 4;"),
                "[Chainrule/StepWithoutSequence] layer S is a dense layer per step, but layer IN before it gives 15 flat features",
                "int S = 4");
    }

    @Test
    void dropoutPerStep() {
        expectError(
                source(
                        "Forecaster",
                        "@Network",
                        "public interface Forecaster {",
                        "    " + SEQUENCE,
                        "    @Dense(perStep = true, dropout = 0.5) int S = 4;",
                        "    @GRU int G = 3;",
                        "    @Dense int OUT = 2;",
                        "}"),
                "[Chainrule/StepDropout] per-step layer S has dropout 0.5, which Chainrule applies to dense layers over flat "
                        + "features only",
                "int S = 4");
    }
}
