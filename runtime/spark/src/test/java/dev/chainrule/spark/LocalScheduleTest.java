package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LearningRateSchedule;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.GradientSource;
import dev.chainrule.train.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A round's optimizer made from the round's first local step, so that a rate can span the run. */
class LocalScheduleTest {
    private static final Dataset TRAIN = TestSpark.blobs(600, 1);

    /** The first steps the factory was asked for, in order: filled in this JVM only (in-process runs). */
    private static final List<Long> ASKED = new ArrayList<>();

    private static float[] train(GradientSource source) {
        BlobsModel model = new BlobsModel(3L);
        Trainer.of(model)
                .optimizer(Sgd.of(1))
                .batchSize(64)
                .epochs(2)
                .seed(7)
                .silent()
                .fit(source);
        return model.parameters();
    }

    /** A cosine over the run's 20 local steps (10 batches an epoch, 2 epochs), joined at the round's first step. */
    private static OptimizerFactory following() {
        return OptimizerFactory.fromStep(
                first -> Adam.of(LearningRateSchedule.cosine(0.02, 0, 20).startingAt(first)));
    }

    @Test
    void eachRoundIsGivenItsFirstLocalStepOfTheRun() {
        ASKED.clear();
        // 600 rows in batches of 64: 10 batches an epoch; rounds of 4 local steps start at 0, 4, 8
        train(SparkData.inProcess(TestSpark.ranges(TRAIN, 2), 4, OptimizerFactory.fromStep(first -> {
            synchronized (ASKED) {
                ASKED.add(first);
            }
            return Adam.of(0.01);
        })));
        // each round asks once per partition, partition 0 first
        assertEquals(List.of(0L, 0L, 4L, 4L, 8L, 8L, 10L, 10L, 14L, 14L, 18L, 18L), ASKED);
    }

    @Test
    void aFactoryThatIgnoresTheStepGivesThePlainFactorysBits() {
        float[] plain = train(SparkData.inProcess(TestSpark.ranges(TRAIN, 2), 4, () -> Adam.of(0.01)));
        float[] stepped = train(
                SparkData.inProcess(TestSpark.ranges(TRAIN, 2), 4, OptimizerFactory.fromStep(first -> Adam.of(0.01))));
        assertArrayEquals(plain, stepped);

        long[] seen = {-1};
        OptimizerFactory factory = OptimizerFactory.fromStep(first -> {
            seen[0] = first;
            return Adam.of(0.01);
        });
        factory.create();
        assertEquals(0, seen[0], "create() is the optimizer of a round starting at step 0");
        factory.create(7);
        assertEquals(7, seen[0]);
        NullPointerException none = assertThrows(NullPointerException.class, () -> OptimizerFactory.fromStep(null));
        assertEquals("make", none.getMessage());
    }

    @Test
    void aScheduleFollowedOverTheRunDiffersFromOneRestartedEachRoundAndIsTheSameBitsOnSpark() {
        List<Dataset> parts = TestSpark.ranges(TRAIN, 2);
        float[] followed = train(SparkData.inProcess(parts, 4, following()));
        float[] restarted =
                train(SparkData.inProcess(parts, 4, () -> Adam.of(LearningRateSchedule.cosine(0.02, 0, 20))));
        assertFalse(Arrays.equals(followed, restarted), "the rounds after the first start part-way along the cosine");

        SparkSession spark = TestSpark.start("local[2]");
        try {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            try (SparkData rows = SparkData.of(context, parts);
                    SparkData averaged = rows.averaging(4, following())) {
                assertArrayEquals(followed, train(averaged), "the factory travels to the executors and back");
            }
        } finally {
            spark.stop();
        }
    }
}
