package dev.chainrule.benchmarks.report;

/**
 * The model of a Trainer step on more cores than were measured, from the per-round costs that
 * {@code ThreadScalingBenchmark} measures on one thread and on two. A batch of {@code b} rows has
 * {@code S = ceil(b / shardRows)} shards and keeps a team of {@code m = min(cores, S)} threads
 * (the Trainer starts no more); a step is then, as the code takes it:
 *
 * <ul>
 *   <li><b>compute</b>: thread {@code t} takes shards {@code t, t + m, ...}, so the round lasts
 *       {@code ceil(S / m)} shard times, and at least the time the socket needs to move the
 *       shards' private gradient arrays ({@link #SHARD_BYTES} per value per shard: zeroed, then
 *       added into);
 *   <li><b>prepare</b>: {@code f + (S - 1) P r} on one thread (the shards' gradients added value
 *       by value in shard order, {@code r} per value per added shard, then the backup and the
 *       blocks' sums of squares, {@code f}), divided over {@code m} threads by blocks of 1024,
 *       and at least its {@code (4 S + 12) P} bytes at the socket's bandwidth (every shard's
 *       gradient read, the reduced one written, the parameters read and the backup written);
 *   <li><b>update</b>: the optimizer's one-thread time over {@code m} threads, and at least its
 *       bytes per value at the socket's bandwidth;
 *   <li><b>rounds</b>: with a team, three rounds (shards, prepare, update), each paying the
 *       hand-off of an empty round: between the two-thread round's cost ({@code flat}) and that
 *       cost for each thread beyond the caller ({@code linear}, since the caller wakes the threads
 *       one by one);
 *   <li><b>serial</b>: the caller's copy of the batch's rows, before the rounds. (The layers'
 *       norms and the optimizer's begin and end, on the caller too, are inside the prepare and
 *       update figures.)
 * </ul>
 *
 * @param parameters the network's parameters {@code P}
 * @param shardRows rows per shard
 * @param shardMicros one shard's gradient on one thread
 * @param prepareFixedMicros {@code f}: the prepare round on one thread without its additions
 * @param reductionNanos {@code r}: nanoseconds per value per shard added, on one thread
 * @param updateMicros the optimizer's step on one thread
 * @param updateBytes bytes per value the optimizer's step reads and writes
 * @param serialMicros the caller's own time per step, the batch's copy
 * @param roundMicros an empty round of a team of two
 * @param socketGBs the memory bandwidth of a whole socket, GB/s (assumed)
 */
public record ThreadScalingModel(
        int parameters,
        int shardRows,
        double shardMicros,
        double prepareFixedMicros,
        double reductionNanos,
        double updateMicros,
        double updateBytes,
        double serialMicros,
        double roundMicros,
        double socketGBs) {

    /** Bytes per value per shard of a shard's own gradient array: 4 written when zeroed, 4 read and 4 written when added into. */
    public static final double SHARD_BYTES = 12;

    /** Rounds of the team per step: the shards, the prepare round, the optimizer's update. */
    public static final int ROUNDS = 3;

    /** Adam's bytes per value: parameter, gradient and two moments read; parameter and moments written. */
    public static final double ADAM_BYTES = 28;

    /** Plain SGD's bytes per value: parameter and gradient read, parameter written. */
    public static final double SGD_BYTES = 12;

    /** One modelled step, in microseconds. */
    public record Step(
            int cores,
            int batch,
            int shards,
            int threads,
            double compute,
            double prepare,
            double update,
            double rounds,
            double serial) {
        public double total() {
            return compute + prepare + update + rounds + serial;
        }
    }

    /** Shards of a batch. */
    public int shards(int batch) {
        return (batch + shardRows - 1) / shardRows;
    }

    /** Microseconds to move {@code bytes} at the socket's bandwidth. */
    double atSocket(double bytes) {
        return bytes / (socketGBs * 1e3);
    }

    /** The prepare round of a batch of {@code shards} shards on one thread. */
    public double prepareOneThread(int shards) {
        return prepareFixedMicros + (shards - 1) * (double) parameters * reductionNanos * 1e-3;
    }

    /**
     * The modelled step of a batch of {@code batch} rows on {@code cores} cores.
     *
     * @param linearRounds whether a round costs the two-thread round for every thread beyond
     *     the caller (else the two-thread round whatever the team)
     */
    public Step step(int cores, int batch, boolean linearRounds) {
        if (cores < 1 || batch < 1) {
            throw new IllegalArgumentException("cores " + cores + " and batch " + batch + " must be at least 1");
        }
        int shards = shards(batch);
        int threads = Math.min(cores, shards);
        double compute = Math.max(
                Math.ceil((double) shards / threads) * shardMicros, atSocket(SHARD_BYTES * parameters * shards));
        double prepare = Math.max(prepareOneThread(shards) / threads, atSocket((4.0 * shards + 12) * parameters));
        double update = Math.max(updateMicros / threads, atSocket(updateBytes * parameters));
        double rounds = threads == 1 ? 0 : ROUNDS * roundMicros * (linearRounds ? threads - 1 : 1);
        return new Step(cores, batch, shards, threads, compute, prepare, update, rounds, serialMicros);
    }
}
