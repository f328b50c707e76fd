package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The driver's side of a training run over partitions, wherever the partitions are computed:
 * the batches of the {@link Schedule}, one round of partition results per batch, and how the
 * results become the model's gradient. Subclasses say how a round is run.
 *
 * <p>With a tree of {@code fanIn} partitions per group, fewer than the partitions, group {@code
 * g} adds the results of partitions {@code g fanIn} to {@code (g + 1) fanIn - 1} in partition
 * order, and the driver adds the groups' sums in group order: an order fixed by the partition
 * count and {@code fanIn} alone, wherever the groups are added. With {@code fanIn} at least the
 * partitions (or no tree) the driver adds the partitions' results itself, in partition order.
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
    /** Partitions per group of the tree, or 0 when the driver adds the partitions' results. */
    final int fanIn;

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
    Rounds(
            Model model,
            Numbers<A> numbers,
            Precision held,
            Schedule schedule,
            int localSteps,
            OptimizerFactory inner,
            int fanIn) {
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
        this.fanIn = fanIn > 0 && fanIn < schedule.sizes.length ? fanIn : 0;
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

    /** The groups of the tree: {@code ceil(partitions / fanIn)}, or 0 without a tree. */
    final int groups() {
        return fanIn == 0 ? 0 : (schedule.sizes.length + fanIn - 1) / fanIn;
    }

    /** Each partition's result for the current round, in partition order, at {@code parameters}. */
    abstract List<Result<A>> compute(A parameters);

    /**
     * With a tree: each group's {@link Plan#group result} for the current round, in group order,
     * at {@code parameters}.
     */
    abstract List<Result<?>> computeGroups(A parameters);

    @Override
    @SuppressWarnings("unchecked") // a group sends the model's arrays, or double[] when averaging
    public final double accumulate() {
        A parameters = numbers.parameters(model);
        if (fanIn == 0) {
            List<Result<A>> results = compute(parameters);
            return localSteps == 0 ? numbers.sum(results, model, rows()) : numbers.average(results, model);
        }
        List<?> groups = computeGroups(parameters);
        return localSteps == 0
                ? numbers.sum((List<Result<A>>) groups, model, rows())
                : numbers.averageGroups((List<Result<double[]>>) groups, model, rows());
    }

    /** The results of every partition, in partition order, added by group in this JVM, as {@link Plan#group}. */
    static <A> List<Result<?>> groups(Plan<A> plan, List<Result<A>> inOrder, int fanIn, int rows) {
        List<Result<?>> groups = new ArrayList<>();
        for (int g = 0, from = 0; from < inOrder.size(); g++, from += fanIn) {
            groups.add(plan.group(g, inOrder.subList(from, Math.min(inOrder.size(), from + fanIn)), rows));
        }
        return groups;
    }

    /** The results sorted by partition, checked to be one per partition. */
    static <R extends Result<?>> List<R> inPartitionOrder(List<R> results, int partitions) {
        return inOrder(results, 0, partitions, "partition");
    }

    /**
     * The results sorted by their number ({@code what}: a partition or a group), checked to be one
     * for each number from {@code from} to {@code to - 1}.
     */
    static <R extends Result<?>> List<R> inOrder(List<R> results, int from, int to, String what) {
        @SuppressWarnings("unchecked")
        R[] sorted = (R[]) new Result<?>[to - from];
        for (R result : results) {
            if (result.partition < from || result.partition >= to) {
                throw new IllegalStateException(
                        "a result of " + what + " " + result.partition + ", expected " + from + " to " + (to - 1));
            }
            if (sorted[result.partition - from] != null) {
                throw new IllegalStateException(what + " " + result.partition + " sent two results for one batch");
            }
            sorted[result.partition - from] = result;
        }
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] == null) {
                throw new IllegalStateException(what + " " + (from + i) + " sent no result for the batch");
            }
        }
        return java.util.Arrays.asList(sorted);
    }
}
