package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void constant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.3);
        assertEquals(0.3, s.rate(0));
        assertEquals(0.3, s.rate(1_000_000));
    }

    @Test
    void stepDecayDropsEveryPeriod() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(0.1, 0.5, 10);
        for (long t : new long[] {0, 9, 10, 19, 20, 35, 100}) {
            assertEquals(0.1 * Math.pow(0.5, Math.floor(t / 10.0)), s.rate(t), 1e-15, "step " + t);
        }
        assertEquals(0.1, s.rate(9));
        assertEquals(0.05, s.rate(10));
    }

    @Test
    void exponentialDecayIsContinuous() {
        LearningRateSchedule s = LearningRateSchedule.exponentialDecay(0.2, 0.1, 100);
        for (long t : new long[] {0, 1, 50, 100, 250}) {
            assertEquals(0.2 * Math.pow(0.1, t / 100.0), s.rate(t), 1e-15, "step " + t);
        }
        assertEquals(0.02, s.rate(100), 1e-15);
    }

    @Test
    void cosineAnnealsToItsMinimumAndStays() {
        double max = 0.1;
        double min = 0.001;
        LearningRateSchedule s = LearningRateSchedule.cosine(max, min, 100);
        for (long t : new long[] {0, 1, 25, 50, 99, 100}) {
            assertEquals(min + (max - min) * (1 + Math.cos(Math.PI * t / 100)) / 2, s.rate(t), 1e-15, "step " + t);
        }
        assertEquals(max, s.rate(0), 1e-15);
        assertEquals((max + min) / 2, s.rate(50), 1e-15);
        assertEquals(min, s.rate(100), 1e-15);
        assertEquals(min, s.rate(1000), 1e-15);
    }

    @Test
    void warmupRisesLinearlyThenHandsOverWithItsClockReset() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0, 100);
        LearningRateSchedule s = cosine.withWarmup(4);
        assertEquals(0.1 * 1 / 4, s.rate(0), 1e-15);
        assertEquals(0.1 * 2 / 4, s.rate(1), 1e-15);
        assertEquals(0.1 * 4 / 4, s.rate(3), 1e-15);
        assertEquals(cosine.rate(0), s.rate(4), 1e-15);
        assertEquals(cosine.rate(50), s.rate(54), 1e-15);
        assertEquals(0.05, s.rate(54), 1e-15);
    }

    @Test
    void warmupComposesWithAnySchedule() {
        LearningRateSchedule custom = step -> 1.0 / (1 + step);
        LearningRateSchedule s = custom.withWarmup(2).withWarmup(3);
        // outer warm-up over the inner one's rate(0) = custom.rate(0) / 2
        assertEquals(0.5 * 1 / 3, s.rate(0), 1e-15);
        assertEquals(0.5, s.rate(3), 1e-15);
        assertEquals(1.0, s.rate(4), 1e-15);
        assertEquals(1.0 / 3, s.rate(7), 1e-15);
    }

    @Test
    void aScheduleJoinedPartWayContinuesFromThatStep() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0.001, 100);
        LearningRateSchedule s = cosine.startingAt(30);
        for (long t : new long[] {0, 1, 20, 69, 70, 500}) {
            assertEquals(cosine.rate(t + 30), s.rate(t), 0.0, "step " + t);
        }
        assertSame(cosine, cosine.startingAt(0));
        assertEquals(cosine.rate(50), cosine.startingAt(20).startingAt(30).rate(0), 0.0);
        assertMessage(() -> cosine.startingAt(-1), "steps is -1, expected at least 0");

        LearningRateSchedule.ReduceOnPlateau plateau = LearningRateSchedule.reduceOnPlateau(1.0, 0.5, 1);
        LearningRateSchedule joined = plateau.startingAt(10);
        joined.observe(1.0);
        joined.observe(2.0);
        assertEquals(0.5, joined.rate(0), 0.0, "observations reach the schedule joined");
        joined.reset();
        assertEquals(1.0, plateau.rate(0), 0.0, "a reset reaches it too");
    }

    @Test
    void optimizersUseTheScheduleAtEachStep() {
        Sgd sgd = Sgd.of(LearningRateSchedule.constant(1.0).withWarmup(4));
        double[] w = {0};
        double[] g = {1};
        double expected = 0;
        for (int t = 0; t < 6; t++) {
            sgd.step(w, g);
            expected -= Math.min(1.0, (t + 1) / 4.0);
            assertEquals(expected, w[0], 1e-15, "after step " + (t + 1));
        }
    }

    @Test
    void invalidSchedulesAreRejectedWithTheirName() {
        assertMessage(() -> LearningRateSchedule.constant(0), "learning rate is 0.0");
        assertMessage(() -> LearningRateSchedule.constant(Double.NaN), "learning rate is NaN");
        assertMessage(() -> LearningRateSchedule.stepDecay(0.1, 1.5, 10), "factor is 1.5");
        assertMessage(() -> LearningRateSchedule.stepDecay(0.1, 0.5, 0), "everySteps is 0");
        assertMessage(() -> LearningRateSchedule.exponentialDecay(-1, 0.5, 10), "initial learning rate is -1.0");
        assertMessage(() -> LearningRateSchedule.cosine(0.1, 0.2, 10), "minimum learning rate is 0.2");
        assertMessage(() -> LearningRateSchedule.constant(1).withWarmup(0), "warmupSteps is 0");
    }

    @Test
    void aScheduleGivingANegativeRateStopsTheStep() {
        Sgd sgd = Sgd.of(step -> 0.1 - 0.1 * step);
        double[] w = {1};
        sgd.step(w, new double[] {1});
        sgd.step(w, new double[] {1});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.step(w, new double[] {1}));
        assertTrue(e.getMessage().contains("at step 2"), e.getMessage());
        assertEquals(0.9, w[0], 1e-15);
    }

    static void assertMessage(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(
                e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }
}
