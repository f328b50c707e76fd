package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleStreamingModel;
import dev.chainrule.FloatModel;
import dev.chainrule.FloatStreamingModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.RecurrentState;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming inference: a recurrent model's one-step method, from a caller-owned state, gives
 * bit for bit what prediction over the whole sequence gives, allocates nothing, keeps streams
 * apart (one state each, on one model or on siblings), and refuses bad input without touching
 * the state.
 */
class StreamingTest {
    private static final String PACKAGE = "gen.streaming";

    private static NetworkSource source(String name, Precision precision, Loss loss, LayerSpec... layers) {
        return new NetworkSource(PACKAGE, name, loss, precision, List.of(layers));
    }

    private static LayerSpec.RecurrentSpec rnn(String name, Kind kind, int units, boolean sequences) {
        return new LayerSpec.RecurrentSpec(name, kind, units, Activation.TANH, sequences);
    }

    /** Many-to-one networks of every kind, a stack, one step, and a recurrent output of every step. */
    private static final List<NetworkSource> FLOAT = List.of(
            source(
                    "RnnHead",
                    Precision.FLOAT,
                    Loss.MSE,
                    LayerSpec.sequence("IN", 6, 3),
                    rnn("R", Kind.SIMPLE_RNN, 5, false),
                    LayerSpec.dense("OUT", 2, Activation.IDENTITY)),
            source(
                    "LstmHead",
                    Precision.FLOAT,
                    Loss.CROSS_ENTROPY,
                    LayerSpec.sequence("IN", 7, 4),
                    rnn("L", Kind.LSTM, 40, false),
                    LayerSpec.dense("H", 8, Activation.RELU),
                    LayerSpec.dense("OUT", 3, Activation.SOFTMAX)),
            source(
                    "Stack",
                    Precision.FLOAT,
                    Loss.MSE,
                    LayerSpec.sequence("IN", 5, 2),
                    rnn("R", Kind.SIMPLE_RNN, 4, true),
                    rnn("L", Kind.LSTM, 3, true),
                    rnn("G", Kind.GRU, 4, false),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)),
            source(
                    "OneStep",
                    Precision.FLOAT,
                    Loss.MSE,
                    LayerSpec.sequence("IN", 1, 3),
                    rnn("L", Kind.LSTM, 2, false),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)),
            source(
                    "EveryStep",
                    Precision.FLOAT,
                    Loss.MSE,
                    LayerSpec.sequence("IN", 6, 2),
                    rnn("G", Kind.GRU, 3, true),
                    rnn("OUT", Kind.GRU, 2, true)),
            source(
                    "Tagger",
                    Precision.FLOAT,
                    Loss.CROSS_ENTROPY,
                    LayerSpec.sequence("IN", 6, 2),
                    rnn("L", Kind.LSTM, 5, true),
                    new LayerSpec.StepDenseSpec("H", 4, Activation.RELU),
                    new LayerSpec.StepDenseSpec("OUT", 3, Activation.SOFTMAX)));

    private static final NetworkSource DOUBLE = source(
            "GruHeadD",
            Precision.DOUBLE,
            Loss.MSE,
            LayerSpec.sequence("IN", 6, 3),
            rnn("G", Kind.GRU, 6, false),
            LayerSpec.dense("OUT", 2, Activation.TANH));
    /** A dense layer reading every step at once cannot be streamed. */
    private static final NetworkSource FLATTENED = source(
            "Flattened",
            Precision.FLOAT,
            Loss.MSE,
            LayerSpec.sequence("IN", 4, 2),
            rnn("L", Kind.LSTM, 3, true),
            LayerSpec.dense("OUT", 1, Activation.IDENTITY));

    private static CompiledNetworks compiled;

    private static synchronized CompiledNetworks compiled() {
        if (compiled == null) {
            List<NetworkSource> all = new java.util.ArrayList<>(FLOAT);
            all.add(DOUBLE);
            all.add(FLATTENED);
            compiled = CompiledNetworks.compile(all);
        }
        return compiled;
    }

    private static FloatStreamingModel model(int which, long seed) {
        return (FloatStreamingModel) compiled().newFloatModel(FLOAT.get(which), seed);
    }

    private static float[] sequence(FloatStreamingModel model, Random random) {
        float[] x = new float[model.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** The outputs after each step of streaming {@code x} through {@code state}, one row per step. */
    private static float[][] stream(FloatStreamingModel model, RecurrentState state, float[] x) {
        int steps = x.length / model.stepInputSize();
        float[][] outputs = new float[steps][model.stepOutputSize()];
        for (int t = 0; t < steps; t++) {
            model.step(x, t * model.stepInputSize(), state, outputs[t], 0);
        }
        return outputs;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void theLastStepOfAStreamIsThePredictionOfTheSequenceBitForBit(int which) {
        FloatStreamingModel model = model(which, 1);
        Random random = new Random(which);
        RecurrentState state = model.newState();
        for (int sequence = 0; sequence < 3; sequence++) {
            float[] x = sequence(model, random);
            float[] predicted = new float[model.outputSize()];
            model.predict(x, predicted);
            float[][] streamed = stream(model, state, x);
            assertArrayEquals(predicted, streamed[streamed.length - 1], 0f, "sequence " + sequence);
            assertEquals(x.length / model.stepInputSize(), state.steps());
            state.reset();
            assertEquals(0, state.steps());
        }
    }

    /** A recurrent output and dense layers per step stream every step of the prediction. */
    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void aSequenceOutputStreamsEveryStepOfThePrediction(int which) {
        FloatStreamingModel model = model(which, 2);
        int width = model.stepOutputSize();
        assertEquals(which == 4 ? 2 : 3, width);
        float[] x = sequence(model, new Random(5));
        float[] predicted = new float[model.outputSize()];
        model.predict(x, predicted);
        float[][] streamed = stream(model, model.newState(), x);
        for (int t = 0; t < streamed.length; t++) {
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(predicted, t * width, (t + 1) * width), streamed[t], 0f, "step " + t);
        }
    }

    @Test
    void doubleModelsStreamBitForBitToo() {
        DoubleStreamingModel model = (DoubleStreamingModel) compiled().newDoubleModel(DOUBLE, 3);
        Random random = new Random(9);
        double[] x = new double[model.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        double[] predicted = new double[model.outputSize()];
        model.predict(x, predicted);
        RecurrentState state = model.newState();
        double[] out = new double[model.stepOutputSize()];
        for (int t = 0; t < 6; t++) {
            model.step(x, t * 3, state, out, 0);
        }
        assertArrayEquals(predicted, out, 0.0);
    }

    @Test
    void interleavedStreamsOnOneModelAndOnSiblingsStayApart() {
        FloatStreamingModel model = model(2, 4);
        FloatStreamingModel sibling = (FloatStreamingModel) model.withSharedParameters();
        Random random = new Random(13);
        float[] a = sequence(model, random);
        float[] b = sequence(model, random);
        float[][] aAlone = stream(model, model.newState(), a);
        float[][] bAlone = stream(model, model.newState(), b);
        RecurrentState sa = model.newState();
        RecurrentState sb = sibling.newState();
        int steps = aAlone.length;
        for (int t = 0; t < steps; t++) {
            float[] outA = new float[model.stepOutputSize()];
            float[] outB = new float[model.stepOutputSize()];
            // stream a alternates between the model and its sibling; stream b stays on the model
            (t % 2 == 0 ? model : sibling).step(a, t * 2, sa, outA, 0);
            model.step(b, t * 2, sb, outB, 0);
            assertArrayEquals(aAlone[t], outA, 0f, "stream a, step " + t);
            assertArrayEquals(bAlone[t], outB, 0f, "stream b, step " + t);
        }
    }

    @Test
    void aStreamRunsPastTheSequenceLength() {
        FloatStreamingModel model = model(0, 5);
        Random random = new Random(17);
        RecurrentState state = model.newState();
        float[] out = new float[model.stepOutputSize()];
        for (int t = 0; t < 50; t++) {
            model.step(new float[] {(float) random.nextGaussian(), 0.5f, -1}, state, out);
        }
        assertEquals(50, state.steps());
        for (float v : out) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void streamingAllocatesNothing() {
        FloatStreamingModel model = model(1, 6);
        RecurrentState state = model.newState();
        float[] x = sequence(model, new Random(19));
        float[] out = new float[model.stepOutputSize()];
        int[] t = {0};
        assertEquals(
                0,
                SteadyAllocation.ofWindows(() -> {
                    model.step(x, (t[0] % 7) * 4, state, out, 0);
                    if (++t[0] % 7 == 0) {
                        state.reset();
                    }
                }),
                "bytes allocated by six windows of 10,000 steps");
    }

    @Test
    void badInputIsRefusedAndLeavesTheStateAsItWas() {
        FloatStreamingModel model = model(0, 7);
        FloatStreamingModel other = model(2, 7);
        Random random = new Random(23);
        float[] x = sequence(model, random);
        float[][] expected = stream(model, model.newState(), x);
        RecurrentState state = model.newState();
        float[] out = new float[model.stepOutputSize()];
        model.step(x, 0, state, out, 0);
        IllegalArgumentException nan = assertThrows(
                IllegalArgumentException.class, () -> model.step(new float[] {0, Float.NaN, 0}, state, out));
        assertTrue(nan.getMessage().contains("input"), nan.getMessage());
        IllegalArgumentException foreign =
                assertThrows(IllegalArgumentException.class, () -> model.step(x, 3, other.newState(), out, 0));
        assertTrue(
                foreign.getMessage().startsWith("state: not a state of gen.streaming.RnnHead from newState() but "),
                foreign.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.step(x, 3, null, out, 0));
        assertThrows(IllegalArgumentException.class, () -> model.step(x, x.length - 1, state, out, 0));
        assertThrows(IllegalArgumentException.class, () -> model.step(x, 3, state, new float[1], 0));
        assertEquals(1, state.steps(), "refused steps do not count");
        for (int t = 1; t < expected.length; t++) {
            model.step(x, t * 3, state, out, 0);
            assertArrayEquals(expected[t], out, 0f, "step " + t + " after the refusals");
        }
    }

    @Test
    void aDenseLayerOverEveryStepIsNotAStream() {
        FloatModel model = compiled().newFloatModel(FLATTENED, 1);
        assertFalse(model instanceof FloatStreamingModel);
    }
}
