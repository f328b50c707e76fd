package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The bounds that decide whether a step is proved finite, each at the values where it alone
 * decides (a step it fails overflows, and must be refused with the parameters as they were), and
 * the guarded path's backups, which are allocated once and kept.
 */
class RangeOptimizerMutationTest {

    /**
     * A float gradient of 2e19 squares past the largest float while Adagrad's change, {@code rate
     * g / epsilon}, stays far inside the reach: only the bound on the sum of squares tells that
     * this step overflows.
     */
    @Test
    void adagradRefusesAStepWhoseFloatSquareOverflows() {
        Adagrad adagrad = Adagrad.of(1);
        float[] w = {0.5f, 1};
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> adagrad.step(w, new float[] {2e19f, 0}));
        assertTrue(e.getMessage().contains("sum of squared gradients for parameters[0]"), e.getMessage());
        assertArrayEquals(new float[] {0.5f, 1}, w);
        assertEquals(0, adagrad.steps());
    }

    /**
     * RMSProp's float mean square is {@code rho s + (1 - rho) (g g)}: the square is taken first, and a
     * gradient of 1.9e19 overflows it although {@code (1 - rho) g^2} alone would be finite.
     */
    @Test
    void rmsPropRefusesAStepWhoseFloatSquareOverflows() {
        for (double rho : new double[] {0.9, 0.99, 0.5}) {
            RmsProp rmsProp = RmsProp.of(1).rho(rho);
            float[] w = {0.5f, 1};
            ArithmeticException e = assertThrows(
                    ArithmeticException.class, () -> rmsProp.step(w, new float[] {1.9e19f, 0}), "rho=" + rho);
            assertTrue(e.getMessage().contains("mean square"), e.getMessage());
            assertArrayEquals(new float[] {0.5f, 1}, w, "rho=" + rho);
        }
    }

    /**
     * Rprop moves a weight by its step size: 2^103 carries the largest float to infinity (half its
     * spacing there, rounded to even), and such a step is refused; a step size of exactly 2^102,
     * half the reach, is guarded although it stays finite, and one just below is not.
     */
    @Test
    void rpropGuardsStepSizesFromHalfTheReach() {
        Rprop far = Rprop.of().initialStep(0x1p103).maxStep(0x1p103);
        float[] w = {Float.MAX_VALUE, 1};
        assertThrows(ArithmeticException.class, () -> far.step(w, new float[] {-1, 0}, 1.0));
        assertArrayEquals(new float[] {Float.MAX_VALUE, 1}, w);

        Rprop tie = Rprop.of().initialStep(0x1p102).maxStep(0x1p102);
        float[] v = {1, 2};
        tie.step(v, new float[] {-1, 1}, 1.0);
        assertEquals(1, tie.guardedSteps());
        assertArrayEquals(new float[] {0x1p102f, -0x1p102f}, v);

        Rprop below = Rprop.of().initialStep(Math.nextDown(0x1p102)).maxStep(Math.nextDown(0x1p102));
        below.step(new float[] {1, 2}, new float[] {-1, 1}, 1.0);
        assertEquals(0, below.guardedSteps());
        Rprop belowMax = Rprop.of().initialStep(1).maxStep(Math.nextDown(0x1p102));
        belowMax.step(new float[] {1, 2}, new float[] {-1, 1}, 1.0);
        assertEquals(0, belowMax.guardedSteps());
        Rprop atMax = Rprop.of().initialStep(1).maxStep(0x1p102);
        atMax.step(new float[] {1, 2}, new float[] {-1, 1}, 1.0);
        assertEquals(1, atMax.guardedSteps());
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Guarded steps that end finite allocate their backups once: a hundred more steps of 4096
     * parameters allocate far less than one backup of them (Rprop keeps three state arrays), where
     * backups allocated anew on every step would take megabytes. Rprop with a penalty runs no
     * Vector API kernel, whose vectors are heap objects until the JIT has compiled it.
     */
    @Test
    void guardedStepsReuseTheirBackups() {
        int n = 4096;
        for (boolean doubles : new boolean[] {false, true}) {
            // a step size of 2^990 is never proved finite; zero parameters and gradients stay where they are
            GradientOptimizer<?> rprop =
                    Rprop.of().initialStep(0x1p990).maxStep(0x1p990).l2(1e-4);
            float[] wf = new float[n];
            float[] gf = new float[n];
            double[] wd = new double[n];
            double[] gd = new double[n];
            Runnable step = doubles ? () -> rprop.step(wd, gd, 1.0) : () -> rprop.step(wf, gf, 1.0);
            for (int s = 0; s < 20; s++) {
                step.run();
            }
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int s = 0; s < 100; s++) {
                step.run();
            }
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - before;
            String what = doubles ? "double" : "float";
            assertEquals(120, rprop.guardedSteps(), what);
            assertEquals(120, rprop.steps(), what);
            assertTrue(bytes < 8 * 1024, what + " guarded steps allocated " + bytes + " bytes");
        }
    }

    /**
     * The plain kernel's block sum, read in place at an offset, flags a parameter that is not
     * finite and adds nothing for a zero one, as it does on a copy at index 0.
     */
    @Test
    void thePlainBlockSumFlagsNonFiniteParametersAndIgnoresZeroOnes() {
        dev.chainrule.kernel.LinearAlgebra plain = new dev.chainrule.kernel.ScalarLinearAlgebra();
        float[] g = {1, 2, 3, 4, 5, 6, 7};
        float[] zeros = new float[g.length];
        float[] shiftedG = {99, 99, 1, 2, 3, 4, 5, 6, 7, 99};
        float[] shiftedZeros = new float[shiftedG.length];
        assertEquals(140.0, plain.sumOfSquares(shiftedG, shiftedZeros, 2, g.length));
        assertEquals(plain.sumOfSquares(g, zeros, g.length), plain.sumOfSquares(shiftedG, shiftedZeros, 2, g.length));
        for (int at = 0; at < g.length; at++) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] p = shiftedZeros.clone();
                p[2 + at] = bad;
                assertTrue(Double.isNaN(plain.sumOfSquares(shiftedG, p, 2, g.length)), "p[" + at + "] = " + bad);
            }
        }
    }
}
