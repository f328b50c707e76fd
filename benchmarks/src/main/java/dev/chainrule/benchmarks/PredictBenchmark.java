package dev.chainrule.benchmarks;

import dev.chainrule.FloatModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-sample prediction: the generated model beside a hand-written Java MLP with the same
 * weights, checked to agree before anything is timed. The peers' versions of this workload are
 * the {@code predict} benchmarks of their own classes.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PredictBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PredictBenchmark {
    /** The network, as {@link Workload#parse(String)} reads it. */
    @Param({"784-128-10", "4-16-3"})
    public String network;

    private FloatModel chainrule;
    private PlainJavaMlp plain;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        Workload workload = Workload.parse(network);
        chainrule = workload.newChainruleModel();
        plain = new PlainJavaMlp(workload, chainrule.parameters());
        x = workload.inputs();
        out = new float[workload.outputSize()];
        float[] expected = Agreement.chainruleOutputs(workload, x);
        float[] actual = new float[workload.outputSize()];
        plain.predict(x, actual);
        Agreement.requireSameOutputs("plain Java MLP", expected, actual);
    }

    @Benchmark
    public float[] chainrule() {
        chainrule.predict(x, out);
        return out;
    }

    @Benchmark
    public float[] plainJava() {
        plain.predict(x, out);
        return out;
    }
}
