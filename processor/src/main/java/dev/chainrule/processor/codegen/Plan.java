package dev.chainrule.processor.codegen;

import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * How a validated network becomes code: where each layer's parameters live and, per layer,
 * whether its arithmetic is unrolled into straight-line statements or written as loops with
 * constant bounds.
 *
 * <p>Unrolling pays for tiny layers, where loop overhead dominates, and stops paying around
 * 32x32, where loops vectorize and straight-line code stays scalar. It is also bounded by the
 * size of a method: HotSpot does not compile one over 8,000 bytes of bytecode. Unrolled code is
 * therefore split into parts whose estimated size ({@link #partRows}) stays under {@link
 * #PART_BYTES}; a layer wider than {@link #MAX_UNROLLED_WIDTH} in either direction is never
 * unrolled (one statement row of it would not leave room), and the network's unrolled weights
 * are capped at {@link #MAX_UNROLLED_WEIGHTS} to bound the class's constant pool.
 *
 * @param network the validated network
 * @param layers one entry per dense layer, in order
 * @param parameterCount length of the parameter array
 */
public record Plan(NetworkModel network, List<DensePlan> layers, int parameterCount) {

    /** Default largest layer ({@code inputs x units}) that is unrolled. */
    public static final int DEFAULT_UNROLL_LIMIT = 256;
    /** Estimated bytecode of one part of unrolled code, at most: well under HotSpot's 8,000. */
    public static final int PART_BYTES = 5000;
    /** Most inputs or units of an unrolled layer. */
    public static final int MAX_UNROLLED_WIDTH = 128;
    /** Most weights unrolled in one network. */
    public static final int MAX_UNROLLED_WEIGHTS = 16_384;

    /**
     * One dense layer's plan.
     *
     * @param layer the layer
     * @param input the layer feeding it (the network's input or the previous dense layer)
     * @param weights offset of its weights in the parameter array
     * @param biases offset of its biases
     * @param unrolled whether its arithmetic is straight-line code
     */
    public record DensePlan(Layer.Dense layer, Layer input, int weights, int biases, boolean unrolled) {
        /** Number of inputs. */
        public int in() {
            return input.size();
        }

        /** Number of units. */
        public int out() {
            return layer.size();
        }

        /** The name of the layer. */
        public String name() {
            return layer.name();
        }

        /** The previous dense layer, whose delta this layer's backward pass computes, or {@code null}. */
        public Layer.Dense previousDense() {
            return input instanceof Layer.Dense d ? d : null;
        }
    }

    /** Plans {@code network}, unrolling layers of at most {@code unrollLimit} weights. */
    public static Plan of(NetworkModel network, int unrollLimit) {
        List<DensePlan> plans = new ArrayList<>();
        List<Layer> layers = network.layers();
        int offset = 0;
        int unrolledWeights = 0;
        for (int i = 1; i < layers.size(); i++) {
            Layer.Dense dense = (Layer.Dense) layers.get(i);
            Layer input = layers.get(i - 1);
            int weightCount = input.size() * dense.size();
            boolean unroll = weightCount <= unrollLimit
                    && input.size() <= MAX_UNROLLED_WIDTH
                    && dense.size() <= MAX_UNROLLED_WIDTH
                    && unrolledWeights + weightCount <= MAX_UNROLLED_WEIGHTS;
            if (unroll) {
                unrolledWeights += weightCount;
            }
            plans.add(new DensePlan(dense, input, offset, offset + weightCount, unroll));
            offset += weightCount + dense.size();
        }
        return new Plan(network, plans, offset);
    }

    /**
     * How many rows of unrolled statements one part holds, when the part first loads {@code
     * locals} values into local variables and each row costs {@code rowBytes}. Estimates from
     * javac's output: a local load and store about 12 bytes; a multiply-add reading a weight
     * about 12 bytes, one updating a gradient about 18; a row's store and derivative call about 40.
     */
    public static int partRows(int locals, int rowBytes) {
        return Math.max(1, (PART_BYTES - 12 * locals) / rowBytes);
    }

    /** Rows a generated model carries through its layers at once in batch methods. */
    public static final int BLOCK_ROWS = 32;

    /**
     * Whether batch methods go through the layers a block of rows at a time (matrix products)
     * rather than row by row: worth it once a layer is large enough to be written as loops.
     */
    public boolean batched() {
        return layers.stream().anyMatch(l -> !l.unrolled());
    }

    /** The output layer's plan. */
    public DensePlan output() {
        return layers.get(layers.size() - 1);
    }
}
