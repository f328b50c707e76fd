package dev.chainrule.processor.codegen;

import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Shape;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * How a validated network becomes code: each layer's shapes and the offsets of its parameter
 * blocks (from the runtime's {@link NetworkSpec}, the one source of the layout) and, for dense
 * layers, whether their arithmetic is unrolled into straight-line statements or written as
 * loops with constant bounds.
 *
 * <p>Unrolling pays for tiny layers, where loop overhead dominates, and stops paying around
 * 32x32, where loops vectorize and straight-line code stays scalar. It is also bounded by the
 * size of a method: HotSpot does not compile one over 8,000 bytes of bytecode. Unrolled code is
 * therefore split into parts whose estimated size ({@link #partRows}) stays under {@link
 * #PART_BYTES}; a layer wider than {@link #MAX_UNROLLED_WIDTH} in either direction is never
 * unrolled (one statement row of it would not leave room), and the network's unrolled weights
 * are capped at {@link #MAX_UNROLLED_WEIGHTS} to bound the class's constant pool. Convolution
 * and pooling are always loops (their bounds are constants).
 *
 * @param network the validated network
 * @param spec the runtime's description of it
 * @param layers one entry per layer after the input, in order
 * @param parameterCount length of the parameter array
 */
public record Plan(NetworkModel network, NetworkSpec spec, List<LayerPlan> layers, int parameterCount) {

    /** Default largest layer ({@code inputs x units}) that is unrolled. */
    public static final int DEFAULT_UNROLL_LIMIT = 256;
    /** Estimated bytecode of one part of unrolled code, at most: well under HotSpot's 8,000. */
    public static final int PART_BYTES = 5000;
    /** Most inputs or units of an unrolled layer. */
    public static final int MAX_UNROLLED_WIDTH = 128;
    /** Most weights unrolled in one network. */
    public static final int MAX_UNROLLED_WEIGHTS = 16_384;

    /** The plan of one layer after the input. */
    public sealed interface LayerPlan
            permits DensePlan, ConvPlan, PoolPlan, GlobalPoolPlan, RecurrentPlan, StepDensePlan, FixedPointPlan {
        /** The layer. */
        Layer layer();

        /** The layer feeding it. */
        Layer input();

        /** The name of the layer. */
        default String name() {
            return layer().name();
        }

        /** The layer before, whose delta this layer's backward pass computes, or {@code null} after the input. */
        default Layer previous() {
            return input() instanceof Layer.Input ? null : input();
        }
    }

    /**
     * One dense layer's plan.
     *
     * @param layer the layer
     * @param input the layer feeding it
     * @param in number of inputs (the flat size of what {@code input} writes)
     * @param weights offset of its weights in the parameter array
     * @param biases offset of its biases
     * @param unrolled whether its arithmetic is straight-line code
     */
    public record DensePlan(Layer.Dense layer, Layer input, int in, int weights, int biases, boolean unrolled)
            implements LayerPlan {
        /** Number of units. */
        public int out() {
            return layer.size();
        }
    }

    /** A convolution's plan: its geometry, its input and output shapes, its parameter offsets. */
    public record ConvPlan(
            Layer.Conv2D layer,
            Layer input,
            LayerSpec.Conv2DSpec spec,
            Shape.Image in,
            Shape.Image out,
            int weights,
            int biases)
            implements LayerPlan {
        /** Values of one filter's kernel: {@code channels x kh x kw}, the rows of the patch matrix. */
        public int patch() {
            return in.channels() * spec.kernelHeight() * spec.kernelWidth();
        }

        /** Output positions of one channel: {@code height x width}, the columns of the patch matrix. */
        public int positions() {
            return out.plane();
        }
    }

    /** A max or average pooling layer's plan. */
    public record PoolPlan(Layer.Pool2D layer, Layer input, LayerSpec.Pool2DSpec spec, Shape.Image in, Shape.Image out)
            implements LayerPlan {}

    /** A global average pooling layer's plan. */
    public record GlobalPoolPlan(Layer.GlobalAvgPool2D layer, Layer input, Shape.Image in) implements LayerPlan {}

    /**
     * A recurrent layer's plan: its kind and units, the sequence it reads, and the offsets of its
     * four parameter blocks.
     */
    public record RecurrentPlan(
            Layer.Recurrent layer,
            Layer input,
            LayerSpec.RecurrentSpec spec,
            Shape.Sequence in,
            int weights,
            int recurrentWeights,
            int biases,
            int recurrentBiases)
            implements LayerPlan {}

    /** A fixed-point layer's plan: its input's flat size and its parameter offsets. */
    public record FixedPointPlan(
            Layer.FixedPoint layer, Layer input, int in, int weights, int recurrentWeights, int biases)
            implements LayerPlan {}

    /** A dense layer per step's plan: the sequence it reads and its parameter offsets. */
    public record StepDensePlan(Layer.Dense layer, Layer input, Shape.Sequence in, int weights, int biases)
            implements LayerPlan {}

    /** Plans {@code network}, unrolling dense layers of at most {@code unrollLimit} weights. */
    public static Plan of(NetworkModel network, int unrollLimit) {
        NetworkSpec spec = network.toSpec();
        List<Shape> shapes = spec.shapes();
        List<ParameterBlock> blocks = spec.parameterBlocks();
        List<LayerPlan> plans = new ArrayList<>();
        List<Layer> layers = network.layers();
        int unrolledWeights = 0;
        for (int i = 1; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Layer input = layers.get(i - 1);
            Shape in = shapes.get(i - 1);
            if (layer instanceof Layer.Dense dense && dense.perStep()) {
                plans.add(new StepDensePlan(
                        dense,
                        input,
                        (Shape.Sequence) in,
                        offset(blocks, dense.name(), ParameterBlock.Role.WEIGHTS),
                        offset(blocks, dense.name(), ParameterBlock.Role.BIASES)));
            } else if (layer instanceof Layer.Dense dense) {
                int weightCount = in.size() * dense.size();
                boolean unroll = weightCount <= unrollLimit
                        && in.size() <= MAX_UNROLLED_WIDTH
                        && dense.size() <= MAX_UNROLLED_WIDTH
                        && unrolledWeights + weightCount <= MAX_UNROLLED_WEIGHTS;
                if (unroll) {
                    unrolledWeights += weightCount;
                }
                plans.add(new DensePlan(
                        dense,
                        input,
                        in.size(),
                        offset(blocks, dense.name(), ParameterBlock.Role.WEIGHTS),
                        offset(blocks, dense.name(), ParameterBlock.Role.BIASES),
                        unroll));
            } else if (layer instanceof Layer.Conv2D conv) {
                plans.add(new ConvPlan(
                        conv,
                        input,
                        conv.toSpec(),
                        (Shape.Image) in,
                        (Shape.Image) shapes.get(i),
                        offset(blocks, conv.name(), ParameterBlock.Role.WEIGHTS),
                        offset(blocks, conv.name(), ParameterBlock.Role.BIASES)));
            } else if (layer instanceof Layer.Pool2D pool) {
                plans.add(new PoolPlan(pool, input, pool.toSpec(), (Shape.Image) in, (Shape.Image) shapes.get(i)));
            } else if (layer instanceof Layer.Recurrent recurrent) {
                String n = recurrent.name();
                plans.add(new RecurrentPlan(
                        recurrent,
                        input,
                        recurrent.toSpec(),
                        (Shape.Sequence) in,
                        offset(blocks, n, ParameterBlock.Role.WEIGHTS),
                        offset(blocks, n, ParameterBlock.Role.RECURRENT_WEIGHTS),
                        offset(blocks, n, ParameterBlock.Role.BIASES),
                        offset(blocks, n, ParameterBlock.Role.RECURRENT_BIASES)));
            } else if (layer instanceof Layer.FixedPoint fixed) {
                String n = fixed.name();
                plans.add(new FixedPointPlan(
                        fixed,
                        input,
                        in.size(),
                        offset(blocks, n, ParameterBlock.Role.WEIGHTS),
                        offset(blocks, n, ParameterBlock.Role.RECURRENT_WEIGHTS),
                        offset(blocks, n, ParameterBlock.Role.BIASES)));
            } else if (layer instanceof Layer.GlobalAvgPool2D global) {
                plans.add(new GlobalPoolPlan(global, input, (Shape.Image) in));
            } else {
                throw new IllegalStateException("no plan for layer " + layer.name());
            }
        }
        return new Plan(network, spec, plans, spec.parameterCount());
    }

    private static int offset(List<ParameterBlock> blocks, String layer, ParameterBlock.Role role) {
        for (ParameterBlock block : blocks) {
            if (block.layer().equals(layer) && block.role() == role) {
                return block.offset();
            }
        }
        throw new IllegalStateException("layer " + layer + " has no " + role + " block");
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
     * rather than row by row: worth it once a dense layer is large enough to be written as loops,
     * and always with image and recurrent layers, whose per-sample products are too small to run fast.
     */
    public boolean batched() {
        return layers.stream().anyMatch(l -> !(l instanceof DensePlan d) || !d.unrolled());
    }

    /** The dense layers' plans, in order. */
    public List<DensePlan> denseLayers() {
        List<DensePlan> dense = new ArrayList<>();
        for (LayerPlan layer : layers) {
            if (layer instanceof DensePlan d) {
                dense.add(d);
            }
        }
        return dense;
    }

    /** The output layer's plan. */
    public LayerPlan output() {
        return layers.get(layers.size() - 1);
    }
}
