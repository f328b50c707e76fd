package dev.chainrule.benchmarks;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Idx;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.History;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One epoch of Fashion-MNIST's 60,000 training images through {@link Mnist}'s 784-128-10
 * network, as a user runs it: {@link Trainer} with Adam (rate 0.001), batches of 64 in a shuffled
 * order, one thread, no validation. Each call trains the same model one epoch further.
 *
 * <p>It reads the images from {@code /usr/share/datasets/fashion-mnist} ({@code apt-get install -y
 * dataset-fashion-mnist}), or the directory in the system property {@code chainrule.fashionMnist}:
 * {@code java -jar benchmarks/target/benchmarks.jar EpochBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class EpochBenchmark {
    /** Where {@code dataset-fashion-mnist} puts the files. */
    static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The network and batch size, as {@link Workload#parse(String)} reads them. */
    @Param({"784-128-10:64"})
    public String epoch;

    private Trainer<Dataset> trainer;
    private Dataset train;

    @Setup
    public void setUp() throws IOException {
        Workload workload = Workload.parse(epoch);
        if (!workload.network().equals("784-128-10")) {
            throw new IllegalArgumentException("EpochBenchmark trains 784-128-10 only, got " + epoch);
        }
        Path directory = Path.of(System.getProperty("chainrule.fashionMnist", DEFAULT_DIRECTORY.toString()));
        train = load(directory);
        trainer = Trainer.of(new MnistModel(7))
                .optimizer(Adam.of(0.001))
                .batchSize(workload.batch())
                .threads(1)
                .epochs(1)
                .seed(7)
                .silent();
    }

    /** Fashion-MNIST's training images, scaled to [0, 1], with their labels one-hot. */
    static Dataset load(Path directory) throws IOException {
        Path images = directory.resolve("train-images-idx3-ubyte.gz");
        Path labels = directory.resolve("train-labels-idx1-ubyte.gz");
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new UncheckedIOException(new IOException("EpochBenchmark needs Fashion-MNIST's training files in "
                    + directory + " (apt-get install -y dataset-fashion-mnist, or -Dchainrule.fashionMnist=DIR)"));
        }
        return Idx.load(images, labels, Mnist.CLASSES);
    }

    @Benchmark
    public History chainrule() {
        return trainer.fit(train);
    }
}
