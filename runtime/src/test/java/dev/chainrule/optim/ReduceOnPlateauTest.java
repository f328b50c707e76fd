package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.optim.LearningRateSchedule.ReduceOnPlateau;
import org.junit.jupiter.api.Test;

class ReduceOnPlateauTest {

    @Test
    void theRateDropsByTheFactorAfterPatienceEpochsWithoutAGain() {
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau(0.1, 0.5, 2);
        assertEquals(0.1, plateau.rate(0));
        for (double loss : new double[] {1.0, 0.8, 0.6}) {
            plateau.observe(loss);
        }
        assertEquals(0.1, plateau.rate(100), "improving: unchanged");
        plateau.observe(0.6);
        assertEquals(0.1, plateau.rate(101), "one epoch without a gain is within the patience");
        plateau.observe(0.7);
        assertEquals(0.05, plateau.rate(102), "the second one lowers the rate");
        assertEquals(1, plateau.reductions());
        plateau.observe(0.65);
        assertEquals(0.05, plateau.currentRate(), "the count starts again after a reduction");
        plateau.observe(0.65);
        assertEquals(0.025, plateau.currentRate());
        plateau.observe(0.5);
        assertEquals(0.5, plateau.best());
        plateau.observe(0.55);
        assertEquals(0.025, plateau.currentRate(), "the gain reset the count");
    }

    @Test
    void aMinimumDeltaAndAFloor() {
        ReduceOnPlateau plateau =
                LearningRateSchedule.reduceOnPlateau(1, 0.1, 1).minDelta(0.01).minimum(0.05);
        plateau.observe(1.0);
        plateau.observe(0.995); // a gain of 0.005 is not more than 0.01
        assertEquals(0.1, plateau.currentRate(), 1e-15);
        plateau.observe(0.98); // 0.02 below the best, 1.0
        assertEquals(0.1, plateau.currentRate(), 1e-15);
        plateau.observe(0.98);
        assertEquals(0.05, plateau.currentRate(), "never below the minimum");
        plateau.observe(0.98);
        assertEquals(0.05, plateau.currentRate());
        assertEquals(2, plateau.reductions(), "reaching the floor counts, staying on it does not");
        plateau.observe(Double.NaN);
        assertEquals(0.98, plateau.best(), "NaN is no gain");
    }

    @Test
    void resetStartsOverAndOptimizersPassFiguresOnAndReset() {
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau(0.5, 0.5, 1);
        Sgd sgd = Sgd.of(plateau);
        float[] w = {0};
        float[] g = {1};
        sgd.step(w, g);
        assertEquals(-0.5f, w[0]);
        sgd.observe(1);
        sgd.observe(2);
        sgd.step(w, g);
        assertEquals(-0.75f, w[0], "the step took the lowered rate");
        sgd.reset();
        assertEquals(0.5, plateau.currentRate());
        assertEquals(Double.NaN, plateau.best());
        assertEquals(0, plateau.reductions());
    }

    @Test
    void aWarmupPassesFiguresToTheScheduleAfterIt() {
        ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau(0.4, 0.5, 1);
        LearningRateSchedule warm = plateau.withWarmup(2);
        warm.observe(1);
        warm.observe(1);
        assertEquals(0.2, warm.rate(5));
        assertEquals(0.1, warm.rate(0), "the warm-up rises to the schedule's rate now");
        warm.reset();
        assertEquals(0.4, warm.rate(5));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau(0, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 1).minDelta(-1));
        assertEquals(
                "minimum learning rate is 2.0, expected a value in [0, 1.0]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 1)
                                        .minimum(2))
                        .getMessage());
    }

    @Test
    void optimizersWithoutASchedulerIgnoreFigures() {
        Rprop rprop = Rprop.of();
        rprop.observe(1); // nothing to adapt
        LearningRateSchedule fixed = LearningRateSchedule.constant(0.1);
        fixed.observe(5);
        assertEquals(0.1, fixed.rate(0));
    }
}
