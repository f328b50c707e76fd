package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/**
 * What every task of a training run is given besides its partition and the parameters: the
 * run's name (which keeps each thread's worker to one run), the model's class and the arithmetic
 * of its precision, the schedule and, when averaging, the local steps per round and their
 * optimizer.
 *
 * @param <A> the model's array type, {@code float[]} or {@code double[]}
 */
final class Plan<A> implements Serializable {
    private static final long serialVersionUID = 2L;

    final String run;
    final Class<? extends Model> type;
    final Numbers<A> numbers;
    final Schedule schedule;
    final int localSteps;
    final OptimizerFactory inner;

    Plan(
            String run,
            Class<? extends Model> type,
            Numbers<A> numbers,
            Schedule schedule,
            int localSteps,
            OptimizerFactory inner) {
        this.run = run;
        this.type = type;
        this.numbers = numbers;
        this.schedule = schedule;
        this.localSteps = localSteps;
        this.inner = inner;
    }

    /** What partition {@code part} computes in round {@code round} of {@code epoch}, at {@code parameters}. */
    Result<A> task(Part<A> part, A parameters, int epoch, int round) {
        return numbers.task(this, part, parameters, epoch, round);
    }

    /**
     * The optimizer of round {@code round} of {@code epoch}'s local steps, made from the round's
     * first local step of the run (see {@link OptimizerFactory#create(long)}).
     */
    Optimizer localOptimizer(int epoch, int round) {
        return inner.create((long) epoch * schedule.steps + (long) round * localSteps);
    }

    /**
     * What group {@code group} of the tree sends for its partitions' results, given in partition
     * order: their gradients' sum, or when averaging their weighted parameters' sum over the
     * round's {@code rows}.
     */
    Result<?> group(int group, List<Result<A>> inOrder, int rows) {
        return localSteps == 0 ? numbers.addGroup(group, inOrder) : numbers.weighGroup(group, inOrder, rows);
    }
}
