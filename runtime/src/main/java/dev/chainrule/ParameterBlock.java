package dev.chainrule;

import java.util.List;
import java.util.Objects;

/**
 * One block of a network's parameter array: a layer's weights or its biases, where they start,
 * and how their values are laid out. {@link NetworkSpec#parameterBlocks()} lists them in order;
 * initialisation, model files, optimizer options and the documentation all read them.
 *
 * @param layer the name of the layer that owns the block
 * @param role what the values are
 * @param offset index of the block's first value in the parameter array
 * @param dimensions the block's extent on each axis, outermost first (row-major)
 * @param axes a name for each axis, e.g. {@code [inputs, units]} or {@code [filters, channels,
 *     kernelHeight, kernelWidth]}
 */
public record ParameterBlock(String layer, Role role, int offset, List<Integer> dimensions, List<String> axes) {

    /** What a block's parameters do. */
    public enum Role {
        /** Multiplies the layer's inputs. */
        WEIGHTS,
        /** Added to each output unit or channel. */
        BIASES,
        /** Multiplies a recurrent layer's state of the step before. */
        RECURRENT_WEIGHTS,
        /** Added to a recurrent layer's product with its state (PyTorch's {@code bias_hh}). */
        RECURRENT_BIASES;

        /** Whether the block holds biases (which, among others, take no weight decay). */
        public boolean isBias() {
            return this == BIASES || this == RECURRENT_BIASES;
        }
    }

    public ParameterBlock {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(role, "role");
        dimensions = List.copyOf(dimensions);
        axes = List.copyOf(axes);
        if (dimensions.size() != axes.size() || dimensions.isEmpty()) {
            throw new IllegalArgumentException(
                    "block of " + layer + ": " + dimensions + " does not match axes " + axes);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("block of " + layer + " starts at " + offset);
        }
    }

    /** Number of values in the block. */
    public int size() {
        int size = 1;
        for (int d : dimensions) {
            size *= d;
        }
        return size;
    }

    /** A short description, e.g. {@code HIDDEN weights [inputs 4][units 16] at 0}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(layer)
                .append(' ')
                .append(role.name().toLowerCase(java.util.Locale.ROOT))
                .append(' ');
        for (int i = 0; i < axes.size(); i++) {
            sb.append('[')
                    .append(axes.get(i))
                    .append(' ')
                    .append(dimensions.get(i))
                    .append(']');
        }
        return sb.append(" at ").append(offset).toString();
    }
}
