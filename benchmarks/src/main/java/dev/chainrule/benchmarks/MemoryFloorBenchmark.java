package dev.chainrule.benchmarks;

import dev.chainrule.kernel.Kernels;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory floor of single-sample prediction: the time to read a network's parameters once,
 * in order, with full-width vector loads and nothing else to do. A prediction reads every
 * weight once, so none can be faster than this while its parameters stay where this run finds
 * them (784-128-10's 400 KB fit in the L2 cache of the machine in RESULTS.md, not in its L1).
 *
 * <p>How fast vector loads read an array depends on where the JVM put it: a load that crosses
 * two cache lines costs more than one within a line, and a {@code float[]}'s elements start
 * wherever its object does, 8-byte aligned. So the parameters are copied into an array with
 * {@link #OFFSETS} spare elements, each offset is timed before every iteration, and the
 * iteration reads them at the fastest, where the loads fall on cache-line boundaries as nearly
 * as the JVM's placement allows (on a Xeon with AVX-512, reading 400 KB from L2 that way took
 * 0.6 times as long as at the other offsets).
 *
 * <p>It needs the Vector API, so {@code run-benchmarks.sh} runs it only when {@code JVM_ARGS}
 * adds {@code jdk.incubator.vector}:
 * {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar MemoryFloorBenchmark
 * -jvmArgsAppend "--add-modules jdk.incubator.vector"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryFloorBenchmark {
    /** The network whose parameters are read, as {@link Workload#parse(String)} reads it. */
    @Param({"784-128-10"})
    public String parametersOf;

    /**
     * Offsets, in floats, at which the parameters are tried: with 8-byte aligned array elements
     * and 64-byte cache lines, one of every sixteen 4-byte steps puts them on a line's start.
     */
    static final int OFFSETS = 16;

    /** Reads of the whole parameters per timing of one offset. */
    private static final int READS = 8;

    /** Timings per offset, of which the fastest counts. */
    private static final int TIMINGS = 100;

    private float[] network;
    private float[] padded;
    int offset;

    @Setup
    public void setUp() {
        if (!Kernels.VECTOR_API) {
            throw new IllegalStateException("MemoryFloorBenchmark measures vector loads: run its JVM with"
                    + " --add-modules jdk.incubator.vector");
        }
        network = Workload.parse(parametersOf).newChainruleModel().parameters().clone();
        padded = new float[network.length + OFFSETS];
        chooseOffset();
    }

    /**
     * Times each offset (the best of {@link #TIMINGS} timings of {@link #READS} reads) and leaves
     * the parameters at the fastest. Before every iteration, since a collection may have moved
     * the array.
     */
    @Setup(Level.Iteration)
    public void chooseOffset() {
        long best = Long.MAX_VALUE;
        float sink = 0;
        for (int at = 0; at < OFFSETS; at++) {
            System.arraycopy(network, 0, padded, at, network.length);
            long fastest = Long.MAX_VALUE;
            for (int t = 0; t < TIMINGS; t++) {
                long start = System.nanoTime();
                for (int r = 0; r < READS; r++) {
                    sink += VectorSum.sum(padded, at, network.length);
                }
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
            if (fastest < best) {
                best = fastest;
                offset = at;
            }
        }
        System.arraycopy(network, 0, padded, offset, network.length);
        if (Float.isNaN(sink)) {
            throw new IllegalStateException("the parameters of " + parametersOf + " sum to NaN");
        }
    }

    @Benchmark
    public float readParameters() {
        return VectorSum.sum(padded, offset, network.length);
    }

    /** Eight independent vector sums, so that loads, not the adds' latency, set the pace. */
    static final class VectorSum {
        private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

        private VectorSum() {}

        static float sum(float[] a) {
            return sum(a, 0, a.length);
        }

        /** The sum of {@code a[from .. from + n)}. */
        static float sum(float[] a, int from, int n) {
            int v = F.length();
            int end = from + n;
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            int i = from;
            for (; i + 8 * v <= end; i += 8 * v) {
                s0 = s0.add(FloatVector.fromArray(F, a, i));
                s1 = s1.add(FloatVector.fromArray(F, a, i + v));
                s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * v));
                s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * v));
                s4 = s4.add(FloatVector.fromArray(F, a, i + 4 * v));
                s5 = s5.add(FloatVector.fromArray(F, a, i + 5 * v));
                s6 = s6.add(FloatVector.fromArray(F, a, i + 6 * v));
                s7 = s7.add(FloatVector.fromArray(F, a, i + 7 * v));
            }
            float sum =
                    s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                sum += a[i];
            }
            return sum;
        }
    }
}
