package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.List;

/** {@link SparkData}'s schedule over partitions held in this JVM: made by {@link SparkData#inProcess(List)}. */
final class LocalPartitions implements GradientSource {
    private final List<Part<?>> parts = new ArrayList<>();
    private final Numbers<?> held;
    private final int[] sizes;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final int localSteps;
    private final OptimizerFactory inner;

    LocalPartitions(List<? extends AbstractDataset<?>> partitions, int localSteps, OptimizerFactory inner) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: expected at least one dataset");
        }
        AbstractDataset<?> first = partitions.get(0);
        this.held = Numbers.of(first);
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
        this.localSteps = localSteps;
        this.inner = inner;
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
        return new Rounds<A>(model, numbers, held.precision(), schedule, localSteps, inner) {
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
            public void close() {}
        };
    }
}
