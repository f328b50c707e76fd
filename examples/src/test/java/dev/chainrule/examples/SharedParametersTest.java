package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Eight threads, each with its own {@code withSharedParameters()} sibling, make 100,000
 * predictions each over one shared parameter array and get bit for bit what one thread gets.
 */
class SharedParametersTest {
    private static final int THREADS = 8;
    private static final int PREDICTIONS = 100_000;
    private static final int ROWS = 1_000;

    @Test
    void floatSiblingsPredictExactlyWhatOneThreadPredicts() throws Exception {
        SharedFloatModel model = new SharedFloatModel(3L);
        float[] inputs = new float[ROWS * SharedFloat.FEATURES];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) random.nextDouble(-3, 3);
        }
        int outputs = SharedFloat.CLASSES;
        float[] expected = new float[ROWS * outputs];
        for (int r = 0; r < ROWS; r++) {
            model.predict(inputs, r * SharedFloat.FEATURES, expected, r * outputs);
        }

        assertNoMismatches(() -> {
            SharedFloatModel sibling = model.withSharedParameters();
            assertNotSame(model, sibling);
            assertSame(model.parameters(), sibling.parameters());
            float[] out = new float[outputs];
            return row -> {
                sibling.predict(inputs, row * SharedFloat.FEATURES, out, 0);
                for (int k = 0; k < outputs; k++) {
                    if (Float.floatToRawIntBits(out[k]) != Float.floatToRawIntBits(expected[row * outputs + k])) {
                        return false;
                    }
                }
                return true;
            };
        });
    }

    @Test
    void doubleSiblingsPredictExactlyWhatOneThreadPredicts() throws Exception {
        SharedDoubleModel model = new SharedDoubleModel(4L);
        double[] inputs = new double[ROWS * SharedDouble.FEATURES];
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = random.nextDouble(-3, 3);
        }
        int outputs = SharedDouble.OUTPUTS;
        double[] expected = new double[ROWS * outputs];
        for (int r = 0; r < ROWS; r++) {
            model.predict(inputs, r * SharedDouble.FEATURES, expected, r * outputs);
        }

        assertNoMismatches(() -> {
            SharedDoubleModel sibling = model.withSharedParameters();
            assertNotSame(model, sibling);
            assertSame(model.parameters(), sibling.parameters());
            double[] out = new double[outputs];
            return row -> {
                sibling.predict(inputs, row * SharedDouble.FEATURES, out, 0);
                for (int k = 0; k < outputs; k++) {
                    if (Double.doubleToRawLongBits(out[k]) != Double.doubleToRawLongBits(expected[row * outputs + k])) {
                        return false;
                    }
                }
                return true;
            };
        });
    }

    /**
     * Runs {@value #THREADS} threads, released together, each predicting {@value #PREDICTIONS}
     * rows through its own predictor (made on that thread by {@code predictors}), which says
     * whether a row's outputs equal the single-threaded ones; fails unless all of them do.
     */
    private static void assertNoMismatches(Supplier<IntPredicate> predictors) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            @SuppressWarnings("unchecked")
            Future<Integer>[] mismatches = new Future[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int offset = t * 131;
                mismatches[t] = pool.submit(() -> {
                    IntPredicate sameAsOneThread = predictors.get();
                    start.await();
                    int wrong = 0;
                    for (int n = 0; n < PREDICTIONS; n++) {
                        if (!sameAsOneThread.test((n * 7 + offset) % ROWS)) {
                            wrong++;
                        }
                    }
                    return wrong;
                });
            }
            for (int t = 0; t < THREADS; t++) {
                assertEquals(0, mismatches[t].get(), "predictions of thread " + t + " that differ from one thread's");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
