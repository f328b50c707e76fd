package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import dev.chainrule.train.History;
import dev.chainrule.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Trainer's per-layer gradient norms on generated networks: grouped by layer over every block
 * (a recurrent layer's four included), equal to the norms of the gradient computed apart, the same
 * bits on any number of threads, and the vanishing-gradient warning, which a deep stack of sigmoid
 * layers sets off and a shallow network does not.
 */
class GradientNormTest {
    private static final NetworkSource RECURRENT = new NetworkSource(
            "norms",
            "Recurrent",
            Loss.MSE,
            Precision.DOUBLE,
            List.of(
                    LayerSpec.sequence("IN", 6, 3),
                    new LayerSpec.RecurrentSpec("MEMORY", Kind.LSTM, 5, Activation.TANH, false),
                    LayerSpec.dense("H", 4, Activation.TANH),
                    LayerSpec.dense("OUT", 2, Activation.IDENTITY)));
    /** Ten sigmoid layers: each passes back at most a quarter of its gradient, so the first layers' vanish. */
    private static final NetworkSource DEEP = deep();

    private static final NetworkSource SHALLOW = new NetworkSource(
            "norms",
            "Shallow",
            Loss.MSE,
            Precision.FLOAT,
            List.of(
                    LayerSpec.input("IN", 8),
                    LayerSpec.dense("H", 16, Activation.TANH),
                    LayerSpec.dense("OUT", 1, Activation.IDENTITY)));
    private static final CompiledNetworks COMPILED = CompiledNetworks.compile(List.of(RECURRENT, DEEP, SHALLOW));

    private static NetworkSource deep() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("IN", 8));
        for (int l = 1; l <= 10; l++) {
            layers.add(LayerSpec.dense("S" + l, 16, Activation.SIGMOID));
        }
        layers.add(LayerSpec.dense("OUT", 1, Activation.IDENTITY));
        return new NetworkSource("norms", "Deep", Loss.MSE, Precision.FLOAT, layers);
    }

    private static Dataset floats(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * 8];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 8; i++) {
                x[r * 8 + i] = (float) random.nextGaussian();
            }
            y[r] = x[r * 8] * x[r * 8 + 1] + 0.5f * x[r * 8 + 2];
        }
        return Dataset.of(x, 8, y, 1);
    }

    private static DoubleDataset sequences(int rows) {
        Random random = new Random(9);
        double[] x = new double[rows * 18];
        double[] y = new double[rows * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        for (int r = 0; r < rows; r++) {
            y[2 * r] = x[r * 18] - x[r * 18 + 17];
            y[2 * r + 1] = Math.tanh(x[r * 18 + 4]);
        }
        return DoubleDataset.of(x, 18, y, 2);
    }

    @Test
    void eachLayersNormIsThatOfAllItsBlocksOfTheMeanGradientBeforeTheStep() {
        DoubleDataset data = sequences(40);
        DoubleModel model = COMPILED.newDoubleModel(RECURRENT, 3);
        DoubleModel apart = COMPILED.newDoubleModel(RECURRENT, 3);
        apart.zeroGradients();
        apart.accumulateGradientsBatch(data.features(), data.targets(), data.rows());
        // one batch of every row in shards of 16: epoch 1's norms are those of the gradient at the start
        History history = Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(40)
                .shardRows(16)
                .epochs(2)
                .silent()
                .fit(data);
        assertEquals(List.of("MEMORY", "H", "OUT"), history.gradientLayers());
        int blocks = 0;
        for (String layer : history.gradientLayers()) {
            double squares = 0;
            for (ParameterBlock block : model.spec().parameterBlocks()) {
                if (block.layer().equals(layer)) {
                    blocks++;
                    for (int i = block.offset(); i < block.offset() + block.size(); i++) {
                        squares += apart.gradients()[i] * apart.gradients()[i];
                    }
                }
            }
            double expected = Math.sqrt(squares);
            assertEquals(expected, history.epochs().get(0).gradientNorm(layer), 1e-12 * expected, layer);
            assertTrue(expected > 0, layer);
        }
        assertEquals(4 + 2 + 2, blocks, "an LSTM has four blocks, a dense layer two");
    }

    private static History trainDeep(int threads, int epochs, double ratio, int warningEpochs, PrintStream progress) {
        FloatModel model = COMPILED.newFloatModel(DEEP, 5);
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Sgd.of(0.01))
                .batchSize(50)
                .shardRows(16)
                .threads(threads)
                .epochs(epochs)
                .seed(4)
                .gradientWarning(ratio, warningEpochs);
        if (progress == null) {
            trainer.silent();
        } else {
            trainer.progress(progress);
        }
        return trainer.fit(floats(200, 1));
    }

    @Test
    void theNormsAreTheSameBitsOnAnyNumberOfThreads() {
        History one = trainDeep(1, 2, 1e-3, 3, null);
        for (int threads : new int[] {2, 3, 8}) {
            History many = trainDeep(threads, 2, 1e-3, 3, null);
            for (String layer : one.gradientLayers()) {
                assertArrayEquals(
                        one.gradientNorms(layer), many.gradientNorms(layer), 0.0, threads + " threads, " + layer);
            }
        }
    }

    @Test
    void aDeepSigmoidStacksFirstLayersSetOffTheWarningOnceEach() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History history = trainDeep(1, 6, 1e-3, 3, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        double first = history.last().gradientNorm("S1");
        double out = history.last().gradientNorm("OUT");
        assertTrue(first < 1e-4 * out, "S1 " + first + ", OUT " + out);
        assertTrue(
                history.last().gradientNormRatio() < 1e-4,
                "ratio " + history.last().gradientNormRatio());
        assertTrue(!history.warnings().isEmpty(), "no warning");
        assertTrue(
                history.warnings()
                        .get(0)
                        .startsWith("warning: layer S1's gradients vanish: their norm has been below"
                                + " 0.00100 of the largest layer's for 3 epochs (epoch 3: "),
                history.warnings().get(0));
        List<String> printed = new ArrayList<>();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        for (String line : lines) {
            if (line.startsWith("warning: ")) {
                printed.add(line);
            }
        }
        assertEquals(history.warnings(), printed, "each warning printed once, as recorded");
        assertEquals(6 + printed.size(), lines.length);
        assertTrue(lines[3].startsWith("warning: layer S1's"), "printed after epoch 3's line: " + lines[3]);
        for (String warning : history.warnings()) {
            assertTrue(warning.matches("warning: layer S\\d+'s .*"), "only the first sigmoid layers: " + warning);
        }
    }

    @Test
    void noWarningBeforeEnoughEpochsInARowNorForAShallowNetworkNorWhenTurnedOff() {
        assertEquals(List.of(), trainDeep(1, 2, 1e-3, 3, null).warnings(), "two epochs are not three in a row");
        assertEquals(List.of(), trainDeep(1, 4, 0, 3, null).warnings(), "ratio 0 turns it off");
        assertEquals(List.of(), trainDeep(1, 4, 1e-12, 1, null).warnings(), "no layer is a trillion times smaller");
        History shallow = Trainer.of(COMPILED.newFloatModel(SHALLOW, 5))
                .optimizer(Adam.of(0.01))
                .batchSize(50)
                .epochs(6)
                .seed(4)
                .gradientWarning(1e-3, 1)
                .silent()
                .fit(floats(200, 1));
        assertEquals(List.of(), shallow.warnings());
        assertTrue(
                shallow.last().gradientNormRatio() > 1e-2,
                "ratio " + shallow.last().gradientNormRatio());
    }
}
