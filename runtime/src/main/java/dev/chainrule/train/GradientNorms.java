package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.ParameterBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each layer's gradient norm during an epoch: after every mini-batch's mean gradient is
 * reduced into the model's gradient array and before the optimizer steps, the L2 norm of each
 * layer's slice of that array (all its {@link ParameterBlock}s), added to a per-layer sum; the
 * epoch's figure is that sum over the number of batches. Allocated once per {@code fit}; {@link
 * #measure} allocates nothing.
 */
final class GradientNorms {
    /** The layers that own parameters, in the order of their first block. */
    private final List<String> layers;
    /** Each block's first index, its end (exclusive) and its layer's number. */
    private final int[] from;

    private final int[] to;
    private final int[] layerOf;
    /** Per layer: the current batch's sum of squares, and the epoch's sum of norms. */
    private final double[] squares;

    private final double[] sums;
    private int batches;

    private GradientNorms(List<String> layers, int[] from, int[] to, int[] layerOf) {
        this.layers = List.copyOf(layers);
        this.from = from;
        this.to = to;
        this.layerOf = layerOf;
        this.squares = new double[layers.size()];
        this.sums = new double[layers.size()];
    }

    /**
     * The layers of {@code model}'s {@link dev.chainrule.NetworkSpec#parameterBlocks() parameter
     * blocks}; none if a block falls outside its parameter array (a hand-written model whose spec
     * does not describe its layout).
     */
    static GradientNorms of(Model model) {
        List<ParameterBlock> blocks = model.spec().parameterBlocks();
        int count = model.parameterCount();
        List<String> layers = new ArrayList<>();
        int[] from = new int[blocks.size()];
        int[] to = new int[blocks.size()];
        int[] layerOf = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            ParameterBlock block = blocks.get(b);
            long end = (long) block.offset() + block.size();
            if (end > count) {
                return new GradientNorms(List.of(), new int[0], new int[0], new int[0]);
            }
            int layer = layers.indexOf(block.layer());
            if (layer < 0) {
                layer = layers.size();
                layers.add(block.layer());
            }
            from[b] = block.offset();
            to[b] = (int) end;
            layerOf[b] = layer;
        }
        return new GradientNorms(layers, from, to, layerOf);
    }

    /** The layers measured, in order. */
    List<String> layers() {
        return layers;
    }

    /** Adds each layer's norm of the session's current (reduced, mean) batch gradient. */
    void measure(Session session) {
        java.util.Arrays.fill(squares, 0);
        for (int b = 0; b < from.length; b++) {
            squares[layerOf[b]] += session.gradientSquares(from[b], to[b]);
        }
        for (int l = 0; l < sums.length; l++) {
            sums[l] += Math.sqrt(squares[l]);
        }
        batches++;
    }

    /** The epoch's mean norm per layer, in order, and starts the next epoch's sums. */
    Map<String, Double> endEpoch() {
        Map<String, Double> norms = new LinkedHashMap<>();
        for (int l = 0; l < sums.length; l++) {
            norms.put(layers.get(l), batches == 0 ? Double.NaN : sums[l] / batches);
        }
        java.util.Arrays.fill(sums, 0);
        batches = 0;
        return Collections.unmodifiableMap(norms);
    }
}
