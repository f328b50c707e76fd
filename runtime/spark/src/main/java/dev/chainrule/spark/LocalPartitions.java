package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link SparkData}'s schedule over partitions held in this JVM, computed on the caller's thread
 * without Spark: made by {@link SparkData#inProcess(List)}. {@link #averaging} and {@link #tree}
 * give the same run as the {@code SparkData} methods of the same names.
 */
public final class LocalPartitions implements GradientSource {
    private final List<Part<?>> parts;
    private final Numbers<?> held;
    private final int[] sizes;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final int localSteps;
    private final OptimizerFactory inner;
    private final int fanIn;

    LocalPartitions(List<? extends AbstractDataset<?>> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: expected at least one dataset");
        }
        AbstractDataset<?> first = partitions.get(0);
        this.held = Numbers.of(first);
        this.parts = new ArrayList<>();
        this.sizes = new int[partitions.size()];
        long all = 0;
        for (int p = 0; p < partitions.size(); p++) {
            AbstractDataset<?> data = partitions.get(p);
            SparkData.checkLike(p, data, first);
            parts.add(held.part(p, data));
            sizes[p] = data.rows();
            all += data.rows();
        }
        this.rows = Math.toIntExact(all);
        this.featureCount = first.featureCount();
        this.targetCount = first.targetCount();
        this.localSteps = 0;
        this.inner = null;
        this.fanIn = 0;
    }

    private LocalPartitions(LocalPartitions rows, int localSteps, OptimizerFactory inner, int fanIn) {
        this.parts = rows.parts;
        this.held = rows.held;
        this.sizes = rows.sizes;
        this.rows = rows.rows;
        this.featureCount = rows.featureCount;
        this.targetCount = rows.targetCount;
        this.localSteps = localSteps;
        this.inner = inner;
        this.fanIn = fanIn;
    }

    /** These partitions trained by local steps with periodic averaging, as {@link SparkData#averaging}. */
    public LocalPartitions averaging(int localSteps, OptimizerFactory optimizer) {
        return new LocalPartitions(
                this, SparkData.checkLocalSteps(localSteps), Objects.requireNonNull(optimizer, "optimizer"), fanIn);
    }

    /** These partitions with their results added by groups of {@code fanIn}, as {@link SparkData#tree}. */
    public LocalPartitions tree(int fanIn) {
        return new LocalPartitions(this, localSteps, inner, SparkData.checkFanIn(fanIn));
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public int targetCount() {
        return targetCount;
    }

    @Override
    public Steps open(Model model, int batchSize, long seed, int shardRows) {
        return open(Numbers.of(model), model, new Schedule(sizes, batchSize, seed, shardRows));
    }

    private <A> Steps open(Numbers<A> numbers, Model model, Schedule schedule) {
        return new Rounds<A>(model, numbers, held.precision(), schedule, localSteps, inner, fanIn) {
            @Override
            List<Result<A>> compute(A parameters) {
                List<Result<A>> results = new ArrayList<>();
                for (Part<?> part : parts) {
                    @SuppressWarnings("unchecked") // the Rounds checked that the rows are of the model's precision
                    Part<A> typed = (Part<A>) part;
                    results.add(plan.task(typed, parameters, epoch, round));
                }
                return results;
            }

            @Override
            List<Result<?>> computeGroups(A parameters) {
                return Rounds.groups(plan, compute(parameters), fanIn, rows());
            }

            @Override
            public void close() {}
        };
    }
}
