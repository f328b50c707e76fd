package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerStepBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "rmsprop", "adam"})
    void eachStepMovesEveryParameterAgainstItsGradient(String name) {
        OptimizerStepBenchmark benchmark = new OptimizerStepBenchmark();
        benchmark.optimizer = name;
        benchmark.setUp();
        float[] before = benchmark.step().clone();
        // step() returned the parameters after one step; take one more and compare
        float[] after = benchmark.step();
        assertEquals(OptimizerStepBenchmark.PARAMETERS, after.length);
        int moved = 0;
        for (int i = 0; i < after.length; i++) {
            assertTrue(Float.isFinite(after[i]), name + " parameter " + i);
            if (after[i] != before[i]) {
                moved++;
            }
        }
        assertTrue(moved > after.length * 0.99, name + " moved " + moved + " of " + after.length);
    }

    @Test
    void anUnknownNameIsRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OptimizerStepBenchmark.optimizer("lbfgs"));
        assertTrue(e.getMessage().contains("unknown optimizer lbfgs"), e.getMessage());
    }
}
