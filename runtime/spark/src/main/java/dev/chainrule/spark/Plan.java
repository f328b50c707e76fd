package dev.chainrule.spark;

import dev.chainrule.FloatModel;
import dev.chainrule.optim.Optimizer;
import java.io.Serializable;

/**
 * What every task of a training run is given besides its partition and the parameters: the
 * run's name (which keeps each thread's {@link Worker} to one run), the model's class, the
 * schedule and, when averaging, the local steps per round and their optimizer.
 */
final class Plan implements Serializable {
    private static final long serialVersionUID = 1L;

    final String run;
    final Class<? extends FloatModel> type;
    final Schedule schedule;
    final int localSteps;
    final OptimizerFactory inner;

    Plan(String run, Class<? extends FloatModel> type, Schedule schedule, int localSteps, OptimizerFactory inner) {
        this.run = run;
        this.type = type;
        this.schedule = schedule;
        this.localSteps = localSteps;
        this.inner = inner;
    }

    /** What partition {@code part} computes in round {@code round} of {@code epoch}, at {@code parameters}. */
    Result task(Part part, float[] parameters, int epoch, int round) {
        Worker worker = Worker.of(run, type, schedule);
        if (localSteps == 0) {
            return worker.gradient(schedule, part, parameters, epoch, round, 1f / schedule.batchRows(round));
        }
        int first = round * localSteps;
        Optimizer optimizer = inner.create((long) epoch * schedule.steps + first);
        return worker.localSteps(schedule, part, parameters, epoch, first, localSteps, optimizer);
    }
}
