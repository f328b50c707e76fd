package dev.chainrule.benchmarks;

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
 * One training step of the shaped networks (the convolutional {@link LeNet5} and {@link
 * Cnn32x64}, the recurrent {@link Lstm28}) on a batch
 * of 64: zero the gradients, {@code accumulateGradientsBatch}, one plain SGD update, as {@link
 * TrainingStepBenchmark} times for the dense networks. The peers' versions are the {@code
 * trainingStep} benchmarks of their own classes, each checked to take Chainrule's step.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ShapedTrainingStepBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShapedTrainingStepBenchmark {
    /** The network and batch size, as {@link Workload#parse(String)} reads them. */
    @Param({"lenet5:64", "cnn32x64:64", "lstm28:64"})
    public String step;

    private ChainruleStep chainrule;

    @Setup
    public void setUp() {
        chainrule = new ChainruleStep(Workload.parse(step));
    }

    @Benchmark
    public float chainrule() {
        return chainrule.run();
    }
}
