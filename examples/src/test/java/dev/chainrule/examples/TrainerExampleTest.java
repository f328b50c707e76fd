package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@link TrainerExample} learns iris, stops early on its validation loss and scores the held-out flowers. */
class TrainerExampleTest {

    @Test
    void stopsEarlyAndScoresTheTestSet() throws Exception {
        TrainerExample.Result result = TrainerExample.run(Path.of("data/iris.csv"), 7L, false);
        assertTrue(
                result.test().accuracy() >= 0.9,
                "test accuracy " + result.test().accuracy());
        assertEquals(30, result.test().rows());
        assertTrue(result.history().epochCount() < 300, result.history().epochCount() + " epochs");
        assertTrue(result.history().restoredBest());
    }
}
