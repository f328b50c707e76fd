package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TargetScalerTest {

    /** Three rows, two targets: target 0 is 10, 20, 30 (mean 20), target 1 is always 5. */
    private static DoubleDataset prices() {
        return DoubleDataset.of(new double[] {1, 2, 3}, 1, new double[] {10, 5, 20, 5, 30, 5}, 2);
    }

    @Test
    void standardisesEachTargetAndTheInverseMapsPredictionsBack() {
        TargetScaler scaler = TargetScaler.fit(prices());
        double std = Math.sqrt(200.0 / 3);
        assertEquals(2, scaler.targetCount());
        assertEquals(20, scaler.mean(0));
        assertEquals(std, scaler.standardDeviation(0), 1e-12);
        assertEquals(5, scaler.mean(1));
        assertEquals(0, scaler.standardDeviation(1), "a constant target");

        DoubleDataset scaled = scaler.apply(prices());
        assertArrayEquals(new double[] {-10 / std, 0, 0, 0, 10 / std, 0}, scaled.targets(), 1e-12);
        assertArrayEquals(prices().features(), scaled.features(), "features unchanged");

        double[] predictions = scaled.targets();
        for (int r = 0; r < 3; r++) {
            scaler.inverseInPlace(predictions, 2 * r);
        }
        assertArrayEquals(prices().targets(), predictions, 1e-12);
        assertEquals(25, scaler.inverse(5 / std, 0), 1e-12);
        assertEquals(5.5, scaler.inverse(0.5, 1), "a constant target is only centred");
    }

    @Test
    void floatRowsRoundOnce() {
        TargetScaler scaler = TargetScaler.fit(prices());
        Dataset scaled = scaler.apply(prices().toFloat());
        float[] row = Arrays.copyOfRange(scaled.targets(), 4, 6);
        scaler.inverseInPlace(row, 0);
        assertArrayEquals(new float[] {30, 5}, row, 1e-5f);
        float[] original = {30, 5};
        scaler.applyInPlace(original, 0);
        assertArrayEquals(Arrays.copyOfRange(scaled.targets(), 4, 6), original);
    }

    @Test
    void refusesClassificationDataAndRowsThatDoNotFit() {
        Dataset labelled = Dataset.classification(new float[] {1, 2}, 1, new int[] {0, 1}, 2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TargetScaler.fit(labelled))
                .getMessage()
                .contains("class labels"));
        TargetScaler scaler = TargetScaler.fit(prices());
        assertThrows(IllegalArgumentException.class, () -> scaler.inverseInPlace(new double[3], 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> scaler.apply(DoubleDataset.of(new double[] {1}, 1, new double[] {1}, 1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> TargetScaler.fit(DoubleDataset.of(new double[0], 1, new double[0], 1)));
    }

    @Test
    void savesAndReadsBackAndRefusesDamagedData() throws IOException {
        TargetScaler scaler = TargetScaler.fit(prices());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        scaler.writeTo(new DataOutputStream(bytes));
        byte[] saved = bytes.toByteArray();
        assertEquals(4 + 1 + 2 + 4 + 2 * 2 * 8, saved.length);
        TargetScaler read = TargetScaler.readFrom(new DataInputStream(new ByteArrayInputStream(saved)));
        assertEquals(scaler.mean(0), read.mean(0));
        assertEquals(scaler.standardDeviation(0), read.standardDeviation(0));
        assertEquals(scaler.standardDeviation(1), read.standardDeviation(1));

        byte[] truncated = Arrays.copyOf(saved, saved.length - 3);
        assertEquals(
                "truncated target scaler: the data ends while reading the standard deviation of target 1 of 2",
                assertThrows(
                                DataFormatException.class,
                                () -> TargetScaler.readFrom(new DataInputStream(new ByteArrayInputStream(truncated))))
                        .getMessage());
        byte[] negative = saved.clone();
        negative[saved.length - 8] = (byte) 0xBF; // the last deviation becomes negative
        negative[saved.length - 7] = (byte) 0xF0;
        assertEquals(
                "the standard deviation of target 1 of 2 is -1.0, expected 0 or at least "
                        + Standardizer.MIN_STANDARD_DEVIATION,
                assertThrows(
                                DataFormatException.class,
                                () -> TargetScaler.readFrom(new DataInputStream(new ByteArrayInputStream(negative))))
                        .getMessage());
        byte[] feature = saved.clone();
        feature[3] = 0x53 - 1; // "CRFR" is not "CRTS"
        assertTrue(assertThrows(
                        DataFormatException.class,
                        () -> TargetScaler.readFrom(new DataInputStream(new ByteArrayInputStream(feature))))
                .getMessage()
                .startsWith("not a saved target scaler"));
    }

    /** A deviation no fit can produce (the smallest positive double) is refused, as the feature scalers refuse it. */
    @Test
    void aSavedDeviationNoFitCanProduceIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(TargetScaler.MAGIC);
        out.writeByte(TargetScaler.TYPE);
        out.writeShort(TargetScaler.VERSION);
        out.writeInt(1);
        out.writeDouble(2.0);
        out.writeDouble(Double.MIN_VALUE);
        DataFormatException e = assertThrows(
                DataFormatException.class,
                () -> TargetScaler.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("the standard deviation of target 0 of 1 is 4.9E-324"), e.getMessage());
    }
}
