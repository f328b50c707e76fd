package dev.chainrule.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.DataFormatException;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Standardizer;
import dev.chainrule.data.TargetScaler;
import dev.chainrule.io.LoadedModelFile;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.ModelFileException;
import dev.chainrule.io.TinyDoubleModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessingTest {

    private static final float[] PARAMETERS = {0.5f, -1.25f, 2f, 0.75f, -3f, 1f / 3, 0.125f, -0.0f};

    @TempDir
    Path dir;

    /** Two rows: feature 0 is 1 and 3 (mean 2, deviation 1), feature 1 is always 10, feature 2 is -1 and 1. */
    private static Standardizer standardizer() {
        return Standardizer.fit(DoubleDataset.of(new double[] {1, 10, -1, 3, 10, 1}, 3, new double[] {0, 0}, 1));
    }

    /** Three rows: feature 0 spans 0 .. 4, feature 1 is always 5, feature 2 spans -2 .. 2. */
    private static MinMaxScaler minMax() {
        return MinMaxScaler.fit(DoubleDataset.of(new double[] {0, 5, -2, 4, 5, 2, 2, 5, 0}, 3, new double[3], 1));
    }

    /** The documented scaler payload, written field by field: magic, type, version, count, statistics. */
    private static byte[] scalerBytes(int type, double[] first, double[] second) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x43524653);
        out.writeByte(type);
        out.writeShort(1);
        out.writeInt(first.length);
        for (double v : first) {
            out.writeDouble(v);
        }
        for (double v : second) {
            out.writeDouble(v);
        }
        return bytes.toByteArray();
    }

    private static void assertParameters(float[] expected, LinearFloatModel model) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(expected[i]),
                    Float.floatToRawIntBits(model.parameters()[i]),
                    "parameter " + i);
        }
    }

    @Test
    void modelAndStandardizerRoundTrip() throws Exception {
        Path file = dir.resolve("linear.chainrule");
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), standardizer(), file);

        LinearFloatModel loaded = new LinearFloatModel(3, 2, new float[8]);
        FeatureScaler scaler = Preprocessing.load(file, loaded).orElseThrow();

        assertParameters(PARAMETERS, loaded);
        Standardizer s = assertInstanceOf(Standardizer.class, scaler);
        assertEquals(3, s.featureCount());
        assertEquals(2.0, s.mean(0));
        assertEquals(10.0, s.mean(1));
        assertEquals(0.0, s.mean(2));
        assertEquals(1.0, s.standardDeviation(0));
        assertEquals(0.0, s.standardDeviation(1));
        assertEquals(1.0, s.standardDeviation(2));

        float[] row = {4, 12, -0.5f};
        s.applyInPlace(row, 0);
        assertArrayEquals(new float[] {2, 2, -0.5f}, row, "(4-2)/1, 12-10 (constant: centred only), (-0.5-0)/1");
    }

    @Test
    void doubleModelAndMinMaxScalerRoundTrip() throws Exception {
        Path file = dir.resolve("stored.chainrule");
        double[] parameters = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8};
        Preprocessing.save(TinyDoubleModel.with(parameters), minMax(), file);

        TinyDoubleModel loaded = new TinyDoubleModel();
        MinMaxScaler s = assertInstanceOf(
                MinMaxScaler.class, Preprocessing.load(file, loaded).orElseThrow());

        assertArrayEquals(parameters, loaded.parameters());
        assertEquals(0.0, s.min(0));
        assertEquals(4.0, s.max(0));
        assertEquals(5.0, s.min(1));
        assertEquals(5.0, s.max(1));
        assertEquals(-2.0, s.min(2));
        assertEquals(2.0, s.max(2));
    }

    @Test
    void theScalerIsTheDocumentedAttachmentHoldingExactlyTheScalerFormat() throws Exception {
        Path file = dir.resolve("linear.chainrule");
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), standardizer(), file);

        assertEquals(
                List.of("chainrule.feature-scaler"), ModelFile.inspect(file).attachmentNames());
        LoadedModelFile loaded = ModelFile.load(file, new LinearFloatModel(3, 2, new float[8]));
        byte[] expected = scalerBytes(1, new double[] {2, 10, 0}, new double[] {1, 0, 1});
        assertArrayEquals(expected, loaded.attachment(Preprocessing.ATTACHMENT).orElseThrow());
        assertArrayEquals(expected, Preprocessing.encode(standardizer()));
    }

    @Test
    void aFileWithoutPreprocessingLoadsWithNoScaler() throws Exception {
        Path file = dir.resolve("plain.chainrule");
        ModelFile.save(new LinearFloatModel(3, 2, PARAMETERS), file, Map.of("notes", new byte[] {1, 2}));

        LinearFloatModel loaded = new LinearFloatModel(3, 2, new float[8]);
        assertEquals(Optional.empty(), Preprocessing.load(file, loaded));
        assertParameters(PARAMETERS, loaded);
    }

    @Test
    void theScalerSitsBesideOtherAttachments() throws Exception {
        Path file = dir.resolve("both.chainrule");
        ModelFile.save(
                new LinearFloatModel(3, 2, PARAMETERS),
                file,
                Map.of(Preprocessing.ATTACHMENT, Preprocessing.encode(minMax()), "a-notes", new byte[] {7}));

        FeatureScaler s = Preprocessing.load(file, new LinearFloatModel(3, 2, new float[8]))
                .orElseThrow();
        assertEquals(4.0, assertInstanceOf(MinMaxScaler.class, s).max(0));
    }

    @Test
    void loadsFromAStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFile.write(
                new LinearFloatModel(3, 2, PARAMETERS),
                Map.of(Preprocessing.ATTACHMENT, Preprocessing.encode(standardizer())),
                bytes);

        LinearFloatModel loaded = new LinearFloatModel(3, 2, new float[8]);
        FeatureScaler s = Preprocessing.load(new ByteArrayInputStream(bytes.toByteArray()), loaded)
                .orElseThrow();
        assertParameters(PARAMETERS, loaded);
        assertEquals(2.0, assertInstanceOf(Standardizer.class, s).mean(0));
    }

    @Test
    void aMissingResourceIsNamed() {
        NoSuchFileException e = assertThrows(
                NoSuchFileException.class,
                () -> Preprocessing.loadResource(
                        PreprocessingTest.class, "absent.chainrule", new LinearFloatModel(3, 2)));
        assertTrue(e.getMessage().contains("absent.chainrule"), e.getMessage());
    }

    @Test
    void saveRefusesAScalerFittedOnOtherFeaturesAndWritesNothing() {
        Path file = dir.resolve("never.chainrule");
        FeatureScaler twoFeatures = Standardizer.fit(DoubleDataset.of(new double[] {1, 2, 3, 4}, 2, new double[2], 1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), twoFeatures, file));
        assertTrue(e.getMessage().contains("fitted on 2 features but the model takes 3"), e.getMessage());
        assertFalse(Files.exists(file));
        assertTrue(dirIsEmpty(), "no temporary file left behind");
    }

    private boolean dirIsEmpty() {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Saves a valid model file whose scaler attachment is {@code payload}, loads it into a model
     * holding other parameters, and returns the failure after checking that the model is unchanged.
     */
    private ModelFileException refused(byte[] payload) throws IOException {
        Path file = dir.resolve("bad.chainrule");
        ModelFile.save(new LinearFloatModel(3, 2, PARAMETERS), file, Map.of(Preprocessing.ATTACHMENT, payload));
        float[] before = {9, 8, 7, 6, 5, 4, 3, 2};
        LinearFloatModel target = new LinearFloatModel(3, 2, before);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Preprocessing.load(file, target));
        assertTrue(e.getMessage().startsWith(file + ": attachment \"chainrule.feature-scaler\": "), e.getMessage());
        assertParameters(before, target);
        return e;
    }

    @Test
    void anAttachmentThatIsNotAScalerIsRefused() throws Exception {
        ModelFileException e = refused(new byte[] {'h', 'e', 'l', 'l', 'o', '!', '!', '!'});
        assertTrue(
                e.getMessage().contains("not a saved feature scaler: magic 0x68656c6c, expected 0x43524653"),
                e.getMessage());
        assertInstanceOf(DataFormatException.class, e.getCause());
    }

    @Test
    void aTruncatedScalerIsRefused() throws Exception {
        byte[] whole = scalerBytes(1, new double[] {2, 10, 0}, new double[] {1, 0, 1});
        ModelFileException e = refused(Arrays.copyOf(whole, whole.length - 3));
        assertTrue(e.getMessage().contains("truncated feature scaler"), e.getMessage());
    }

    @Test
    void bytesAfterTheScalerAreRefused() throws Exception {
        byte[] whole = scalerBytes(1, new double[] {2, 10, 0}, new double[] {1, 0, 1});
        ModelFileException e = refused(Arrays.copyOf(whole, whole.length + 2));
        assertTrue(
                e.getMessage()
                        .contains("2 bytes follow the saved scaler (the payload has " + (whole.length + 2)
                                + " bytes, the scaler ends after " + whole.length + ")"),
                e.getMessage());
    }

    @Test
    void aScalerFittedOnOtherFeaturesIsRefused() throws Exception {
        ModelFileException e = refused(scalerBytes(2, new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1}));
        assertTrue(
                e.getMessage().contains("the scaler was fitted on 4 features but the model takes 3 (IN 3 -> OUT 2"),
                e.getMessage());
    }

    @Test
    void aStandardDeviationNoFitCanHaveIsRefusedNamingTheFeature() throws Exception {
        // 4.9E-324 would scale feature 1 by 1 / 4.9E-324 = Infinity
        ModelFileException e = refused(scalerBytes(1, new double[] {2, 10, 0}, new double[] {1, Double.MIN_VALUE, 1}));
        assertTrue(
                e.getMessage()
                        .contains("standard deviation of feature 1 is 4.9E-324, expected 0 or a finite number"
                                + " of at least 2.2227587494850775E-162"),
                e.getMessage());
        assertInstanceOf(DataFormatException.class, e.getCause());
    }

    @Test
    void aMinMaxRangeNoFitCanHaveIsRefusedNamingTheFeature() throws Exception {
        // the range of feature 2 is wider than the largest double: x - min would overflow
        ModelFileException e = refused(scalerBytes(2, new double[] {0, 5, -1e308}, new double[] {4, 5, 1e308}));
        assertTrue(
                e.getMessage().contains("feature 2 ranges from -1.0E308 to 1.0E308, wider than the largest double"),
                e.getMessage());
    }

    @Test
    void aDamagedModelFileLeavesTheModelUnchanged() throws Exception {
        Path file = dir.resolve("damaged.chainrule");
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), standardizer(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1; // the checksum
        Files.write(file, bytes);

        float[] before = {9, 8, 7, 6, 5, 4, 3, 2};
        LinearFloatModel target = new LinearFloatModel(3, 2, before);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Preprocessing.load(file, target));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertParameters(before, target);
    }

    /** Two targets over three rows: 10, 20, 30 and 1, 1, 4. */
    private static TargetScaler targetScaler() {
        return TargetScaler.fit(DoubleDataset.of(new double[] {0, 0, 0}, 1, new double[] {10, 1, 20, 1, 30, 4}, 2));
    }

    @Test
    void theTargetScalerRoundTripsBesideTheFeatureScaler() throws Exception {
        Path file = dir.resolve("prices.chainrule");
        TargetScaler targets = targetScaler();
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), standardizer(), targets, file);

        LinearFloatModel loaded = new LinearFloatModel(3, 2, new float[8]);
        Preprocessing.Scalers scalers = Preprocessing.loadScalers(file, loaded);
        assertParameters(PARAMETERS, loaded);
        assertEquals(2.0, ((Standardizer) scalers.features().orElseThrow()).mean(0));
        TargetScaler read = scalers.targets().orElseThrow();
        for (int k = 0; k < 2; k++) {
            assertEquals(targets.mean(k), read.mean(k));
            assertEquals(targets.standardDeviation(k), read.standardDeviation(k));
        }
        // the feature scaler alone still loads as before
        assertEquals(2.0, ((Standardizer) Preprocessing.load(file, loaded).orElseThrow()).mean(0));
        LoadedModelFile info = ModelFile.load(file, loaded);
        assertArrayEquals(
                Preprocessing.encode(targets),
                info.attachment(Preprocessing.TARGET_ATTACHMENT).orElseThrow());
    }

    @Test
    void aTargetScalerAloneAndFilesWithoutOne() throws Exception {
        Path file = dir.resolve("targets-only.chainrule");
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), targetScaler(), file);
        Preprocessing.Scalers scalers = Preprocessing.loadScalers(file, new LinearFloatModel(3, 2, new float[8]));
        assertEquals(Optional.empty(), scalers.features());
        assertEquals(20, scalers.targets().orElseThrow().mean(0));

        Path plain = dir.resolve("plain.chainrule");
        Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), standardizer(), plain);
        byte[] bytes = Files.readAllBytes(plain);
        scalers = Preprocessing.loadScalers(new ByteArrayInputStream(bytes), new LinearFloatModel(3, 2, new float[8]));
        assertTrue(scalers.features().isPresent());
        assertEquals(Optional.empty(), scalers.targets());
    }

    @Test
    void aTargetScalerOfOtherOutputsIsRefusedOnSaveAndOnLoad() throws Exception {
        TargetScaler one = TargetScaler.fit(DoubleDataset.of(new double[] {0, 0}, 1, new double[] {1, 2}, 1));
        Path file = dir.resolve("mismatch.chainrule");
        IllegalArgumentException save = assertThrows(
                IllegalArgumentException.class,
                () -> Preprocessing.save(new LinearFloatModel(3, 2, PARAMETERS), one, file));
        assertTrue(
                save.getMessage().startsWith("the target scaler was fitted on 1 targets but the model has 2 outputs"),
                save.getMessage());
        assertFalse(Files.exists(file));

        ModelFile.save(
                new LinearFloatModel(3, 2, PARAMETERS),
                file,
                Map.of(Preprocessing.TARGET_ATTACHMENT, Preprocessing.encode(one)));
        float[] before = {9, 8, 7, 6, 5, 4, 3, 2};
        LinearFloatModel target = new LinearFloatModel(3, 2, before);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Preprocessing.loadScalers(file, target));
        assertTrue(
                e.getMessage()
                        .startsWith(file + ": attachment \"chainrule.target-scaler\": the scaler was fitted"
                                + " on 1 targets but the model has 2 outputs"),
                e.getMessage());
        assertParameters(before, target);
    }
}
