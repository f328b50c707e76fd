package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cosine schedule's own {@code cos(pi p)}: close to {@code StrictMath}'s, exact where it must be. */
class CosPiTest {
    @Test
    void matchesStrictMathWithinFourTenthsOfAQuadrillionth() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i <= 200_000; i++) {
            double p = i % 2 == 0 ? i / 200_000.0 : random.nextDouble();
            assertEquals(StrictMath.cos(Math.PI * p), LearningRateSchedule.Cosine.cosPi(p), 4e-16, "cos(pi " + p + ")");
        }
    }

    @Test
    void isExactAtTheEndsAndTheMiddle() {
        assertEquals(1.0, LearningRateSchedule.Cosine.cosPi(0));
        assertEquals(0.0, LearningRateSchedule.Cosine.cosPi(0.5));
        assertEquals(-1.0, LearningRateSchedule.Cosine.cosPi(1));
        LearningRateSchedule s = LearningRateSchedule.cosine(0.1, 0.001, 10);
        assertEquals(0.1, s.rate(0));
        assertEquals(0.001, s.rate(10));
        assertEquals(0.001, s.rate(11));
    }

    @Test
    void isSymmetricAboutTheMiddle() {
        for (int i = 0; i <= 1000; i++) {
            double p = i / 2000.0;
            assertEquals(
                    -LearningRateSchedule.Cosine.cosPi(p), LearningRateSchedule.Cosine.cosPi(1 - p), 4e-16, "p " + p);
        }
    }
}
