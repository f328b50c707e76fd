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
 * How Chainrule's cost grows with the hidden layer's width and the batch: 784-H-10 networks
 * (see {@link HiddenWidths}), predicting a batch ({@code predictBatch}) and taking one training
 * step over it.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar ScalingBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScalingBenchmark {
    /** Units of the hidden layer. */
    @Param({"64", "128", "256", "512"})
    public int hidden;

    /** Samples per call. */
    @Param({"1", "8", "32", "128"})
    public int batch;

    private FloatModel model;
    private ChainruleStep step;
    private float[] inputs;
    private float[] outputs;

    @Setup
    public void setUp() {
        Workload workload = Workload.parse("784-" + hidden + "-10:" + batch);
        model = workload.newChainruleModel();
        step = new ChainruleStep(workload);
        inputs = workload.inputs();
        outputs = new float[batch * workload.outputSize()];
    }

    @Benchmark
    public float[] predict() {
        model.predictBatch(inputs, outputs, batch);
        return outputs;
    }

    @Benchmark
    public float trainingStep() {
        return step.run();
    }
}
