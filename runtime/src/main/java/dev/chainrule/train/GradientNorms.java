package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.ParameterBlock;
import dev.chainrule.optim.RangeOptimizer;
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
 *
 * <p>The squares are summed in pieces, each parameter block cut at the multiples of {@link
 * RangeOptimizer#BLOCK}: the session's threads sum the pieces of the blocks of values they reduce
 * ({@link #measureBlock}), and {@link #measure} adds them in a fixed order, so the norms are the
 * same bits on any number of threads.
 */
final class GradientNorms {
    /** The layers that own parameters, in the order of their first block. */
    private final List<String> layers;
    /** Each block's first index and its layer's number. */
    private final int[] from;

    private final int[] layerOf;
    /** Per layer: the current batch's sum of squares, and the epoch's sum of norms. */
    private final double[] squares;

    private final double[] sums;
    /**
     * The pieces in order: each parameter block's range cut at the multiples of {@link
     * RangeOptimizer#BLOCK}; a piece's start, end, block, and sum of squares of the current batch.
     */
    private final int[] pieceFrom;

    private final int[] pieceTo;
    private final int[] pieceBlock;
    private final double[] pieceSquares;
    /** The pieces that lie in value block {@code k}: from {@code firstPiece[k]} to {@code firstPiece[k + 1]}. */
    private final int[] firstPiece;

    private final int[] piecesByBlock;
    private int batches;

    private GradientNorms(List<String> layers, int[] from, int[] to, int[] layerOf, int parameters) {
        this.layers = List.copyOf(layers);
        this.from = from;
        this.layerOf = layerOf;
        this.squares = new double[layers.size()];
        this.sums = new double[layers.size()];
        int pieces = 0;
        for (int b = 0; b < from.length; b++) {
            pieces += to[b] > from[b] ? (to[b] - 1) / RangeOptimizer.BLOCK - from[b] / RangeOptimizer.BLOCK + 1 : 0;
        }
        this.pieceFrom = new int[pieces];
        this.pieceTo = new int[pieces];
        this.pieceBlock = new int[pieces];
        this.pieceSquares = new double[pieces];
        int blocks = RangeOptimizer.blocks(parameters);
        int[] counts = new int[blocks + 1];
        int p = 0;
        for (int b = 0; b < from.length; b++) {
            for (int start = from[b]; start < to[b]; p++) {
                int end = Math.min(to[b], (start / RangeOptimizer.BLOCK + 1) * RangeOptimizer.BLOCK);
                pieceFrom[p] = start;
                pieceTo[p] = end;
                pieceBlock[p] = b;
                counts[start / RangeOptimizer.BLOCK + 1]++;
                start = end;
            }
        }
        for (int k = 0; k < blocks; k++) {
            counts[k + 1] += counts[k];
        }
        this.firstPiece = counts.clone();
        this.piecesByBlock = new int[pieces];
        int[] next = counts;
        for (int q = 0; q < pieces; q++) {
            piecesByBlock[next[pieceFrom[q] / RangeOptimizer.BLOCK]++] = q;
        }
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
                return new GradientNorms(List.of(), new int[0], new int[0], new int[0], count);
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
        return new GradientNorms(layers, from, to, layerOf, count);
    }

    /** The layers measured, in order. */
    List<String> layers() {
        return layers;
    }

    /**
     * Sums the squares of the pieces in value block {@code k} ({@code [k * BLOCK, (k + 1) *
     * BLOCK)}) of the session's current (reduced, mean) batch gradient; any thread, concurrently
     * with other blocks.
     */
    void measureBlock(Session session, int k) {
        if (k + 1 >= firstPiece.length) {
            return; // past the parameter blocks
        }
        for (int i = firstPiece[k]; i < firstPiece[k + 1]; i++) {
            int p = piecesByBlock[i];
            pieceSquares[p] = session.gradientSquares(pieceFrom[p], pieceTo[p]);
        }
    }

    /**
     * Adds each layer's norm of the current batch gradient, once {@link #measureBlock} has run for
     * every block: each parameter block's pieces in order, then the blocks into their layers in
     * order.
     */
    void measure() {
        java.util.Arrays.fill(squares, 0);
        int p = 0;
        for (int b = 0; b < from.length; b++) {
            double block = 0;
            for (; p < pieceBlock.length && pieceBlock[p] == b; p++) {
                block += pieceSquares[p];
            }
            squares[layerOf[b]] += block;
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
