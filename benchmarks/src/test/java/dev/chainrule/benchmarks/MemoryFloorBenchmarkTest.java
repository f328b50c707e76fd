package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MemoryFloorBenchmarkTest {

    @Test
    void vectorSumReadsEveryElementOnce() {
        assertTrue(Kernels.VECTOR_API, "the build runs this module's tests with jdk.incubator.vector");
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {0, 1, 7, 63, 64, 65, 128, 1000, 101_770}) {
            float[] a = new float[n];
            double exact = 0;
            for (int i = 0; i < n; i++) {
                a[i] = (float) random.nextDouble(-1, 1);
                exact += a[i];
            }
            assertEquals(exact, MemoryFloorBenchmark.VectorSum.sum(a), 1e-6 * (n + 1), "length " + n);
        }
    }

    @Test
    void benchmarkReadsTheNetworksParameters() {
        MemoryFloorBenchmark benchmark = new MemoryFloorBenchmark();
        benchmark.parametersOf = "784-128-10";
        benchmark.setUp();
        float[] parameters = Workload.parse("784-128-10").newChainruleModel().parameters();
        double exact = 0;
        for (float p : parameters) {
            exact += p;
        }
        assertEquals(exact, benchmark.readParameters(), 1e-6 * parameters.length);
        assertTrue(
                benchmark.offset >= 0 && benchmark.offset < MemoryFloorBenchmark.OFFSETS, "offset " + benchmark.offset);
        // a later choice, wherever it falls, still reads the same parameters
        benchmark.chooseOffset();
        assertEquals(exact, benchmark.readParameters(), 1e-6 * parameters.length);
    }

    @Test
    void vectorSumOfARangeReadsOnlyThatRange() {
        float[] a = new float[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = i < 7 || i >= 7 + 260 ? 1e6f : 1;
        }
        assertEquals(260, MemoryFloorBenchmark.VectorSum.sum(a, 7, 260));
        assertEquals(0, MemoryFloorBenchmark.VectorSum.sum(a, 7, 0));
    }
}
