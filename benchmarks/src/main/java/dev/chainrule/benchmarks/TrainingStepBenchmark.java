package dev.chainrule.benchmarks;

import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;
import java.util.SplittableRandom;
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
 * One training step of the 784-128-10 network: zero the gradients, forward and backward over a
 * mini-batch, one optimizer update.
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
    @Param({"32", "64"})
    public int batch;

    private MnistModel model;
    private Optimizer optimizer;
    private float[] inputs;
    private float[] targets;

    @Setup
    public void setUp() {
        model = new MnistModel(1L);
        optimizer = Sgd.of(0.01);
        SplittableRandom random = new SplittableRandom(3);
        inputs = new float[batch * Mnist.PIXELS];
        targets = new float[batch * Mnist.CLASSES];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextDouble();
        }
        for (int r = 0; r < batch; r++) {
            targets[r * Mnist.CLASSES + random.nextInt(Mnist.CLASSES)] = 1;
        }
    }

    @Benchmark
    public float sgdStep() {
        model.zeroGradients();
        float loss = model.accumulateGradientsBatch(inputs, targets, batch);
        optimizer.step(model.parameters(), model.gradients());
        return loss;
    }
}
