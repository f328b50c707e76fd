package dev.chainrule.spark;

import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.train.GradientSource;
import java.util.List;
import java.util.UUID;

/**
 * The driver's side of a training run over partitions, wherever the partitions are computed:
 * the batches of the {@link Schedule}, one round of partition results per batch, and how the
 * results become the model's gradient. Subclasses say how a round is run.
 */
abstract class Rounds implements GradientSource.Steps {
    final FloatModel model;
    final Schedule schedule;
    /** What a partition's task is given. */
    final Plan plan;
    /** Batches per round when averaging, else 0. */
    final int localSteps;

    private final int rounds;
    int epoch;
    /** The current round of the epoch; -1 before the first. */
    int round = -1;

    private boolean ended;

    Rounds(Model model, Schedule schedule, int localSteps, OptimizerFactory inner) {
        if (!(model instanceof FloatModel floats)) {
            throw new IllegalArgumentException("training on Spark takes a float model, but "
                    + model.getClass().getName() + " is a " + model.spec().precision()
                    + " model: declare the network with float precision");
        }
        this.model = floats;
        this.schedule = schedule;
        this.localSteps = localSteps;
        this.plan = new Plan(UUID.randomUUID().toString(), floats.getClass(), schedule, localSteps, inner);
        this.rounds = localSteps == 0 ? schedule.steps : (schedule.steps + localSteps - 1) / localSteps;
    }

    @Override
    public final boolean next() {
        if (round == rounds - 1 && !ended) {
            ended = true;
            return false;
        }
        if (ended) {
            epoch++;
            round = -1;
            ended = false;
        }
        round++;
        return true;
    }

    @Override
    public final int rows() {
        if (localSteps == 0) {
            return schedule.batchRows(round);
        }
        int rows = 0;
        for (int k = round * localSteps; k < Math.min(schedule.steps, (round + 1) * localSteps); k++) {
            rows += schedule.batchRows(k);
        }
        return rows;
    }

    @Override
    public final int batchesPerEpoch() {
        return rounds;
    }

    /** Each partition's result for the current round, in partition order, at {@code parameters}. */
    abstract List<Result> compute(float[] parameters);

    @Override
    public final double accumulate() {
        float[] parameters = model.parameters();
        List<Result> results = compute(parameters.clone());
        float[] gradients = model.gradients();
        return localSteps == 0 ? sum(results, gradients, rows()) : average(results, parameters, gradients);
    }

    /**
     * The batch's mean gradient: the first partition's sum copied, the others' added in partition
     * order (with one partition, the trainer's own sum of its shards); returns the mean loss.
     */
    static double sum(List<Result> results, float[] gradients, int rows) {
        boolean first = true;
        double loss = 0;
        for (Result result : results) {
            if (result.values == null) {
                continue;
            }
            float[] g = result.values;
            if (first) {
                System.arraycopy(g, 0, gradients, 0, g.length);
                first = false;
            } else {
                for (int i = 0; i < g.length; i++) {
                    gradients[i] += g[i];
                }
            }
            loss += result.lossSum;
        }
        return loss / rows;
    }

    /**
     * Averaging: the partitions' parameters averaged, each weighted by the rows it stepped on,
     * in partition order in double; the gradient is the parameters minus that average, so that
     * {@code Sgd.of(1)} on the driver moves the parameters to it. Returns the mean loss of the
     * local steps.
     */
    static double average(List<Result> results, float[] parameters, float[] gradients) {
        long rows = 0;
        double loss = 0;
        for (Result result : results) {
            rows += result.rows;
            loss += result.lossSum;
        }
        double[] mean = new double[parameters.length];
        for (Result result : results) {
            if (result.values == null) {
                continue;
            }
            double w = (double) result.rows / rows;
            float[] v = result.values;
            for (int i = 0; i < v.length; i++) {
                mean[i] += w * v[i];
            }
        }
        for (int i = 0; i < parameters.length; i++) {
            gradients[i] = parameters[i] - (float) mean[i];
        }
        return loss / rows;
    }

    /** The results sorted by partition, checked to be one per partition. */
    static List<Result> inPartitionOrder(List<Result> results, int partitions) {
        Result[] sorted = new Result[partitions];
        for (Result result : results) {
            if (sorted[result.partition] != null) {
                throw new IllegalStateException("partition " + result.partition + " sent two results for one batch");
            }
            sorted[result.partition] = result;
        }
        for (int p = 0; p < partitions; p++) {
            if (sorted[p] == null) {
                throw new IllegalStateException("partition " + p + " sent no result for the batch");
            }
        }
        return java.util.Arrays.asList(sorted);
    }
}
