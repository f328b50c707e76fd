package dev.chainrule.benchmarks;

import dev.chainrule.kernel.Kernels;
import dev.chainrule.kernel.LinearAlgebra;
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
 * The three matrix products of a dense layer's training step, each alone, at the shapes the
 * training-step workloads run them (a generated model takes a batch 32 rows at a time): {@code Z
 * += X W} (forward), {@code G += X^T D} (weight gradients) and {@code P = D W^T} (deltas sent
 * back). {@code shape} is {@code rows x in x out};
 * each call is {@code 2 rows in out} FLOP, so a time reads as a share of {@link
 * PeakBenchmark}'s measured compute peak.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar MatrixProductBenchmark -jvmArgsAppend
 * "--add-modules jdk.incubator.vector"} times the Vector API kernels; without the module, the
 * plain-Java ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatrixProductBenchmark {
    /** Rows (the batch), inputs and units of the layer. */
    @Param({"32x784x512", "32x512x512", "32x512x10", "32x784x128", "32x128x10"})
    public String shape;

    private final LinearAlgebra kernels = Kernels.IMPL;
    private int rows;
    private int in;
    private int out;
    private float[] x;
    private float[] w;
    private float[] d;
    private float[] z;
    private float[] g;
    private float[] p;

    @Setup
    public void setUp() {
        String[] parts = shape.split("x", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("shape '" + shape + "' is not rows x in x out, e.g. 64x784x512");
        }
        rows = Integer.parseInt(parts[0]);
        in = Integer.parseInt(parts[1]);
        out = Integer.parseInt(parts[2]);
        SplittableRandom random = new SplittableRandom(7);
        x = filled(random, rows * in);
        w = filled(random, in * out);
        d = filled(random, rows * out);
        z = new float[rows * out];
        g = new float[in * out];
        p = new float[rows * in];
    }

    private static float[] filled(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextDouble() - 0.5);
        }
        return a;
    }

    /** {@code Z += X W}: the forward pass of a batch. */
    @Benchmark
    public float forward() {
        kernels.multiply(rows, in, out, x, 0, in, w, 0, z, 0, out);
        return z[0];
    }

    /** {@code G += X^T D}: the weight gradients of a batch. */
    @Benchmark
    public float weightGradients() {
        kernels.multiplyTransposedLeft(rows, in, out, x, 0, in, d, 0, out, g, 0);
        return g[0];
    }

    /** {@code P = D W^T}: the deltas a batch sends back through the layer. */
    @Benchmark
    public float deltasBack() {
        kernels.multiplyTransposedRight(rows, in, out, d, 0, out, w, 0, p, 0, in);
        return p[0];
    }
}
