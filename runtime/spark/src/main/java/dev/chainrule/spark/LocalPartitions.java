package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.GradientSource;
import java.util.ArrayList;
import java.util.List;

/** {@link SparkData}'s schedule over partitions held in this JVM: made by {@link SparkData#inProcess(List)}. */
final class LocalPartitions implements GradientSource {
    private final List<Part> parts = new ArrayList<>();
    private final int[] sizes;
    private final int rows;
    private final int featureCount;
    private final int targetCount;
    private final int localSteps;
    private final OptimizerFactory inner;

    LocalPartitions(List<Dataset> partitions, int localSteps, OptimizerFactory inner) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions: expected at least one dataset");
        }
        this.sizes = new int[partitions.size()];
        long all = 0;
        for (int p = 0; p < partitions.size(); p++) {
            Dataset data = partitions.get(p);
            if (data.featureCount() != partitions.get(0).featureCount()
                    || data.targetCount() != partitions.get(0).targetCount()) {
                throw new IllegalArgumentException("partition " + p + " has " + data.featureCount() + " features and "
                        + data.targetCount() + " targets per row, partition 0 "
                        + partitions.get(0).featureCount() + " and "
                        + partitions.get(0).targetCount());
            }
            parts.add(Part.of(p, data));
            sizes[p] = data.rows();
            all += data.rows();
        }
        this.rows = Math.toIntExact(all);
        this.featureCount = partitions.get(0).featureCount();
        this.targetCount = partitions.get(0).targetCount();
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
        return new Rounds(model, new Schedule(sizes, batchSize, seed, shardRows), localSteps, inner) {
            @Override
            List<Result> compute(float[] parameters) {
                List<Result> results = new ArrayList<>();
                for (Part part : parts) {
                    results.add(plan.task(part, parameters, epoch, round));
                }
                return results;
            }

            @Override
            public void close() {}
        };
    }
}
