package dev.chainrule.train;

// double twin: DoubleSession (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.RangeOptimizer;

/** The {@link Session} of a {@link FloatModel} and its {@code float} data. */
final class FloatSession extends Session {
    private final Batches batches;
    private final float[] parameters;
    private final float[] gradients;
    private final FloatModel[] shards;
    private final int in;
    private final int out;
    private int rows;
    private float weight;
    /**
     * The current batch's row weights, when its rows are weighted (sample weights on the data,
     * class weights on the trainer); {@code null} otherwise.
     */
    private float[] rowWeights;
    /** The weight of each class, or {@code null} when only sample weights weigh the rows. */
    private double[] classWeights;

    private FloatSession(
            FloatModel model,
            Dataset train,
            int batchSize,
            long seed,
            int threads,
            int shardRows,
            FloatModel[] shards) {
        super(
                model,
                model.parameters(),
                model.parameters().clone(),
                model.parameters().clone(),
                threads,
                shardRows,
                shards);
        this.batches = train == null ? null : train.batches(batchSize, seed);
        this.parameters = model.parameters();
        this.gradients = model.gradients();
        this.shards = shards;
        this.in = model.inputSize();
        this.out = model.outputSize();
        if (batches != null && batches.hasSampleWeights()) {
            this.rowWeights = new float[batchSize];
        }
    }

    /** A session over {@code train}, its batches cut into shards of {@code shardRows} rows run on {@code threads} threads. */
    static FloatSession of(FloatModel model, Dataset train, int batchSize, long seed, int threads, int shardRows) {
        FloatModel[] shards = new FloatModel[shardCount(batchSize, shardRows)];
        shards[0] = model;
        for (int s = 1; s < shards.length; s++) {
            shards[s] = model.withSharedParameters();
        }
        return new FloatSession(model, train, batchSize, seed, threads, shardRows, shards);
    }

    /** A session whose batches and their gradients come from {@code source}, on the caller's thread. */
    static FloatSession of(FloatModel model, GradientSource source, int batchSize, long seed, int shardRows) {
        FloatSession session = new FloatSession(model, null, batchSize, seed, 1, shardRows, new FloatModel[] {model});
        session.remote = source.open(model, batchSize, seed, shardRows);
        return session;
    }

    /** The evaluation of {@code data} through this session's models, on its threads. */
    Predictions predictions(Dataset data, String role) {
        return Predictions.of(shards, workers, data, role);
    }

    @Override
    AbstractBatches batches() {
        return batches;
    }

    @Override
    void weighClasses(double[] perClass) {
        this.classWeights = perClass.clone();
        if (rowWeights == null) {
            this.rowWeights = new float[batches.batchSize()];
        }
    }

    @Override
    void prepare(int rows) {
        this.rows = rows;
        if (rowWeights == null) {
            this.weight = 1f / rows;
            return;
        }
        double[] sample = batches.hasSampleWeights() ? batches.sampleWeights() : null;
        float[] targets = batches.targets();
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double w = sample != null ? sample[r] : 1;
            if (classWeights != null) {
                w *= classWeights[classOf(targets, r * out, out)];
            }
            rowWeights[r] = (float) w;
            sum += rowWeights[r];
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("every row of this batch of " + rows + " has weight 0, so its"
                    + " weighted mean loss sum(w * loss) / sum(w) is undefined: give some of its rows a weight");
        }
        this.weightSum = sum;
        this.weight = (float) (1 / sum);
    }

    /**
     * The class of the target row at {@code targets[to ..]} of {@code out} values: the index of
     * its largest value (the first of equals), or for a single target, 1 if it is at least 0.5,
     * else 0.
     */
    static int classOf(float[] targets, int to, int out) {
        if (out == 1) {
            return targets[to] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < out; k++) {
            if (targets[to + k] > targets[to + best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    void accumulateShard(int s) {
        FloatModel shard = shards[s];
        int from = s * shardRows;
        shard.zeroGradients();
        int n = Math.min(shardRows, rows - from);
        shardLosses[s] = rowWeights == null
                ? shard.accumulateGradientsBatch(batches.inputs(), from * in, batches.targets(), from * out, n, weight)
                : shard.accumulateGradientsBatch(
                        batches.inputs(), from * in, batches.targets(), from * out, n, weight, rowWeights, from);
    }

    @Override
    void prepareBlock(int b) {
        int from = b * RangeOptimizer.BLOCK;
        int to = from + RangeOptimizer.BLOCK;
        for (int s = 1; s < used; s++) {
            float[] g = shards[s].gradients();
            for (int i = from, end = Math.min(to, g.length); i < end; i++) {
                gradients[i] += g[i];
            }
        }
        if (from < count) {
            System.arraycopy(parameters, from, backup, from, Math.min(to, count) - from);
        }
        if (ranged != null) {
            parts[b] = ranged.measure(parameters, gradients, b);
        }
    }

    @Override
    void updateBlocks(int from, int to) {
        int n = parameters.length;
        if (from < n) {
            ranged.update(parameters, gradients, from, Math.min(to, n));
        }
    }

    @Override
    void step(Optimizer optimizer, double loss) {
        if (ranged == null) {
            optimizer.step(parameters, gradients, loss);
        } else {
            rangeStep(ranged.begin(parameters, gradients, parts, loss));
        }
    }

    @Override
    double penalty(Optimizer optimizer) {
        return optimizer.penalty(parameters);
    }

    @Override
    boolean parametersFinite() {
        return finite(parameters);
    }

    @Override
    boolean gradientsFinite() {
        return finite(gradients);
    }

    @Override
    double gradientSquares(int from, int to) {
        // four partial sums in a fixed order: the same bits every time, without one long chain
        double a = 0, b = 0, c = 0, d = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            double g0 = gradients[i], g1 = gradients[i + 1], g2 = gradients[i + 2], g3 = gradients[i + 3];
            a += g0 * g0;
            b += g1 * g1;
            c += g2 * g2;
            d += g3 * g3;
        }
        for (; i < to; i++) {
            double g = gradients[i];
            a += g * g;
        }
        return (a + b) + (c + d);
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
