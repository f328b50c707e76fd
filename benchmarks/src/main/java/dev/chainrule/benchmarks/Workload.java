package dev.chainrule.benchmarks;

import dev.chainrule.FloatModel;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One piece of benchmarked work: a network, given by its layer sizes, and the batch it runs on.
 * Every network here has relu hidden layers, a softmax output and the cross-entropy loss.
 *
 * <p>JMH parameters name workloads as text: a network as {@code "784-128-10"} (one sample), a
 * training step as {@code "784-128-10:32"} (the network, then the batch size). Every
 * implementation, Chainrule or peer, starts from the same parameters (Chainrule's seeded
 * initialisation, laid out as {@link dev.chainrule.Model} documents) and the same seeded
 * inputs and labels, so their outputs and updates can be compared before anything is timed.
 */
public final class Workload {
    /** Seed of every model's initialisation. */
    public static final long SEED = 1L;
    /** Learning rate of every training step (plain SGD on the mean loss of the batch). */
    public static final float LEARNING_RATE = 0.01f;

    private final String id;
    private final int[] sizes;
    private final int batch;

    private Workload(String id, int[] sizes, int batch) {
        this.id = id;
        this.sizes = sizes;
        this.batch = batch;
    }

    /**
     * Reads a workload name: {@code "784-128-10"} or {@code "784-128-10:32"}.
     *
     * @throws IllegalArgumentException naming the bad part if the text is not of that form
     */
    public static Workload parse(String id) {
        String[] networkAndBatch = id.split(":", -1);
        if (networkAndBatch.length > 2) {
            throw new IllegalArgumentException("workload '" + id + "': expected NETWORK or NETWORK:BATCH");
        }
        String[] parts = networkAndBatch[0].split("-", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("workload '" + id + "': expected at least two layer sizes joined by '-'");
        }
        int[] sizes = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            sizes[k] = positive(id, "layer size " + k, parts[k]);
        }
        int batch = networkAndBatch.length == 2 ? positive(id, "batch size", networkAndBatch[1]) : 1;
        return new Workload(id, sizes, batch);
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
        throw new IllegalArgumentException("workload '" + id + "': " + what + " must be a positive integer, got '" + text + "'");
    }

    /** The name this workload was parsed from. */
    public String id() {
        return id;
    }

    /** The network part of the name, e.g. {@code 784-128-10}. */
    public String network() {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    /** Layer sizes, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Number of dense layers (one less than the number of sizes). */
    public int denseLayers() {
        return sizes.length - 1;
    }

    /** Features of one sample. */
    public int inputSize() {
        return sizes[0];
    }

    /** Classes of the output. */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Samples per batch; 1 for a single-sample workload. */
    public int batch() {
        return batch;
    }

    /** A new Chainrule model of this network, initialised from {@link #SEED}. */
    public FloatModel newChainruleModel() {
        return switch (network()) {
            case "784-128-10" -> new MnistModel(SEED);
            case "4-16-3" -> new IrisModel(SEED);
            case "784-512-512-10" -> new MnistDeepModel(SEED);
            case "784-64-10" -> new HiddenWidths_Hidden64Model(SEED);
            case "784-256-10" -> new HiddenWidths_Hidden256Model(SEED);
            case "784-512-10" -> new HiddenWidths_Hidden512Model(SEED);
            default -> throw new IllegalArgumentException("workload '" + id + "': no generated network "
                    + network() + "; declare one and add it here");
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

    /** Index in the parameter array of the weight from input {@code i} to unit {@code j} of dense layer {@code layer} (0 = first). */
    public int weightIndex(int layer, int i, int j) {
        return weightsOffset(layer) + i * sizes[layer + 1] + j;
    }

    /** Index in the parameter array of the bias of unit {@code j} of dense layer {@code layer}. */
    public int biasIndex(int layer, int j) {
        return weightsOffset(layer) + sizes[layer] * sizes[layer + 1] + j;
    }

    private int weightsOffset(int layer) {
        int offset = 0;
        for (int l = 0; l < layer; l++) {
            offset += (sizes[l] + 1) * sizes[l + 1];
        }
        return offset;
    }

    /** Length of the parameter array. */
    public int parameterCount() {
        return weightsOffset(denseLayers());
    }

    /** Weights of the network: the sum over dense layers of inputs times units. */
    public long weightCount() {
        long weights = 0;
        for (int l = 0; l < denseLayers(); l++) {
            weights += (long) sizes[l] * sizes[l + 1];
        }
        return weights;
    }

    /**
     * Floating-point operations of predicting the whole batch, counting a multiply-add as two:
     * {@code 2 * batch * weights}. Biases, activations and softmax are not counted.
     */
    public long predictionFlop() {
        return 2L * batch * weightCount();
    }

    /**
     * Floating-point operations of one training step over the batch, counting a multiply-add as
     * two: per sample, the forward pass ({@code 2 * weights}), the weight gradients ({@code 2 *
     * weights}) and the deltas sent back through every layer but the first ({@code 2 * (weights -
     * first layer's weights)}); then the SGD update ({@code 2 * parameters}). Biases, activations
     * and softmax are not counted.
     */
    public long trainingStepFlop() {
        long firstLayer = (long) sizes[0] * sizes[1];
        long perSample = 2 * weightCount() + 2 * weightCount() + 2 * (weightCount() - firstLayer);
        return batch * perSample + 2L * parameterCount();
    }

    @Override
    public String toString() {
        return id;
    }
}
