package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Rprop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The trainer's loop over batch gradients that a {@link GradientSource} computes. */
class GradientSourceTest {

    /**
     * A source that computes each batch as the in-process session does, written out again here:
     * the batches of {@code Dataset.batches(batchSize, seed)}, cut into shards of {@code shardRows}
     * rows whose gradients are added in shard order.
     */
    static final class SameSchedule implements GradientSource {
        final Dataset data;
        int opened;
        int closed;
        int batchesComputed;

        SameSchedule(Dataset data) {
            this.data = data;
        }

        @Override
        public int rows() {
            return data.rows();
        }

        @Override
        public int featureCount() {
            return data.featureCount();
        }

        @Override
        public int targetCount() {
            return data.targetCount();
        }

        @Override
        public Steps open(Model model, int batchSize, long seed, int shardRows) {
            opened++;
            FloatModel floats = (FloatModel) model;
            FloatModel sibling = floats.withSharedParameters();
            Batches batches = data.batches(batchSize, seed);
            int in = data.featureCount();
            int out = data.targetCount();
            return new Steps() {
                @Override
                public boolean next() {
                    return batches.next();
                }

                @Override
                public int rows() {
                    return batches.rows();
                }

                @Override
                public int batchesPerEpoch() {
                    return batches.batchesPerEpoch();
                }

                @Override
                public double accumulate() {
                    batchesComputed++;
                    int rows = batches.rows();
                    float weight = 1f / rows;
                    double loss = 0;
                    float[] gradients = floats.gradients();
                    for (int from = 0; from < rows; from += shardRows) {
                        int n = Math.min(shardRows, rows - from);
                        FloatModel shard = from == 0 ? floats : sibling;
                        shard.zeroGradients();
                        loss += n
                                * (double) shard.accumulateGradientsBatch(
                                        batches.inputs(), from * in, batches.targets(), from * out, n, weight);
                        if (from > 0) {
                            float[] g = sibling.gradients();
                            for (int i = 0; i < g.length; i++) {
                                gradients[i] += g[i];
                            }
                        }
                    }
                    return loss / rows;
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }

    private static Trainer<Dataset> trainer(FloatModel model, Dataset validation, PrintStream progress) {
        return Trainer.of(model)
                .optimizer(Adam.of(0.02))
                .batchSize(40)
                .shardRows(16)
                .threads(2)
                .epochs(12)
                .seed(3)
                .validation(validation)
                .earlyStopping(3)
                .progress(progress);
    }

    @Test
    void aSourceThatComputesWhatTheSessionDoesTrainsTheSameBitsThroughTheSameLoop() {
        Dataset train = TrainerTest.random(230, 3, 2, 99L);
        Dataset validation = TrainerTest.random(60, 3, 2, 100L);
        ByteArrayOutputStream inProcessLines = new ByteArrayOutputStream();
        ByteArrayOutputStream sourceLines = new ByteArrayOutputStream();

        FloatLinear inProcess = TrainerTest.model(3, 2);
        History expected = trainer(inProcess, validation, new PrintStream(inProcessLines, true, StandardCharsets.UTF_8))
                .fit(train);
        FloatLinear sourced = TrainerTest.model(3, 2);
        SameSchedule source = new SameSchedule(train);
        History actual = trainer(sourced, validation, new PrintStream(sourceLines, true, StandardCharsets.UTF_8))
                .fit(source);

        assertArrayEquals(inProcess.params, sourced.params);
        assertFalse(java.util.Arrays.equals(TrainerTest.model(3, 2).params, sourced.params), "training changed them");
        assertEquals(expected.epochs().size(), actual.epochs().size());
        for (int e = 0; e < expected.epochs().size(); e++) {
            assertEquals(expected.epochs().get(e).loss(), actual.epochs().get(e).loss(), "epoch " + (e + 1));
            assertEquals(
                    expected.epochs().get(e).validationLoss(),
                    actual.epochs().get(e).validationLoss());
        }
        assertEquals(expected.stopReason(), actual.stopReason());
        assertEquals(expected.bestEpoch(), actual.bestEpoch());
        assertEquals(1, source.opened);
        assertEquals(1, source.closed);
        assertEquals(actual.epochs().size() * 6, source.batchesComputed, "230 rows in batches of 40: 6 a epoch");
        String[] lines = sourceLines.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].startsWith("epoch  1/12  loss "), lines[0]);
        assertTrue(lines[0].contains("val_loss"), lines[0]);
    }

    @Test
    void theStepsAreClosedWhenTrainingDiverges() {
        Dataset train = TrainerTest.random(100, 3, 2, 99L);
        FloatLinear model = TrainerTest.model(3, 2);
        SameSchedule source = new SameSchedule(train);
        assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Adam.of(1e30))
                        .batchSize(10)
                        .epochs(3)
                        .silent()
                        .fit(source));
        assertEquals(1, source.closed);
    }

    @Test
    void aSourceWhoseRowsDoNotFitTheModelIsRefused() {
        FloatLinear model = TrainerTest.model(3, 2);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.of(model).silent().fit(new SameSchedule(TrainerTest.random(10, 4, 2, 1L))));
        assertEquals(
                "the training data has 4 features and 2 targets per row but the model takes 3 inputs and has 2"
                        + " outputs",
                e.getMessage());
    }

    @Test
    void anOptimizerThatNeedsTheWholeLossIsRefused() {
        FloatLinear model = TrainerTest.model(3, 2);
        SameSchedule source = new SameSchedule(TrainerTest.random(10, 3, 2, 1L));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(model)
                        .optimizer(Rprop.of())
                        .batchSize(10)
                        .silent()
                        .fit(source));
        assertTrue(e.getMessage().contains("needs the loss of the whole training set at every step"), e.getMessage());
        assertEquals(0, source.opened);
    }
}
