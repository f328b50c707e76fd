package dev.chainrule.benchmarks.dl4j;

import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Padding;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Shape;
import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.NativeThreads;
import dev.chainrule.benchmarks.Workload;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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
 * and {@link dev.chainrule.benchmarks.TrainingStepBenchmark}, and the convolutional ones of
 * {@link dev.chainrule.benchmarks.ConvPredictBenchmark} and {@link
 * dev.chainrule.benchmarks.ConvTrainingStepBenchmark}.
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
        @Param({"784-128-10", "4-16-3", "lenet5", "cnn32x64"})
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
        @Param({"784-128-10:32", "784-512-512-10:64", "lenet5:64", "cnn32x64:64"})
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

    /**
     * A DL4J network of {@code workload}'s shape holding {@code parameters} (Chainrule's layout):
     * per layer after the input, a {@code ConvolutionLayer} (explicit padding, {@code
     * ConvolutionMode.Truncate}; {@code Same} for SAME), a {@code SubsamplingLayer}, a {@code
     * DenseLayer}, and the softmax {@code OutputLayer}, in NCHW. An image input is the flat CHW row
     * Chainrule reads ({@code InputType.convolutionalFlat}), and DL4J's preprocessor flattens an
     * image for a dense layer in the same CHW order.
     */
    static MultiLayerNetwork network(Workload workload, float[] parameters) {
        NetworkSpec spec = workload.spec();
        List<LayerSpec> layers = spec.layers();
        NeuralNetConfiguration.ListBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(Workload.SEED)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(Workload.LEARNING_RATE))
                .list();
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            if (layer instanceof LayerSpec.Conv2DSpec conv) {
                builder.layer(new ConvolutionLayer.Builder(conv.kernelHeight(), conv.kernelWidth())
                        .stride(conv.strideHeight(), conv.strideWidth())
                        .padding(conv.padHeight(), conv.padWidth())
                        .convolutionMode(conv.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate)
                        .dataFormat(CNN2DFormat.NCHW)
                        .nOut(conv.size())
                        .activation(activation(conv.activation()))
                        .build());
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                builder.layer(new SubsamplingLayer.Builder(pool.kind() == LayerSpec.Kind.MAX_POOL2D
                                ? SubsamplingLayer.PoolingType.MAX : SubsamplingLayer.PoolingType.AVG)
                        .kernelSize(pool.windowHeight(), pool.windowWidth())
                        .stride(pool.strideHeight(), pool.strideWidth())
                        .convolutionMode(ConvolutionMode.Truncate)
                        .dataFormat(CNN2DFormat.NCHW)
                        .build());
            } else if (layer instanceof LayerSpec.DenseSpec dense && !last) {
                builder.layer(new DenseLayer.Builder().nOut(dense.size()).activation(activation(dense.activation())).build());
            } else if (layer instanceof LayerSpec.DenseSpec dense && dense.activation() == dev.chainrule.Activation.SOFTMAX) {
                builder.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(dense.size()).activation(Activation.SOFTMAX).build());
            } else {
                throw new IllegalArgumentException("workload '" + workload.id() + "': layer " + layer.name() + " ("
                        + layer.kind().label() + ") has no DL4J translation here");
            }
        }
        if (spec.shape(0) instanceof Shape.Image image) {
            builder.setInputType(InputType.convolutionalFlat(image.height(), image.width(), image.channels()));
        } else {
            builder.setInputType(InputType.feedForward(spec.inputSize()));
        }
        MultiLayerConfiguration configuration = builder.build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        for (int i = 1; i < layers.size(); i++) {
            ParameterBlock weights = workload.weights(i);
            if (weights == null) {
                continue;
            }
            ParameterBlock biases = workload.biases(i);
            // Chainrule's blocks are row-major arrays of DL4J's shapes: a convolution's W is
            // [filters, channels, kh, kw], a dense layer's [inputs, units]; b is [1, units].
            long[] shape = weights.dimensions().stream().mapToLong(Integer::longValue).toArray();
            org.deeplearning4j.nn.api.Layer dl4j = network.getLayer(i - 1);
            dl4j.setParam(DefaultParamInitializer.WEIGHT_KEY, Nd4j.create(block(parameters, weights), shape, 'c'));
            dl4j.setParam(DefaultParamInitializer.BIAS_KEY, Nd4j.create(block(parameters, biases), new long[] {1, biases.size()}, 'c'));
        }
        return network;
    }

    private static Activation activation(dev.chainrule.Activation activation) {
        return switch (activation) {
            case IDENTITY -> Activation.IDENTITY;
            case RELU -> Activation.RELU;
            case SIGMOID -> Activation.SIGMOID;
            case TANH -> Activation.TANH;
            default -> throw new IllegalArgumentException("activation " + activation.label() + " has no DL4J translation here");
        };
    }

    private static float[] block(float[] parameters, ParameterBlock block) {
        return Arrays.copyOfRange(parameters, block.offset(), block.offset() + block.size());
    }

    /** The network's parameters in Chainrule's layout. */
    static double[] parameters(Workload workload, MultiLayerNetwork network) {
        double[] parameters = new double[workload.parameterCount()];
        for (int i = 1; i < workload.spec().layers().size(); i++) {
            ParameterBlock weights = workload.weights(i);
            if (weights == null) {
                continue;
            }
            org.deeplearning4j.nn.api.Layer dl4j = network.getLayer(i - 1);
            copy(dl4j.getParam(DefaultParamInitializer.WEIGHT_KEY), parameters, weights);
            copy(dl4j.getParam(DefaultParamInitializer.BIAS_KEY), parameters, workload.biases(i));
        }
        return parameters;
    }

    /** {@code values}, read in row-major order, into {@code block} of {@code parameters}. */
    private static void copy(INDArray values, double[] parameters, ParameterBlock block) {
        double[] flat = values.dup('c').reshape(new long[] {values.length()}).toDoubleVector();
        if (flat.length != block.size()) {
            throw new IllegalStateException("DL4J's " + block.layer() + " " + block.role() + " has " + flat.length
                    + " values, Chainrule's block " + block.size());
        }
        System.arraycopy(flat, 0, parameters, block.offset(), flat.length);
    }
}
