package dev.chainrule.benchmarks.peers;

import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.NativeThreads;
import dev.chainrule.benchmarks.Workload;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import smile.base.mlp.InputLayer;
import smile.base.mlp.Layer;
import smile.base.mlp.LayerBuilder;
import smile.base.mlp.MultilayerPerceptron;
import smile.base.mlp.OutputFunction;
import smile.classification.MLP;
import smile.math.TimeFunction;
import smile.math.matrix.Matrix;

/**
 * Smile 3.1.1 ({@code smile.classification.MLP}, which computes in double, its matrix-vector
 * products through OpenBLAS) on the same workloads as {@link
 * dev.chainrule.benchmarks.PredictBenchmark} and {@link dev.chainrule.benchmarks.TrainingStepBenchmark}.
 *
 * <p>Smile has no public way to set a layer's weights, so the setup writes Chainrule's into the
 * layers' {@code weight} matrices and {@code bias} arrays by reflection. Training is {@code
 * MLP.update(double[][], int[])}, Smile's mini-batch step (mean gradient, then the update), with
 * a constant learning rate and no momentum, weight decay or RMSProp.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SmileBenchmark {

    /** Single-sample prediction. */
    @State(Scope.Thread)
    public static class Prediction {
        @Param({"784-128-10", "4-16-3"})
        public String network;

        MLP smile;
        double[] x;
        double[] out;

        @Setup
        public void setUp() {
            NativeThreads.requireOne();
            Workload workload = Workload.parse(network);
            smile = network(workload, workload.newChainruleModel().parameters());
            float[] input = workload.inputs();
            x = Workload.toDouble(input);
            out = new double[workload.outputSize()];
            smile.predict(x, out);
            Agreement.requireSameOutputs("Smile", Agreement.chainruleOutputs(workload, input), out);
        }
    }

    /** One training step. */
    @State(Scope.Thread)
    public static class Training {
        @Param({"784-128-10:32", "784-512-512-10:64"})
        public String step;

        MLP smile;
        double[][] inputs;
        int[] labels;

        @Setup
        public void setUp() {
            NativeThreads.requireOne();
            Workload workload = Workload.parse(step);
            float[] before = workload.newChainruleModel().parameters();
            smile = network(workload, before);
            inputs = Workload.doubleRows(workload.inputs(), workload.inputSize());
            labels = workload.labels();
            smile.update(inputs, labels);
            Agreement.requireSameStep("Smile", before, Agreement.chainruleStep(workload), parameters(workload, smile));
        }
    }

    @Benchmark
    public double[] predict(Prediction state) {
        state.smile.predict(state.x, state.out);
        return state.out;
    }

    @Benchmark
    public MLP trainingStep(Training state) {
        state.smile.update(state.inputs, state.labels);
        return state.smile;
    }

    /** A Smile network of {@code workload}'s shape holding {@code parameters} (Chainrule's layout). */
    static MLP network(Workload workload, float[] parameters) {
        int[] sizes = workload.sizes();
        int layers = workload.denseLayers();
        LayerBuilder[] builders = new LayerBuilder[layers + 1];
        builders[0] = Layer.input(sizes[0]);
        for (int l = 1; l < layers; l++) {
            builders[l] = Layer.rectifier(sizes[l]);
        }
        builders[layers] = Layer.mle(sizes[layers], OutputFunction.SOFTMAX);
        MLP mlp = new MLP(builders);
        mlp.setLearningRate(TimeFunction.constant(Workload.LEARNING_RATE));
        mlp.setMomentum(TimeFunction.constant(0));
        Layer[] dense = layers(mlp);
        for (int l = 0; l < layers; l++) {
            Matrix weight = weight(dense[l], sizes[l + 1], sizes[l]);
            double[] bias = bias(dense[l]);
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    weight.set(j, i, parameters[workload.weightIndex(l, i, j)]);
                }
                bias[j] = parameters[workload.biasIndex(l, j)];
            }
        }
        return mlp;
    }

    /** The network's parameters in Chainrule's layout. */
    static double[] parameters(Workload workload, MLP mlp) {
        int[] sizes = workload.sizes();
        double[] parameters = new double[workload.parameterCount()];
        Layer[] dense = layers(mlp);
        for (int l = 0; l < workload.denseLayers(); l++) {
            Matrix weight = weight(dense[l], sizes[l + 1], sizes[l]);
            double[] bias = bias(dense[l]);
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    parameters[workload.weightIndex(l, i, j)] = weight.get(j, i);
                }
                parameters[workload.biasIndex(l, j)] = bias[j];
            }
        }
        return parameters;
    }

    /** The dense layers: the hidden ones, then the output layer (Smile's input layer has no weights). */
    private static Layer[] layers(MLP mlp) {
        Stream<Layer> hidden = Arrays.stream((Layer[]) read(MultilayerPerceptron.class, "net", mlp))
                .filter(layer -> !(layer instanceof InputLayer));
        Layer output = (Layer) read(MultilayerPerceptron.class, "output", mlp);
        return Stream.concat(hidden, Stream.of(output)).toArray(Layer[]::new);
    }

    private static Matrix weight(Layer layer, int units, int inputs) {
        Matrix weight = (Matrix) read(Layer.class, "weight", layer);
        if (weight.nrow() != units || weight.ncol() != inputs) {
            throw new IllegalStateException("Smile layer weight is " + weight.nrow() + "x" + weight.ncol()
                    + ", expected units x inputs = " + units + "x" + inputs);
        }
        return weight;
    }

    private static double[] bias(Layer layer) {
        return (double[]) read(Layer.class, "bias", layer);
    }

    private static Object read(Class<?> owner, String name, Object target) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Smile's " + owner.getSimpleName() + "." + name
                    + " (the benchmark expects Smile 3.1.1)", e);
        }
    }
}
