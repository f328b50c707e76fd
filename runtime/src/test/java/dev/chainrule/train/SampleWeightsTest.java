package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.data.Fold;
import dev.chainrule.data.Split;
import dev.chainrule.data.Standardizer;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sample weights on a dataset and class weights on the trainer: each step minimises the weighted
 * mean loss {@code sum_r w_r l_r / sum_r w_r} of its batch. A weight of 2 trains as two copies of
 * the row, a weight of 0 as no row; the weights follow their rows through the dataset's
 * operations and the shards of a batch, so thread counts still give the same bits; bad weights
 * are refused before training changes anything; validation stays unweighted.
 */
class SampleWeightsTest {
    private static final int IN = 3;
    private static final int CLASSES = 3;

    /** {@code rows} rows of random features, labelled in turn 0, 1, 2, 0, ... with one-hot targets. */
    private static Dataset classes(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * IN];
        int[] labels = new int[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        for (int r = 0; r < rows; r++) {
            labels[r] = (r * 7 + r / 3) % CLASSES;
            x[r * IN] += labels[r]; // something to learn
        }
        return Dataset.classification(x, IN, labels, CLASSES);
    }

    /** The rows of {@code data}, those of class {@code c} twice. */
    private static int[] withClassTwice(Dataset data, int c) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < data.rows(); r++) {
            rows.add(r);
            if (data.label(r) == c) {
                rows.add(r);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Trainer<Dataset> fullBatchSgd(FloatLinear model, int rows) {
        return Trainer.of(model)
                .optimizer(Sgd.of(0.2))
                .batchSize(rows)
                .threads(1)
                .epochs(25)
                .seed(3)
                .silent();
    }

    private static DoubleLinear doubleModel() {
        DoubleLinear model = new DoubleLinear(IN, CLASSES);
        for (int i = 0; i < model.params.length; i++) {
            model.params[i] = 0.1 * (i - 2);
        }
        return model;
    }

    @Test
    void aClassWeightOfTwoTrainsAsTwoCopiesOfTheClassRows() {
        Dataset data = classes(30, 1);
        Dataset twice = data.select(withClassTwice(data, 1));
        FloatLinear weighted = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(weighted, twice.rows()).classWeights(1, 2, 1).fit(data);
        FloatLinear copied = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(copied, twice.rows()).fit(twice);
        assertFalse(Arrays.equals(weighted.params, TrainerTest.model(IN, CLASSES).params), "training moved");
        FloatLinear unweighted = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(unweighted, twice.rows()).fit(data);
        for (int i = 0; i < copied.params.length; i++) {
            assertEquals(copied.params[i], weighted.params[i], 2e-6, "parameter " + i);
        }
        assertTrue(maxDifference(unweighted.params, copied.params) > 1e-3, "the weight mattered");

        DoubleLinear weightedD = doubleModel();
        Trainer.of(weightedD)
                .optimizer(Sgd.of(0.2))
                .batchSize(twice.rows())
                .threads(1)
                .epochs(25)
                .silent()
                .classWeights(1, 2, 1)
                .fit(data.toDouble());
        DoubleLinear copiedD = doubleModel();
        Trainer.of(copiedD)
                .optimizer(Sgd.of(0.2))
                .batchSize(twice.rows())
                .threads(1)
                .epochs(25)
                .silent()
                .fit(twice.toDouble());
        for (int i = 0; i < copiedD.params.length; i++) {
            assertEquals(copiedD.params[i], weightedD.params[i], 1e-13, "double parameter " + i);
        }
    }

    @Test
    void aSampleWeightOfTwoTrainsAsTwoCopiesOfTheRowAndZeroAsNone() {
        Dataset data = classes(24, 2);
        double[] w = new double[data.rows()];
        List<Integer> expanded = new ArrayList<>();
        for (int r = 0; r < w.length; r++) {
            w[r] = r % 4; // 0, 1, 2, 3 copies
            for (int k = 0; k < w[r]; k++) {
                expanded.add(r);
            }
        }
        Dataset copies =
                data.select(expanded.stream().mapToInt(Integer::intValue).toArray());
        FloatLinear weighted = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(weighted, data.rows()).fit(data.withSampleWeights(w));
        FloatLinear copied = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(copied, copies.rows()).fit(copies);
        for (int i = 0; i < copied.params.length; i++) {
            assertEquals(copied.params[i], weighted.params[i], 2e-6, "parameter " + i);
        }
    }

    @Test
    void rowsOfWeightZeroContributeNothing() {
        Dataset data = classes(20, 4);
        float[] features = data.features();
        float[] targets = data.targets();
        double[] w = new double[data.rows()];
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < w.length; r++) {
            if (r % 3 == 1) {
                targets[r * CLASSES] = 1000; // a target far off, weighing nothing
            } else {
                w[r] = 1;
                kept.add(r);
            }
        }
        Dataset odd = Dataset.of(features, IN, targets, CLASSES).withSampleWeights(w);
        Dataset without = data.select(kept.stream().mapToInt(Integer::intValue).toArray());
        FloatLinear weighted = TrainerTest.model(IN, CLASSES);
        History history = fullBatchSgd(weighted, data.rows()).fit(odd);
        FloatLinear reference = TrainerTest.model(IN, CLASSES);
        History expected = fullBatchSgd(reference, data.rows()).fit(without);
        for (int i = 0; i < reference.params.length; i++) {
            assertEquals(reference.params[i], weighted.params[i], 1e-6, "parameter " + i);
        }
        assertEquals(expected.finalLoss(), history.finalLoss(), 1e-5, "the weighted mean loss leaves them out");
    }

    @Test
    void unitSampleWeightsGiveTheBitsOfUnweightedTraining() {
        Dataset data = TrainerTest.random(70, IN, 2, 8);
        double[] ones = new double[data.rows()];
        Arrays.fill(ones, 1);
        float[] plain = trainAdam(data, 2, null);
        float[] weighted = trainAdam(data.withSampleWeights(ones), 2, null);
        assertArrayEquals(plain, weighted);
    }

    private static float[] trainAdam(Dataset data, int threads, double[] classWeights) {
        FloatLinear model = TrainerTest.model(IN, data.targetCount());
        Trainer<Dataset> trainer = Trainer.of(model)
                .optimizer(Adam.of(0.01))
                .batchSize(16)
                .shardRows(4)
                .threads(threads)
                .epochs(3)
                .seed(5)
                .silent();
        if (classWeights != null) {
            trainer.classWeights(classWeights);
        }
        trainer.fit(data);
        return model.params;
    }

    @Test
    void weightsGiveTheSameBitsOnOneThreadOrTwo() {
        Dataset data = classes(70, 5);
        double[] w = new double[data.rows()];
        for (int r = 0; r < w.length; r++) {
            w[r] = 0.25 + (r * 13 % 7) * 0.5;
        }
        Dataset weighted = data.withSampleWeights(w).shuffled(9);
        double[] perClass = {0.5, 3, 1.25};
        float[] one = trainAdam(weighted, 1, perClass);
        float[] two = trainAdam(weighted, 2, perClass);
        assertArrayEquals(one, two);
        assertTrue(maxDifference(one, trainAdam(data, 1, null)) > 1e-4, "the weights mattered");
    }

    @Test
    void balancedClassWeightsAreRowsOverClassesTimesCount() {
        float[] x = new float[12 * IN];
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        Dataset data = Dataset.classification(x, IN, labels, CLASSES);
        FloatLinear balanced = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(balanced, 12).balancedClassWeights().fit(data);
        FloatLinear given = TrainerTest.model(IN, CLASSES);
        fullBatchSgd(given, 12)
                .classWeights(12.0 / (3 * 6), 12.0 / (3 * 3), 12.0 / (3 * 3))
                .fit(data);
        assertArrayEquals(given.params, balanced.params);

        Dataset noClassTwo = data.range(0, 9);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> fullBatchSgd(TrainerTest.model(IN, CLASSES), 9)
                        .balancedClassWeights()
                        .fit(noClassTwo));
        assertTrue(e.getMessage().startsWith("class 2 has no training rows"), e.getMessage());
    }

    @Test
    void theWeightsFollowTheirRows() {
        Dataset data = classes(12, 6);
        double[] w = new double[data.rows()];
        for (int r = 0; r < w.length; r++) {
            w[r] = r + 0.5;
        }
        Dataset weighted = data.withSampleWeights(w);
        assertTrue(weighted.hasSampleWeights());
        assertFalse(data.hasSampleWeights());
        assertArrayEquals(new double[] {3.5, 0.5, 3.5}, weighted.select(3, 0, 3).sampleWeights());
        assertArrayEquals(new double[] {2.5, 3.5}, weighted.range(2, 4).sampleWeights());
        Dataset shuffled = weighted.shuffled(4);
        Split<Dataset> split = weighted.stratifiedSplit(0.5, 0.25, 7);
        List<Fold<Dataset>> folds = weighted.kFold(3, 1);
        assertArrayEquals(w, Standardizer.fit(weighted).apply(weighted).sampleWeights(), "scaled");
        for (Dataset part : List.of(
                shuffled, split.train(), split.validation(), folds.get(1).train())) {
            double[] weights = part.sampleWeights();
            for (int r = 0; r < part.rows(); r++) {
                assertEquals(
                        w[rowOf(data, part, r)],
                        weights[r],
                        "the weight of row " + r + " of a part of " + part.rows() + " rows");
            }
        }
        DoubleDataset doubled = weighted.toDouble();
        assertArrayEquals(w, doubled.sampleWeights());
        assertArrayEquals(w, doubled.toFloat().sampleWeights());
        IllegalStateException none = assertThrows(IllegalStateException.class, data::sampleWeights);
        assertEquals("this dataset has no sample weights", none.getMessage());
    }

    /** The row of {@code data} that row {@code r} of {@code part} is: its first feature is unique. */
    private static int rowOf(Dataset data, Dataset part, int r) {
        for (int row = 0; row < data.rows(); row++) {
            if (data.feature(row, 1) == part.feature(r, 1)) {
                return row;
            }
        }
        throw new AssertionError("row " + r + " is not a row of the data");
    }

    @Test
    void badWeightsAreRefusedBeforeTrainingChangesAnything() {
        Dataset data = classes(10, 7);
        IllegalArgumentException e;
        e = assertThrows(IllegalArgumentException.class, () -> data.withSampleWeights(new double[9]));
        assertEquals("sample weights has length 9, expected 10 (one per row)", e.getMessage());
        double[] nan = new double[10];
        nan[4] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> data.withSampleWeights(nan));
        assertEquals("sample weights[4] is NaN, expected a finite weight of at least 0", e.getMessage());
        double[] negative = new double[10];
        negative[9] = -2;
        e = assertThrows(IllegalArgumentException.class, () -> data.withSampleWeights(negative));
        assertEquals("sample weights[9] is -2.0, expected a finite weight of at least 0", e.getMessage());

        FloatLinear model = TrainerTest.model(IN, CLASSES);
        float[] start = model.params.clone();
        e = assertThrows(
                IllegalArgumentException.class, () -> fullBatchSgd(model, 10).classWeights(1, -1, 1));
        assertEquals("class weights[1] is -1.0, expected a finite weight of at least 0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> fullBatchSgd(model, 10).classWeights(0, 0, 0));
        assertEquals("every class weight is 0, so no row would count in training", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> fullBatchSgd(model, 10).classWeights(1, 2).fit(data));
        assertEquals("2 class weights given, but the model has 3 classes", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> fullBatchSgd(model, 10).fit(data.withSampleWeights(new double[10])));
        assertEquals("every sample weight of the training data is 0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> fullBatchSgd(model, 10)
                        .classWeights(0, 1, 0)
                        .fit(data.withSampleWeights(weightsOfClass(data, 1, 0))));
        assertEquals("every training row weighs 0 with these class weights", e.getMessage());
        assertArrayEquals(start, model.params, "nothing trained");

        // a mini-batch whose rows all weigh 0: refused before its step
        double[] firstOnly = new double[10];
        firstOnly[0] = 1;
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Trainer.of(model)
                        .optimizer(Sgd.of(0.1))
                        .batchSize(1)
                        .threads(1)
                        .silent()
                        .fit(data.withSampleWeights(firstOnly)));
        assertEquals(
                "every row of this batch of 1 has weight 0, so its weighted mean loss sum(w * loss) / sum(w)"
                        + " is undefined: give some of its rows a weight",
                e.getMessage());
    }

    /** Weight {@code w} for the rows of class {@code c}, 1 for the others. */
    private static double[] weightsOfClass(Dataset data, int c, double w) {
        double[] weights = new double[data.rows()];
        for (int r = 0; r < weights.length; r++) {
            weights[r] = data.label(r) == c ? w : 1;
        }
        return weights;
    }

    @Test
    void validationLossIsUnweighted() {
        Dataset data = classes(30, 8);
        double[] w = new double[data.rows()];
        for (int r = 0; r < w.length; r++) {
            w[r] = r % 2 == 0 ? 5 : 0.5;
        }
        Dataset validation = classes(15, 9);
        double[] vw = new double[validation.rows()];
        Arrays.fill(vw, 3);
        vw[0] = 0;
        Dataset weightedValidation = validation.withSampleWeights(vw);
        FloatLinear model = TrainerTest.model(IN, CLASSES);
        History history = fullBatchSgd(model, 30)
                .epochs(3)
                .classWeights(1, 4, 1)
                .validation(weightedValidation)
                .fit(data.withSampleWeights(w));
        model.setTraining(false);
        float unweighted = model.lossBatch(validation.features(), validation.targets(), validation.rows());
        assertEquals(unweighted, history.last().validationLoss(), 1e-6);
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
