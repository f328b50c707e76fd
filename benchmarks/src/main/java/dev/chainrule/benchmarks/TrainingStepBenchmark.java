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
 * One training step (forward, backward, plain SGD update on the mean cross-entropy of a
 * mini-batch): the generated model beside a hand-written Java MLP, whose one step from the same
 * parameters is checked to move them as Chainrule's does before anything is timed.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar TrainingStepBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrainingStepBenchmark {
    /** The network and batch size, as {@link Workload#parse(String)} reads them. */
    @Param({"784-128-10:32", "784-512-512-10:64"})
    public String step;

    private ChainruleStep chainrule;
    private PlainJavaMlp plain;
    private float[] inputs;
    private float[] targets;
    private int rows;

    @Setup
    public void setUp() {
        Workload workload = Workload.parse(step);
        chainrule = new ChainruleStep(workload);
        float[] before = chainrule.model().parameters().clone();
        plain = new PlainJavaMlp(workload, before);
        inputs = workload.inputs();
        targets = workload.oneHotTargets();
        rows = workload.batch();
        plain.trainingStep(inputs, targets, rows, Workload.LEARNING_RATE);
        Agreement.requireSameStep("plain Java MLP", before, Agreement.chainruleStep(workload), plain.parameters());
    }

    @Benchmark
    public float chainrule() {
        return chainrule.run();
    }

    @Benchmark
    public float plainJava() {
        return plain.trainingStep(inputs, targets, rows, Workload.LEARNING_RATE);
    }
}
