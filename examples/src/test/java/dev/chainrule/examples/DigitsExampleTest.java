package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The digits example reads the bundled file and recognises held-out digits. */
class DigitsExampleTest {
    private static final Path DIGITS = Path.of("data/digits.csv.gz");

    @Test
    void loadsAll1797DigitsWith64PixelCounts() throws Exception {
        Dataset digits = DigitsExample.load(DIGITS);
        assertEquals(1797, digits.rows());
        assertEquals(64, digits.featureCount());
        assertEquals(10, digits.classCount());
        for (int r = 0; r < digits.rows(); r++) {
            for (int c = 0; c < 64; c++) {
                float count = digits.feature(r, c);
                assertTrue(
                        count >= 0 && count <= 16 && count == Math.rint(count),
                        "row " + r + " pixel " + c + ": " + count);
            }
        }
    }

    @Test
    void reachesAtLeast97PercentOnHeldOutDigits() throws Exception {
        DigitsExample.Result result = DigitsExample.run(DIGITS, 7L);
        assertEquals(1797, result.trainRows() + result.testRows());
        assertTrue(Math.abs(result.testRows() - 1797 * 0.2) <= 10, "held out " + result.testRows());
        assertTrue(result.testAccuracy() >= 0.97, "test accuracy " + result.testAccuracy());
    }
}
