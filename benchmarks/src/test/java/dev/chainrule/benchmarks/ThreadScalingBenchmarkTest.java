package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.FloatModel;
import dev.chainrule.train.TrainerRounds;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ThreadScalingBenchmarkTest {

    /** The parameters after the session's first step and two more. */
    private static float[] afterThreeSteps(int threads, int batch) {
        FloatModel model = new FashionMnistDenseModel(ThreadScalingBenchmark.SEED);
        try (TrainerRounds rounds = TrainerRounds.of(
                model,
                ThreadScalingBenchmark.data(),
                batch,
                32,
                threads,
                ThreadScalingBenchmark.optimizer("adam"),
                7)) {
            assertEquals(Math.min(threads, batch / 32), rounds.teamSize());
            assertEquals(batch / 32, rounds.shards());
            assertEquals(535_818, rounds.parameters());
            assertTrue(Double.isFinite(rounds.step()));
            assertTrue(Double.isFinite(rounds.step()));
        }
        return model.parameters().clone();
    }

    @Test
    void theBenchmarksStepsAreTheSameBitsOnOneThreadAndTwoAndMoveTheParameters() {
        float[] one = afterThreeSteps(1, 64);
        float[] two = afterThreeSteps(2, 64);
        assertArrayEquals(one, two);
        float[] initial = new FashionMnistDenseModel(ThreadScalingBenchmark.SEED).parameters();
        assertFalse(Arrays.equals(initial, one));
    }

    @Test
    void aBatchOf64KeepsNoMoreThanTwoThreads() {
        afterThreeSteps(4, 64); // asserts the team of min(4, 2)
    }

    @Test
    void theTriadSplitsItsArraysOverTheTeam() {
        ThreadScalingBenchmark.Triad state = new ThreadScalingBenchmark.Triad();
        state.threads = 2;
        state.size = "step";
        state.setUp();
        try {
            float[] a = new ThreadScalingBenchmark().triad(state);
            assertEquals(OptimizerStepBenchmark.PARAMETERS, a.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(state.b[i] + 0.5f * state.c[i], a[i], 0, "value " + i);
            }
        } finally {
            state.tearDown();
        }
    }

    @Test
    void anUnknownOptimizerOrSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ThreadScalingBenchmark.optimizer("lbfgs"));
        assertThrows(IllegalArgumentException.class, () -> ThreadScalingBenchmark.Triad.values("huge"));
    }
}
