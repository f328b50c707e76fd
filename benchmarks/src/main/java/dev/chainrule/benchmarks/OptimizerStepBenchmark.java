package dev.chainrule.benchmarks;

import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.RmsProp;
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
 * One optimizer step over the 535,818 float parameters of the Fashion-MNIST example's
 * 784-512-256-10 network: the update that follows every training batch. It is not one of
 * {@code run-benchmarks.sh}'s suites (no peer runs the same update on the same arrays here);
 * run it alone with {@code java -jar benchmarks/target/benchmarks.jar OptimizerStepBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimizerStepBenchmark {
    /** The Fashion-MNIST example's parameter count. */
    static final int PARAMETERS = 784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10;

    /** The optimizer, by {@link #optimizer(String)}'s names. */
    @Param({"sgd", "momentum", "rmsprop", "adam"})
    public String optimizer;

    private Optimizer step;
    private float[] parameters;
    private float[] gradients;

    /** The optimizer a name stands for, with common settings. */
    static Optimizer optimizer(String name) {
        return switch (name) {
            case "sgd" -> Sgd.of(0.01);
            case "momentum" -> Sgd.of(0.01).momentum(0.9);
            case "rmsprop" -> RmsProp.of(0.001);
            case "adam" -> Adam.of(0.001);
            default ->
                throw new IllegalArgumentException(
                        "unknown optimizer " + name + "; expected sgd, momentum, rmsprop or adam");
        };
    }

    @Setup
    public void setUp() {
        step = optimizer(optimizer);
        SplittableRandom random = new SplittableRandom(5);
        parameters = new float[PARAMETERS];
        gradients = new float[PARAMETERS];
        for (int i = 0; i < PARAMETERS; i++) {
            parameters[i] = (float) random.nextDouble(-0.1, 0.1);
            gradients[i] = (float) random.nextDouble(-1e-3, 1e-3);
        }
    }

    @Benchmark
    public float[] step() {
        step.step(parameters, gradients);
        return parameters;
    }
}
