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
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
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
 * {@link dev.chainrule.benchmarks.ShapedPredictBenchmark} and {@link
 * dev.chainrule.benchmarks.ShapedTrainingStepBenchmark}, and the recurrent one ({@code lstm28}:
 * {@code LastTimeStep(LSTM)} in NWC, Chainrule's order, then the softmax output), with Chainrule's
 * weights: DL4J's gates reordered and transposed, and its one bias the sum of Chainrule's two.
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
        @Param({"784-128-10", "4-16-3", "lenet5", "cnn32x64", "lstm28"})
        public String network;

        MultiLayerNetwork dl4j;
        INDArray x;

        @Setup
        public void setUp() {
            NativeThreads.requireOne();
            Workload workload = Workload.parse(network);
            dl4j = network(workload, workload.newChainruleModel().parameters());
            float[] input = workload.inputs();
            x = Nd4j.create(input, inputShape(workload, 1), 'c');
            Agreement.requireSameOutputs("DL4J", Agreement.chainruleOutputs(workload, input),
                    dl4j.output(x).toFloatVector());
        }
    }

    /** One training step. */
    @State(Scope.Thread)
    public static class Training {
        @Param({"784-128-10:32", "784-512-512-10:64", "lenet5:64", "cnn32x64:64", "lstm28:64"})
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
                    Nd4j.create(workload.inputs(), inputShape(workload, workload.batch()), 'c'),
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
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent && recurrent.kind() == LayerSpec.Kind.LSTM
                    && !recurrent.returnSequences() && i == 1) {
                builder.layer(new LastTimeStep(new LSTM.Builder().nOut(recurrent.size())
                        .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                        .dataFormat(RNNFormat.NWC).build()));
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
        } else if (spec.shape(0) instanceof Shape.Sequence sequence) {
            builder.setInputType(InputType.recurrent(sequence.features(), sequence.steps(), RNNFormat.NWC));
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
            if (layers.get(i) instanceof LayerSpec.RecurrentSpec recurrent) {
                // One bias: the sum of Chainrule's two, which only add.
                int units = recurrent.size();
                int features = ((Shape.Sequence) spec.shape(i - 1)).features();
                float[] bias = block(parameters, biases);
                float[] recurrentBias = block(parameters, workload.block(i, ParameterBlock.Role.RECURRENT_BIASES));
                for (int k = 0; k < bias.length; k++) {
                    bias[k] += recurrentBias[k];
                }
                org.deeplearning4j.nn.api.Layer lstm = network.getLayer(i - 1);
                lstm.setParam(LSTMParamInitializer.INPUT_WEIGHT_KEY,
                        Nd4j.create(toDl4jGates(block(parameters, weights), units, features), new long[] {features, 4L * units}, 'c'));
                lstm.setParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, Nd4j.create(toDl4jGates(
                        block(parameters, workload.block(i, ParameterBlock.Role.RECURRENT_WEIGHTS)), units, units),
                        new long[] {units, 4L * units}, 'c'));
                lstm.setParam(LSTMParamInitializer.BIAS_KEY, Nd4j.create(toDl4jGates(bias, units, 1), new long[] {1, 4L * units}, 'c'));
                continue;
            }
            // Chainrule's blocks are row-major arrays of DL4J's shapes: a convolution's W is
            // [filters, channels, kh, kw], a dense layer's [inputs, units]; b is [1, units].
            long[] shape = weights.dimensions().stream().mapToLong(Integer::longValue).toArray();
            org.deeplearning4j.nn.api.Layer dl4j = network.getLayer(i - 1);
            dl4j.setParam(DefaultParamInitializer.WEIGHT_KEY, Nd4j.create(block(parameters, weights), shape, 'c'));
            dl4j.setParam(DefaultParamInitializer.BIAS_KEY, Nd4j.create(block(parameters, biases), new long[] {1, biases.size()}, 'c'));
        }
        return network;
    }

    /** {@code [rows, features]}, or {@code [rows, steps, features]} (NWC, Chainrule's order) for a sequence. */
    static long[] inputShape(Workload workload, int rows) {
        return workload.spec().shape(0) instanceof Shape.Sequence sequence
                ? new long[] {rows, sequence.steps(), sequence.features()}
                : new long[] {rows, workload.inputSize()};
    }

    /**
     * DL4J's LSTM stacks its gates cell input, forget, output, input ("IFOG" in LSTMHelpers: block
     * input, forget, output, input modulation); Chainrule (and PyTorch) stack input, forget, cell,
     * output. Where gate block {@code g} of DL4J's order is in Chainrule's.
     */
    private static final int[] DL4J_GATE_FROM_CHAINRULE = {2, 1, 3, 0};

    /**
     * Chainrule's {@code [4H][columns]} gate rows as DL4J's {@code [columns][4H]}: transposed, the
     * gate blocks in DL4J's order.
     */
    static float[] toDl4jGates(float[] rows, int units, int columns) {
        float[] dl4j = new float[rows.length];
        for (int g = 0; g < 4; g++) {
            int from = DL4J_GATE_FROM_CHAINRULE[g];
            for (int u = 0; u < units; u++) {
                for (int c = 0; c < columns; c++) {
                    dl4j[c * 4 * units + g * units + u] = rows[(from * units + u) * columns + c];
                }
            }
        }
        return dl4j;
    }

    /** The inverse of {@link #toDl4jGates}. */
    static double[] fromDl4jGates(double[] dl4j, int units, int columns) {
        double[] rows = new double[dl4j.length];
        for (int g = 0; g < 4; g++) {
            int from = DL4J_GATE_FROM_CHAINRULE[g];
            for (int u = 0; u < units; u++) {
                for (int c = 0; c < columns; c++) {
                    rows[(from * units + u) * columns + c] = dl4j[c * 4 * units + g * units + u];
                }
            }
        }
        return rows;
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
            if (workload.spec().layers().get(i) instanceof LayerSpec.RecurrentSpec recurrent) {
                int units = recurrent.size();
                int features = ((Shape.Sequence) workload.spec().shape(i - 1)).features();
                copy(fromDl4jGates(flat(dl4j.getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY)), units, features), parameters, weights);
                copy(fromDl4jGates(flat(dl4j.getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY)), units, units), parameters,
                        workload.block(i, ParameterBlock.Role.RECURRENT_WEIGHTS));
                // DL4J's one bias b = b_ih + b_hh has the gradient of each of Chainrule's two, and one
                // SGD step moves it by -lr g where Chainrule moves each of its two by -lr g: its
                // change is given to both, so that the check compares the gradients of the biases.
                double[] moved = fromDl4jGates(flat(dl4j.getParam(LSTMParamInitializer.BIAS_KEY)), units, 1);
                ParameterBlock biases = workload.biases(i);
                ParameterBlock recurrentBiases = workload.block(i, ParameterBlock.Role.RECURRENT_BIASES);
                float[] before = biasesBefore(workload);
                for (int k = 0; k < moved.length; k++) {
                    double change = moved[k] - (before[biases.offset() + k] + before[recurrentBiases.offset() + k]);
                    parameters[biases.offset() + k] = before[biases.offset() + k] + change;
                    parameters[recurrentBiases.offset() + k] = before[recurrentBiases.offset() + k] + change;
                }
                continue;
            }
            copy(dl4j.getParam(DefaultParamInitializer.WEIGHT_KEY), parameters, weights);
            copy(dl4j.getParam(DefaultParamInitializer.BIAS_KEY), parameters, workload.biases(i));
        }
        return parameters;
    }

    /** The seeded parameters every implementation starts from. */
    private static float[] biasesBefore(Workload workload) {
        return workload.newChainruleModel().parameters();
    }

    private static double[] flat(INDArray values) {
        return values.dup('c').reshape(new long[] {values.length()}).toDoubleVector();
    }

    private static void copy(double[] flat, double[] parameters, ParameterBlock block) {
        if (flat.length != block.size()) {
            throw new IllegalStateException("DL4J's " + block.layer() + " " + block.role() + " has " + flat.length
                    + " values, Chainrule's block " + block.size());
        }
        System.arraycopy(flat, 0, parameters, block.offset(), flat.length);
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
