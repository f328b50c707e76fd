package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FeatureScalerTest {

    /** Four rows of three features: a varying one, a constant 7, and a constant 0.1. */
    private static final double[] TRAIN = {
        1, 7, 0.1,
        2, 7, 0.1,
        3, 7, 0.1,
        4, 7, 0.1,
    };

    private static DoubleDataset train() {
        return DoubleDataset.of(TRAIN, 3, new double[] {1, 2, 3, 4}, 1);
    }

    @Test
    void standardizerUsesMeanAndPopulationDeviation() {
        Standardizer s = Standardizer.fit(train());
        // mean 2.5; squared deviations 2.25, 0.25, 0.25, 2.25 -> variance 5 / 4.
        double std = Math.sqrt(1.25);
        assertEquals(2.5, s.mean(0), 1e-15);
        assertEquals(std, s.standardDeviation(0), 1e-15);
        assertEquals(0.0, s.standardDeviation(1));
        assertEquals(0.0, s.standardDeviation(2), "a constant feature has no spread, even 0.1 summed");

        DoubleDataset out = s.apply(train());
        for (int r = 0; r < 4; r++) {
            assertEquals((r + 1 - 2.5) / std, out.feature(r, 0), 1e-15);
            assertEquals(0.0, out.feature(r, 1), "constant feature becomes 0, not NaN");
            assertEquals(0.0, out.feature(r, 2), "constant feature becomes 0, not NaN");
            assertEquals(r + 1, out.target(r, 0), "targets are not touched");
        }
    }

    @Test
    void standardizerFittedOnTrainingAppliesToOtherRowsAndFloats() {
        Standardizer s = Standardizer.fit(train().toFloat());
        float[] row = {0, 0, 9, 10, 8, 0.1f};
        s.applyInPlace(row, 3);
        assertArrayEquals(new float[] {0, 0, 9}, Arrays.copyOf(row, 3), "before the offset nothing changes");
        assertEquals((float) ((10 - 2.5) / Math.sqrt(1.25)), row[3], 1e-6f);
        assertEquals(1f, row[4], "a constant feature is centred only: 8 - 7");
        assertEquals(0f, row[5], 1e-8f);
    }

    @Test
    void minMaxMapsTheTrainingRangeOntoZeroOne() {
        DoubleDataset data = DoubleDataset.of(new double[] {2, 5, 4, 5, 10, 5, 6, 5}, 2, new double[0], 0);
        MinMaxScaler m = MinMaxScaler.fit(data);
        assertEquals(2, m.min(0));
        assertEquals(10, m.max(0));
        DoubleDataset out = m.apply(data);
        assertArrayEquals(new double[] {0, 0, 0.25, 0, 1, 0, 0.5, 0}, out.features(), 1e-15);
        double[] unseen = {12, 6};
        m.applyInPlace(unseen, 0);
        assertArrayEquals(new double[] {1.25, 1}, unseen, 1e-15);
    }

    @Test
    void applyingToASingleRowAllocatesNothing() {
        Standardizer s = Standardizer.fit(train());
        MinMaxScaler m = MinMaxScaler.fit(train());
        float[] row = new float[3];
        double[] drow = new double[3];
        Runnable requests = () -> {
            for (int i = 0; i < 1000; i++) {
                row[0] = i;
                drow[0] = i;
                s.applyInPlace(row, 0);
                m.applyInPlace(drow, 0);
            }
        };
        for (int i = 0; i < 50; i++) {
            requests.run();
        }
        assertEquals(0, Allocations.of(requests));
    }

    @Test
    void refusesMismatchedShapesAndEmptyData() {
        Standardizer s = Standardizer.fit(train());
        var e = assertThrows(IllegalArgumentException.class, () -> s.apply(DatasetTest.numbered(3)));
        assertTrue(e.getMessage().contains("dataset has 2 features, this scaler was fitted on 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.applyInPlace(new float[4], 2));
        assertTrue(e.getMessage().contains("row of length 4 does not hold 3 features from offset 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.applyInPlace(new double[3], -1));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(DatasetTest.numbered(0)));
    }

    private static byte[] save(FeatureScaler scaler) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        scaler.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static FeatureScaler load(byte[] bytes) throws IOException {
        return FeatureScaler.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void roundTripsThroughDataStreams() throws IOException {
        for (FeatureScaler original : new FeatureScaler[] {Standardizer.fit(train()), MinMaxScaler.fit(train())}) {
            byte[] bytes = save(original);
            assertEquals(4 + 1 + 2 + 4 + 2 * 3 * 8, bytes.length);
            FeatureScaler copy = load(bytes);
            assertInstanceOf(original.getClass(), copy);
            assertEquals(3, copy.featureCount());
            double[] a = {5, 7, 0.3};
            double[] b = a.clone();
            original.applyInPlace(a, 0);
            copy.applyInPlace(b, 0);
            assertArrayEquals(a, b);
            for (int j = 0; j < 3; j++) {
                assertEquals(original.shift(j), copy.shift(j));
                assertEquals(original.scale(j), copy.scale(j));
            }
        }
        Standardizer s = (Standardizer) load(save(Standardizer.fit(train())));
        assertEquals(Math.sqrt(1.25), s.standardDeviation(0));
    }

    @Test
    void headerHasTheDocumentedLayout() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(save(MinMaxScaler.fit(train())));
        assertEquals(0x43524653, b.getInt());
        assertEquals(2, b.get());
        assertEquals(1, b.getShort());
        assertEquals(3, b.getInt());
        assertEquals(1.0, b.getDouble(), "minimum of feature 0 comes first");
    }

    @Test
    void truncatedInputFailsAtEveryLength() throws IOException {
        byte[] bytes = save(Standardizer.fit(train()));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            DataFormatException e = assertThrows(DataFormatException.class, () -> load(cut), "length " + length);
            assertTrue(
                    e.getMessage().startsWith("truncated feature scaler: the data ends while reading "),
                    e.getMessage());
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(Arrays.copyOf(bytes, 20)));
        assertTrue(e.getMessage().endsWith("statistic 1 of feature 1 of 3"), e.getMessage());
    }

    private static void assertCorrupt(byte[] bytes, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(bytes));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void foreignOrCorruptInputFailsClearly() throws IOException {
        assertCorrupt("PK\3\4 a zip file, not a scaler".getBytes(), "not a saved feature scaler: magic 0x504b0304");
        byte[] good = save(Standardizer.fit(train()));

        byte[] type = good.clone();
        type[4] = 7;
        assertCorrupt(type, "unknown feature scaler type 7");
        byte[] version = good.clone();
        version[6] = 2;
        assertCorrupt(version, "feature scaler version 2 is not supported, expected 1");
        assertCorrupt(withInt(good, 7, 0), "feature count 0 is not in 1 .. 1048576");
        assertCorrupt(withInt(good, 7, Integer.MAX_VALUE), "feature count 2147483647 is not in 1 .. 1048576");
        assertCorrupt(withDouble(good, 11 + 8, Double.NaN), "statistic 1 of feature 1 of 3 is NaN");
        assertCorrupt(withDouble(good, 11 + 3 * 8, -1), "standard deviation of feature 0 is -1.0");

        byte[] minMax = save(MinMaxScaler.fit(train()));
        assertCorrupt(withDouble(minMax, 11 + 3 * 8, 0.5), "maximum 0.5 of feature 0 is below its minimum 1.0");
    }

    @Test
    void aStandardDeviationBelowAnyFittedOneIsRefused() throws IOException {
        byte[] good = save(Standardizer.fit(train()));
        // sqrt(Double.MIN_VALUE) = 2^-537 is the smallest positive deviation fit computes
        assertCorrupt(
                withDouble(good, 11 + 3 * 8, Double.MIN_VALUE),
                "standard deviation of feature 0 is 4.9E-324,"
                        + " expected 0 or a finite number of at least 2.2227587494850775E-162");
        assertCorrupt(withDouble(good, 11 + 4 * 8, 0x1p-538), "standard deviation of feature 1 is");
        Standardizer least = (Standardizer) load(withDouble(good, 11 + 3 * 8, Standardizer.MIN_STANDARD_DEVIATION));
        assertEquals(0x1p537, least.scale(0), "the largest scale a standardizer has, finite");
        assertEquals(Math.sqrt(Double.MIN_VALUE), Standardizer.MIN_STANDARD_DEVIATION);
    }

    @Test
    void standardizingDataBeyondTheDoubleRangeIsRefusedNamingTheFeature() {
        DoubleDataset huge = DoubleDataset.of(new double[] {1, -1e308, 2, 1e308}, 2, new double[0], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(huge));
        assertEquals(
                "cannot standardize feature 1: the sum of its squared deviations from the mean overflows a double",
                e.getMessage());
        DoubleDataset sumOverflows = DoubleDataset.of(new double[] {1e308, 1.5e308, 1.6e308}, 1, new double[0], 0);
        e = assertThrows(IllegalArgumentException.class, () -> Standardizer.fit(sumOverflows));
        assertEquals(
                "cannot standardize feature 0: its values sum to Infinity (a value is not finite, or the sum"
                        + " overflows a double)",
                e.getMessage());
    }

    @Test
    void aMinMaxRangeTooNarrowToInvertIsTreatedAsConstant() throws IOException {
        // 1 / 4.9E-324 is infinite: the feature is constant as far as doubles can scale it
        DoubleDataset narrow = DoubleDataset.of(new double[] {0, 3, Double.MIN_VALUE, 5}, 2, new double[0], 0);
        MinMaxScaler m = MinMaxScaler.fit(narrow);
        assertEquals(1, m.scale(0));
        assertEquals(Double.MIN_VALUE, m.max(0), "the statistics are reported as measured");
        assertEquals(0.5, m.scale(1));
        double[] row = {Double.MIN_VALUE, 4};
        m.applyInPlace(row, 0);
        assertArrayEquals(new double[] {Double.MIN_VALUE, 0.5}, row);
        assertEquals(1, load(save(m)).scale(0), "and loads back alike");
        MinMaxScaler normal =
                MinMaxScaler.fit(DoubleDataset.of(new double[] {0, Double.MIN_NORMAL}, 1, new double[0], 0));
        assertEquals(1 / Double.MIN_NORMAL, normal.scale(0), "from Double.MIN_NORMAL up the range is inverted");
    }

    @Test
    void aMinMaxRangeWiderThanTheLargestDoubleIsRefused() throws IOException {
        DoubleDataset wide = DoubleDataset.of(new double[] {0, -1e308, 1, 1e308}, 2, new double[0], 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(wide));
        assertTrue(
                e.getMessage().contains("feature 1 ranges from -1.0E308 to 1.0E308, wider than the largest double"),
                e.getMessage());
        byte[] good = save(MinMaxScaler.fit(train()));
        assertCorrupt(
                withDouble(withDouble(good, 11 + 8, -Double.MAX_VALUE), 11 + 4 * 8, Double.MAX_VALUE),
                "feature 1 ranges from -1.7976931348623157E308 to 1.7976931348623157E308, wider than the largest double");
    }

    @Test
    void everyScalerFitOnExtremeDataLoadsBackWithFiniteScales() throws IOException {
        java.util.Random random = new java.util.Random(11);
        double[] magnitudes = {Double.MIN_VALUE, 1e-320, Double.MIN_NORMAL, 1e-200, 1e-162, 1e-20, 1, 1e20, 1e150, 1e300
        };
        for (int trial = 0; trial < 500; trial++) {
            double[] values = new double[12];
            for (int i = 0; i < values.length; i++) {
                double m = magnitudes[random.nextInt(magnitudes.length)];
                values[i] = (random.nextBoolean() ? m : -m) * (random.nextInt(4) == 0 ? 1 : random.nextDouble());
            }
            DoubleDataset data = DoubleDataset.of(values, 3, new double[0], 0);
            for (int kind = 0; kind < 2; kind++) {
                FeatureScaler fitted;
                try {
                    fitted = kind == 0 ? Standardizer.fit(data) : MinMaxScaler.fit(data);
                } catch (IllegalArgumentException refusedData) {
                    continue; // data beyond the double range, named
                }
                FeatureScaler loaded = load(save(fitted));
                for (int j = 0; j < 3; j++) {
                    assertEquals(fitted.scale(j), loaded.scale(j));
                    assertTrue(
                            Double.isFinite(fitted.scale(j)) && fitted.scale(j) > 0,
                            fitted + " scale " + fitted.scale(j) + " on " + Arrays.toString(values));
                }
            }
        }
    }

    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    private static byte[] withDouble(byte[] bytes, int offset, double value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putDouble(offset, value);
        return copy;
    }

    @Test
    void oneHotEncodesAndDecodes() {
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1}, OneHot.encode(new int[] {1, 0, 1}, 2));
        assertArrayEquals(new double[] {0, 0, 1}, OneHot.encodeDouble(new int[] {2}, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> OneHot.encode(new int[] {0, 2}, 2));
        assertTrue(e.getMessage().contains("labels[1] is 2, expected 0 .. 1"), e.getMessage());
        assertEquals(2, OneHot.argmax(new float[] {9, 0.1f, 0.2f, 0.7f, 0.7f}, 1, 4), "first of a tie");
        assertEquals(0, OneHot.argmax(new double[] {3, 1, 2}, 0, 3));
    }
}
