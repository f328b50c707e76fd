package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adagrad;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.AdamW;
import dev.chainrule.optim.GradientOptimizer;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.RangeOptimizer;
import dev.chainrule.optim.RmsProp;
import dev.chainrule.optim.Rprop;
import dev.chainrule.optim.Sgd;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The optimizer step on the trainer's threads ({@link RangeOptimizer}, spread by blocks of
 * parameters): the parameters, the optimizer's state, its gradient norm and the layers' norms are
 * the same bits on 1, 2, 3 and 8 threads, and the same as the optimizer's plain {@code step}
 * gives, for every optimizer with and without clipping and penalties, in float and double; the
 * steps allocate nothing on any thread; a failure in the middle of a step leaves the parameters
 * as they were before it.
 */
class ParallelStepTest {
    private static final int IN = 50;
    private static final int FLOAT_OUT = 60; // 3060 parameters: blocks of 1024, 1024 and 1012
    private static final int DOUBLE_OUT = 45; // 2295 parameters

    /** Every optimizer; {@code full} marks those that need full-batch training (Rprop). */
    record Config(String name, Supplier<GradientOptimizer<?>> make, boolean full) {}

    static List<Config> configs() {
        List<Config> bases = List.of(
                new Config("sgd", () -> Sgd.of(0.05), false),
                new Config("momentum", () -> Sgd.of(0.05).momentum(0.9), false),
                new Config("nesterov", () -> Sgd.of(0.05).momentum(0.9).nesterov(), false),
                new Config("adam", () -> Adam.of(0.01), false),
                new Config("adamw", () -> AdamW.of(0.01), false),
                new Config("rmsprop", () -> RmsProp.of(0.01), false),
                new Config("adagrad", () -> Adagrad.of(0.1), false),
                new Config("rprop", () -> Rprop.of(), true));
        List<Config> all = new ArrayList<>();
        for (Config c : bases) {
            all.add(c);
            all.add(new Config(c.name + " clip", () -> c.make.get().clipNorm(0.05), c.full));
            all.add(new Config(c.name + " l1 l2", () -> c.make.get().l1(1e-3).l2(1e-2), c.full));
            all.add(new Config(
                    c.name + " clip l1 l2",
                    () -> c.make.get().clipNorm(0.05).l1(1e-3).l2(1e-2),
                    c.full));
        }
        return all;
    }

    static DoubleDataset randomDoubles(int rows, int in, int out, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[rows * in];
        double[] y = new double[rows * out];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextDouble(-1, 1);
        }
        return DoubleDataset.of(x, in, y, out);
    }

    /** An optimizer that is not a {@link RangeOptimizer}: the trainer steps it whole, on its own thread. */
    record Whole(Optimizer delegate) implements Optimizer {
        @Override
        public void step(float[] params, float[] grads) {
            delegate.step(params, grads);
        }

        @Override
        public void step(double[] params, double[] grads) {
            delegate.step(params, grads);
        }

        @Override
        public void step(float[] params, float[] grads, double loss) {
            delegate.step(params, grads, loss);
        }

        @Override
        public void step(double[] params, double[] grads, double loss) {
            delegate.step(params, grads, loss);
        }

        @Override
        public boolean requiresLoss() {
            return delegate.requiresLoss();
        }

        @Override
        public double penalty(float[] params) {
            return delegate.penalty(params);
        }

        @Override
        public double penalty(double[] params) {
            return delegate.penalty(params);
        }

        @Override
        public void reset() {
            delegate.reset();
        }

        @Override
        public long steps() {
            return delegate.steps();
        }
    }

    /** What a run leaves: the parameters, the figures, and the parameters after one more step of the optimizer. */
    record Outcome(String parameters, String norms, String next) {}

    private static String bits(float[] a) {
        return Arrays.toString(a);
    }

    private static String bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToLongBits(a[i]);
        }
        return Arrays.toString(b);
    }

    private static String norms(History history, GradientOptimizer<?> optimizer) {
        StringBuilder sb = new StringBuilder();
        for (Epoch e : history.epochs()) {
            sb.append(Double.doubleToLongBits(e.gradientNorm("OUT"))).append(' ');
            sb.append(Double.doubleToLongBits(e.loss())).append(' ');
        }
        return sb.append(optimizer.steps())
                .append(' ')
                .append(Double.doubleToLongBits(optimizer.lastGradientNorm()))
                .toString();
    }

    private static Outcome trainFloat(Config config, int threads, boolean whole) {
        FloatLinear model = TrainerTest.model(IN, FLOAT_OUT);
        GradientOptimizer<?> optimizer = config.make.get();
        History history = Trainer.of(model)
                .optimizer(whole ? new Whole(optimizer) : optimizer)
                .batchSize(config.full ? 120 : 40)
                .shardRows(8)
                .threads(threads)
                .epochs(3)
                .seed(4)
                .silent()
                .fit(TrainerTest.random(120, IN, FLOAT_OUT, 11L));
        String parameters = bits(model.params);
        // one more step from fixed gradients tells the state apart
        float[] grads = new float[model.params.length];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = (float) Math.sin(i);
        }
        optimizer.step(model.params, grads, 1.0);
        return new Outcome(parameters, norms(history, optimizer), bits(model.params));
    }

    private static Outcome trainDouble(Config config, int threads, boolean whole) {
        DoubleLinear model = new DoubleLinear(IN, DOUBLE_OUT);
        for (int i = 0; i < model.params.length; i++) {
            model.params[i] = 0.01 * (i % 17 - 8);
        }
        GradientOptimizer<?> optimizer = config.make.get();
        History history = Trainer.of(model)
                .optimizer(whole ? new Whole(optimizer) : optimizer)
                .batchSize(config.full ? 100 : 30)
                .shardRows(8)
                .threads(threads)
                .epochs(3)
                .seed(4)
                .silent()
                .fit(randomDoubles(100, IN, DOUBLE_OUT, 12L));
        String parameters = bits(model.params);
        double[] grads = new double[model.params.length];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = Math.cos(i);
        }
        optimizer.step(model.params, grads, 1.0);
        return new Outcome(parameters, norms(history, optimizer), bits(model.params));
    }

    @Test
    void floatModelsTrainToTheSameBitsOnAnyNumberOfThreadsWithEveryOptimizer() {
        for (Config config : configs()) {
            Outcome expected = trainFloat(config, 1, true);
            assertFalse(
                    expected.parameters.equals(bits(TrainerTest.model(IN, FLOAT_OUT).params)),
                    config.name + " trained");
            for (int threads : new int[] {1, 2, 3, 8}) {
                assertEquals(expected, trainFloat(config, threads, false), config.name + ", " + threads + " threads");
            }
        }
    }

    @Test
    void doubleModelsTrainToTheSameBitsOnAnyNumberOfThreadsWithEveryOptimizer() {
        for (Config config : configs()) {
            Outcome expected = trainDouble(config, 1, true);
            for (int threads : new int[] {1, 2, 3, 8}) {
                assertEquals(expected, trainDouble(config, threads, false), config.name + ", " + threads + " threads");
            }
        }
    }

    /** Bytes the trainer's threads (not the caller) have allocated, sampled at the end of each epoch. */
    static final class TeamAllocation implements TrainingListener {
        final List<Long> bytes = new ArrayList<>();

        @Override
        public Decision epochEnded(Epoch epoch) {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long sum = 0;
            int team = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("chainrule-trainer") && t.isAlive()) {
                    sum += mx.getThreadAllocatedBytes(t.getId());
                    team++;
                }
            }
            bytes.add(team == 0 ? -1 : sum);
            return Decision.CONTINUE;
        }
    }

    /** Steps of the session itself, as the trainer takes them, on the caller's thread: the bytes allocated. */
    private static long sessionSteps(Session session, Optimizer optimizer, int epochs) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int e = 0; e < epochs; e++) {
            while (session.next()) {
                double loss = session.accumulateBatch();
                session.prepareStep();
                session.step(optimizer, loss);
            }
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * The bytes the caller's thread allocates over six windows of 400 steps, every one counted,
     * once a window has been clean (within ten seconds, after 800 steps to compile): 0 if at most
     * two windows allocated anything and under 2 KiB together, the JVM's own sporadic work, as
     * the optimizers' {@code AllocationTest} counts; the fewest bytes of a window if none was clean.
     */
    private static long countedWindows(Session session, Optimizer optimizer) {
        sessionSteps(session, optimizer, 20);
        long start = System.nanoTime();
        long least = Long.MAX_VALUE;
        do {
            least = Math.min(least, sessionSteps(session, optimizer, 10));
        } while (least > 0 && System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
        if (least > 0) {
            return least;
        }
        long total = 0;
        int dirty = 0;
        for (int window = 0; window < 6; window++) {
            long bytes = sessionSteps(session, optimizer, 10);
            total += bytes;
            dirty += bytes != 0 ? 1 : 0;
        }
        return dirty <= 2 && total < 2048 ? 0 : total;
    }

    /**
     * Steps in ranges allocate nothing on the caller's thread, and neither does a whole step:
     * Adam's bias corrections come from {@code StrictPower}, not {@code StrictMath.pow}, whose
     * compiled form on JDK 17 allocated 96 bytes a call (three tables of fdlibm's), 192 bytes a
     * step.
     */
    @Test
    void parallelStepsAllocateNothingOnAnyThread() {
        FloatLinear model = TrainerTest.model(IN, FLOAT_OUT);
        Dataset data = TrainerTest.random(1920, IN, FLOAT_OUT, 1L);
        List<Supplier<Optimizer>> optimizers = List.of(
                () -> Sgd.of(0.01).momentum(0.9).l2(1e-3),
                () -> RmsProp.of(0.01).clipNorm(0.1),
                () -> Adagrad.of(0.1),
                () -> Sgd.of(0.01),
                () -> Adam.of(0.01).clipNorm(0.1),
                () -> new Whole(Adam.of(0.01).clipNorm(0.1)));
        long[] bytes = new long[optimizers.size()];
        for (int k = 0; k < bytes.length; k++) {
            Optimizer optimizer = optimizers.get(k).get();
            try (Session session = FloatSession.of(model, data, 48, 1L, 3, 16)) {
                session.plan(optimizer, GradientNorms.of(model));
                session.setTraining(true);
                bytes[k] = countedWindows(session, optimizer);
            }
        }
        for (int k = 0; k < bytes.length; k++) {
            assertEquals(0, bytes[k], optimizers.get(k).get() + ": bytes of six windows of 400 steps on 3 threads");
        }
        // the team's threads, sampled by a listener at the end of every epoch of a whole fit
        TeamAllocation team = new TeamAllocation();
        Trainer.of(TrainerTest.model(IN, FLOAT_OUT))
                .optimizer(Adam.of(0.01).clipNorm(0.1))
                .batchSize(48)
                .shardRows(16)
                .threads(3)
                .epochs(30)
                .listener(team)
                .silent()
                .fit(data);
        List<Long> teamBytes = team.bytes;
        assertTrue(teamBytes.get(1) >= 0, "the team was sampled: " + teamBytes);
        assertTrue(
                teamBytes.get(teamBytes.size() - 1) - teamBytes.get(1) < 1024,
                "the team allocated over 28 epochs of 40 batches: " + teamBytes);
    }

    /** A model whose siblings write NaN into their gradients on the third batch. */
    static final class NanSibling extends FloatLinear {
        private final int[] calls;
        private final boolean sibling;
        final float[][] atFailure;

        NanSibling(float[] params, int[] calls, boolean sibling, float[][] atFailure) {
            super(IN, FLOAT_OUT, params);
            this.calls = calls;
            this.sibling = sibling;
            this.atFailure = atFailure;
        }

        @Override
        public float accumulateGradientsBatch(
                float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows, float weight) {
            float loss = super.accumulateGradientsBatch(inputs, inputOffset, targets, targetOffset, rows, weight);
            if (sibling && inputOffset == 8 * IN && ++calls[0] == 3) {
                atFailure[0] = params.clone();
                grads[grads.length - 1] = Float.NaN; // in the last block, a worker's range
            }
            return loss;
        }

        @Override
        public FloatModel withSharedParameters() {
            return new NanSibling(params, calls, true, atFailure);
        }
    }

    @Test
    void aNanGradientStopsTrainingWithTheParametersOfBeforeTheStep() {
        NanSibling model = new NanSibling(TrainerTest.model(IN, FLOAT_OUT).params, new int[1], false, new float[1][]);
        DivergenceException e = assertThrows(
                DivergenceException.class,
                () -> Trainer.of(model)
                        .optimizer(Adam.of(0.01))
                        .batchSize(16)
                        .shardRows(8)
                        .threads(2)
                        .epochs(1)
                        .silent()
                        .fit(TrainerTest.random(120, IN, FLOAT_OUT, 11L)));
        assertEquals(3, e.batch());
        assertTrue(e.getMessage().contains("gradients[3059] is NaN"), e.getMessage());
        assertArrayEquals(model.atFailure[0], model.params);
        assertFalse(Arrays.equals(TrainerTest.model(IN, FLOAT_OUT).params, model.params), "two steps were taken");
    }

    /** Adam stepped in ranges, whose update of a range past the first block fails at the third step. */
    static final class FailingUpdate implements RangeOptimizer {
        final Adam adam = Adam.of(0.01);
        float[] atBegin;
        int begun;

        @Override
        public double measure(float[] params, float[] grads, int block) {
            return adam.measure(params, grads, block);
        }

        @Override
        public double measure(double[] params, double[] grads, int block) {
            return adam.measure(params, grads, block);
        }

        @Override
        public boolean begin(float[] params, float[] grads, double[] parts, double loss) {
            begun++;
            atBegin = params.clone();
            return adam.begin(params, grads, parts, loss);
        }

        @Override
        public boolean begin(double[] params, double[] grads, double[] parts, double loss) {
            return adam.begin(params, grads, parts, loss);
        }

        @Override
        public void update(float[] params, float[] grads, int from, int to) {
            adam.update(params, grads, from, to);
            if (begun == 3 && from > 0) {
                throw new IllegalStateException("range [" + from + ", " + to + ") failed");
            }
        }

        @Override
        public void update(double[] params, double[] grads, int from, int to) {
            adam.update(params, grads, from, to);
        }

        @Override
        public void end() {
            adam.end();
        }

        @Override
        public void abandon() {
            adam.abandon();
        }

        @Override
        public void step(float[] params, float[] grads) {
            adam.step(params, grads);
        }

        @Override
        public void step(double[] params, double[] grads) {
            adam.step(params, grads);
        }

        @Override
        public void reset() {
            adam.reset();
        }

        @Override
        public long steps() {
            return adam.steps();
        }
    }

    @Test
    void aFailureInTheMiddleOfAStepOnAWorkerRestoresTheParameters() {
        FloatLinear model = TrainerTest.model(IN, FLOAT_OUT);
        FailingUpdate optimizer = new FailingUpdate();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Trainer.of(model)
                        .optimizer(optimizer)
                        .batchSize(16)
                        .shardRows(8)
                        .threads(2)
                        .epochs(1)
                        .silent()
                        .fit(TrainerTest.random(120, IN, FLOAT_OUT, 11L)));
        assertEquals("range [1024, 3060) failed", e.getMessage());
        assertSame(IllegalStateException.class, e.getClass());
        assertArrayEquals(optimizer.atBegin, model.params, "the half-taken step is undone");
        assertEquals(0, optimizer.steps(), "the optimizer gave the step up and forgot its state");
        assertEquals(
                0,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("chainrule-trainer") && t.isAlive())
                        .count());
    }
}
