package dev.chainrule.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One core's float compute peak as this JVM reaches it: twelve independent chains of vector
 * fused multiply-adds at the preferred width, no memory traffic, {@link #FLOP_PER_CALL} FLOP per
 * call at any vector width. The report measures every other figure against it: a peak worked out
 * from the nominal clock rate misses the clock the core really runs at.
 *
 * <p>Needs the Vector API: {@code java -jar benchmarks/target/benchmarks.jar PeakBenchmark
 * -jvmArgsAppend "--add-modules jdk.incubator.vector"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeakBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** FLOP per call: 10,000 rounds of twelve 16-lane multiply-adds, or as many more rounds as narrower vectors need. */
    public static final long FLOP_PER_CALL = 24L * 16 * 10_000;

    private static final int ROUNDS = (int) (FLOP_PER_CALL / (24L * F.length()));

    private float scale;
    private float shift;

    @Setup
    public void setUp() {
        scale = 0.999f;
        shift = 1e-3f;
    }

    @Benchmark
    public float fusedMultiplyAdds() {
        FloatVector a = FloatVector.broadcast(F, scale);
        FloatVector b = FloatVector.broadcast(F, shift);
        FloatVector s0 = FloatVector.broadcast(F, 0.1f);
        FloatVector s1 = s0.add(b);
        FloatVector s2 = s1.add(b);
        FloatVector s3 = s2.add(b);
        FloatVector s4 = s3.add(b);
        FloatVector s5 = s4.add(b);
        FloatVector s6 = s5.add(b);
        FloatVector s7 = s6.add(b);
        FloatVector s8 = s7.add(b);
        FloatVector s9 = s8.add(b);
        FloatVector s10 = s9.add(b);
        FloatVector s11 = s10.add(b);
        for (int i = 0; i < ROUNDS; i++) {
            s0 = s0.fma(a, b);
            s1 = s1.fma(a, b);
            s2 = s2.fma(a, b);
            s3 = s3.fma(a, b);
            s4 = s4.fma(a, b);
            s5 = s5.fma(a, b);
            s6 = s6.fma(a, b);
            s7 = s7.fma(a, b);
            s8 = s8.fma(a, b);
            s9 = s9.fma(a, b);
            s10 = s10.fma(a, b);
            s11 = s11.fma(a, b);
        }
        return s0.add(s1)
                .add(s2.add(s3))
                .add(s4.add(s5).add(s6.add(s7)))
                .add(s8.add(s9).add(s10.add(s11)))
                .reduceLanes(VectorOperators.ADD);
    }
}
