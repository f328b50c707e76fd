package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.ScalarLinearAlgebra;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A step taken in ranges ({@link RangeOptimizer}) gives the same bits as {@code step}: the
 * parameters, every state array, the gradient norm and the step count, for every optimizer with
 * and without clipping and penalties, in float and double, whatever the split into ranges and
 * whichever threads measure and update.
 */
class RangeStepTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Every optimizer, plain, clipped, penalized, and all three. */
    static List<Supplier<GradientOptimizer<?>>> optimizers() {
        List<Supplier<GradientOptimizer<?>>> bases = List.of(
                () -> Sgd.of(0.05),
                () -> Sgd.of(0.05).momentum(0.9),
                () -> Sgd.of(0.05).momentum(0.9).nesterov(),
                () -> Adam.of(0.01),
                () -> AdamW.of(0.01),
                () -> Adam.of(LearningRateSchedule.cosine(0.01, 1e-4, 10)),
                () -> RmsProp.of(0.01),
                () -> Adagrad.of(0.1),
                () -> Rprop.of());
        List<Supplier<GradientOptimizer<?>>> all = new ArrayList<>();
        for (Supplier<GradientOptimizer<?>> base : bases) {
            all.add(base);
            all.add(() -> base.get().clipNorm(0.5));
            all.add(() -> base.get().l1(1e-3));
            all.add(() -> base.get().l2(1e-2));
            all.add(() -> base.get().clipNorm(0.5).l1(1e-3).l2(1e-2));
        }
        return all;
    }

    private static float[] floats(Random random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    private static double[] doubles(Random random, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian() * scale;
        }
        return a;
    }

    /** Whole blocks cut into {@code pieces} ranges as evenly as blocks allow. */
    private static int[] cuts(int n, int pieces) {
        int blocks = RangeOptimizer.blocks(n);
        int[] cuts = new int[pieces + 1];
        for (int p = 0; p <= pieces; p++) {
            cuts[p] = Math.min(n, (int) ((long) p * blocks / pieces) * RangeOptimizer.BLOCK);
        }
        return cuts;
    }

    /** One step in ranges: blocks measured and ranges updated on the pool's threads, last first. */
    private static void rangeStep(RangeOptimizer o, float[] w, float[] g, double loss, int pieces) throws Exception {
        double[] parts = new double[RangeOptimizer.blocks(w.length)];
        List<Future<?>> done = new ArrayList<>();
        for (int b = parts.length - 1; b >= 0; b--) {
            int block = b;
            done.add(POOL.submit(() -> parts[block] = o.measure(w, g, block)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        if (o.begin(w, g, parts, loss)) {
            int[] cuts = cuts(w.length, pieces);
            done.clear();
            for (int p = pieces - 1; p >= 0; p--) {
                int from = cuts[p];
                int to = cuts[p + 1];
                done.add(POOL.submit(() -> o.update(w, g, from, to)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            o.end();
        }
    }

    private static void rangeStep(RangeOptimizer o, double[] w, double[] g, double loss, int pieces) throws Exception {
        double[] parts = new double[RangeOptimizer.blocks(w.length)];
        List<Future<?>> done = new ArrayList<>();
        for (int b = parts.length - 1; b >= 0; b--) {
            int block = b;
            done.add(POOL.submit(() -> parts[block] = o.measure(w, g, block)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        if (o.begin(w, g, parts, loss)) {
            int[] cuts = cuts(w.length, pieces);
            done.clear();
            for (int p = pieces - 1; p >= 0; p--) {
                int from = cuts[p];
                int to = cuts[p + 1];
                done.add(POOL.submit(() -> o.update(w, g, from, to)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            o.end();
        }
    }

    private static void assertSameState(GradientOptimizer<?> expected, GradientOptimizer<?> actual, String what) {
        Object[] a = expected.stateArrays();
        Object[] b = actual.stateArrays();
        assertEquals(a.length, b.length, what);
        for (int k = 0; k < a.length; k++) {
            if (a[k] instanceof float[] f) {
                assertArrayEquals(f, (float[]) b[k], what + ", " + expected.stateName(k));
            } else {
                assertArrayEquals((double[]) a[k], (double[]) b[k], what + ", " + expected.stateName(k));
            }
        }
        assertEquals(
                Double.doubleToLongBits(expected.lastGradientNorm()),
                Double.doubleToLongBits(actual.lastGradientNorm()),
                what + ", gradient norm");
        assertEquals(expected.steps(), actual.steps(), what + ", steps");
        if (expected instanceof Rprop r) {
            assertEquals(r.backtracks(), ((Rprop) actual).backtracks(), what + ", backtracks");
        }
    }

    @Test
    void floatStepsInRangesAreTheBitsOfWholeSteps() throws Exception {
        for (int n : new int[] {1, 5, 1023, 1024, 1025, 3 * 1024 + 37}) {
            for (Supplier<GradientOptimizer<?>> make : optimizers()) {
                GradientOptimizer<?> whole = make.get();
                Random random = new Random(n);
                float[] w0 = floats(random, n, 1);
                float[] expected = w0.clone();
                float[][] grads = new float[4][];
                for (int s = 0; s < grads.length; s++) {
                    grads[s] = floats(random, n, s == 2 ? 3 : 0.1);
                }
                double[] losses = {1.0, 1.5, 0.7, 0.8}; // Rprop backtracks after the second
                for (int s = 0; s < grads.length; s++) {
                    whole.step(expected, grads[s], losses[s]);
                }
                for (int pieces : new int[] {1, 2, 3, 8}) {
                    GradientOptimizer<?> split = make.get();
                    float[] w = w0.clone();
                    for (int s = 0; s < grads.length; s++) {
                        rangeStep(split, w, grads[s], losses[s], pieces);
                    }
                    String what = split + ", " + n + " values in " + pieces + " ranges";
                    assertArrayEquals(expected, w, what);
                    assertSameState(whole, split, what);
                }
            }
        }
    }

    @Test
    void doubleStepsInRangesAreTheBitsOfWholeSteps() throws Exception {
        for (int n : new int[] {1, 7, 1024, 2 * 1024 + 3}) {
            for (Supplier<GradientOptimizer<?>> make : optimizers()) {
                GradientOptimizer<?> whole = make.get();
                Random random = new Random(n);
                double[] w0 = doubles(random, n, 1);
                double[] expected = w0.clone();
                double[][] grads = new double[4][];
                for (int s = 0; s < grads.length; s++) {
                    grads[s] = doubles(random, n, s == 2 ? 3 : 0.1);
                }
                double[] losses = {1.0, 1.5, 0.7, 0.8};
                for (int s = 0; s < grads.length; s++) {
                    whole.step(expected, grads[s], losses[s]);
                }
                for (int pieces : new int[] {1, 2, 3, 8}) {
                    GradientOptimizer<?> split = make.get();
                    double[] w = w0.clone();
                    for (int s = 0; s < grads.length; s++) {
                        rangeStep(split, w, grads[s], losses[s], pieces);
                    }
                    String what = split + ", " + n + " values in " + pieces + " ranges";
                    assertArrayEquals(expected, w, what);
                    assertSameState(whole, split, what);
                }
            }
        }
    }

    /**
     * The float norm without penalties is the kernel's: on the plain kernels its sum over the
     * whole array is exactly the blocks' sums added in block order, which is what a step adds,
     * and each block's sum is what the optimizer computes in place.
     */
    @Test
    void theBlocksOfThePlainKernelsSumToItsWholeSum() {
        ScalarLinearAlgebra plain = new ScalarLinearAlgebra();
        for (int n : new int[] {1, 3, 1024, 1025, 4096 + 1000, 535_818}) {
            Random random = new Random(n);
            float[] g = floats(random, n, 0.3);
            float[] p = floats(random, n, 1);
            double blocks = 0;
            for (int b = 0; b < RangeOptimizer.blocks(n); b++) {
                int from = b * RangeOptimizer.BLOCK;
                int len = Math.min(n, from + RangeOptimizer.BLOCK) - from;
                float[] gb = new float[len];
                float[] pb = new float[len];
                System.arraycopy(g, from, gb, 0, len);
                System.arraycopy(p, from, pb, 0, len);
                double block = plain.sumOfSquares(gb, pb, len);
                assertEquals(
                        Double.doubleToLongBits(block),
                        Double.doubleToLongBits(plain.sumOfSquares(g, p, from, len)),
                        "the plain kernel's block sum, computed in place");
                blocks += block;
            }
            assertEquals(Double.doubleToLongBits(plain.sumOfSquares(g, p, n)), Double.doubleToLongBits(blocks), n + "");
        }
    }

    @Test
    void aNonFiniteGradientIsRejectedByBeginWithNothingChanged() {
        Adam adam = Adam.of(0.01);
        float[] w = {1, 2, 3};
        float[] g = {0.1f, Float.NaN, 0.3f};
        double[] parts = {adam.measure(w, g, 0)};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.begin(w, g, parts, 1));
        assertEquals("gradients[1] is NaN, expected a finite number", e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3}, w);
        assertEquals(0, adam.steps());
        // and the optimizer is not left in a step
        adam.step(w, new float[] {0.1f, 0.2f, 0.3f});
        assertEquals(1, adam.steps());
    }

    @Test
    void theStagesAreCheckedAndAbandonForgetsTheState() {
        Adam adam = Adam.of(0.01);
        float[] w = new float[3000];
        float[] g = new float[3000];
        java.util.Arrays.fill(g, 0.5f);
        double[] parts = new double[3];
        assertThrows(IllegalStateException.class, () -> adam.update(w, g, 0, 1024));
        assertThrows(IllegalStateException.class, adam::end);
        for (int b = 0; b < 3; b++) {
            parts[b] = adam.measure(w, g, b);
        }
        assertThrows(IllegalArgumentException.class, () -> adam.begin(w, g, new double[2], 1));
        assertTrue(adam.begin(w, g, parts, 1));
        assertThrows(IllegalStateException.class, () -> adam.begin(w, g, parts, 1));
        assertThrows(IllegalStateException.class, () -> adam.step(w, g));
        assertThrows(IllegalArgumentException.class, () -> adam.update(w, g, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> adam.update(w, g, 512, 2048));
        assertThrows(IllegalArgumentException.class, () -> adam.update(w, g, 2048, 3001));
        adam.update(w, g, 0, 1024);
        adam.abandon();
        assertEquals(0, adam.steps(), "abandon resets");
        assertFalse(w[0] == 0, "the first range was updated");
        adam.abandon(); // nothing begun: nothing happens
        float[] fresh = new float[3000];
        adam.step(fresh, g);
        Adam other = Adam.of(0.01);
        float[] expected = new float[3000];
        other.step(expected, g);
        assertArrayEquals(expected, fresh, "after abandon the state starts over");
    }

    @Test
    void theRangeApiNeedsTheLossWhenTheOptimizerDoes() {
        Rprop rprop = Rprop.of();
        float[] w = {1};
        float[] g = {1};
        double[] parts = {rprop.measure(w, g, 0)};
        assertThrows(IllegalStateException.class, () -> rprop.begin(w, g, parts, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> rprop.begin(w, g, parts, Double.POSITIVE_INFINITY));
        assertTrue(rprop.begin(w, g, parts, 2));
        rprop.update(w, g, 0, 1);
        rprop.end();
        assertEquals(1, rprop.steps());
    }

    @Test
    void aGuardedStepIsTakenWholeByBegin() {
        // a rate of 1e38 cannot be proved finite: begin takes the guarded step itself
        Sgd sgd = Sgd.of(1e38).momentum(0.5);
        Sgd whole = Sgd.of(1e38).momentum(0.5);
        float[] w = {1, 2};
        float[] g = {1, 2};
        float[] expected = w.clone();
        whole.step(expected, g);
        double[] parts = {sgd.measure(w, g, 0)};
        assertFalse(sgd.begin(w, g, parts, 1));
        assertEquals(1, sgd.steps());
        assertEquals(1, sgd.guardedSteps());
        assertArrayEquals(expected, w);
        assertThrows(IllegalStateException.class, sgd::end, "nothing left to end");
    }
}
