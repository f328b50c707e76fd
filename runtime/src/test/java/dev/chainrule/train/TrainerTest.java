package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Rprop;
import dev.chainrule.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** {@code rows} points {@code (x, slope * x + intercept)} with {@code x} evenly spaced over [-1, 1]. */
    static Dataset line(int rows, float slope, float intercept) {
        float[] x = new float[rows];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = -1f + 2f * r / (rows - 1);
            y[r] = slope * x[r] + intercept;
        }
        return Dataset.of(x, 1, y, 1);
    }

    /** Random features and targets, {@code in} and {@code out} per row. */
    static Dataset random(int rows, int in, int out, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * in];
        float[] y = new float[rows * out];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextDouble(-1, 1);
        }
        return Dataset.of(x, in, y, out);
    }

    static FloatLinear model(int in, int out) {
        FloatLinear model = new FloatLinear(in, out);
        for (int i = 0; i < model.params.length; i++) {
            model.params[i] = 0.1f * (i - 2);
        }
        return model;
    }

    /** A listener that copies the parameters at the end of every epoch: element {@code e} holds epoch {@code e}'s, element 0 the start. */
    static final class ParameterRecorder implements TrainingListener {
        final float[] params;
        final List<float[]> byEpoch = new ArrayList<>();
        final List<Double> validationLosses = new ArrayList<>();

        ParameterRecorder(float[] params) {
            this.params = params;
            byEpoch.add(params.clone());
        }

        @Override
        public Decision epochEnded(Epoch epoch) {
            byEpoch.add(params.clone());
            validationLosses.add(epoch.validationLoss());
            return Decision.CONTINUE;
        }
    }

    private static FloatLinear trainRandom(long seed) {
        FloatLinear model = model(3, 2);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(7)
                .epochs(5)
                .seed(seed)
                .silent()
                .fit(random(50, 3, 2, 99L));
        return model;
    }

    @Test
    void theSameSeedGivesBitForBitTheSameParameters() {
        float[] first = trainRandom(11L).params;
        float[] second = trainRandom(11L).params;
        float[] otherSeed = trainRandom(12L).params;
        assertArrayEquals(first, second);
        assertFalse(Arrays.equals(first, otherSeed), "a different seed orders the batches differently");
        assertFalse(Arrays.equals(first, model(3, 2).params), "training changed the parameters");
    }

    @Test
    void fitsALineToItsLeastSquaresSolution() {
        DoubleLinear model = new DoubleLinear(1, 1);
        double[] x = new double[21];
        double[] y = new double[21];
        for (int r = 0; r < 21; r++) {
            x[r] = -1 + r / 10.0;
            y[r] = 2 * x[r] - 1;
        }
        DoubleDataset data = DoubleDataset.of(x, 1, y, 1);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.5))
                .batchSize(21)
                .epochs(5000)
                .targetLoss(1e-20)
                .silent()
                .fit(data);
        assertEquals(History.StopReason.TARGET_LOSS, history.stopReason());
        assertEquals(2.0, model.params[0], 1e-9, "slope");
        assertEquals(-1.0, model.params[1], 1e-9, "intercept");
    }

    @Test
    void earlyStoppingRestoresTheParametersOfTheBestValidationEpoch() {
        // Training pulls the slope from 0 towards 2; the validation line has slope 1, so the
        // validation loss falls until the slope passes 1 and rises after.
        FloatLinear model = new FloatLinear(1, 1);
        ParameterRecorder recorder = new ParameterRecorder(model.params);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.05))
                .batchSize(21)
                .epochs(500)
                .validation(line(21, 1f, 0f))
                .earlyStopping(3)
                .listener(recorder)
                .silent()
                .fit(line(21, 2f, 0f));

        int best = 1;
        for (int e = 1; e <= recorder.validationLosses.size(); e++) {
            if (recorder.validationLosses.get(e - 1) < recorder.validationLosses.get(best - 1)) {
                best = e;
            }
        }
        assertTrue(best > 5, "the validation loss improved for a while: best epoch " + best);
        assertEquals(History.StopReason.EARLY_STOPPING, history.stopReason());
        assertEquals(best, history.bestEpoch());
        assertEquals(best + 3, history.epochCount());
        assertTrue(history.restoredBest());
        assertArrayEquals(recorder.byEpoch.get(best), model.params);
        assertFalse(Arrays.equals(recorder.byEpoch.get(history.epochCount()), model.params));
    }

    @Test
    void stopsOnceTheTrainingLossReachesTheTarget() {
        FloatLinear model = new FloatLinear(1, 1);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.1))
                .batchSize(21)
                .epochs(10_000)
                .targetLoss(1e-6)
                .silent()
                .fit(line(21, 2f, -1f));
        int n = history.epochCount();
        assertEquals(History.StopReason.TARGET_LOSS, history.stopReason());
        assertTrue(n > 1 && n < 10_000, n + " epochs");
        assertTrue(history.finalLoss() <= 1e-6, "final loss " + history.finalLoss());
        assertTrue(history.epochs().get(n - 2).loss() > 1e-6, "the epoch before had not reached the target");
    }

    @Test
    void rpropTrainsFullBatch() {
        FloatLinear model = new FloatLinear(1, 1);
        History history = Trainer.of(model)
                .optimizer(Rprop.of())
                .batchSize(21)
                .epochs(500)
                .targetLoss(1e-8)
                .silent()
                .fit(line(21, 2f, -1f));
        assertEquals(History.StopReason.TARGET_LOSS, history.stopReason());
        assertEquals(2f, model.params[0], 1e-3f);
    }

    @Test
    void aDivergingStepFailsNamingTheEpochAndKeepsTheLastGoodParameters() {
        FloatLinear model = new FloatLinear(1, 1);
        ParameterRecorder recorder = new ParameterRecorder(model.params);
        Dataset data = line(21, 2f, -1f);
        DivergenceException e = assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Sgd.of(10))
                        .batchSize(21)
                        .epochs(1000)
                        .listener(recorder)
                        .silent()
                        .fit(data));
        assertEquals(1, e.batch());
        assertTrue(e.epoch() > 2, "epoch " + e.epoch());
        assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", batch 1 of 1: the loss is "), e.getMessage());
        // The loss found non-finite was at the parameters of the step before: those of epoch - 2.
        assertArrayEquals(recorder.byEpoch.get(e.epoch() - 2), model.params);
        assertTrue(Float.isFinite(model.lossBatch(data.features(), data.targets(), data.rows())));
        assertFalse(model.isTraining());
    }

    @Test
    void aDivergingDoubleModelWithMiniBatchesKeepsFiniteParameters() {
        DoubleLinear model = new DoubleLinear(3, 2);
        DoubleDataset data = random(40, 3, 2, 5L).toDouble();
        DivergenceException e = assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Sgd.of(1e3))
                        .batchSize(8)
                        .epochs(1000)
                        .silent()
                        .fit(data));
        assertTrue(e.getMessage().contains("of 5: "), e.getMessage());
        for (double p : model.params) {
            assertTrue(Double.isFinite(p));
        }
    }

    @Test
    void aGradientTheOptimizerRejectsFailsAndLeavesTheParametersAsBeforeTheStep() {
        FloatLinear model = new FloatLinear(1, 1) {
            int calls;

            @Override
            public float accumulateGradientsBatch(
                    float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows, float weight) {
                float loss = super.accumulateGradientsBatch(inputs, inputOffset, targets, targetOffset, rows, weight);
                if (++calls == 5) {
                    grads[0] = Float.NaN;
                }
                return loss;
            }
        };
        ParameterRecorder recorder = new ParameterRecorder(model.params);
        DivergenceException e = assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Adam.of(0.01))
                        .batchSize(4)
                        .epochs(10)
                        .listener(recorder)
                        .silent()
                        .fit(line(8, 2f, -1f)));
        assertEquals(3, e.epoch());
        assertEquals(1, e.batch());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getMessage().contains("gradients[0] is NaN"), e.getMessage());
        assertArrayEquals(recorder.byEpoch.get(2), model.params);
    }

    @Test
    void aStepThatWouldOverflowFailsAtItsBatchAndLeavesTheParametersAsBeforeIt() {
        FloatLinear model = new FloatLinear(1, 1) {
            int calls;

            @Override
            public float accumulateGradientsBatch(
                    float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows, float weight) {
                float loss = super.accumulateGradientsBatch(inputs, inputOffset, targets, targetOffset, rows, weight);
                if (++calls == 5) {
                    grads[0] = Float.MAX_VALUE; // finite, but ten times it is not
                }
                return loss;
            }
        };
        ParameterRecorder recorder = new ParameterRecorder(model.params);
        DivergenceException e = assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Sgd.of(10))
                        .batchSize(4)
                        .epochs(10)
                        .listener(recorder)
                        .silent()
                        .fit(line(8, 2f, -1f)));
        assertEquals(3, e.epoch());
        assertEquals(1, e.batch());
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertTrue(
                e.getMessage().contains("batch 1 of 2: the step would overflow (Sgd's step would make parameters[0]"),
                e.getMessage());
        assertArrayEquals(recorder.byEpoch.get(2), model.params);
    }

    @Test
    void aListenerCanStopTrainingAndEveryListenerHearsEveryEpoch() {
        List<Integer> heard = new ArrayList<>();
        History history = Trainer.of(model(1, 1))
                .optimizer(Adam.of(0.01))
                .epochs(10)
                .silent()
                .listener(TrainingListener.observing(epoch -> heard.add(epoch.number())))
                .listener(epoch ->
                        epoch.number() == 3 ? TrainingListener.Decision.STOP : TrainingListener.Decision.CONTINUE)
                .fit(line(10, 1f, 0f));
        assertEquals(History.StopReason.LISTENER, history.stopReason());
        assertEquals(3, history.epochCount());
        assertEquals(List.of(1, 2, 3), heard);
    }

    @Test
    void trainsInTrainingModeEvaluatesInInferenceModeAndEndsThere() {
        FloatLinear model = model(1, 1);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(3)
                .epochs(4)
                .validation(line(5, 1f, 0f))
                .silent()
                .fit(line(10, 1f, 0f));
        assertFalse(model.isTraining());
        assertEquals(0, model.stepsOutsideTraining);
        assertEquals(0, model.predictionsInTraining);
        assertFalse(Arrays.equals(model(1, 1).params, model.params));
    }

    @Test
    void printsOneProgressLinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Trainer.of(model(1, 1))
                .optimizer(Adam.of(0.01))
                .epochs(12)
                .validation(line(5, 1f, 0f))
                .progress(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .fit(line(10, 1f, 0f));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(12, lines.length);
        Pattern format = Pattern.compile(
                "epoch [ 1-9]\\d/12  loss \\S+  val_loss \\S+  val_r2 -?\\d+\\.\\d{4}  grad_norm \\S+  \\d+ samples/s  ETA \\d+:\\d\\d");
        for (String line : lines) {
            assertTrue(format.matcher(line).matches(), line);
        }
        assertTrue(lines[0].startsWith("epoch  1/12  loss "), lines[0]);
        assertTrue(lines[11].endsWith("ETA 0:00"), lines[11]);
    }

    @Test
    void progressLineWithoutValidationAndTheClock() {
        Epoch epoch = new Epoch(2, 5, 0.25, null, Metric.R2, 1000, 0.5);
        assertEquals("epoch 2/5  loss 0.2500  2000 samples/s  ETA 1:05", Trainer.progressLine(epoch, 65.2));
        assertEquals("1:02:05", Trainer.clock(3725));
        assertEquals("0:00", Trainer.clock(0.4));
    }

    @Test
    void progressLineShowsTheGradientNormsCompactly() {
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("H1", 0.5);
        norms.put("H2", 2e-5);
        norms.put("OUT", 0.25);
        Epoch epoch = new Epoch(2, 5, 0.25, null, Metric.R2, 1000, 0.5, norms);
        assertEquals(
                "epoch 2/5  loss 0.2500  grad 4.0e-05 (H2/H1)  2000 samples/s  ETA 1:05",
                Trainer.progressLine(epoch, 65.2));
        Epoch one = new Epoch(2, 5, 0.25, null, Metric.R2, 1000, 0.5, Map.of("OUT", 0.0125));
        assertEquals(
                "epoch 2/5  loss 0.2500  grad_norm 0.0125  2000 samples/s  ETA 1:05", Trainer.progressLine(one, 65.2));
    }

    /** An optimizer that never moves the parameters, so that every batch's gradient can be computed again. */
    private static final class Frozen implements Optimizer {
        long steps;

        @Override
        public void step(float[] params, float[] grads) {
            steps++;
        }

        @Override
        public void step(double[] params, double[] grads) {
            steps++;
        }

        @Override
        public void reset() {
            steps = 0;
        }

        @Override
        public long steps() {
            return steps;
        }
    }

    @Test
    void theGradientNormIsTheMeanOverTheBatchesOfEachBatchsNorm() {
        Dataset data = random(7, 2, 1, 5L);
        FloatLinear model = model(2, 1);
        // batches of one row: the epoch's norm is the mean over the rows of each row's gradient norm
        History history = Trainer.of(model)
                .optimizer(new Frozen())
                .batchSize(1)
                .epochs(2)
                .silent()
                .fit(data);
        double expected = 0;
        for (int r = 0; r < data.rows(); r++) {
            model.zeroGradients();
            model.accumulateGradients(data.features(), r * 2, data.targets(), r, 1f);
            expected += norm(model.grads) / data.rows();
        }
        assertEquals(List.of("OUT"), history.gradientLayers());
        assertEquals(expected, history.epochs().get(0).gradientNorm("OUT"), 1e-12 * expected);
        assertEquals(expected, history.epochs().get(1).gradientNorm("OUT"), 1e-12 * expected);
        assertTrue(expected > 0.1, "the norm is " + expected);

        // one batch of every row: the norm of the mean gradient, which is smaller than the mean norm
        History full = Trainer.of(model)
                .optimizer(new Frozen())
                .batchSize(7)
                .epochs(1)
                .silent()
                .fit(data);
        model.zeroGradients();
        model.accumulateGradientsBatch(data.features(), data.targets(), data.rows());
        assertEquals(norm(model.grads), full.last().gradientNorm("OUT"), 1e-6 * norm(model.grads));
        assertTrue(full.last().gradientNorm("OUT") < expected);
    }

    private static double norm(float[] values) {
        double squares = 0;
        for (float v : values) {
            squares += (double) v * v;
        }
        return Math.sqrt(squares);
    }

    @Test
    void gradientNormsAreTakenBeforeTheStepOfTheirBatch() {
        // With one batch per epoch, epoch 1's norm is that of the gradient at the initial parameters.
        Dataset data = random(6, 2, 1, 6L);
        FloatLinear fresh = model(2, 1);
        fresh.accumulateGradientsBatch(data.features(), data.targets(), data.rows());
        double initial = norm(fresh.grads);
        History history = Trainer.of(model(2, 1))
                .optimizer(Sgd.of(0.1))
                .batchSize(6)
                .epochs(2)
                .silent()
                .fit(data);
        assertEquals(initial, history.epochs().get(0).gradientNorm("OUT"), 1e-6 * initial);
        assertTrue(history.epochs().get(1).gradientNorm("OUT")
                != history.epochs().get(0).gradientNorm("OUT"));
    }

    @Test
    void aWarningNeedsASensibleRatioAndEpochs() {
        Trainer<Dataset> trainer = Trainer.of(model(1, 1)).silent();
        assertEquals(
                "gradient warning ratio is -0.001, expected a number in [0, 1) (0 turns the warning off)",
                assertThrows(IllegalArgumentException.class, () -> trainer.gradientWarning(-1e-3, 3))
                        .getMessage());
        assertEquals(
                "gradient warning ratio is NaN, expected a number in [0, 1) (0 turns the warning off)",
                assertThrows(IllegalArgumentException.class, () -> trainer.gradientWarning(Double.NaN, 3))
                        .getMessage());
        assertEquals(
                "gradient warning ratio is 1.0, expected a number in [0, 1) (0 turns the warning off)",
                assertThrows(IllegalArgumentException.class, () -> trainer.gradientWarning(1, 3))
                        .getMessage());
        assertEquals(
                "gradient warning epochs is 0, expected at least 1",
                assertThrows(IllegalArgumentException.class, () -> trainer.gradientWarning(1e-3, 0))
                        .getMessage());
        assertEquals(
                List.of(), trainer.gradientWarning(0, 1).fit(line(10, 1f, 0f)).warnings());
    }

    @Test
    void anUnknownLayersNormIsAClearError() {
        History history = Trainer.of(model(1, 1)).epochs(1).silent().fit(line(10, 1f, 0f));
        assertEquals(
                "no gradient norm of layer HIDDEN; the layers measured are [OUT]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> history.last().gradientNorm("HIDDEN"))
                        .getMessage());
        assertEquals(
                "no gradient norm of layer HIDDEN; the layers measured are [OUT]",
                assertThrows(IllegalArgumentException.class, () -> history.gradientNorms("HIDDEN"))
                        .getMessage());
    }

    @Test
    void silentPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Trainer.of(model(1, 1)).epochs(3).silent().fit(line(10, 1f, 0f));
        } finally {
            System.setOut(original);
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportsAccuracyForLabelledValidationData() {
        // Two classes, one-hot targets; a linear model with 2 outputs.
        float[] x = {-1, -0.5f, 0.5f, 1};
        Dataset data = Dataset.classification(x, 1, new int[] {0, 0, 1, 1}, 2);
        History history = Trainer.of(model(1, 2))
                .optimizer(Adam.of(0.05))
                .batchSize(4)
                .epochs(200)
                .validation(data)
                .silent()
                .fit(data);
        assertEquals(Metric.ACCURACY, history.metric());
        assertEquals(1.0, history.last().validationMetric());
        assertEquals(1.0, history.last().validation().accuracy());
    }

    @Test
    void rejectsDataThatDoesNotFitTheModel() {
        Trainer<Dataset> trainer = Trainer.of(model(1, 1)).silent();
        IllegalArgumentException features =
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(random(4, 2, 1, 1L)));
        assertEquals("the training data has 2 features per row but the model takes 1 inputs", features.getMessage());
        IllegalArgumentException targets =
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(random(4, 1, 3, 1L)));
        assertEquals("the training data has 3 targets per row but the model has 1 outputs", targets.getMessage());
        IllegalArgumentException oneHot =
                assertThrows(IllegalArgumentException.class, () -> trainer.fit(random(4, 1, 2, 1L)));
        assertEquals(
                "the training data has 2 targets per row but the model has 1 outputs (one-hot targets for a"
                        + " single output? give one 0/1 target per row instead, e.g. with Csv.binaryLabelColumn)",
                oneHot.getMessage());
        IllegalArgumentException validation = assertThrows(
                IllegalArgumentException.class,
                () -> trainer.validation(random(4, 2, 1, 1L)).fit(random(4, 1, 1, 1L)));
        assertEquals(
                "the validation data has 2 features per row but the model takes 1 inputs", validation.getMessage());
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.of(model(1, 1)).fit(Dataset.of(new float[0], 1, new float[0], 1)));
        assertEquals("the training data has no rows", empty.getMessage());
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        Trainer<Dataset> trainer = Trainer.of(model(1, 1)).silent();
        Dataset data = line(20, 1f, 0f);
        IllegalStateException early = assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(model(1, 1)).earlyStopping(2).fit(data));
        assertTrue(early.getMessage().contains("set validation(data)"), early.getMessage());
        IllegalStateException rprop = assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(model(1, 1)).optimizer(Rprop.of()).batchSize(8).fit(data));
        assertTrue(
                rprop.getMessage().contains("the batch size is 8 for 20 rows: set batchSize(20)"), rprop.getMessage());
        assertEquals(
                "batch size is 0, expected at least 1",
                assertThrows(IllegalArgumentException.class, () -> trainer.batchSize(0))
                        .getMessage());
        assertEquals(
                "epochs is 0, expected at least 1",
                assertThrows(IllegalArgumentException.class, () -> trainer.epochs(0))
                        .getMessage());
        assertEquals(
                "patience is 0, expected at least 1 epoch",
                assertThrows(IllegalArgumentException.class, () -> trainer.earlyStopping(0))
                        .getMessage());
        assertEquals(
                "target loss is NaN, expected a number",
                assertThrows(IllegalArgumentException.class, () -> trainer.targetLoss(Double.NaN))
                        .getMessage());
    }

    @Test
    void stepsAllocateNothingPerBatch() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Dataset few = random(2, 1, 1, 1L);
        Dataset many = random(202, 1, 1, 1L);
        long fewBytes = 0;
        long manyBytes = 0;
        for (int round = 0; round < 3; round++) {
            FloatLinear a = model(1, 1);
            Trainer<Dataset> trainA = Trainer.of(a)
                    .optimizer(Sgd.of(0.01))
                    .batchSize(1)
                    .epochs(20)
                    .silent();
            long before = threads.getCurrentThreadAllocatedBytes();
            trainA.fit(few);
            fewBytes = threads.getCurrentThreadAllocatedBytes() - before;

            FloatLinear b = model(1, 1);
            Trainer<Dataset> trainB = Trainer.of(b)
                    .optimizer(Sgd.of(0.01))
                    .batchSize(1)
                    .epochs(20)
                    .silent();
            before = threads.getCurrentThreadAllocatedBytes();
            trainB.fit(many);
            manyBytes = threads.getCurrentThreadAllocatedBytes() - before;
        }
        // 4,000 more batches; the only extra allocation is the 200 more entries of the row order.
        assertTrue(manyBytes - fewBytes < 4096, "200 more rows x 20 epochs cost " + (manyBytes - fewBytes) + " bytes");
    }
}
