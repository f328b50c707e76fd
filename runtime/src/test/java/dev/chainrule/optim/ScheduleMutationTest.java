package dev.chainrule.optim;

import static dev.chainrule.optim.LearningRateScheduleTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The schedules' accepted ranges at their limits, and the values at the limits they accept. */
class ScheduleMutationTest {

    @Test
    void stepDecayAcceptsAFactorOfOneAndRejectsZero() {
        assertEquals(0.5, LearningRateSchedule.stepDecay(0.5, 1, 1).rate(100));
        assertMessage(() -> LearningRateSchedule.stepDecay(0.5, 0, 1), "factor is 0.0, expected a value in (0, 1]");
        assertMessage(
                () -> LearningRateSchedule.stepDecay(0, 0.5, 1),
                "initial learning rate is 0.0, expected a positive finite number");
        assertMessage(() -> LearningRateSchedule.stepDecay(0.5, 0.5, 0), "everySteps is 0, expected at least 1");
    }

    @Test
    void exponentialDecayChecksItsRateAndSteps() {
        assertEquals(0.5, LearningRateSchedule.exponentialDecay(0.5, 1, 1).rate(100));
        // 0.5 * 0.25^(2 / 4) = 0.25
        assertEquals(0.25, LearningRateSchedule.exponentialDecay(0.5, 0.25, 4).rate(2), 1e-16);
        assertMessage(() -> LearningRateSchedule.exponentialDecay(0.5, 1.5, 1), "decayRate is 1.5");
        assertMessage(() -> LearningRateSchedule.exponentialDecay(0.5, 0, 1), "decayRate is 0.0");
        assertMessage(() -> LearningRateSchedule.exponentialDecay(0.5, 0.5, 0), "decaySteps is 0, expected at least 1");
        assertMessage(
                () -> LearningRateSchedule.exponentialDecay(Double.POSITIVE_INFINITY, 0.5, 1),
                "initial learning rate is Infinity");
    }

    @Test
    void cosineAcceptsAMinimumEqualToTheInitialRate() {
        LearningRateSchedule flat = LearningRateSchedule.cosine(0.5, 0.5, 10);
        for (long t = 0; t <= 12; t++) {
            assertEquals(0.5, flat.rate(t));
        }
        // minimum 0: the rate at half the period is initial / 2, at the end 0
        LearningRateSchedule toZero = LearningRateSchedule.cosine(0.5, 0, 10);
        assertEquals(0.25, toZero.rate(5));
        assertEquals(0, toZero.rate(10));
        assertMessage(() -> LearningRateSchedule.cosine(0, 0, 10), "initial learning rate is 0.0");
        assertMessage(() -> LearningRateSchedule.cosine(0.5, Math.nextUp(0.5), 10), "minimum learning rate is");
        assertMessage(() -> LearningRateSchedule.cosine(0.5, 0, 0), "periodSteps is 0, expected at least 1");
    }

    @Test
    void reduceOnPlateauChecksItsLimits() {
        assertMessage(() -> LearningRateSchedule.reduceOnPlateau(1, 1, 2), "factor is 1.0, expected a value in (0, 1)");
        assertMessage(() -> LearningRateSchedule.reduceOnPlateau(1, 0, 2), "factor is 0.0");
        assertMessage(
                () -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 2).minDelta(Double.POSITIVE_INFINITY),
                "minDelta is Infinity");
        assertMessage(() -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 0), "patience is 0");
        // a minimum equal to the initial rate is accepted, and nothing lowers the rate then
        LearningRateSchedule.ReduceOnPlateau flat =
                LearningRateSchedule.reduceOnPlateau(1, 0.5, 1).minimum(1);
        flat.observe(1);
        flat.observe(2);
        flat.observe(3);
        assertEquals(1, flat.currentRate());
        assertEquals(0, flat.reductions());
        assertMessage(
                () -> LearningRateSchedule.reduceOnPlateau(1, 0.5, 1).minimum(Math.nextUp(1.0)),
                "minimum learning rate is");
        assertEquals(
                "ReduceOnPlateau[initial=1.0, factor=0.5, patience=3, minDelta=0.25, minimum=0.125, rate=1.0]",
                LearningRateSchedule.reduceOnPlateau(1, 0.5, 3)
                        .minDelta(0.25)
                        .minimum(0.125)
                        .toString());
    }

    @Test
    void theScheduleOfAWarmupIsCheckedToo() {
        assertMessage(() -> LearningRateSchedule.constant(0.5).withWarmup(0), "warmupSteps is 0");
        // step t < 4 has rate 0.5 (t + 1) / 4; step 4 the schedule's own step 0
        LearningRateSchedule warm = LearningRateSchedule.constant(0.5).withWarmup(4);
        assertEquals(0.125, warm.rate(0));
        assertEquals(0.5, warm.rate(3));
        assertEquals(0.5, warm.rate(4));
    }
}
