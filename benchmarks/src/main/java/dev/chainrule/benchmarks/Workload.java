package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.FloatModel;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Padding;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Precision;
import dev.chainrule.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One piece of benchmarked work: a network and the batch it runs on. Every network here has
 * relu hidden layers, a softmax output and the cross-entropy loss.
 *
 * <p>JMH parameters name workloads as text: a network as {@code "784-128-10"} (a dense network
 * by its layer sizes) or by the name of a convolutional network ({@code "lenet5"}, {@code
 * "cnn32x64"}), one sample; a training step as {@code "784-128-10:32"} or {@code "lenet5:64"}
 * (the network, then the batch size). Every implementation, Chainrule or peer, starts from the
 * same parameters (Chainrule's seeded initialisation, laid out as {@link dev.chainrule.Model}
 * documents) and the same seeded inputs and labels, so their outputs and updates can be
 * compared before anything is timed.
 *
 * <p>{@link #spec()} describes every network layer by layer, dense or convolutional; {@link
 * #sizes()} and the index methods beside it describe only dense networks, which are all that
 * some peers can build.
 */
public final class Workload {
    /** Seed of every model's initialisation. */
    public static final long SEED = 1L;
    /** Learning rate of every training step (plain SGD on the mean loss of the batch). */
    public static final float LEARNING_RATE = 0.01f;

    /** The convolutional networks, by the name a workload gives them. */
    private static final Map<String, NetworkSpec> NAMED = Map.of(
            "lenet5", LeNet5Model.SPEC,
            "cnn32x64", Cnn32x64Model.SPEC,
            "lstm28", Lstm28Model.SPEC);

    private final String id;
    private final String network;
    private final NetworkSpec spec;
    /** Layer sizes of a dense network, input first; null for a convolutional one. */
    private final int[] sizes;

    private final int batch;

    private Workload(String id, String network, NetworkSpec spec, int[] sizes, int batch) {
        this.id = id;
        this.network = network;
        this.spec = spec;
        this.sizes = sizes;
        this.batch = batch;
    }

    /**
     * Reads a workload name: {@code "784-128-10"}, {@code "784-128-10:32"}, {@code "lenet5"} or
     * {@code "lenet5:64"}.
     *
     * @throws IllegalArgumentException naming the bad part if the text is not of that form
     */
    public static Workload parse(String id) {
        String[] networkAndBatch = id.split(":", -1);
        if (networkAndBatch.length > 2) {
            throw new IllegalArgumentException("workload '" + id + "': expected NETWORK or NETWORK:BATCH");
        }
        int batch = networkAndBatch.length == 2 ? positive(id, "batch size", networkAndBatch[1]) : 1;
        NetworkSpec named = NAMED.get(networkAndBatch[0]);
        if (named != null) {
            return new Workload(id, networkAndBatch[0], named, null, batch);
        }
        String[] parts = networkAndBatch[0].split("-", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("workload '" + id + "': expected at least two layer sizes joined by '-'"
                    + " or one of the networks "
                    + String.join(", ", NAMED.keySet().stream().sorted().toList()));
        }
        int[] sizes = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            sizes[k] = positive(id, "layer size " + k, parts[k]);
        }
        String network = Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
        return new Workload(id, network, denseSpec(network, sizes), sizes, batch);
    }

    /** The relu/softmax network of {@code sizes}, as its {@code @Network} interface would declare it. */
    private static NetworkSpec denseSpec(String network, int[] sizes) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.input("INPUT", sizes[0]));
        for (int l = 1; l < sizes.length; l++) {
            boolean last = l == sizes.length - 1;
            layers.add(LayerSpec.dense(
                    last ? "OUTPUT" : "HIDDEN" + l, sizes[l], last ? Activation.SOFTMAX : Activation.RELU));
        }
        return new NetworkSpec("workload " + network, Precision.FLOAT, Loss.CROSS_ENTROPY, layers);
    }

    private static int positive(String id, String what, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "workload '" + id + "': " + what + " must be a positive integer, got '" + text + "'");
    }

    /** The name this workload was parsed from. */
    public String id() {
        return id;
    }

    /** The network part of the name, e.g. {@code 784-128-10} or {@code lenet5}. */
    public String network() {
        return network;
    }

    /** The network's layers, their shapes and its parameter blocks. */
    public NetworkSpec spec() {
        return spec;
    }

    /** Whether the network has a recurrent layer (and its input is a sequence). */
    public boolean isRecurrent() {
        return spec.layers().stream().anyMatch(l -> l instanceof LayerSpec.RecurrentSpec);
    }

    /** Whether every layer after the input is dense: the networks that {@link #sizes()} describes. */
    public boolean isDense() {
        return sizes != null;
    }

    /**
     * The layers after the input, one line of text: {@code 128 relu, 10 softmax} for a dense
     * network; for a convolutional one, e.g. {@code 1x28x28, conv 6@5x5 pad 2 relu, max pool 2,
     * ..., 10 softmax}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        List<LayerSpec> layers = spec.layers();
        if (!isDense()) {
            parts.add(
                    spec.shape(0) instanceof Shape.Sequence sequence
                            ? sequence.steps() + " steps of " + sequence.features()
                            : spec.shape(0).describe());
        }
        for (int i = 1; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            if (layer instanceof LayerSpec.Conv2DSpec conv) {
                String pad = conv.padding() == Padding.SAME
                        ? " same"
                        : conv.padHeight() == 0 && conv.padWidth() == 0
                                ? ""
                                : " pad " + pair(conv.padHeight(), conv.padWidth());
                String stride = conv.strideHeight() == 1 && conv.strideWidth() == 1
                        ? ""
                        : " stride " + pair(conv.strideHeight(), conv.strideWidth());
                parts.add("conv " + conv.size() + "@" + conv.kernelHeight() + "x" + conv.kernelWidth() + stride + pad
                        + " " + conv.activation().label());
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                boolean strideIsWindow =
                        pool.strideHeight() == pool.windowHeight() && pool.strideWidth() == pool.windowWidth();
                parts.add((pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "max" : "average") + " pool "
                        + pair(pool.windowHeight(), pool.windowWidth())
                        + (strideIsWindow ? "" : " stride " + pair(pool.strideHeight(), pool.strideWidth())));
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
                parts.add(recurrent.kind().label() + " " + recurrent.size()
                        + (recurrent.returnSequences() ? " sequences" : ""));
            } else if (layer instanceof LayerSpec.GlobalAvgPool2DSpec) {
                parts.add("global average pool");
            } else {
                parts.add(layer.size() + " " + layer.activation().label());
            }
        }
        return String.join(", ", parts);
    }

    /** {@code 2} for a square geometry, {@code 2x3} otherwise. */
    private static String pair(int height, int width) {
        return height == width ? Integer.toString(height) : height + "x" + width;
    }

    /** Layer sizes, input first; dense networks only. */
    public int[] sizes() {
        return dense().clone();
    }

    /** Number of dense layers (one less than the number of sizes); dense networks only. */
    public int denseLayers() {
        return dense().length - 1;
    }

    private int[] dense() {
        if (sizes == null) {
            throw new IllegalStateException("workload '" + id + "' is "
                    + (isRecurrent() ? "recurrent" : "convolutional") + ": read its layers from spec()");
        }
        return sizes;
    }

    /** Features of one sample. */
    public int inputSize() {
        return spec.inputSize();
    }

    /** Classes of the output. */
    public int outputSize() {
        return spec.outputSize();
    }

    /** Samples per batch; 1 for a single-sample workload. */
    public int batch() {
        return batch;
    }

    /** A new Chainrule model of this network, initialised from {@link #SEED}. */
    public FloatModel newChainruleModel() {
        return switch (network()) {
            case "lenet5" -> new LeNet5Model(SEED);
            case "cnn32x64" -> new Cnn32x64Model(SEED);
            case "lstm28" -> new Lstm28Model(SEED);
            case "784-128-10" -> new MnistModel(SEED);
            case "4-16-3" -> new IrisModel(SEED);
            case "784-512-512-10" -> new MnistDeepModel(SEED);
            case "784-64-10" -> new HiddenWidths_Hidden64Model(SEED);
            case "784-256-10" -> new HiddenWidths_Hidden256Model(SEED);
            case "784-512-10" -> new HiddenWidths_Hidden512Model(SEED);
            default ->
                throw new IllegalArgumentException(
                        "workload '" + id + "': no generated network " + network() + "; declare one and add it here");
        };
    }

    /** {@code batch() * inputSize()} features, uniform in [0, 1), one sample after another. */
    public float[] inputs() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        float[] inputs = new float[batch * inputSize()];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = (float) random.nextDouble();
        }
        return inputs;
    }

    /** One class label per sample, uniform over the classes. */
    public int[] labels() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int[] labels = new int[batch];
        for (int r = 0; r < batch; r++) {
            labels[r] = random.nextInt(outputSize());
        }
        return labels;
    }

    /** {@link #labels()} as one-hot rows of {@code outputSize()} values. */
    public float[] oneHotTargets() {
        int[] labels = labels();
        float[] targets = new float[batch * outputSize()];
        for (int r = 0; r < batch; r++) {
            targets[r * outputSize() + labels[r]] = 1;
        }
        return targets;
    }

    /** Sample {@code row} of {@code values}, a flat array of rows {@code width} long. */
    public static float[] row(float[] values, int width, int row) {
        return Arrays.copyOfRange(values, row * width, (row + 1) * width);
    }

    /** {@code values} widened to double. */
    public static double[] toDouble(float[] values) {
        double[] wide = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            wide[k] = values[k];
        }
        return wide;
    }

    /** Flat rows {@code width} long, split into one double array per row. */
    public static double[][] doubleRows(float[] values, int width) {
        double[][] rows = new double[values.length / width][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = toDouble(row(values, width, r));
        }
        return rows;
    }

    /** Index in the parameter array of the weight from input {@code i} to unit {@code j} of dense layer {@code layer} (0 = first); dense networks only. */
    public int weightIndex(int layer, int i, int j) {
        return weightsOffset(layer) + i * sizes[layer + 1] + j;
    }

    /** Index in the parameter array of the bias of unit {@code j} of dense layer {@code layer}; dense networks only. */
    public int biasIndex(int layer, int j) {
        return weightsOffset(layer) + sizes[layer] * sizes[layer + 1] + j;
    }

    private int weightsOffset(int layer) {
        int[] sizes = dense();
        int offset = 0;
        for (int l = 0; l < layer; l++) {
            offset += (sizes[l] + 1) * sizes[l + 1];
        }
        return offset;
    }

    /** Length of the parameter array. */
    public int parameterCount() {
        return spec.parameterCount();
    }

    /** The weights block of layer {@code index} of {@link #spec()} (0 is the input), or null if it has none. */
    public ParameterBlock weights(int index) {
        return block(index, ParameterBlock.Role.WEIGHTS);
    }

    /** The biases block of layer {@code index} of {@link #spec()}, or null if it has none. */
    public ParameterBlock biases(int index) {
        return block(index, ParameterBlock.Role.BIASES);
    }

    /** The block of layer {@code index} of {@link #spec()} with {@code role}, or null if it has none. */
    public ParameterBlock block(int index, ParameterBlock.Role role) {
        String name = spec.layers().get(index).name();
        return spec.parameterBlocks().stream()
                .filter(b -> b.layer().equals(name) && b.role() == role)
                .findFirst()
                .orElse(null);
    }

    /** Weights of the network: the sum of every dense and convolutional layer's weights block. */
    public long weightCount() {
        return spec.parameterBlocks().stream()
                .filter(b -> b.role() == ParameterBlock.Role.WEIGHTS)
                .mapToLong(ParameterBlock::size)
                .sum();
    }

    /**
     * Floating-point operations of layer {@code index}'s forward pass for one sample, counting a
     * multiply-add as two: {@code 2 * inputs * units} for a dense layer, {@code 2 * filters *
     * channels * kh * kw * outHeight * outWidth} for a convolution, {@code 2 * steps * gates * units
     * * (features + units)} for a recurrent layer (the two matrix products of every step), 0 for the
     * input and pooling.
     */
    public long forwardFlop(int index) {
        LayerSpec layer = spec.layers().get(index);
        if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
            Shape.Sequence in = (Shape.Sequence) spec.shape(index - 1);
            return 2L * in.steps() * recurrent.gateUnits() * (in.features() + recurrent.size());
        }
        if (layer instanceof LayerSpec.DenseSpec) {
            return 2L * spec.shape(index - 1).size() * layer.size();
        }
        if (layer instanceof LayerSpec.Conv2DSpec conv) {
            Shape.Image in = (Shape.Image) spec.shape(index - 1);
            Shape.Image out = (Shape.Image) spec.shape(index);
            return 2L
                    * conv.size()
                    * in.channels()
                    * conv.kernelHeight()
                    * conv.kernelWidth()
                    * out.height()
                    * out.width();
        }
        return 0;
    }

    /**
     * Floating-point operations of predicting the whole batch, counting a multiply-add as two:
     * {@code batch} times the sum of the layers' {@link #forwardFlop(int)}. Biases, activations,
     * pooling and softmax are not counted.
     */
    public long predictionFlop() {
        long perSample = 0;
        for (int i = 1; i < spec.layers().size(); i++) {
            perSample += forwardFlop(i);
        }
        return batch * perSample;
    }

    /**
     * Floating-point operations of one streaming step of a recurrent network, counting a
     * multiply-add as two: one step of the recurrent layer ({@link #forwardFlop(int)} over the
     * steps) and every layer after it once.
     */
    public long streamingStepFlop() {
        long flop = 0;
        for (int i = 1; i < spec.layers().size(); i++) {
            long forward = forwardFlop(i);
            flop += spec.layers().get(i) instanceof LayerSpec.RecurrentSpec
                    ? forward / ((Shape.Sequence) spec.shape(i - 1)).steps()
                    : forward;
        }
        return flop;
    }

    /**
     * Floating-point operations of one training step over the batch, counting a multiply-add as
     * two: per sample, the forward pass, the weight gradients (as many as the forward pass: each
     * product is taken once more) and the deltas sent back through every layer with weights but
     * the first (again as many as that layer's forward pass); then the SGD update ({@code 2 *
     * parameters}). For a dense network that is {@code 2 * weights}, {@code 2 * weights} and
     * {@code 2 * (weights - first layer's weights)} per sample; for a convolutional one about
     * three forward passes; a recurrent first layer also sends its deltas back through the
     * recurrent weights at every step ({@code 2 * steps * gates * units * units}). Biases,
     * activations, gates, pooling and softmax are not counted.
     */
    public long trainingStepFlop() {
        long perSample = 0;
        boolean first = true;
        for (int i = 1; i < spec.layers().size(); i++) {
            long forward = forwardFlop(i);
            if (forward == 0) {
                continue;
            }
            long deltas = forward;
            if (first) {
                // Nothing goes back into the input; a recurrent layer still sends every step's
                // deltas back through its recurrent weights to the step before.
                LayerSpec layer = spec.layers().get(i);
                deltas = layer instanceof LayerSpec.RecurrentSpec recurrent
                        ? 2L * ((Shape.Sequence) spec.shape(i - 1)).steps() * recurrent.gateUnits() * recurrent.size()
                        : 0;
            }
            perSample += 2 * forward + deltas;
            first = false;
        }
        return batch * perSample + 2L * parameterCount();
    }

    @Override
    public String toString() {
        return id;
    }
}
