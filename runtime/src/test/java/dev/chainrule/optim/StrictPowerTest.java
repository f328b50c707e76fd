package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictPower} against {@code StrictMath.pow}, bit for bit: Adam's steps and the decaying
 * schedules' rates must stay the same bits as when they called {@code StrictMath.pow} themselves.
 */
class StrictPowerTest {

    private static void check(double x, double y) {
        double expected = StrictMath.pow(x, y);
        assertEquals(
                Double.doubleToRawLongBits(expected),
                Double.doubleToRawLongBits(StrictPower.of(x, y)),
                () -> x + "^" + y + " (" + Double.toHexString(x) + "^" + Double.toHexString(y) + ")");
    }

    @Test
    void theUsualBetasForTheirFirstStepsAreStrictMathsPowers() {
        for (double beta : new double[] {0.9, 0.99, 0.999, 0.9999, 0.95, 0.5, 0.75, 0.8, 0.98, 0.1}) {
            for (int t = 1; t <= 100_000; t++) {
                check(beta, t);
            }
        }
    }

    @Test
    void randomBasesAndWholeExponentsAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(20261201L);
        for (int k = 0; k < 1_000_000; k++) {
            double x = random.nextDouble();
            // exponents across every scale up to 2^31, and bases near 1 as often as elsewhere
            double y = Math.floor(Math.scalb(1 + random.nextDouble(), random.nextInt(31)));
            check(k % 2 == 0 ? x : 1 - Math.scalb(x, -random.nextInt(53)), Math.min(y, 0x1p31));
        }
    }

    /** Exponential decay's {@code step / decaySteps}: fractions, from tiny to large. */
    @Test
    void randomBasesAndFractionalExponentsAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(5L);
        for (int k = 0; k < 1_000_000; k++) {
            double x = random.nextDouble();
            double y = Math.scalb(random.nextDouble(), random.nextInt(-60, 32));
            check(k % 2 == 0 ? x : 1 - Math.scalb(x, -random.nextInt(53)), Math.min(y, 0x1p31));
        }
    }

    /**
     * Powers near the bottom of the doubles: normal, subnormal, the last subnormal's rounding and
     * underflow to 0, where fdlibm scales and checks bounds of its own.
     */
    @Test
    void powersAroundTheSubnormalsAndUnderflowAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(11L);
        for (int k = 0; k < 300_000; k++) {
            double x = k % 3 == 0 ? random.nextDouble() : 1 - Math.scalb(random.nextDouble(), -random.nextInt(40));
            double target = random.nextDouble(-1080, -1015);
            double y = target / (StrictMath.log(x) / StrictMath.log(2));
            if (y > 0 && y <= 0x1p31) {
                check(x, y);
                check(x, Math.rint(y));
                check(x, Math.nextUp(y));
            }
        }
        // near 2^-1075 from powers of two: y log2(x) rounds to exactly -1075 while its rest is above
        for (int m = 1; m <= 8; m++) {
            double y = 1075.0 / m;
            for (int k = -64; k <= 64; k++) {
                double x = Math.scalb(1.0, -m) + Math.scalb((double) k, -53 - m);
                check(x, y);
                check(x, Math.nextUp(y));
                check(x, Math.nextDown(y));
            }
        }
        for (int e = 1015; e <= 1080; e++) {
            check(0.5, e);
            check(0.5, e + 0.5);
            check(0.5, Math.nextDown((double) e));
            check(0.5, Math.nextUp((double) e));
        }
    }

    /** Each side of the mantissa bounds that choose fdlibm's table entry, and subnormal bases. */
    @Test
    void theTableBoundsAndSubnormalBasesAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(7L);
        for (int high : new int[] {0x3988D, 0x3988E, 0x3988F, 0xBB679, 0xBB67A, 0xBB67B, 0, 0xFFFFF}) {
            for (int exponent = 1; exponent <= 0x3fe; exponent++) {
                long bits = ((long) exponent << 52) | ((long) high << 32) | (random.nextLong() & 0xffffffffL);
                double x = Double.longBitsToDouble(bits);
                for (double y : new double[] {1, 2, 3, 4, 7, 100, 12345, 0x1p31, 0.25, 0.75, 1.5, 1e-9}) {
                    check(x, y);
                }
            }
        }
        for (int k = 0; k < 10_000; k++) {
            double x = Double.longBitsToDouble(random.nextLong(1, 1L << 52));
            check(x, 1 + random.nextInt(3));
            check(x, 3 + random.nextInt(100));
            check(x, random.nextDouble());
        }
        check(Double.MIN_VALUE, 1);
        check(Double.MIN_VALUE, 0.5);
        check(Math.nextDown(1.0), 0x1p31);
        check(Math.nextDown(1.0), 3);
        check(Math.nextDown(1.0), Double.MIN_VALUE);
    }

    /** fdlibm's special cases inside the domain, and everything outside it. */
    @Test
    void specialCasesAndOutsideTheDomainAreStrictMathsPowers() {
        double[] exponents = {
            0,
            -0.0,
            Double.MIN_VALUE,
            0.5,
            1,
            2,
            3,
            0x1p31,
            Math.nextUp(0x1p31),
            0x1p40,
            1e300,
            Double.POSITIVE_INFINITY,
            -1,
            -0.5,
            -2,
            -3.5,
            Double.NEGATIVE_INFINITY,
            Double.NaN
        };
        double[] bases = {
            0,
            -0.0,
            Double.MIN_VALUE,
            0.5,
            0.9,
            Math.nextDown(1.0),
            1,
            Math.nextUp(1.0),
            2,
            1e300,
            Double.POSITIVE_INFINITY,
            -0.5,
            -1,
            -2,
            Double.NEGATIVE_INFINITY,
            Double.NaN
        };
        for (double y : exponents) {
            for (double x : bases) {
                check(x, y);
            }
        }
    }

    /** The schedules that take powers give {@code initial * StrictMath.pow(...)}. */
    @Test
    void decayingSchedulesAreStrictMathsPowers() {
        SplittableRandom random = new SplittableRandom(3L);
        for (int k = 0; k < 200; k++) {
            double initial = random.nextDouble(1e-5, 1);
            double factor = random.nextDouble(0.01, 1);
            long every = 1 + random.nextInt(1000);
            LearningRateSchedule stepDecay = LearningRateSchedule.stepDecay(initial, factor, every);
            LearningRateSchedule exponential = LearningRateSchedule.exponentialDecay(initial, factor, every);
            for (int s = 0; s < 1000; s++) {
                long step = s < 500 ? s : random.nextLong(1L << 40);
                assertEquals(
                        initial * StrictMath.pow(factor, (double) Math.floorDiv(step, every)),
                        stepDecay.rate(step),
                        0.0,
                        () -> "step decay at " + step);
                assertEquals(
                        initial * StrictMath.pow(factor, (double) step / every),
                        exponential.rate(step),
                        0.0,
                        () -> "exponential decay at " + step);
            }
        }
    }
}
