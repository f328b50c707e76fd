package dev.chainrule.train;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Optimizer;
import java.util.function.IntConsumer;

/**
 * The Trainer's step on a thread team, taken apart so that a benchmark can time each part: the
 * same {@link Session} and {@link Workers} that {@link Trainer#fit} uses, driven the way its
 * epoch loop drives them. It lives in the benchmarks module, in the runtime's package, so that
 * the runtime's public API does not grow for it; the benchmarks jar holds both, so they share a
 * class loader.
 *
 * <p>A step ({@link #step()}) is what the Trainer does per batch: {@link #nextBatch()} (the
 * caller copies the batch's rows), {@link #accumulate()} (a round of the team over the shards),
 * {@link #prepare()} (a round over the parameters' blocks: the shards' gradients added in shard
 * order, the backup, each block's sums of squares; then the caller adds the layers' norms) and
 * {@link #update()} (the optimizer's {@code begin} on the caller, a round of {@code update} over
 * the blocks, {@code end}). The Trainer's checks (finite loss, the fixed-point constraints, the
 * progress bar) are left out.
 */
public final class TrainerRounds implements AutoCloseable {
    private final Session session;
    private final Optimizer optimizer;
    private double loss;

    private TrainerRounds(Session session, Optimizer optimizer) {
        this.session = session;
        this.optimizer = optimizer;
    }

    /**
     * A session of {@code model} on {@code train} with batches of {@code batchSize} rows cut into
     * shards of {@code shardRows} on {@code threads} threads (the caller's included), ready as
     * {@code fit} leaves it before its first batch, and one step taken so that every array is
     * allocated.
     */
    public static TrainerRounds of(
            FloatModel model,
            Dataset train,
            int batchSize,
            int shardRows,
            int threads,
            Optimizer optimizer,
            long seed) {
        Session session = FloatSession.of(model, train, batchSize, seed, threads, shardRows);
        optimizer.reset();
        session.plan(optimizer, GradientNorms.of(model));
        session.backup();
        session.setTraining(true);
        TrainerRounds rounds = new TrainerRounds(session, optimizer);
        rounds.step();
        return rounds;
    }

    /** Threads in the team that runs the rounds: 1 when the caller runs them alone. */
    public int teamSize() {
        return session.workers == null ? 1 : session.workers.size();
    }

    /** Shards of the current batch. */
    public int shards() {
        return session.used;
    }

    /** The parameters of the model. */
    public int parameters() {
        return session.count;
    }

    /** One whole step, as the Trainer's epoch loop takes it; returns the batch's loss. */
    public double step() {
        nextBatch();
        accumulate();
        prepare();
        update();
        return loss;
    }

    /** Moves to the next batch, starting the next epoch at the end of one (the caller's thread alone). */
    public void nextBatch() {
        if (!session.next()) {
            session.next();
        }
    }

    /** The shards' gradients of the current batch, one round of the team; returns the batch's loss. */
    public double accumulate() {
        loss = session.accumulateBatch();
        return loss;
    }

    /**
     * The round that completes the batch's gradient: adds the shards' gradients into the model's,
     * backs the parameters up and sums each block's squares, then the layers' norms on the caller.
     * Each call adds the shards' gradients again, so the model's gradient grows with the calls.
     */
    public void prepare() {
        session.prepareStep();
    }

    /** The optimizer's step from the gradient as it stands, at the last batch's loss. */
    public void update() {
        session.step(optimizer, loss);
    }

    /**
     * A team of {@code threads} threads (the caller's included) of the kind the Trainer starts,
     * with no model: for timing memory-bound loops on the same threads and hand-offs.
     */
    public static Team team(int threads) {
        return new Team(threads);
    }

    /** A bare thread team; see {@link #team(int)}. */
    public static final class Team implements AutoCloseable {
        private final Workers workers;

        private Team(int threads) {
            this.workers = threads > 1 ? new Workers(threads, "chainrule-probe") : null;
        }

        /** Threads in the team, the caller's included. */
        public int size() {
            return workers == null ? 1 : workers.size();
        }

        /**
         * Runs {@code task} on every index in {@code [0, count)}: thread {@code t} of {@code n}
         * takes {@code t, t + n, ...}; with one thread the caller runs them all.
         */
        public void run(int count, IntConsumer task) {
            if (workers == null) {
                for (int i = 0; i < count; i++) {
                    task.accept(i);
                }
            } else {
                workers.run(count, task);
            }
        }

        @Override
        public void close() {
            if (workers != null) {
                workers.close();
            }
        }
    }

    /** Stops the team's threads. */
    @Override
    public void close() {
        session.close();
    }
}
