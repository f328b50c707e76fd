package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What early stopping watches, in which direction, and how much of a gain counts. */
class EarlyStoppingTest {

    /** Records the parameters and the figures of every epoch; element 0 of {@code byEpoch} is the start. */
    static final class Recorder implements TrainingListener {
        final float[] params;
        final List<float[]> byEpoch = new ArrayList<>();
        final List<Epoch> epochs = new ArrayList<>();

        Recorder(float[] params) {
            this.params = params;
            byEpoch.add(params.clone());
        }

        @Override
        public Decision epochEnded(Epoch epoch) {
            byEpoch.add(params.clone());
            epochs.add(epoch);
            return Decision.CONTINUE;
        }
    }

    /** {@code rows} points on {@code y = x > edge ? 1 : 0} with {@code x} evenly spaced over [-1, 1]. */
    static Dataset step(int rows, float edge) {
        float[] x = new float[rows];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = -1f + 2f * r / (rows - 1);
            y[r] = x[r] > edge ? 1 : 0;
        }
        return Dataset.of(x, 1, y, 1);
    }

    @Test
    void aMinimumDeltaStopsAValidationLossThatOnlyCreepsDown() {
        // The validation rows lie on the training line: the validation loss falls at every epoch,
        // by less and less, so without a minimum gain only float rounding ends the run.
        FloatLinear creeping = new FloatLinear(1, 1);
        History withoutDelta = Trainer.of(creeping)
                .optimizer(Sgd.of(0.05))
                .batchSize(21)
                .epochs(3000)
                .validation(TrainerTest.line(5, 2f, 0f))
                .earlyStopping(5)
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));

        FloatLinear model = new FloatLinear(1, 1);
        Recorder recorder = new Recorder(model.params);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.05))
                .batchSize(21)
                .epochs(3000)
                .validation(TrainerTest.line(5, 2f, 0f))
                .earlyStopping(5, 1e-4)
                .listener(recorder)
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));

        // the rule, replayed on the recorded losses: stop once 5 epochs have not beaten the last
        // epoch that improved by more than 1e-4
        double reference = Double.POSITIVE_INFINITY;
        int improved = 0;
        int expectedStop = 0;
        for (Epoch e : recorder.epochs) {
            if (e.validationLoss() < reference - 1e-4) {
                reference = e.validationLoss();
                improved = e.number();
            }
            if (e.number() - improved >= 5) {
                expectedStop = e.number();
                break;
            }
        }
        assertEquals(History.StopReason.EARLY_STOPPING, history.stopReason());
        assertEquals(expectedStop, history.epochCount());
        assertTrue(
                history.epochCount() * 3 < withoutDelta.epochCount(),
                history.epochCount() + " epochs with a minimum gain, " + withoutDelta.epochCount() + " without");
        // the loss still fell at every epoch: the best is the last, which the model keeps
        for (int e = 1; e < recorder.epochs.size(); e++) {
            assertTrue(recorder.epochs.get(e).validationLoss()
                    < recorder.epochs.get(e - 1).validationLoss());
        }
        assertEquals(history.epochCount(), history.bestEpoch());
        assertArrayEquals(recorder.byEpoch.get(history.bestEpoch()), model.params);
    }

    @Test
    void accuracyIsWatchedRisingAndStopsWhenItPlateaus() {
        Dataset train = step(41, 0.1f);
        Dataset validation = step(9, 0.1f);
        FloatLinear model = new FloatLinear(1, 1);
        Recorder recorder = new Recorder(model.params);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.4))
                .batchSize(41)
                .epochs(2000)
                .validation(validation)
                .monitor(Monitor.validation(Metric.ACCURACY))
                .earlyStopping(10)
                .listener(recorder)
                .silent()
                .fit(train);

        int best = 1;
        for (Epoch e : recorder.epochs) {
            if (e.validation().accuracy()
                    > recorder.epochs.get(best - 1).validation().accuracy()) {
                best = e.number();
            }
        }
        assertTrue(best > 1, "the accuracy rose for a while: best epoch " + best + ", " + recorder.epochs);
        assertEquals(History.StopReason.EARLY_STOPPING, history.stopReason());
        assertEquals(best, history.bestEpoch(), "the first epoch with the highest accuracy");
        assertEquals(best + 10, history.epochCount());
        assertArrayEquals(recorder.byEpoch.get(best), model.params);
        assertEquals(Monitor.validation(Metric.ACCURACY), history.monitor());
        assertTrue(
                history.toString().contains("best validation accuracy in epoch " + best + ", whose parameters"),
                history.toString());
        // the loss went on falling: watched instead, it would not have stopped there
        assertTrue(recorder.epochs.get(best + 9).validationLoss()
                < recorder.epochs.get(best - 1).validationLoss());
    }

    @Test
    void theTrainingLossNeedsNoValidationData() {
        FloatLinear model = new FloatLinear(1, 1);
        History history = Trainer.of(model)
                .optimizer(Sgd.of(0.05))
                .batchSize(21)
                .epochs(3000)
                .monitor(Monitor.trainingLoss())
                .earlyStopping(5, 1e-3)
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));
        assertEquals(History.StopReason.EARLY_STOPPING, history.stopReason());
        assertTrue(history.epochCount() < 200, history.toString());
        assertEquals(Monitor.trainingLoss(), history.monitor());
        assertTrue(history.bestEpoch() > 0);
    }

    @Test
    void aMonitorOfValidationFiguresNeedsValidationData() {
        Dataset data = TrainerTest.line(20, 1f, 0f);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(new FloatLinear(1, 1))
                        .monitor(Monitor.validation(Metric.ACCURACY))
                        .earlyStopping(2)
                        .silent()
                        .fit(data));
        assertEquals(
                "early stopping watches the validation accuracy: set validation(data) too, or"
                        + " monitor(Monitor.trainingLoss())",
                e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(new FloatLinear(1, 1))
                        .monitor(Monitor.validationLoss())
                        .silent()
                        .fit(data));
        assertEquals(
                "minDelta is -1.0, expected a finite number at least 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Trainer.of(new FloatLinear(1, 1)).earlyStopping(2, -1))
                        .getMessage());
    }

    @Test
    void monitorsKnowTheirDirection() {
        assertTrue(Monitor.validation(Metric.ACCURACY).improves(0.9, 0.8, 0.05));
        assertTrue(!Monitor.validation(Metric.ACCURACY).improves(0.84, 0.8, 0.05));
        assertTrue(Monitor.validation(Metric.MAE).improves(0.1, 0.2, 0));
        assertTrue(!Monitor.validationLoss().improves(Double.NaN, 1, 0));
        assertTrue(Monitor.trainingLoss().improves(5, Double.NaN, 0));
        assertEquals("val_r2", Monitor.validation(Metric.R2).label());
        assertEquals("loss", Monitor.trainingLoss().label());
    }
}
