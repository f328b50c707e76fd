package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.WarmUp;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@code warmUp} prepares a model for traffic: after it, from the very first call, every window
 * of 1,000 predictions allocates nothing, on both kernel paths (sixty windows, counted as {@link
 * SteadyAllocation#counted(long[])} says: the JVM's sporadic one-offs, under 2 KiB in at most two
 * windows, are forgiven; an allocation in three windows is not). Each test compiles a network
 * class of its own, so no other test has run (and warmed) its code before.
 */
class WarmUpTest {
    private static final int WINDOWS = 60;
    private static final int CALLS = 1_000;

    /** Loop-mode layers (over 256 weights), which call the kernels: Vector API vectors there. */
    private static NetworkSource digits(String name, Precision precision) {
        return new NetworkSource(
                "warm",
                name,
                Loss.CROSS_ENTROPY,
                precision,
                List.of(
                        LayerSpec.input("IN", 64), LayerSpec.dense("H1", 48, Activation.RELU),
                        LayerSpec.dense("H2", 24, Activation.TANH), LayerSpec.dense("OUT", 10, Activation.SOFTMAX)));
    }

    @Test
    void afterWarmUpEveryWindowOfFloatPredictionsAllocatesNothing() {
        NetworkSource source = digits("FloatDigits", Precision.FLOAT);
        FloatModel model = CompiledNetworks.compile(List.of(source)).newFloatModel(source, 4);
        float[] before = model.parameters().clone();
        WarmUp warmUp = model.warmUp(Duration.ofSeconds(60));
        assertTrue(warmUp.allocationFree(), "the warm-up settled: " + warmUp);
        assertTrue(warmUp.calls() >= WarmUp.MINIMUM_CALLS + WarmUp.CLEAN_ROUNDS * WarmUp.ROUND, warmUp.toString());
        assertTrue(Arrays.equals(before, model.parameters()), "the warm-up leaves the parameters alone");

        FloatModel sibling = (FloatModel) model.withSharedParameters();
        float[] x = new float[8 * 64];
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-2, 2);
        }
        float[] out = new float[10];
        assertNothingAllocated(i -> sibling.predict(x, (i & 7) * 64, out, 0));
    }

    /**
     * Inputs with zeros among their values, as images have, after a warm-up: a layer gathers its
     * non-zero inputs before its kernel runs, so these rows take the gathering loop's other branch
     * and the kernel's loops through other counts (none, one, every few) than dense rows do.
     */
    @Test
    void afterWarmUpPredictionsOfInputsWithZerosAllocateNothing() {
        NetworkSource source = digits("SparseDigits", Precision.FLOAT);
        FloatModel model = CompiledNetworks.compile(List.of(source)).newFloatModel(source, 4);
        WarmUp warmUp = model.warmUp(Duration.ofSeconds(60));
        assertTrue(warmUp.allocationFree(), "the warm-up settled: " + warmUp);
        float[] x = new float[8 * 64];
        SplittableRandom random = new SplittableRandom(97);
        for (int i = 0; i < x.length; i++) {
            int r = i / 64;
            int e = i % 64;
            boolean zero = switch (r) {
                case 0 -> e < 16 || e >= 48; // zero margins
                case 1 -> e % 2 == 1; // alternating
                case 2 -> true; // nothing but zeros
                case 3 -> e != 63; // one value, the last
                case 4 -> e % 8 == 0; // a zero to every vector
                default -> random.nextInt(3) == 0;
            };
            x[i] = zero ? 0 : (float) random.nextDouble(-2, 2);
        }
        float[] out = new float[10];
        assertNothingAllocated(i -> model.predict(x, (i & 7) * 64, out, 0));
    }

    @Test
    void afterWarmUpEveryWindowOfDoublePredictionsAllocatesNothing() {
        NetworkSource source = digits("DoubleDigits", Precision.DOUBLE);
        DoubleModel model = CompiledNetworks.compile(List.of(source)).newDoubleModel(source, 4);
        WarmUp warmUp = model.warmUp();
        assertTrue(warmUp.allocationFree(), "the warm-up settled: " + warmUp);
        double[] x = new double[8 * 64];
        SplittableRandom random = new SplittableRandom(98);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-2, 2);
        }
        double[] out = new double[10];
        assertNothingAllocated(i -> model.predict(x, (i & 7) * 64, out, 0));
    }

    /** {@link #WINDOWS} windows of {@link #CALLS} calls of {@code predict}, given the call's number, allocate nothing. */
    private static void assertNothingAllocated(IntConsumer predict) {
        long[] bytes = new long[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            long start = SteadyAllocation.threadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                predict.accept(i);
            }
            bytes[w] = SteadyAllocation.threadAllocatedBytes() - start;
        }
        assertEquals(
                0,
                SteadyAllocation.counted(bytes),
                "bytes allocated by " + WINDOWS + " windows of " + CALLS + " predictions after warmUp, each: "
                        + Arrays.toString(bytes));
    }

    @Test
    void aWarmUpNeedsATimeLimitOfZeroOrMore() {
        NetworkSource source = new NetworkSource(
                "warm",
                "Tiny",
                Loss.MSE,
                Precision.FLOAT,
                List.of(LayerSpec.input("IN", 2), LayerSpec.dense("OUT", 1, Activation.IDENTITY)));
        FloatModel model = CompiledNetworks.compile(List.of(source)).newFloatModel(source, 1);
        IllegalArgumentException negative =
                assertThrows(IllegalArgumentException.class, () -> model.warmUp(Duration.ofSeconds(-1)));
        assertEquals("the warm-up's time limit must be zero or more; got PT-1S", negative.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> model.warmUp(null));
        assertEquals("the warm-up's time limit must be zero or more; got null", none.getMessage());
        WarmUp forever = model.warmUp(Duration.ofSeconds(Long.MAX_VALUE));
        assertTrue(forever.allocationFree(), "a limit past any deadline still ends once settled: " + forever);
        WarmUp zero = model.warmUp(Duration.ZERO);
        assertEquals(WarmUp.MINIMUM_CALLS, zero.calls(), "a zero limit runs only the minimum");
        assertTrue(!zero.allocationFree(), "no round was measured");
    }
}
