package dev.chainrule.benchmarks.dl4j;

import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.NativeThreads;
import dev.chainrule.benchmarks.Workload;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
 * Deeplearning4j 1.0.0-M2.1 ({@code MultiLayerNetwork} in float on the native CPU backend with
 * OpenBLAS, one thread) on the same workloads as {@link dev.chainrule.benchmarks.PredictBenchmark}
 * and {@link dev.chainrule.benchmarks.TrainingStepBenchmark}.
 *
 * <p>Prediction is {@code output(INDArray)} on a one-row input created once. Training is {@code
 * fit(DataSet)} on one batch: one plain SGD step on the mean cross-entropy (DL4J's {@code MCXENT}
 * loss with a softmax output), which the setup checks moves the parameters as Chainrule's step
 * does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Dl4jBenchmark {

    /** Single-sample prediction. */
    @State(Scope.Thread)
    public static class Prediction {
        @Param({"784-128-10", "4-16-3"})
        public String network;

        MultiLayerNetwork dl4j;
        INDArray x;

        @Setup
        public void setUp() {
            NativeThreads.requireOne();
            Workload workload = Workload.parse(network);
            dl4j = network(workload, workload.newChainruleModel().parameters());
            float[] input = workload.inputs();
            x = Nd4j.create(input, new long[] {1, workload.inputSize()}, 'c');
            Agreement.requireSameOutputs("DL4J", Agreement.chainruleOutputs(workload, input),
                    dl4j.output(x).toFloatVector());
        }
    }

    /** One training step. */
    @State(Scope.Thread)
    public static class Training {
        @Param({"784-128-10:32", "784-512-512-10:64"})
        public String step;

        MultiLayerNetwork dl4j;
        DataSet batch;

        @Setup
        public void setUp() {
            NativeThreads.requireOne();
            Workload workload = Workload.parse(step);
            float[] before = workload.newChainruleModel().parameters();
            dl4j = network(workload, before);
            batch = new DataSet(
                    Nd4j.create(workload.inputs(), new long[] {workload.batch(), workload.inputSize()}, 'c'),
                    Nd4j.create(workload.oneHotTargets(), new long[] {workload.batch(), workload.outputSize()}, 'c'));
            dl4j.fit(batch);
            Agreement.requireSameStep("DL4J", before, Agreement.chainruleStep(workload), parameters(workload, dl4j));
        }
    }

    @Benchmark
    public INDArray predict(Prediction state) {
        return state.dl4j.output(state.x);
    }

    @Benchmark
    public MultiLayerNetwork trainingStep(Training state) {
        state.dl4j.fit(state.batch);
        return state.dl4j;
    }

    /** A DL4J network of {@code workload}'s shape holding {@code parameters} (Chainrule's layout). */
    static MultiLayerNetwork network(Workload workload, float[] parameters) {
        int[] sizes = workload.sizes();
        int layers = workload.denseLayers();
        NeuralNetConfiguration.ListBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(Workload.SEED)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(Workload.LEARNING_RATE))
                .list();
        for (int l = 0; l < layers - 1; l++) {
            builder.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(Activation.RELU).build());
        }
        builder.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(sizes[layers - 1]).nOut(sizes[layers]).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration configuration = builder.build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int units = sizes[l + 1];
            // Chainrule's input-major weight block is a row-major [inputs, units] matrix, DL4J's W's shape.
            float[] weights = new float[in * units];
            System.arraycopy(parameters, workload.weightIndex(l, 0, 0), weights, 0, weights.length);
            float[] biases = new float[units];
            System.arraycopy(parameters, workload.biasIndex(l, 0), biases, 0, units);
            network.getLayer(l).setParam(DefaultParamInitializer.WEIGHT_KEY, Nd4j.create(weights, new long[] {in, units}, 'c'));
            network.getLayer(l).setParam(DefaultParamInitializer.BIAS_KEY, Nd4j.create(biases, new long[] {1, units}, 'c'));
        }
        return network;
    }

    /** The network's parameters in Chainrule's layout. */
    static double[] parameters(Workload workload, MultiLayerNetwork network) {
        int[] sizes = workload.sizes();
        double[] parameters = new double[workload.parameterCount()];
        for (int l = 0; l < workload.denseLayers(); l++) {
            INDArray weights = network.getLayer(l).getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray biases = network.getLayer(l).getParam(DefaultParamInitializer.BIAS_KEY);
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    parameters[workload.weightIndex(l, i, j)] = weights.getDouble(i, j);
                }
                parameters[workload.biasIndex(l, j)] = biases.getDouble(j);
            }
        }
        return parameters;
    }
}
