package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.LearningRateSchedule.ReduceOnPlateau;
import dev.chainrule.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer tells the optimizer the monitored figure after every epoch, oriented lower-is-better. */
class PlateauTrainingTest {

    /** A constant rate that records what it is told. */
    static final class Recording implements LearningRateSchedule {
        final List<Double> observed = new ArrayList<>();
        int resets;

        @Override
        public double rate(long step) {
            return 0.05;
        }

        @Override
        public void observe(double value) {
            observed.add(value);
        }

        @Override
        public void reset() {
            resets++;
        }
    }

    private static double[] figures(History history, java.util.function.ToDoubleFunction<Epoch> figure) {
        return history.epochs().stream().mapToDouble(figure).toArray();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void theOptimizerIsToldTheValidationLossByDefaultAndTheTrainingLossWithoutValidation() {
        Recording schedule = new Recording();
        History history = Trainer.of(new FloatLinear(1, 1))
                .optimizer(Sgd.of(schedule))
                .batchSize(21)
                .epochs(6)
                .validation(TrainerTest.line(5, 1f, 0f))
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));
        assertArrayEquals(figures(history, Epoch::validationLoss), toArray(schedule.observed));
        assertEquals(1, schedule.resets, "fit resets the optimizer, and with it the schedule");

        schedule.observed.clear();
        History alone = Trainer.of(new FloatLinear(1, 1))
                .optimizer(Sgd.of(schedule))
                .batchSize(21)
                .epochs(4)
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));
        assertArrayEquals(figures(alone, Epoch::loss), toArray(schedule.observed));
    }

    @Test
    void aFigureWhereHigherIsBetterIsToldNegated() {
        Recording schedule = new Recording();
        History history = Trainer.of(new FloatLinear(1, 1))
                .optimizer(Sgd.of(schedule))
                .batchSize(41)
                .epochs(5)
                .validation(EarlyStoppingTest.step(9, 0.1f))
                .monitor(Monitor.validation(Metric.ACCURACY))
                .silent()
                .fit(EarlyStoppingTest.step(41, 0.1f));
        assertArrayEquals(figures(history, e -> -e.validation().accuracy()), toArray(schedule.observed));
    }

    @Test
    void reduceOnPlateauLowersTheRateWhenTheValidationLossStopsFalling() {
        // the validation line has slope 1 and the training line slope 2: the validation loss falls,
        // then rises as the slope passes 1, and the rate drops each time it has not fallen for 3 epochs
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau(0.05, 0.5, 3);
        History history = Trainer.of(new FloatLinear(1, 1))
                .optimizer(Sgd.of(plateau))
                .batchSize(21)
                .epochs(60)
                .validation(TrainerTest.line(21, 1f, 0f))
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));
        int best = history.bestEpoch();
        int expected = (history.epochCount() - best) / 3;
        assertTrue(expected >= 2, history.toString());
        assertEquals(expected, plateau.reductions());
        assertEquals(0.05 * Math.pow(0.5, expected), plateau.currentRate(), 1e-15);

        Trainer.of(new FloatLinear(1, 1))
                .optimizer(Sgd.of(plateau))
                .batchSize(21)
                .epochs(2)
                .validation(TrainerTest.line(21, 1f, 0f))
                .silent()
                .fit(TrainerTest.line(21, 2f, 0f));
        assertEquals(0, plateau.reductions(), "a new fit starts the schedule over");
        assertEquals(0.05, plateau.currentRate());
    }
}
