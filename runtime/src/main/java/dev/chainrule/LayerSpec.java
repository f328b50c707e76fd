package dev.chainrule;

import java.util.Objects;

/**
 * One layer of a {@link NetworkSpec}, as declared by a field of a {@link Network} interface.
 *
 * @param name the field's name, e.g. {@code HIDDEN}
 * @param kind what the layer computes
 * @param size the field's value: features of the input, units of a dense layer
 * @param activation the activation of a dense layer; {@code null} for the input
 * @param dropout the fraction of the layer's outputs dropped in training mode, in {@code [0, 1)}
 */
public record LayerSpec(String name, Kind kind, int size, Activation activation, double dropout) {

    /** The kinds of layer a network is built from. */
    public enum Kind {
        /** The network's input: {@code size} features, no parameters. */
        INPUT,
        /** A fully connected layer with weights and biases. */
        DENSE
    }

    public LayerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (size < 1) {
            throw new IllegalArgumentException("layer " + name + " has size " + size + ", expected at least 1");
        }
        if ((kind == Kind.DENSE) != (activation != null)) {
            throw new IllegalArgumentException("layer " + name + ": a dense layer has an activation, an input has none");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("layer " + name + " has dropout " + dropout + ", expected a value in [0, 1)");
        }
    }

    /** A layer without dropout. */
    public LayerSpec(String name, Kind kind, int size, Activation activation) {
        this(name, kind, size, activation, 0);
    }

    /** An input layer of {@code size} features. */
    public static LayerSpec input(String name, int size) {
        return new LayerSpec(name, Kind.INPUT, size, null);
    }

    /** A dense layer of {@code size} units. */
    public static LayerSpec dense(String name, int size, Activation activation) {
        return new LayerSpec(name, Kind.DENSE, size, Objects.requireNonNull(activation, "activation"));
    }

    /** A dense layer of {@code size} units whose outputs are dropped with probability {@code dropout} in training. */
    public static LayerSpec dense(String name, int size, Activation activation, double dropout) {
        return new LayerSpec(name, Kind.DENSE, size, Objects.requireNonNull(activation, "activation"), dropout);
    }

    /** A short description, e.g. {@code HIDDEN dense 64 relu dropout 0.5}. */
    public String describe() {
        return kind == Kind.INPUT
                ? name + " input " + size
                : name + " dense " + size + " " + activation.label() + (dropout > 0 ? " dropout " + dropout : "");
    }
}
