package dev.chainrule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a network as its {@link Network} interface declares it: layers in order,
 * precision and loss. Every generated model exposes its own as {@code SPEC} and through {@link
 * Model#spec()}.
 *
 * @param name the fully qualified name of the interface
 * @param precision the floating-point type the network computes in
 * @param loss the loss its training methods minimise
 * @param layers the input layer followed by the dense layers, in declaration order
 */
public record NetworkSpec(String name, Precision precision, Loss loss, List<LayerSpec> layers) {

    public NetworkSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(loss, "loss");
        layers = List.copyOf(layers);
        if (layers.size() < 2 || layers.get(0).kind() != LayerSpec.Kind.INPUT) {
            throw new IllegalArgumentException("a network is an input layer followed by at least one layer: " + layers);
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).kind() == LayerSpec.Kind.INPUT) {
                throw new IllegalArgumentException("only the first layer may be an input: " + layers);
            }
        }
        long count = 0;
        for (int i = 1; i < layers.size(); i++) {
            count += ((long) layers.get(i - 1).size() + 1) * layers.get(i).size();
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network " + name + " has " + count + " parameters, more than an array holds");
        }
    }

    /** Features of one input sample. */
    public int inputSize() {
        return layers.get(0).size();
    }

    /** Values of one output sample: the size of the last layer. */
    public int outputSize() {
        return layers.get(layers.size() - 1).size();
    }

    /** Activation of the last layer. */
    public Activation outputActivation() {
        return layers.get(layers.size() - 1).activation();
    }

    /** Number of trainable parameters: weights and biases of every dense layer. */
    public int parameterCount() {
        int count = 0;
        for (int i = 1; i < layers.size(); i++) {
            count += (layers.get(i - 1).size() + 1) * layers.get(i).size();
        }
        return count;
    }

    /**
     * The canonical text of what determines the parameter layout: layer kinds, sizes and
     * activations, and the precision. Names, dropout and the loss are not part of it: they do not
     * change what the parameters mean.
     */
    public String canonicalShape() {
        StringBuilder sb = new StringBuilder(precision.label());
        for (LayerSpec layer : layers) {
            sb.append('|').append(layer.kind().name().toLowerCase(java.util.Locale.ROOT)).append(':').append(layer.size());
            if (layer.activation() != null) {
                sb.append(':').append(layer.activation().label());
            }
        }
        return sb.toString();
    }

    /**
     * A 64-bit fingerprint of {@link #canonicalShape()} (the first eight bytes of its SHA-256,
     * big-endian): the same declaration gives the same fingerprint in every build.
     */
    public long fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalShape().getBytes(StandardCharsets.UTF_8));
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
            sb.append(layer.name()).append(' ').append(layer.size());
            if (layer.activation() != null) {
                sb.append(' ').append(layer.activation().label());
            }
            if (layer.dropout() > 0) {
                sb.append(" dropout ").append(layer.dropout());
            }
        }
        return sb.append(" (").append(precision.label()).append(", ").append(loss.label()).append(')').toString();
    }
}
