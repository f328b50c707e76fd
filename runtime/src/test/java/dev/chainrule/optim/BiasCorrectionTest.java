package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BiasCorrection} against {@code StrictMath.pow}, bit for bit: Adam's steps must stay the
 * same bits as when it called {@code StrictMath.pow} itself.
 */
class BiasCorrectionTest {

    /** The power of {@code beta} and the correction, as StrictMath gives them. */
    private static void check(double beta, double t) {
        double expected = StrictMath.pow(beta, t);
        double power = BiasCorrection.power(beta, t);
        if (power == 0) {
            assertTrue(expected <= 0x1p-1022, () -> beta + "^" + t + ": 0 for " + expected);
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(power), () -> beta + "^" + t);
        }
        double correction = 1 / (1 - expected);
        assertEquals(
                Double.doubleToRawLongBits(correction),
                Double.doubleToRawLongBits(BiasCorrection.of(beta, t)),
                () -> "1 / (1 - " + beta + "^" + t + ")");
    }

    @Test
    void theUsualBetasForTheirFirstStepsAreStrictMathsPowers() {
        for (double beta : new double[] {0.9, 0.99, 0.999, 0.9999, 0.95, 0.5, 0.75, 0.8, 0.98}) {
            for (int t = 1; t <= 100_000; t++) {
                check(beta, t);
            }
        }
    }

    @Test
    void randomBetasAndStepsAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(20261201L);
        for (int k = 0; k < 1_000_000; k++) {
            double beta = random.nextDouble();
            if (beta == 0) {
                continue;
            }
            // steps across every scale up to 2^31, and betas near 1 as often as elsewhere
            double t = Math.floor(Math.scalb(1 + random.nextDouble(), random.nextInt(31)));
            check(k % 2 == 0 ? beta : 1 - Math.scalb(beta, -random.nextInt(53)), Math.min(t, 0x1p31));
        }
    }

    /** Each side of the mantissa bounds that choose fdlibm's table entry, and subnormal betas. */
    @Test
    void theTableBoundsAndSubnormalBetasAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(7L);
        for (int high : new int[] {0x3988D, 0x3988E, 0x3988F, 0xBB679, 0xBB67A, 0xBB67B, 0, 0xFFFFF}) {
            for (int exponent = 1; exponent <= 0x3fe; exponent++) {
                long bits = ((long) exponent << 52) | ((long) high << 32) | (random.nextLong() & 0xffffffffL);
                double beta = Double.longBitsToDouble(bits);
                for (double t : new double[] {1, 2, 3, 4, 7, 100, 12345, 0x1p31}) {
                    check(beta, t);
                }
            }
        }
        for (int k = 0; k < 10_000; k++) {
            double beta = Double.longBitsToDouble(random.nextLong(1, 1L << 52));
            check(beta, 1 + random.nextInt(3));
            check(beta, 3 + random.nextInt(100));
        }
        check(Double.MIN_VALUE, 1);
        check(Math.nextDown(1.0), 0x1p31);
        check(Math.nextDown(1.0), 3);
    }

    @Test
    void outsideTheDomainTheCorrectionIsStrictMathsToo() {
        for (double t : new double[] {1, 2, 3, 0x1p31 + 1, 0x1p40, 1e300, Double.POSITIVE_INFINITY}) {
            for (double beta : new double[] {0, 0.5, 0.9, Math.nextDown(1.0)}) {
                double expected = 1 / (1 - StrictMath.pow(beta, t));
                assertEquals(
                        Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(BiasCorrection.of(beta, t)));
            }
        }
    }
}
