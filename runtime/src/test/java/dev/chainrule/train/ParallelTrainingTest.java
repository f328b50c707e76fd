package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.FloatModel;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Training on several threads: the same bits at any thread count, no thread left behind, a worker's failure surfaced. */
class ParallelTrainingTest {

    private static float[] train(int threads, int shardRows) {
        FloatLinear model = TrainerTest.model(3, 2);
        Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(50)
                .threads(threads)
                .shardRows(shardRows)
                .epochs(4)
                .seed(5)
                .silent()
                .fit(TrainerTest.random(230, 3, 2, 99L));
        return model.params;
    }

    @Test
    void theParametersAreTheSameBitsForAnyThreadCount() {
        float[] one = train(1, 8);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, train(threads, 8), threads + " threads");
        }
        assertFalse(Arrays.equals(one, TrainerTest.model(3, 2).params), "training changed the parameters");
    }

    @Test
    void noThreadOutlivesFit() {
        train(4, 8);
        assertEquals(
                0,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("chainrule-trainer") && t.isAlive())
                        .count());
    }

    /** A model whose sibling for the rows from 16 on fails on the third batch it sees. */
    static final class FailingSibling extends FloatLinear {
        private final int[] calls;
        private final boolean sibling;
        /** The parameters when the failure happened. */
        final float[][] atFailure;

        FailingSibling(float[] params, int[] calls, boolean sibling, float[][] atFailure) {
            super(3, 2, params);
            this.calls = calls;
            this.sibling = sibling;
            this.atFailure = atFailure;
        }

        @Override
        public float accumulateGradientsBatch(
                float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows, float weight) {
            if (sibling && inputOffset >= 16 * 3 && ++calls[0] == 3) {
                atFailure[0] = params.clone();
                throw new IllegalArgumentException("row 16 of the batch is not what this model reads");
            }
            return super.accumulateGradientsBatch(inputs, inputOffset, targets, targetOffset, rows, weight);
        }

        @Override
        public FloatModel withSharedParameters() {
            return new FailingSibling(params, calls, true, atFailure);
        }
    }

    @Test
    void aWorkersFailureIsThrownByFitBeforeItsStepAndStopsTheThreads() {
        FailingSibling model = new FailingSibling(TrainerTest.model(3, 2).params, new int[1], false, new float[1][]);
        Dataset data = TrainerTest.random(200, 3, 2, 99L);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.of(model)
                        .optimizer(Sgd.of(0.1))
                        .batchSize(32)
                        .shardRows(16)
                        .threads(2)
                        .epochs(1)
                        .silent()
                        .fit(data));
        assertEquals("row 16 of the batch is not what this model reads", e.getMessage());
        assertSame(IllegalArgumentException.class, e.getClass());
        assertEquals(
                0,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("chainrule-trainer") && t.isAlive())
                        .count());
        assertArrayEquals(model.atFailure[0], model.params, "no step after the failure");
        assertFalse(Arrays.equals(TrainerTest.model(3, 2).params, model.params), "the two steps before it were taken");
    }
}
