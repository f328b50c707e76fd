package dev.chainrule.benchmarks;

import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.TrainerRounds;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Trainer's step on one and two threads, and its parts, for the Fashion-MNIST example's dense
 * network (784-512-256-10, 535,818 float parameters) on synthetic Fashion-MNIST-shaped data: 4,096
 * rows of 784 values in [0, 1) and ten classes, from a fixed seed. Everything runs through the
 * Trainer's own session and thread team ({@link TrainerRounds}), shards of 32 rows, plain Java
 * path:
 *
 * <ul>
 *   <li>{@code step}: a whole step of a batch (Adam, rate 0.001), as the Trainer's epoch loop
 *       takes it;
 *   <li>{@code accumulate}: its round over the shards, the part that divides among threads;
 *   <li>{@code nextBatch}: copying the batch's rows, on the caller alone;
 *   <li>{@code prepare}: its round over the parameters: the shards' gradients added in shard
 *       order (value by value), the backup, each block's sums of squares for the layers' norms
 *       and the optimizer, then the norms on the caller;
 *   <li>{@code update}: the optimizer's step (Adam or plain SGD) from the reduced gradient;
 *   <li>{@code emptyRound}: a round of a team of that many threads with nothing to do, the
 *       hand-off every round of a step pays;
 *   <li>{@code triad}: {@code a[i] = b[i] + s * c[i]} over float arrays split among the team's
 *       threads, a STREAM-like probe of memory bandwidth: {@code size = step} uses arrays of the
 *       network's 535,818 values (three of them fit the 32 MB L3 cache), {@code size = memory}
 *       arrays of 2^24 values (64 MB each, 192 MB in all).
 * </ul>
 *
 * {@code ThreadScalingReport} reads the JSON of this benchmark and writes the scaling table. The
 * whole class takes about five minutes with {@code -wi 3 -i 5 -w 1s -r 1s -f 1}:
 * {@code benchmarks/run-thread-scaling.sh}, or {@code java -jar benchmarks/target/benchmarks.jar
 * ThreadScalingBenchmark -rf json -rff scaling.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadScalingBenchmark {
    /** Rows of the synthetic training set: a multiple of both batch sizes. */
    static final int ROWS = 4096;

    /** Rows per shard, the Trainer's default. */
    static final int SHARD_ROWS = 32;

    /** The seed of the data, the weights and the batches' order. */
    static final long SEED = 7;

    /** Fashion-MNIST-shaped synthetic data: {@link #ROWS} rows of 784 values in [0, 1), ten classes. */
    static Dataset data() {
        SplittableRandom random = new SplittableRandom(SEED);
        float[] features = new float[ROWS * FashionMnistDense.PIXELS];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        int[] labels = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = random.nextInt(FashionMnistDense.CLASSES);
        }
        return Dataset.classification(features, FashionMnistDense.PIXELS, labels, FashionMnistDense.CLASSES);
    }

    /** The optimizer a name stands for: {@code adam} (rate 0.001, the example's) or {@code sgd} (plain, rate 0.01). */
    static Optimizer optimizer(String name) {
        return switch (name) {
            case "adam" -> Adam.of(0.001);
            case "sgd" -> Sgd.of(0.01);
            default -> throw new IllegalArgumentException("unknown optimizer " + name + "; expected adam or sgd");
        };
    }

    /** A Trainer session of the example's network, its first step taken. */
    static TrainerRounds rounds(int batch, int threads, String optimizer) {
        return TrainerRounds.of(
                new FashionMnistDenseModel(SEED), data(), batch, SHARD_ROWS, threads, optimizer(optimizer), SEED);
    }

    /** A session for the whole step and its shard round. */
    @State(Scope.Thread)
    public static class Steps {
        @Param({"1", "2"})
        public int threads;

        @Param({"64", "256"})
        public int batch;

        TrainerRounds rounds;

        @Setup(Level.Trial)
        public void setUp() {
            rounds = rounds(batch, threads, "adam");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rounds.close();
        }
    }

    /** A one-thread session for the caller's copy of the batch. */
    @State(Scope.Thread)
    public static class Caller {
        @Param({"64", "256"})
        public int batch;

        TrainerRounds rounds;

        @Setup(Level.Trial)
        public void setUp() {
            rounds = rounds(batch, 1, "adam");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rounds.close();
        }
    }

    /** A session for the round over the parameters, whose reduction grows with the batch's shards. */
    @State(Scope.Thread)
    public static class Prepare {
        @Param({"1", "2"})
        public int threads;

        @Param({"64", "256"})
        public int batch;

        @Param({"adam", "sgd"})
        public String optimizer;

        TrainerRounds rounds;

        @Setup(Level.Trial)
        public void setUp() {
            rounds = rounds(batch, threads, optimizer);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rounds.close();
        }
    }

    /** A session of batches of 64 for the optimizer's step, which does not depend on the batch. */
    @State(Scope.Thread)
    public static class Update {
        @Param({"1", "2"})
        public int threads;

        @Param({"adam", "sgd"})
        public String optimizer;

        TrainerRounds rounds;

        @Setup(Level.Trial)
        public void setUp() {
            rounds = rounds(64, threads, optimizer);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rounds.close();
        }
    }

    /** A bare team of the Trainer's kind. */
    @State(Scope.Thread)
    public static class Team {
        @Param({"1", "2"})
        public int threads;

        TrainerRounds.Team team;
        final IntConsumer nothing = t -> {};

        @Setup(Level.Trial)
        public void setUp() {
            team = TrainerRounds.team(threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            team.close();
        }
    }

    /** The bandwidth probe's arrays and team. */
    @State(Scope.Thread)
    public static class Triad {
        /** Values per array, by name. */
        static int values(String size) {
            return switch (size) {
                case "step" -> OptimizerStepBenchmark.PARAMETERS;
                case "memory" -> 1 << 24;
                default -> throw new IllegalArgumentException("unknown size " + size + "; expected step or memory");
            };
        }

        @Param({"1", "2"})
        public int threads;

        @Param({"step", "memory"})
        public String size;

        float[] a;
        float[] b;
        float[] c;
        TrainerRounds.Team team;
        IntConsumer part;

        @Setup(Level.Trial)
        public void setUp() {
            int n = values(size);
            a = new float[n];
            b = new float[n];
            c = new float[n];
            SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < n; i++) {
                b[i] = (float) random.nextDouble();
                c[i] = (float) random.nextDouble();
            }
            team = TrainerRounds.team(threads);
            int parts = team.size();
            part = t -> {
                int from = (int) ((long) t * n / parts);
                int to = (int) ((long) (t + 1) * n / parts);
                triad(a, b, c, 0.5f, from, to);
            };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            team.close();
        }
    }

    /** {@code a[i] = b[i] + s * c[i]} for {@code i} in {@code [from, to)}. */
    static void triad(float[] a, float[] b, float[] c, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = b[i] + s * c[i];
        }
    }

    @Benchmark
    public double step(Steps state) {
        return state.rounds.step();
    }

    @Benchmark
    public double accumulate(Steps state) {
        return state.rounds.accumulate();
    }

    @Benchmark
    public TrainerRounds nextBatch(Caller state) {
        state.rounds.nextBatch();
        return state.rounds;
    }

    @Benchmark
    public TrainerRounds prepare(Prepare state) {
        state.rounds.prepare();
        return state.rounds;
    }

    @Benchmark
    public TrainerRounds update(Update state) {
        state.rounds.update();
        return state.rounds;
    }

    @Benchmark
    public TrainerRounds.Team emptyRound(Team state) {
        state.team.run(state.team.size(), state.nothing);
        return state.team;
    }

    @Benchmark
    public float[] triad(Triad state) {
        state.team.run(state.team.size(), state.part);
        return state.a;
    }
}
