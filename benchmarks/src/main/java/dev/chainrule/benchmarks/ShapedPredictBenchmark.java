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
 * Single-sample prediction of the shaped networks: the convolutional ones ({@link LeNet5}, {@link
 * Cnn32x64}) and the recurrent one ({@link Lstm28}, 28 steps through the LSTM, then the softmax).
 * There is no hand-written version of these: the peers' versions of this workload are the
 * {@code predict} benchmarks of their own classes, each checked against Chainrule's outputs.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ShapedPredictBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShapedPredictBenchmark {
    /** The network, as {@link Workload#parse(String)} reads it. */
    @Param({"lenet5", "cnn32x64", "lstm28"})
    public String network;

    private FloatModel chainrule;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        Workload workload = Workload.parse(network);
        chainrule = workload.newChainruleModel();
        x = workload.inputs();
        out = new float[workload.outputSize()];
    }

    @Benchmark
    public float[] chainrule() {
        chainrule.predict(x, out);
        return out;
    }
}
