package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileRoundTripTest {

    /** Eight floats that a lossy encoding would change: signed zero, subnormals, extremes. */
    static final float[] AWKWARD_FLOATS = {
        -0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f / 3, 0.0f
    };

    static final double[] AWKWARD_DOUBLES = {
        -0.0,
        Double.MIN_VALUE,
        -Double.MIN_NORMAL / 3,
        Double.MIN_NORMAL,
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        0.1,
        Math.PI
    };

    @TempDir
    Path dir;

    @Test
    void floatParametersRoundTripBitForBit() throws Exception {
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(TinyFloatModel.with(AWKWARD_FLOATS), file);

        TinyFloatModel loaded = TinyFloatModel.with(9, 9, 9, 9, 9, 9, 9, 9);
        ModelFile.load(file, loaded);

        for (int i = 0; i < AWKWARD_FLOATS.length; i++) {
            assertEquals(
                    Float.floatToRawIntBits(AWKWARD_FLOATS[i]),
                    Float.floatToRawIntBits(loaded.parameters()[i]),
                    "parameter " + i);
        }
    }

    @Test
    void doubleParametersRoundTripBitForBit() throws Exception {
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(TinyDoubleModel.with(AWKWARD_DOUBLES), file);

        TinyDoubleModel loaded = TinyDoubleModel.with(9, 9, 9, 9, 9, 9, 9, 9);
        ModelFile.load(file, loaded);

        for (int i = 0; i < AWKWARD_DOUBLES.length; i++) {
            assertEquals(
                    Double.doubleToRawLongBits(AWKWARD_DOUBLES[i]),
                    Double.doubleToRawLongBits(loaded.parameters()[i]),
                    "parameter " + i);
        }
    }

    @Test
    void saveWritesExactlyTheDocumentedLayout() throws Exception {
        byte[] scaler = {1, 2, 3};
        Path file = dir.resolve("float.chainrule");
        ModelFile.save(TinyFloatModel.with(AWKWARD_FLOATS), file, Map.of("scaler", scaler));
        byte[] expected = ReferenceFile.of(TinyFloatModel.SPEC, AWKWARD_FLOATS)
                .attach("scaler", scaler)
                .build();
        assertArrayEquals(expected, Files.readAllBytes(file));

        Path doubles = dir.resolve("double.chainrule");
        ModelFile.save(TinyDoubleModel.with(AWKWARD_DOUBLES), doubles);
        assertArrayEquals(
                ReferenceFile.of(TinyDoubleModel.SPEC, AWKWARD_DOUBLES).build(), Files.readAllBytes(doubles));
    }

    @Test
    void fileSizeFollowsTheDocumentedFormula() throws Exception {
        // 35 + S + N + P*w: S = |float|input:3|dense:2:sigmoid| = 29, N = |dev.chainrule.io.Tiny| = 21, P*w = 8*4.
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(TinyFloatModel.with(AWKWARD_FLOATS), file);
        assertEquals(35 + 29 + 21 + 32, Files.size(file));
    }

    @Test
    void referenceEncoderUsesTheRealFingerprintAndChecksum() {
        // The reference encoder's two algorithms, pinned: CRC-32C's published check value, and
        // the fingerprint rule NetworkSpec publishes.
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, ReferenceFile.crc32c(check, check.length));
        assertEquals(
                TinyFloatModel.SPEC.fingerprint(),
                ReferenceFile.sha256Prefix(TinyFloatModel.SPEC.canonicalShape().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void attachmentsRoundTripInNameOrder() throws Exception {
        byte[] big = new byte[100_000];
        new Random(7).nextBytes(big);
        Map<String, byte[]> attachments = new LinkedHashMap<>();
        attachments.put("vocabulary", "a\nb\nc".getBytes(StandardCharsets.UTF_8));
        attachments.put("empty", new byte[0]);
        attachments.put("Zahlen-\u00fcbersicht", big);
        attachments.put("scaler", new byte[] {-1, 0, 1});
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(TinyFloatModel.with(AWKWARD_FLOATS), file, attachments);

        LoadedModelFile loaded = ModelFile.load(file, new TinyFloatModel());

        // Sorted by UTF-8 bytes: upper-case 'Z' (0x5A) before the lower-case names.
        assertEquals(
                List.of("Zahlen-\u00fcbersicht", "empty", "scaler", "vocabulary"),
                List.copyOf(loaded.attachments().keySet()));
        for (Map.Entry<String, byte[]> entry : attachments.entrySet()) {
            assertArrayEquals(
                    entry.getValue(), loaded.attachment(entry.getKey()).orElseThrow(), entry.getKey());
        }
        assertTrue(loaded.attachment("missing").isEmpty());
        assertEquals(
                Map.of("Zahlen-\u00fcbersicht", 100_000, "empty", 0, "scaler", 3, "vocabulary", 5),
                loaded.info().attachmentSizes());
    }

    @Test
    void theSameContentsGiveTheSameBytesWhateverTheMapOrder() throws Exception {
        Map<String, byte[]> forward = new LinkedHashMap<>();
        forward.put("a", new byte[] {1});
        forward.put("b", new byte[] {2});
        Map<String, byte[]> backward = new LinkedHashMap<>();
        backward.put("b", new byte[] {2});
        backward.put("a", new byte[] {1});

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ModelFile.write(TinyFloatModel.with(AWKWARD_FLOATS), forward, first);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ModelFile.write(TinyFloatModel.with(AWKWARD_FLOATS), backward, second);

        assertArrayEquals(first.toByteArray(), second.toByteArray());
    }

    @Test
    void inspectReportsTheHeaderWithoutAModel() throws Exception {
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(
                TinyDoubleModel.with(AWKWARD_DOUBLES), file, Map.of("scaler", new byte[12], "labels", new byte[4]));

        ModelFileInfo info = ModelFile.inspect(file);

        assertEquals(1, info.formatVersion());
        assertEquals("dev.chainrule.io.TinyDouble", info.interfaceName());
        assertEquals("double|input:3|dense:2:sigmoid", info.canonicalShape());
        assertEquals(TinyDoubleModel.SPEC.fingerprint(), info.fingerprint());
        assertEquals(Precision.DOUBLE, info.precision());
        assertEquals(8, info.parameterCount());
        assertEquals(List.of("labels", "scaler"), info.attachmentNames());
        assertEquals(Map.of("labels", 4, "scaler", 12), info.attachmentSizes());
        assertEquals(info, ModelFile.inspect(new ByteArrayInputStream(Files.readAllBytes(file))));
    }

    @Test
    void streamsRoundTripToo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFile.write(TinyFloatModel.with(AWKWARD_FLOATS), Map.of("note", new byte[] {42}), out);

        TinyFloatModel loaded = new TinyFloatModel();
        LoadedModelFile result = ModelFile.load(new ByteArrayInputStream(out.toByteArray()), loaded);

        assertArrayEquals(AWKWARD_FLOATS, loaded.parameters());
        assertArrayEquals(new byte[] {42}, result.attachment("note").orElseThrow());
    }

    @Test
    void savingAgainReplacesTheFile() throws Exception {
        Path file = dir.resolve("tiny.chainrule");
        ModelFile.save(TinyFloatModel.with(1, 2, 3, 4, 5, 6, 7, 8), file);
        ModelFile.save(TinyFloatModel.with(8, 7, 6, 5, 4, 3, 2, 1), file);

        TinyFloatModel loaded = new TinyFloatModel();
        ModelFile.load(file, loaded);
        assertArrayEquals(new float[] {8, 7, 6, 5, 4, 3, 2, 1}, loaded.parameters());
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList());
        }
    }

    @Test
    void badAttachmentsAreRefusedBeforeWriting() {
        Path file = dir.resolve("tiny.chainrule");
        TinyFloatModel model = TinyFloatModel.with(AWKWARD_FLOATS);
        IllegalArgumentException empty = assertThrows(
                IllegalArgumentException.class, () -> ModelFile.save(model, file, Map.of("", new byte[1])));
        assertTrue(empty.getMessage().contains("attachment name \"\" takes 0 bytes"), empty.getMessage());
        IllegalArgumentException control = assertThrows(
                IllegalArgumentException.class, () -> ModelFile.save(model, file, Map.of("a\nb", new byte[1])));
        assertTrue(control.getMessage().contains("no control characters"), control.getMessage());
        IllegalArgumentException tooLong = assertThrows(
                IllegalArgumentException.class,
                () -> ModelFile.save(model, file, Map.of("x".repeat(256), new byte[1])));
        assertTrue(tooLong.getMessage().contains("takes 256 bytes"), tooLong.getMessage());
        assertTrue(Files.notExists(file));
    }
}
