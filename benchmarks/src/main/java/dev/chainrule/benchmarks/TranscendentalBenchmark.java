package dev.chainrule.benchmarks;

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
 * What {@code StrictMath} costs against {@code Math} for the transcendental functions on the
 * prediction path: each benchmark applies one function to 1,024 pre-activations in {@code
 * [-4, 4]} (the forms the activations and losses use, computed in double from a float), once
 * with {@code Math} and once with {@code StrictMath}. {@code StrictMath} gives the same bits on
 * every JVM; {@code Math} may use a faster intrinsic whose bits depend on the JDK and the CPU
 * (JDK 24 and later compute {@code Math.tanh} with one on x86-64, where JDK 17 gives {@code
 * StrictMath}'s bits). Run it alone with {@code java -jar benchmarks/target/benchmarks.jar
 * TranscendentalBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TranscendentalBenchmark {
    /** How many values each call transforms. */
    static final int VALUES = 1024;

    /** The function: {@code exp}, {@code tanh}, {@code expm1}, {@code log1p} or {@code log}. */
    @Param({"exp", "tanh", "expm1", "log1p", "log"})
    public String function;

    private float[] z;
    private float[] a;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        z = new float[VALUES];
        a = new float[VALUES];
        for (int i = 0; i < VALUES; i++) {
            z[i] = (float) random.nextDouble(-4, 4);
        }
        if (function.equals("log") || function.equals("log1p")) {
            for (int i = 0; i < VALUES; i++) {
                z[i] = Math.abs(z[i]) + 1e-3f;
            }
        }
    }

    @Benchmark
    public float[] math() {
        float[] z = this.z;
        float[] a = this.a;
        switch (function) {
            case "exp" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) Math.exp(z[i]);
            }
            case "tanh" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) Math.tanh(z[i]);
            }
            case "expm1" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) Math.expm1(z[i]);
            }
            case "log1p" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) Math.log1p(z[i]);
            }
            case "log" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) Math.log(z[i]);
            }
            default -> throw new IllegalArgumentException("unknown function " + function);
        }
        return a;
    }

    @Benchmark
    public float[] strictMath() {
        float[] z = this.z;
        float[] a = this.a;
        switch (function) {
            case "exp" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) StrictMath.exp(z[i]);
            }
            case "tanh" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) StrictMath.tanh(z[i]);
            }
            case "expm1" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) StrictMath.expm1(z[i]);
            }
            case "log1p" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) StrictMath.log1p(z[i]);
            }
            case "log" -> {
                for (int i = 0; i < VALUES; i++) a[i] = (float) StrictMath.log(z[i]);
            }
            default -> throw new IllegalArgumentException("unknown function " + function);
        }
        return a;
    }
}
