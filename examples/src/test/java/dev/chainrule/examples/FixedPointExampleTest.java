package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point examples on a short run (8 epochs of the 40 the example trains): pattern
 * completion well below the mean-image fill, digits read through a fixed point, and no solve on
 * the held-out digits reaching its limit. The full run's figures are in the README.
 */
class FixedPointExampleTest {
    private static final Path DIGITS = Path.of("data/digits.csv.gz");

    @Test
    void masksHideHalfThePixelsAndKeepTheClean() throws Exception {
        Dataset images = DigitsTraining.split(DIGITS, 7L).test();
        Dataset masked = FixedPointExample.masked(images, 2, 3);
        assertEquals(2 * images.rows(), masked.rows());
        for (int r = 0; r < masked.rows(); r++) {
            int visible = 0;
            for (int i = 0; i < 64; i++) {
                float flag = masked.feature(r, 64 + i);
                visible += (int) flag;
                assertEquals(images.feature(r / 2, i), masked.target(r, i));
                assertEquals(flag == 1 ? images.feature(r / 2, i) : 0, masked.feature(r, i));
            }
            assertEquals(32, visible, "row " + r);
        }
    }

    @Test
    void restoresAndClassifiesThroughFixedPoints() throws Exception {
        FixedPointExample.Result result = FixedPointExample.run(DIGITS, 7L, 8);
        assertTrue(
                result.restorerMse() < 0.6 * result.meanFillMse(),
                "restored " + result.restorerMse() + " against the mean fill's " + result.meanFillMse());
        assertTrue(result.accuracy() > 0.93, "accuracy " + result.accuracy());
        assertEquals(
                0,
                result.restorerConvergence().forwardFailures(),
                result.restorerConvergence().toString());
        assertEquals(
                0,
                result.classifierConvergence().forwardFailures(),
                result.classifierConvergence().toString());
        assertEquals(result.testImages(), result.restorerConvergence().solves());
    }
}
