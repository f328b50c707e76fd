package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** After the first step, steps allocate nothing, with every option switched on. */
class AllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Other code in a user's JVM takes powers too: {@code StrictMath.pow} compiled after seeing
     * bases of every mantissa range allocates its fdlibm tables on each call (with one range only,
     * the JIT folds them away), so the JVM sees them all before any optimizer is measured.
     */
    private static double otherPowers() {
        double sum = 0;
        for (int k = 0; k < 50_000; k++) {
            sum += StrictMath.pow(0.5 + (k % 1000) / 1000.0, 1 + k % 7);
        }
        return sum;
    }

    static Stream<Arguments> optimizers() {
        if (!(otherPowers() > 0)) {
            throw new AssertionError("powers of positive bases are positive");
        }
        LearningRateSchedule schedule =
                LearningRateSchedule.cosine(0.01, 0.001, 1000).withWarmup(10);
        return Stream.of(
                Arguments.of("sgd", (Supplier<Optimizer>)
                        () -> Sgd.of(schedule).clipNorm(1).l1(1e-4).l2(1e-4)),
                Arguments.of("momentum", (Supplier<Optimizer>)
                        () -> Sgd.of(0.01).momentum(0.9).clipNorm(1)),
                Arguments.of("nesterov", (Supplier<Optimizer>)
                        () -> Sgd.of(0.01).momentum(0.9).nesterov().l2(1e-3)),
                Arguments.of("adagrad", (Supplier<Optimizer>)
                        () -> Adagrad.of(schedule).clipNorm(1).l2(1e-4)),
                Arguments.of("rmsprop", (Supplier<Optimizer>)
                        () -> RmsProp.of(schedule).clipNorm(1).l1(1e-4)),
                Arguments.of("adam", (Supplier<Optimizer>)
                        () -> Adam.of(schedule).clipNorm(1).l2(1e-4)),
                Arguments.of(
                        "adamw", (Supplier<Optimizer>) () -> AdamW.of(schedule).clipNorm(1)),
                Arguments.of("rprop", (Supplier<Optimizer>) () -> Rprop.of().l2(1e-4)),
                Arguments.of("sgd, step decay", (Supplier<Optimizer>) () ->
                        Sgd.of(LearningRateSchedule.stepDecay(0.01, 0.5, 300)).momentum(0.9)),
                Arguments.of("adam, exponential decay", (Supplier<Optimizer>)
                        () -> Adam.of(LearningRateSchedule.exponentialDecay(0.01, 0.9, 700))));
    }

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Warms up with 20,000 steps, then runs rounds of 2,000 steps until one allocates nothing or
     * ten seconds have passed, then counts every one of six more rounds: returns their bytes
     * together, or 0 if at most two of them allocated anything and under 2 KiB together (the
     * JVM's own sporadic work on the thread), or the settling rounds' fewest bytes if none was
     * clean. An allocation per step would show in every round (2,000 times at least 16 bytes),
     * one every few thousand steps in three rounds or more. A round can also see allocations
     * that are not the step's: the JVM's one-off work while the JIT settles, and a kernel still
     * running in the JIT's first tier, which keeps Vector API vectors as heap objects (on a
     * loaded two-core machine the optimizing compiler's queue has held the norm kernel back for
     * most of a second after a fixed warm-up ended). Measuring until a round is clean, within a
     * bound, waits for the compiler.
     */
    private static long countedAllocatedBytes(Runnable step, Runnable otherStep) {
        for (int s = 0; s < 10_000; s++) {
            step.run();
            otherStep.run();
        }
        long start = System.nanoTime();
        long least = Long.MAX_VALUE;
        do {
            least = Math.min(least, round(step, otherStep));
        } while (least > 0 && System.nanoTime() - start < PATIENCE_NANOS);
        if (least > 0) {
            return least;
        }
        long total = 0;
        int dirty = 0;
        for (int r = 0; r < 6; r++) {
            long bytes = round(step, otherStep);
            total += bytes;
            dirty += bytes != 0 ? 1 : 0;
        }
        return dirty <= 2 && total < 2048 ? 0 : total;
    }

    private static long round(Runnable step, Runnable otherStep) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < 1000; s++) {
            step.run();
            otherStep.run();
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void floatStepsAllocateNothingAfterTheFirst(String name, Supplier<Optimizer> supplier) {
        Optimizer o = supplier.get();
        float[] w = new float[257];
        float[] g = new float[257];
        for (int i = 0; i < g.length; i++) {
            w[i] = (float) Math.sin(i);
            g[i] = (float) Math.cos(3 * i);
        }
        long allocated = countedAllocatedBytes(() -> o.step(w, g, 1.0), () -> o.step(w, g, 2.0));
        assertEquals(0, allocated, name + " allocated " + allocated + " bytes in 2000 float steps");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void doubleStepsAllocateNothingAfterTheFirst(String name, Supplier<Optimizer> supplier) {
        Optimizer o = supplier.get();
        double[] w = new double[257];
        double[] g = new double[257];
        for (int i = 0; i < g.length; i++) {
            w[i] = Math.sin(i);
            g[i] = Math.cos(3 * i);
        }
        long allocated = countedAllocatedBytes(() -> o.step(w, g, 1.0), () -> o.step(w, g, 2.0));
        assertEquals(0, allocated, name + " allocated " + allocated + " bytes in 2000 double steps");
    }
}
