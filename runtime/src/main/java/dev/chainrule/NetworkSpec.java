package dev.chainrule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a network as its {@link Network} interface declares it: layers in order,
 * precision and loss. Every generated model exposes its own as {@code SPEC} and through {@link
 * Model#spec()}. It derives the shape of every layer's output and the blocks of the parameter
 * array once, at construction.
 */
public final class NetworkSpec {
    private final String name;
    private final Precision precision;
    private final Loss loss;
    private final List<LayerSpec> layers;
    /** Derived once, so that the accessors on a serving path allocate nothing. */
    private final List<Shape> shapes;

    private final List<ParameterBlock> blocks;
    private final int parameterCount;

    /**
     * @throws IllegalArgumentException if the layers do not form a network: no input first, an
     *     input later, a layer that cannot read what the layer before writes, or more parameters
     *     than an array holds
     */
    public NetworkSpec(String name, Precision precision, Loss loss, List<LayerSpec> layers) {
        this.name = Objects.requireNonNull(name, "name");
        this.precision = Objects.requireNonNull(precision, "precision");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.layers = layers = List.copyOf(layers);
        if (layers.size() < 2 || layers.get(0).kind() != LayerSpec.Kind.INPUT) {
            throw new IllegalArgumentException("a network is an input layer followed by at least one layer: " + layers);
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).kind() == LayerSpec.Kind.INPUT) {
                throw new IllegalArgumentException("only the first layer may be an input: " + layers);
            }
        }
        long count = 0;
        Shape shape = null;
        for (LayerSpec layer : layers) {
            if (shape != null) {
                count += layer.parameterCount(shape);
            }
            shape = layer.outputShape(shape);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "network " + name + " has " + count + " parameters, more than an array holds");
        }
        this.shapes = computeShapes(layers);
        this.blocks = computeBlocks(layers, shapes);
        this.parameterCount = (int) count;
    }

    /** The fully qualified name of the interface. */
    public String name() {
        return name;
    }

    /** The floating-point type the network computes in. */
    public Precision precision() {
        return precision;
    }

    /** The loss its training methods minimise. */
    public Loss loss() {
        return loss;
    }

    /** The input layer followed by the other layers, in declaration order. */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** Values of one input sample. */
    public int inputSize() {
        return layers.get(0).size();
    }

    /** Values of one output sample: the flat size of the last layer's output. */
    public int outputSize() {
        return outputShape().size();
    }

    /** Activation of the last layer ({@code null} when it has none, as pooling). */
    public Activation outputActivation() {
        return layers.get(layers.size() - 1).activation();
    }

    /** The shape of layer {@code index}'s output; layer 0 is the input. */
    public Shape shape(int index) {
        return shapes.get(index);
    }

    /** The shape of the network's output. */
    public Shape outputShape() {
        return shape(layers.size() - 1);
    }

    /** The output shape of every layer, in order, the input's first. */
    public List<Shape> shapes() {
        return shapes;
    }

    private static List<Shape> computeShapes(List<LayerSpec> layers) {
        List<Shape> shapes = new ArrayList<>(layers.size());
        Shape shape = null;
        for (LayerSpec layer : layers) {
            shape = layer.outputShape(shape);
            shapes.add(shape);
        }
        return List.copyOf(shapes);
    }

    /**
     * Every block of the parameter array, in order: each layer with parameters contributes its
     * weights, then its biases. The blocks tile the array without gaps.
     */
    public List<ParameterBlock> parameterBlocks() {
        return blocks;
    }

    private static List<ParameterBlock> computeBlocks(List<LayerSpec> layers, List<Shape> shapes) {
        List<ParameterBlock> blocks = new ArrayList<>();
        int offset = 0;
        for (int i = 1; i < layers.size(); i++) {
            for (ParameterBlock block : layers.get(i).parameterBlocks(shapes.get(i - 1), offset)) {
                blocks.add(block);
                offset += block.size();
            }
        }
        return List.copyOf(blocks);
    }

    /** Number of trainable parameters: the length of the parameter array. */
    public int parameterCount() {
        return parameterCount;
    }

    /**
     * The canonical text of what determines the parameter layout: every layer's kind, size,
     * geometry and activation, and the precision, e.g. {@code float|input:4|dense:16:relu}. Names,
     * dropout and the loss are not part of it: they do not change what the parameters mean.
     */
    public String canonicalShape() {
        StringBuilder sb = new StringBuilder(precision.label());
        for (LayerSpec layer : layers) {
            sb.append('|').append(layer.canonical());
        }
        return sb.toString();
    }

    /**
     * A 64-bit fingerprint of {@link #canonicalShape()} (the first eight bytes of its SHA-256,
     * big-endian): the same declaration gives the same fingerprint in every build.
     */
    public long fingerprint() {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(canonicalShape().getBytes(StandardCharsets.UTF_8));
            long f = 0;
            for (int i = 0; i < 8; i++) {
                f = (f << 8) | (digest[i] & 0xFF);
            }
            return f;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** A one-line description, e.g. {@code FEATURES 32 -> HIDDEN 64 relu -> CLASSES 2 softmax (float, cross_entropy)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (LayerSpec layer : layers) {
            if (sb.length() > 0) {
                sb.append(" -> ");
            }
            sb.append(layer.name()).append(' ');
            if (layer instanceof LayerSpec.InputSpec in) {
                sb.append(in.shape().describe());
            } else if (layer instanceof LayerSpec.DenseSpec dense) {
                sb.append(dense.size()).append(' ').append(dense.activation().label());
            } else {
                sb.append(layer.describe().substring(layer.name().length() + 1));
            }
            if (layer.dropout() > 0) {
                sb.append(" dropout ").append(layer.dropout());
            }
        }
        return sb.append(" (")
                .append(precision.label())
                .append(", ")
                .append(loss.label())
                .append(')')
                .toString();
    }

    /** Equal when name, precision, loss and layers are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec other
                && name.equals(other.name)
                && precision == other.precision
                && loss == other.loss
                && layers.equals(other.layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, precision, loss, layers);
    }

    @Override
    public String toString() {
        return "NetworkSpec[name=" + name + ", precision=" + precision + ", loss=" + loss + ", layers=" + layers + "]";
    }
}
