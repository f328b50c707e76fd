package dev.chainrule.benchmarks;

import dev.chainrule.FloatStreamingModel;
import dev.chainrule.RecurrentState;
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
 * One streaming step of the recurrent network ({@link Lstm28}): {@code step} takes one step of
 * 28 features through the LSTM from the state a {@link RecurrentState} carries (and advances),
 * then the softmax. The setup first checks that 28 steps from a fresh state give {@code
 * predict}'s outputs for the sequence; the timed stream then goes on with the sequence's first
 * step, over and over. The peers' versions are the {@code step} benchmarks of their own classes,
 * each checked the same way.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar RecurrentStepBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecurrentStepBenchmark {
    /** The network whose stream is stepped, as {@link Workload#parse(String)} reads it. */
    @Param({"lstm28"})
    public String stream;

    private FloatStreamingModel chainrule;
    private RecurrentState state;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        Workload workload = Workload.parse(stream);
        chainrule = (FloatStreamingModel) workload.newChainruleModel();
        float[] sequence = workload.inputs();
        state = chainrule.newState();
        out = new float[chainrule.stepOutputSize()];
        int features = chainrule.stepInputSize();
        for (int t = 0; t < sequence.length / features; t++) {
            chainrule.step(sequence, t * features, state, out, 0);
        }
        Agreement.requireSameOutputs(
                "Chainrule's step, " + sequence.length / features + " times",
                Agreement.chainruleOutputs(workload, sequence),
                out);
        x = Workload.row(sequence, features, 0);
    }

    @Benchmark
    public float[] chainrule() {
        chainrule.step(x, state, out);
        return out;
    }
}
