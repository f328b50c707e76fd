package dev.chainrule.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Single-sample prediction of the 784-128-10 network: the generated model beside a hand-written
 * Java MLP with the same weights (checked to agree before anything is timed).
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
    private MnistModel chainrule;
    private PlainJavaMlp plain;
    private final float[] x = new float[Mnist.PIXELS];
    private final float[] out = new float[Mnist.CLASSES];

    @Setup
    public void setUp() {
        chainrule = new MnistModel(1L);
        plain = new PlainJavaMlp(chainrule.parameters());
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        float[] a = new float[Mnist.CLASSES];
        float[] b = new float[Mnist.CLASSES];
        chainrule.predict(x, a);
        plain.predict(x, b);
        for (int k = 0; k < a.length; k++) {
            if (Math.abs(a[k] - b[k]) > 1e-5f) {
                throw new IllegalStateException("outputs differ at " + k + ": " + a[k] + " vs " + b[k]);
            }
        }
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
