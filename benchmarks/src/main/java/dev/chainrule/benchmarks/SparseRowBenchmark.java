package dev.chainrule.benchmarks;

import dev.chainrule.kernel.Kernels;
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
 * The kernel of single-sample prediction alone: one row through a dense layer, {@code z = b +
 * x W} over the non-zero inputs ({@link Kernels#multiplySparseRow}), at the two layers of the
 * 784-128-10 prediction ({@code in x out}). Every input is non-zero, as in {@link
 * PredictBenchmark}, so the hidden layer's call reads all of its 392 KiB of weights and reads
 * against {@link MemoryFloorBenchmark}; the output layer's ten units fill no vector, which is
 * the kernel's scalar tail.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar 'SparseRowBenchmark|MemoryFloorBenchmark'
 * -jvmArgsAppend "--add-modules jdk.incubator.vector"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SparseRowBenchmark {
    /** Inputs and units of the layer. */
    @Param({"784x128", "128x10"})
    public String layer;

    private int in;
    private int out;
    private int[] index;
    private float[] values;
    private float[] weights;
    private float[] biases;
    private float[] z;

    @Setup
    public void setUp() {
        String[] sizes = layer.split("x");
        in = Integer.parseInt(sizes[0]);
        out = Integer.parseInt(sizes[1]);
        SplittableRandom random = new SplittableRandom(17);
        index = new int[in];
        values = new float[in];
        for (int i = 0; i < in; i++) {
            index[i] = i;
            values[i] = (float) random.nextDouble(0.01, 1);
        }
        weights = new float[in * out];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextDouble(-0.1, 0.1);
        }
        biases = new float[out];
        z = new float[out];
    }

    @Benchmark
    public float[] multiplySparseRow() {
        System.arraycopy(biases, 0, z, 0, out);
        Kernels.multiplySparseRow(in, index, values, out, weights, 0, z, 0);
        return z;
    }
}
