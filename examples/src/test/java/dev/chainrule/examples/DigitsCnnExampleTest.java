package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The convolutional digits example recognises held-out digits better than the dense one (0.978). */
class DigitsCnnExampleTest {
    private static final Path DIGITS = Path.of("data/digits.csv.gz");

    @Test
    void declaresTheImageShapesOfItsLayers() {
        assertEquals(64, DigitsCnnModel.PIXELS_CHANNELS * DigitsCnnModel.PIXELS_HEIGHT * DigitsCnnModel.PIXELS_WIDTH);
        assertEquals(32 * 8 * 8, DigitsCnnModel.FEATURES_SIZE); // same padding keeps 8x8
        assertEquals(32 * 4 * 4, DigitsCnnModel.POOLED_SIZE);
    }

    /** The split is DigitsExample's (DigitsExampleTest checks its sizes): 359 held-out digits. */
    @Test
    void reachesAtLeast98Point5PercentOnHeldOutDigits() throws Exception {
        DigitsCnnExample.Result result = DigitsCnnExample.run(DIGITS, 7L);
        assertEquals(359, result.testRows());
        assertTrue(result.testAccuracy() >= 0.985, "test accuracy " + result.testAccuracy());
    }
}
