package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.train.GradientSource;
import java.util.List;
import java.util.UUID;

/**
 * The driver's side of a training run over partitions, wherever the partitions are computed:
 * the batches of the {@link Schedule}, one round of partition results per batch, and how the
 * results become the model's gradient. Subclasses say how a round is run.
 *
 * @param <A> the model's array type, {@code float[]} or {@code double[]}
 */
abstract class Rounds<A> implements GradientSource.Steps {
    final Model model;
    final Numbers<A> numbers;
    final Schedule schedule;
    /** What a partition's task is given. */
    final Plan<A> plan;
    /** Batches per round when averaging, else 0. */
    final int localSteps;

    private final int rounds;
    int epoch;
    /** The current round of the epoch; -1 before the first. */
    int round = -1;

    private boolean ended;

    /**
     * A run of {@code model} over rows held in {@code held} precision, which must be the model's.
     *
     * @throws IllegalArgumentException if the model's precision is not the rows'
     */
    Rounds(Model model, Numbers<A> numbers, Precision held, Schedule schedule, int localSteps, OptimizerFactory inner) {
        if (numbers.precision() != held) {
            throw new IllegalArgumentException("the rows are held in " + held.label() + ", but "
                    + model.getClass().getName() + " is a "
                    + numbers.precision().label() + " model: read the rows"
                    + " in the model's precision (SparkData.classification or regression with Precision."
                    + numbers.precision() + ", or " + (held == Precision.FLOAT ? "DoubleDataset" : "Dataset")
                    + " partitions)");
        }
        this.model = model;
        this.numbers = numbers;
        this.schedule = schedule;
        this.localSteps = localSteps;
        this.plan = new Plan<>(UUID.randomUUID().toString(), model.getClass(), numbers, schedule, localSteps, inner);
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
    abstract List<Result<A>> compute(A parameters);

    @Override
    public final double accumulate() {
        List<Result<A>> results = compute(numbers.parameters(model));
        return localSteps == 0 ? numbers.sum(results, model, rows()) : numbers.average(results, model);
    }

    /** The results sorted by partition, checked to be one per partition. */
    static <R extends Result<?>> List<R> inPartitionOrder(List<R> results, int partitions) {
        @SuppressWarnings("unchecked")
        R[] sorted = (R[]) new Result<?>[partitions];
        for (R result : results) {
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
