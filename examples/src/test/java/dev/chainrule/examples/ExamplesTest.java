package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples, built through Maven's annotation processor path, learn what they claim. */
class ExamplesTest {

    @Test
    void xorLearnsAllFourCases() {
        XorModel model = XorExample.train(42L, 2000, 0.5f);
        assertEquals(4, XorExample.correct(model));
        assertTrue(model.lossBatch(XorExample.INPUTS, XorExample.TARGETS, 4) < 0.05f);
    }

    @Test
    void irisReachesHighHeldOutAccuracy() throws Exception {
        IrisExample.Result result = IrisExample.run(Path.of("data/iris.csv"), 7L);
        assertTrue(result.testAccuracy() >= 0.9, "test accuracy " + result.testAccuracy());
        assertTrue(result.trainAccuracy() >= 0.95, "train accuracy " + result.trainAccuracy());
    }
}
