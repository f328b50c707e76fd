package dev.chainrule.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Standardizer;
import dev.chainrule.data.TargetScaler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ModelSlotTest {

    /** {@code out = 1 x0 + 2 x1 + 3}. */
    private static LinearFloatModel modelA() {
        return new LinearFloatModel(2, 1, 1, 2, 3);
    }

    /** {@code out = -1 x0 + 0.5 x1 + 10}. */
    private static LinearFloatModel modelB() {
        return new LinearFloatModel(2, 1, -1, 0.5f, 10);
    }

    private static float predict(LinearFloatModel model, float x0, float x1) {
        float[] out = new float[1];
        model.predict(new float[] {x0, x1}, out);
        return out[0];
    }

    /** Rows (1, 10) and (3, 30): means 2 and 20, deviations 1 and 10. */
    private static Standardizer standardizer() {
        return Standardizer.fit(Dataset.of(new float[] {1, 10, 3, 30}, 2, new float[2], 1));
    }

    @Test
    void aReaderServesThePublishedModelThroughAnInstanceOfItsOwn() {
        LinearFloatModel a = modelA();
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(LinearFloatModel::withSharedParameters, a);
        ModelSlot.Reader<LinearFloatModel> first = slot.reader();
        ModelSlot.Reader<LinearFloatModel> second = slot.reader();

        LinearFloatModel one = first.acquire();
        LinearFloatModel two = second.acquire();
        assertNotSame(a, one, "the published instance is never handed out");
        assertNotSame(one, two, "each reader has its own buffers");
        assertSame(a.parameters(), one.parameters(), "but shares the published parameters");
        assertSame(a.parameters(), two.parameters());
        assertEquals(6f, predict(one, 1, 1), "1 + 2 + 3");
        assertEquals(3f, predict(two, 2, -1), "2 - 2 + 3");
        assertSame(one, first.acquire(), "no new instance while nothing was published");
        assertEquals(1, first.version());
        assertEquals(1, slot.version());
    }

    @Test
    void aReaderKeepsItsModelUntilItAcquiresAgainThenServesTheNewOne() {
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA());
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
        LinearFloatModel before = reader.acquire();

        LinearFloatModel b = modelB();
        assertEquals(2, slot.publish(b));
        assertEquals(2, slot.version());
        assertEquals(1, reader.version(), "pinned until the next acquire");
        assertEquals(6f, predict(before, 1, 1), "the old instance still computes model A");

        LinearFloatModel after = reader.acquire();
        assertEquals(2, reader.version());
        assertNotSame(b, after);
        assertSame(b.parameters(), after.parameters());
        assertEquals(9.5f, predict(after, 1, 1), "-1 + 0.5 + 10");
    }

    @Test
    void theScalerIsPublishedAndReplacedWithItsModel() {
        ModelSlot<LinearFloatModel> slot =
                new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA(), Optional.of(standardizer()));
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
        reader.acquire();
        assertTrue(reader.scaler().isPresent());

        float[] row = {-1, 5, 40};
        reader.preprocess(row, 1);
        assertArrayEquals(new float[] {-1, 3, 2}, row, "(5 - 2) / 1 and (40 - 20) / 10 from offset 1");

        double[] doubles = {5, 40};
        reader.preprocess(doubles, 0);
        assertArrayEquals(new double[] {3, 2}, doubles);

        slot.publish(modelB());
        reader.acquire();
        assertEquals(Optional.empty(), reader.scaler());
        float[] untouched = {5, 40};
        reader.preprocess(untouched, 0);
        assertArrayEquals(new float[] {5, 40}, untouched, "a model published without a scaler is not rescaled");
    }

    @Test
    void preprocessChecksTheRowEvenWithoutAScaler() {
        ModelSlot.Reader<LinearFloatModel> plain =
                new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA()).reader();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> plain.preprocess(new float[3], 2));
        assertEquals("row of length 3 does not hold 2 features from offset 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plain.preprocess(new double[1], 0));

        ModelSlot.Reader<LinearFloatModel> scaled =
                new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA(), Optional.of(standardizer())).reader();
        assertThrows(IllegalArgumentException.class, () -> scaled.preprocess(new float[2], -1));
    }

    @Test
    void acquiringAnUnchangedModelAllocatesNothingAndASwapMakesOneInstancePerReader() {
        LinearFloatModel a = modelA();
        ModelSlot<LinearFloatModel> slot =
                new ModelSlot<>(LinearFloatModel::withSharedParameters, a, Optional.of(standardizer()));
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
        float[] row = new float[2];
        float[] out = new float[1];
        Runnable serve = () -> {
            for (int i = 0; i < 10_000; i++) {
                row[0] = i;
                row[1] = 1;
                LinearFloatModel model = reader.acquire();
                reader.preprocess(row, 0);
                model.predict(row, out);
            }
        };
        for (int i = 0; i < 5; i++) {
            serve.run(); // warm up: let the JIT compile the loop
        }
        int siblingsBefore = a.siblingsMade();
        assertEquals(
                0, Allocations.ofRounds(serve), "bytes allocated by five rounds of 10,000 requests without a swap");
        assertEquals(siblingsBefore, a.siblingsMade());

        LinearFloatModel b = modelB();
        slot.publish(b, Optional.of(standardizer()));
        long swapBytes = Allocations.of(serve);
        assertTrue(swapBytes > 0, "the first acquire after a swap makes a new instance");
        assertEquals(1, b.siblingsMade(), "one instance for the one reader, however many requests follow");
    }

    @Test
    void publishRefusesAModelOrScalerOfAnotherSizeAndKeepsServing() {
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA());
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();

        IllegalArgumentException wide =
                assertThrows(IllegalArgumentException.class, () -> slot.publish(new LinearFloatModel(3, 1)));
        assertTrue(
                wide.getMessage().startsWith("the new model takes 3 inputs and gives 1 outputs (IN 3 -> OUT 1"),
                wide.getMessage());
        assertTrue(wide.getMessage().endsWith("but this slot serves 2 inputs and 1 outputs"), wide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> slot.publish(new LinearFloatModel(2, 2)));

        FeatureScaler threeFeatures = MinMaxScaler.fit(Dataset.of(new float[] {1, 2, 3}, 3, new float[1], 1));
        IllegalArgumentException scaler =
                assertThrows(IllegalArgumentException.class, () -> slot.publish(modelB(), Optional.of(threeFeatures)));
        assertEquals("the scaler was fitted on 3 features, but the model takes 2", scaler.getMessage());

        assertEquals(1, slot.version());
        assertEquals(6f, predict(reader.acquire(), 1, 1), "still model A");
    }

    @Test
    void aSiblingFunctionReturningTheModelItselfIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ModelSlot<LinearFloatModel>(model -> model, modelA()));
        assertTrue(e.getMessage().contains("returned the model itself"), e.getMessage());
    }

    private static final int READERS = 4;
    private static final int SWAPS = 2_000;
    private static final int CHECKPOINT = 20;
    private static final int INPUTS = 8;
    private static final int OUTPUTS = 4;
    private static final int ROWS = 64;

    private static float[] randomValues(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-2, 2);
        }
        return values;
    }

    /** Every output of {@code model} for the {@link #ROWS} rows of {@code inputs}, computed on this thread. */
    private static float[] outputs(LinearFloatModel model, float[] inputs) {
        float[] outputs = new float[ROWS * OUTPUTS];
        for (int r = 0; r < ROWS; r++) {
            model.predict(inputs, r * INPUTS, outputs, r * OUTPUTS);
        }
        return outputs;
    }

    /**
     * Readers predict without pause while a writer publishes {@value #SWAPS} freshly built copies
     * of model A and model B in turn (A at odd versions, B at even). Every output must be bit for
     * bit the output of the model of the version the reader acquired: never the other model's,
     * never a mixture. At every {@value #CHECKPOINT}th swap the writer waits until each reader has
     * completed two more predictions, so each reader must have served at least those versions:
     * readers keep making progress while the models change under them.
     */
    @Test
    @Timeout(300) // guards against a stalled reader or writer; no timing is asserted
    void readersNeverSeeAHalfUpdatedModelWhileAWriterSwapsModels() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        float[] parametersA = randomValues(random, (INPUTS + 1) * OUTPUTS);
        float[] parametersB = randomValues(random, (INPUTS + 1) * OUTPUTS);
        float[] inputs = randomValues(random, ROWS * INPUTS);
        float[][] expected = {
            outputs(new LinearFloatModel(INPUTS, OUTPUTS, parametersB), inputs), // even versions
            outputs(new LinearFloatModel(INPUTS, OUTPUTS, parametersA), inputs), // odd versions
        };

        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(
                LinearFloatModel::withSharedParameters, new LinearFloatModel(INPUTS, OUTPUTS, parametersA));
        AtomicLongArray predictions = new AtomicLongArray(READERS);
        AtomicBoolean done = new AtomicBoolean();
        long[] mismatches = new long[READERS];
        long[] versionsSeen = new long[READERS];
        long[] lastVersions = new long[READERS];
        Thread[] readers = new Thread[READERS];
        for (int t = 0; t < READERS; t++) {
            int id = t;
            readers[t] = new Thread(
                    () -> {
                        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
                        float[] out = new float[OUTPUTS];
                        long lastVersion = 0;
                        for (long n = 0; !done.get(); n++) {
                            LinearFloatModel model = reader.acquire();
                            long version = reader.version();
                            if (version != lastVersion) {
                                versionsSeen[id]++;
                                lastVersion = version;
                            }
                            int row = (int) (n % ROWS);
                            model.predict(inputs, row * INPUTS, out, 0);
                            float[] truth = expected[(int) (version & 1)];
                            for (int k = 0; k < OUTPUTS; k++) {
                                if (Float.floatToRawIntBits(out[k])
                                        != Float.floatToRawIntBits(truth[row * OUTPUTS + k])) {
                                    mismatches[id]++;
                                }
                            }
                            predictions.incrementAndGet(id);
                        }
                        lastVersions[id] = lastVersion;
                    },
                    "reader-" + t);
            readers[t].start();
        }
        awaitPredictions(predictions, 1);
        for (int swap = 1; swap <= SWAPS; swap++) {
            long version =
                    slot.publish(new LinearFloatModel(INPUTS, OUTPUTS, swap % 2 == 0 ? parametersA : parametersB));
            assertEquals(swap + 1, version);
            if (swap % CHECKPOINT == 0) {
                awaitPredictions(predictions, 2);
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        for (int t = 0; t < READERS; t++) {
            assertEquals(0, mismatches[t], "outputs of reader " + t + " that were not its version's model's");
            assertTrue(
                    versionsSeen[t] >= SWAPS / CHECKPOINT + 1,
                    "reader " + t + " served " + versionsSeen[t]
                            + " versions, expected at least the first and every checkpoint's");
            assertEquals(SWAPS + 1, lastVersions[t], "reader " + t + " ended on the last version");
        }
    }

    /** Waits until every reader has completed {@code more} predictions beyond its count now. */
    private static void awaitPredictions(AtomicLongArray predictions, int more) {
        long[] target = new long[predictions.length()];
        for (int t = 0; t < target.length; t++) {
            target[t] = predictions.get(t) + more;
        }
        for (int t = 0; t < target.length; t++) {
            while (predictions.get(t) < target[t]) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Targets 100 and 300 of the rows of {@link #standardizer()}: mean 200, deviation 100. */
    private static TargetScaler targetScaler() {
        return TargetScaler.fit(Dataset.of(new float[] {1, 10, 3, 30}, 2, new float[] {100, 300}, 1));
    }

    @Test
    void aRegressionModelLoadedWithItsTargetScalerServesPredictionsInTheTargetsUnits(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("regression.chainrule");
        Preprocessing.save(modelA(), standardizer(), targetScaler(), file);
        LinearFloatModel served = new LinearFloatModel(2, 1);
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(
                LinearFloatModel::withSharedParameters, served, Preprocessing.loadScalers(file, served));
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();

        float[] row = {1, 10};
        float[] out = new float[1];
        LinearFloatModel model = reader.acquire();
        reader.preprocess(row, 0); // (-1, -1)
        model.predict(row, out);
        assertEquals(0f, out[0], "scaled: -1 - 2 + 3");
        reader.postprocess(out, 0);
        assertEquals(200f, out[0], 1e-4f, "0 standard deviations from the mean 200");

        float[] row2 = {3, 30, 0};
        float[] out2 = {7, 0};
        reader.preprocess(row2, 0); // (1, 1)
        model.predict(row2, 0, out2, 1);
        reader.postprocess(out2, 1);
        assertEquals(800f, out2[1], 1e-3f, "(1 + 2 + 3) * 100 + 200");
        assertEquals(7f, out2[0], "outside the offset's outputs nothing changes");

        double[] doubles = {1.5};
        reader.postprocess(doubles, 0);
        assertEquals(350.0, doubles[0], 1e-12);
        assertEquals(200.0, reader.targetScaler().orElseThrow().mean(0));
        assertTrue(reader.scaler().isPresent());
    }

    @Test
    void theTargetScalerIsReplacedWithItsModelAndPostprocessChecksTheOutputWithoutOne() {
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(
                LinearFloatModel::withSharedParameters,
                modelA(),
                new Preprocessing.Scalers(Optional.empty(), Optional.of(targetScaler())));
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
        reader.acquire();
        float[] out = {2};
        reader.postprocess(out, 0);
        assertEquals(400f, out[0], 1e-4f);

        slot.publish(modelB(), Optional.of(standardizer()));
        float[] kept = {2};
        reader.postprocess(kept, 0);
        assertEquals(400f, kept[0], 1e-4f, "until it acquires again, the reader serves the old model's scalers");
        reader.acquire();
        float[] plain = {2};
        reader.postprocess(plain, 0);
        assertEquals(2f, plain[0], "the new model has no target scaler: its outputs are its units");
        assertTrue(reader.targetScaler().isEmpty());

        IllegalArgumentException shortArray =
                assertThrows(IllegalArgumentException.class, () -> reader.postprocess(new float[1], 1));
        assertEquals("output of length 1 does not hold 1 outputs from offset 1", shortArray.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader.postprocess(new double[0], 0));
    }

    @Test
    void publishRefusesATargetScalerOfAnotherWidthAndKeepsServing() {
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(LinearFloatModel::withSharedParameters, modelA());
        TargetScaler two = TargetScaler.fit(Dataset.of(new float[] {1, 2}, 1, new float[] {1, 2, 3, 5}, 2));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> slot.publish(modelB(), new Preprocessing.Scalers(Optional.empty(), Optional.of(two))));
        assertEquals("the target scaler was fitted on 2 targets, but the model has 1 outputs", e.getMessage());
        assertEquals(1, slot.version(), "nothing was published");
        assertThrows(
                IllegalArgumentException.class,
                () -> new ModelSlot<>(
                        LinearFloatModel::withSharedParameters,
                        modelA(),
                        new Preprocessing.Scalers(Optional.empty(), Optional.of(two))));
    }

    @Test
    void servingInTheTargetsUnitsAllocatesNothing() {
        ModelSlot<LinearFloatModel> slot = new ModelSlot<>(
                LinearFloatModel::withSharedParameters,
                modelA(),
                new Preprocessing.Scalers(Optional.of(standardizer()), Optional.of(targetScaler())));
        ModelSlot.Reader<LinearFloatModel> reader = slot.reader();
        float[] row = new float[2];
        float[] out = new float[1];
        double[] sum = new double[1];
        Runnable serve = () -> {
            for (int i = 0; i < 10_000; i++) {
                row[0] = i;
                row[1] = 1;
                LinearFloatModel model = reader.acquire();
                reader.preprocess(row, 0);
                model.predict(row, out);
                reader.postprocess(out, 0);
                sum[0] += out[0];
            }
        };
        for (int i = 0; i < 5; i++) {
            serve.run();
        }
        assertEquals(
                0,
                Allocations.ofRounds(serve),
                "bytes allocated by five rounds of 10,000 requests in the target's units");
        assertTrue(sum[0] != 0);
    }
}
