package dev.chainrule.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of threads that runs one round of numbered tasks at a time: thread {@code t} of
 * {@code n} (the caller is thread 0) runs tasks {@code t, t + n, t + 2n, ...}. Rounds allocate
 * nothing: the threads wait for the next round on a volatile counter (parking, not spinning) and
 * the caller waits for the last of them to finish. The threads are started once and stopped by
 * {@link #close()}; a task's exception is rethrown by {@link #run} once the round is over.
 */
final class Workers implements AutoCloseable {
    private final Thread[] threads;
    private final Throwable[] failures;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int round;
    private volatile boolean closed;
    private volatile IntConsumer task;
    private volatile int tasks;

    /** A team of {@code threads} (at least 1; the caller counts as one, so {@code threads - 1} are started). */
    Workers(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        this.threads = new Thread[threads - 1];
        this.failures = new Throwable[threads];
        for (int t = 1; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> loop(id), name + "-" + t);
            thread.setDaemon(true);
            this.threads[t - 1] = thread;
            thread.start();
        }
    }

    /** Threads in the team, the caller's included. */
    int size() {
        return threads.length + 1;
    }

    /**
     * Runs {@code task} on every index in {@code [0, count)}, spread over the team, and returns
     * when all are done.
     *
     * @throws RuntimeException or Error: the first (by thread number) that a task threw
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // only the caller's thread writes the round
    void run(int count, IntConsumer task) {
        this.task = task;
        this.tasks = count;
        pending.set(threads.length);
        round = round + 1; // publishes the task to the threads
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
        work(0);
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        for (int t = 0; t < failures.length; t++) {
            Throwable failure = failures[t];
            if (failure != null) {
                java.util.Arrays.fill(failures, null);
                if (failure instanceof RuntimeException e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(failure);
            }
        }
    }

    private void work(int id) {
        try {
            IntConsumer current = task;
            for (int i = id; i < tasks; i += failures.length) {
                current.accept(i);
            }
        } catch (Throwable e) {
            failures[id] = e;
        }
    }

    private void loop(int id) {
        int seen = 0;
        while (true) {
            while (round == seen && !closed) {
                LockSupport.park(this);
            }
            if (closed) {
                return;
            }
            seen = round;
            work(id);
            pending.decrementAndGet();
        }
    }

    /** Stops the threads and waits for them to end. */
    @Override
    public void close() {
        closed = true;
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
