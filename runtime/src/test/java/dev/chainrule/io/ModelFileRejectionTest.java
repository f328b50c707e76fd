package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a model file can be wrong, with the message it must give. Offsets in the expected
 * messages come from the table in {@code docs/model-file-format.md} for the test network
 * {@code float|input:3|dense:2:sigmoid} (S = 29) saved from {@code dev.chainrule.io.Tiny} (N =
 * 21): precision at 22 + S + N = 72, parameter count at 73, values at 77, attachment count at
 * 77 + 8 * 4 = 109.
 */
class ModelFileRejectionTest {

    /** What the target model holds before each failed load, and must still hold after it. */
    static final float[] SENTINEL = {11, 12, 13, 14, 15, 16, 17, 18};

    static final float[] VALUES = {0.5f, -0.25f, 1, -1, 2, -2, 0.125f, 3};

    @TempDir
    Path dir;

    private Path file;

    /** A valid file: {@link #VALUES} and one attachment {@code "ab"} of 3 bytes, 128 bytes in all. */
    private static ReferenceFile valid() {
        return ReferenceFile.of(TinyFloatModel.SPEC, VALUES).attach("ab", new byte[] {1, 2, 3});
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Loads {@code bytes} from a file into a float model, expecting a refusal that leaves it unchanged. */
    private ModelFileException fromFile(byte[] bytes) throws IOException {
        return fromFile(bytes, TinyFloatModel.with(SENTINEL));
    }

    private ModelFileException fromFile(byte[] bytes, Model target) throws IOException {
        file = dir.resolve("model.chainrule");
        Files.write(file, bytes);
        Object before = snapshot(target);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file, target));
        assertTrue(Arrays.deepEquals(new Object[] {before}, new Object[] {snapshot(target)}), "the model changed");
        return e;
    }

    /** Loads {@code bytes} from a stream into a float model, expecting a refusal that leaves it unchanged. */
    private static ModelFileException fromStream(byte[] bytes) {
        TinyFloatModel target = TinyFloatModel.with(SENTINEL);
        ModelFileException e =
                assertThrows(ModelFileException.class, () -> ModelFile.load(new ByteArrayInputStream(bytes), target));
        assertArrayEquals(SENTINEL, target.parameters(), "the model changed");
        return e;
    }

    private static Object snapshot(Model model) {
        return model instanceof TinyFloatModel f
                ? f.parameters().clone()
                : ((TinyDoubleModel) model).parameters().clone();
    }

    /** The message a file gives, with the file name stripped to {@code file:}. */
    private String message(ModelFileException e) {
        return e.getMessage().replace(file.toString(), "file");
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    // ---- magic number -----------------------------------------------------------------------

    @Test
    void emptyFile() throws Exception {
        assertEquals(
                "file: byte 0 (magic number): not a Chainrule model file: the file is empty",
                message(fromFile(new byte[0])));
    }

    @Test
    void textFile() throws Exception {
        byte[] csv = "name,age\nada,36\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(
                "file: byte 0 (magic number): not a Chainrule model file: the file looks like text: it starts with \"name,age\"",
                message(fromFile(csv)));
    }

    @Test
    void gzippedModelFile() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(valid().build());
        }
        String message = message(fromFile(zipped.toByteArray()));
        assertTrue(
                message.startsWith("file: byte 0 (magic number): not a Chainrule model file: the file looks like"
                        + " gzip-compressed data; decompress it first (starts with 1F 8B 08"),
                message);
    }

    @Test
    void lineEndingsConvertedByATextTransfer() throws Exception {
        byte[] good = valid().build();
        byte[] converted = new byte[good.length - 1];
        System.arraycopy(good, 0, converted, 0, 4); // 89 C R M
        System.arraycopy(good, 5, converted, 4, good.length - 5); // CR LF -> LF
        assertEquals(
                "file: byte 0 (magic number): not a Chainrule model file: the magic number reads"
                        + " 89 43 52 4D 0A 1A 0A 00 instead of 89 43 52 4D 0D 0A 1A 0A: a model file whose line endings"
                        + " were converted by a text-mode transfer",
                message(fromFile(converted)));
    }

    @Test
    void truncatedMagicNumber() throws Exception {
        assertEquals(
                "file: byte 0 (magic number): not a Chainrule model file: the file has only 5 bytes, a truncated magic number",
                message(fromFile(Arrays.copyOf(valid().build(), 5))));
    }

    @Test
    void unknownBinary() throws Exception {
        assertEquals(
                "file: byte 0 (magic number): not a Chainrule model file: the file starts with"
                        + " 00 01 02 03 04 05 06 07, not a Chainrule model file's 89 43 52 4D 0D 0A 1A 0A",
                message(fromFile(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})));
    }

    // ---- header -----------------------------------------------------------------------------

    @Test
    void newerVersion() throws Exception {
        ReferenceFile newer = valid();
        newer.version = 2;
        assertEquals(
                "file: byte 8 (format version): version 2 is not supported; this Chainrule reads version 1"
                        + " (the file was written by a newer Chainrule)",
                message(fromFile(newer.build())));
    }

    @Test
    void versionZero() throws Exception {
        ReferenceFile zero = valid();
        zero.version = 0;
        assertEquals(
                "file: byte 8 (format version): version 0 is not supported; this Chainrule reads version 1",
                message(fromFile(zero.build())));
    }

    @Test
    void fileForADifferentNetwork() throws Exception {
        byte[] wider = ReferenceFile.of(TinyFloatModel.spec(4, 2, Activation.SIGMOID), new float[10])
                .build();
        assertEquals(
                "file: byte 20 (shape text): the file holds a different network:"
                        + " \"float|input:4|dense:2:sigmoid\" (saved from \"dev.chainrule.io.Tiny\"),"
                        + " but the model is IN 3 -> OUT 2 sigmoid (float, mse), shape \"float|input:3|dense:2:sigmoid\"",
                message(fromFile(wider)));
    }

    @Test
    void sameParameterCountButDifferentActivation() throws Exception {
        byte[] relu = ReferenceFile.of(TinyFloatModel.spec(3, 2, Activation.RELU), VALUES)
                .build();
        String message = message(fromFile(relu));
        assertTrue(message.contains("different network: \"float|input:3|dense:2:relu\""), message);
        assertTrue(message.contains("the model is IN 3 -> OUT 2 sigmoid (float, mse)"), message);
    }

    @Test
    void differentPrecision() throws Exception {
        // S = |double|input:3|dense:2:sigmoid| = 30, N = |dev.chainrule.io.TinyDouble| = 27: precision at 79.
        byte[] doubles = ReferenceFile.of(TinyDoubleModel.SPEC, new double[8]).build();
        assertEquals(
                "file: byte 79 (precision): the file holds double parameters but the model computes in float",
                message(fromFile(doubles)));

        byte[] floats = valid().build();
        assertEquals(
                "file: byte 72 (precision): the file holds float parameters but the model computes in double",
                message(fromFile(floats, TinyDoubleModel.with(1, 2, 3, 4, 5, 6, 7, 8))));
    }

    @Test
    void unknownPrecisionCode() throws Exception {
        ReferenceFile odd = valid();
        odd.precisionCode = 3;
        assertEquals(
                "file: byte 72 (precision): code 3 is unknown; expected 1 (float) or 2 (double)",
                message(fromFile(odd.build())));
    }

    @Test
    void damagedFingerprint() throws Exception {
        ReferenceFile damaged = valid();
        damaged.fingerprint = 1L;
        assertEquals(
                String.format(
                        "file: byte 10 (network fingerprint): the file says 0000000000000001 but its shape"
                                + " text \"float|input:3|dense:2:sigmoid\" has fingerprint %016x: the header is damaged",
                        TinyFloatModel.SPEC.fingerprint()),
                message(fromFile(damaged.build())));
    }

    @Test
    void emptyShapeText() throws Exception {
        ReferenceFile empty = valid();
        empty.shape = new byte[0];
        assertEquals(
                "file: byte 18 (shape text length): 0 bytes, expected 1 to 65535", message(fromFile(empty.build())));
    }

    @Test
    void invalidUtf8InInterfaceName() throws Exception {
        ReferenceFile bad = valid();
        bad.name = new byte[] {(byte) 0xC3, 0x28};
        assertEquals("file: byte 51 (interface name): not valid UTF-8: C3 28", message(fromFile(bad.build())));
    }

    @Test
    void controlCharacterInShapeText() throws Exception {
        ReferenceFile bad = valid();
        bad.shape = "float|input:3\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "file: byte 20 (shape text): \"float|input:3\\u000a\" holds a control character",
                message(fromFile(bad.build())));
    }

    // ---- lengths: checked against the model and caps before any allocation -----------------

    @Test
    void parameterCountThatDoesNotFitTheModel() throws Exception {
        ReferenceFile huge = valid();
        huge.parameterCount = Integer.MAX_VALUE;
        long before = allocatedBytes();
        String message = message(fromFile(huge.build()));
        assertTrue(allocatedBytes() - before < 16 << 20, "allocated " + (allocatedBytes() - before) + " bytes");
        assertEquals(
                "file: byte 73 (parameter count): 2147483647 parameters, expected 8 for IN 3 -> OUT 2 sigmoid (float, mse)",
                message);

        ReferenceFile negative = valid();
        negative.parameterCount = -1;
        assertEquals(
                "file: byte 73 (parameter count): -1 parameters, expected 8 for IN 3 -> OUT 2 sigmoid (float, mse)",
                message(fromFile(negative.build())));
    }

    @Test
    void inspectingAHugeParameterCountNeitherAllocatesNorTrustsIt() throws Exception {
        ReferenceFile huge = valid();
        huge.parameterCount = 2_000_000_000;
        byte[] bytes = huge.build();
        file = dir.resolve("model.chainrule");
        Files.write(file, bytes);

        long before = allocatedBytes();
        ModelFileException fromFile = assertThrows(ModelFileException.class, () -> ModelFile.inspect(file));
        ModelFileException fromStream =
                assertThrows(ModelFileException.class, () -> ModelFile.inspect(new ByteArrayInputStream(bytes)));
        assertTrue(allocatedBytes() - before < 16 << 20, "allocated " + (allocatedBytes() - before) + " bytes");

        // 128 bytes in all, 77 before the values: 51 left.
        assertEquals(
                "file: byte 77 (parameter values): needs 8000000000 bytes but the file has only 51 left",
                message(fromFile));
        assertEquals(
                "input stream: byte 77 (parameter values): truncated: the field needs 8000000000 bytes"
                        + " but the file ends after 51",
                fromStream.getMessage());
    }

    @Test
    void absurdAttachmentCount() throws Exception {
        ReferenceFile many = valid();
        many.attachmentCount = 1_000_000;
        assertEquals(
                "file: byte 109 (attachment count): 1000000 attachments, expected 0 to 1024",
                message(fromFile(many.build())));
    }

    @Test
    void absurdAttachmentLength() throws Exception {
        ReferenceFile huge = ReferenceFile.of(TinyFloatModel.SPEC, VALUES);
        huge.attachments.add(ByteBuffer.allocate(8)
                .putShort((short) 2)
                .put((byte) 'a')
                .put((byte) 'b')
                .putInt(-1 >>> 1)
                .array());
        assertEquals(
                "file: byte 117 (attachment \"ab\" payload length): 2147483647 bytes, expected 0 to 67108864",
                message(fromFile(huge.build())));
    }

    @Test
    void attachmentLengthBeyondTheDataIsNotAllocated() throws Exception {
        // 60 MiB claimed, within the cap, but the file holds 4 more bytes (the checksum).
        ReferenceFile liar = ReferenceFile.of(TinyFloatModel.SPEC, VALUES);
        liar.attachments.add(ByteBuffer.allocate(8)
                .putShort((short) 2)
                .put((byte) 'a')
                .put((byte) 'b')
                .putInt(60 << 20)
                .array());
        byte[] bytes = liar.build();

        long before = allocatedBytes();
        ModelFileException fromFile = fromFile(bytes);
        ModelFileException fromStream = fromStream(bytes);
        assertTrue(allocatedBytes() - before < 16 << 20, "allocated " + (allocatedBytes() - before) + " bytes");

        assertEquals(
                "file: byte 121 (attachment \"ab\" payload): needs 62914560 bytes but the file has only 4 left",
                message(fromFile));
        assertEquals(
                "input stream: byte 121 (attachment \"ab\" payload): truncated: the field needs 62914560 bytes"
                        + " but the file ends after 4",
                fromStream.getMessage());
    }

    @Test
    void emptyAttachmentName() throws Exception {
        ReferenceFile nameless = ReferenceFile.of(TinyFloatModel.SPEC, VALUES);
        nameless.attachments.add(
                ByteBuffer.allocate(6).putShort((short) 0).putInt(0).array());
        assertEquals(
                "file: byte 113 (attachment 0 name length): 0 bytes, expected 1 to 255",
                message(fromFile(nameless.build())));
    }

    @Test
    void attachmentsOutOfOrderOrDuplicated() throws Exception {
        // Each entry is 2 + 1 + 4 + 1 = 8 bytes: the second starts at 113 + 8 = 121.
        ReferenceFile unsorted = ReferenceFile.of(TinyFloatModel.SPEC, VALUES)
                .attach("b", new byte[] {1})
                .attach("a", new byte[] {2});
        assertEquals(
                "file: byte 121 (attachment 1 name): \"a\" is not after the previous name; names are unique and"
                        + " sorted by their UTF-8 bytes",
                message(fromFile(unsorted.build())));

        ReferenceFile twice = ReferenceFile.of(TinyFloatModel.SPEC, VALUES)
                .attach("a", new byte[] {1})
                .attach("a", new byte[] {2});
        assertTrue(
                message(fromFile(twice.build())).startsWith("file: byte 121 (attachment 1 name): \"a\" is not after"));
    }

    // ---- truncation, checksum, end of file, values -------------------------------------------

    @ParameterizedTest(name = "cut after {0} bytes")
    @CsvSource(
            delimiter = ';',
            value = {
                "9;   byte 8 (format version): truncated: the field needs 2 bytes but the file ends after 1",
                "12;  byte 10 (network fingerprint): truncated: the field needs 8 bytes but the file ends after 2",
                "19;  byte 18 (shape text length): truncated: the field needs 2 bytes but the file ends after 1",
                "30;  byte 20 (shape text): truncated: the field needs 29 bytes but the file ends after 10",
                "50;  byte 49 (interface name length): truncated: the field needs 2 bytes but the file ends after 1",
                "60;  byte 51 (interface name): truncated: the field needs 21 bytes but the file ends after 9",
                "72;  byte 72 (precision): truncated: the field needs 1 bytes but the file ends after 0",
                "75;  byte 73 (parameter count): truncated: the field needs 4 bytes but the file ends after 2",
                "100; byte 77 (parameter values): truncated: the field needs 32 bytes but the file ends after 23",
                "111; byte 109 (attachment count): truncated: the field needs 4 bytes but the file ends after 2",
                "114; byte 113 (attachment 0 name length): truncated: the field needs 2 bytes but the file ends after 1",
                "116; byte 115 (attachment 0 name): truncated: the field needs 2 bytes but the file ends after 1",
                "119; byte 117 (attachment \"ab\" payload length): truncated: the field needs 4 bytes but the file ends after 2",
                "122; byte 121 (attachment \"ab\" payload): truncated: the field needs 3 bytes but the file ends after 1",
                "126; byte 124 (checksum): truncated: the field needs 4 bytes but the file ends after 2",
            })
    void truncatedStreamNamesTheField(int length, String expected) {
        byte[] good = valid().build();
        assertEquals(128, good.length);
        assertEquals(
                "input stream: " + expected,
                fromStream(Arrays.copyOf(good, length)).getMessage());
    }

    @Test
    void truncatedFileIsCaughtByItsLengthBeforeReading() throws Exception {
        byte[] cut = Arrays.copyOf(valid().build(), 100);
        assertEquals(
                "file: byte 77 (parameter values): needs 32 bytes but the file has only 23 left",
                message(fromFile(cut)));
    }

    @Test
    void flippedBitFailsTheChecksum() throws Exception {
        byte[] good = valid().build();
        byte[] flipped = good.clone();
        flipped[80] ^= 0x10;
        String expected = String.format(
                "file: byte 124 (checksum): the file says %08x but its contents give %08x:" + " the file is damaged",
                ReferenceFile.crc32c(good, 124), ReferenceFile.crc32c(flipped, 124));
        assertEquals(expected, message(fromFile(flipped)));
    }

    @Test
    void damagedChecksumItself() throws Exception {
        ReferenceFile wrong = valid();
        wrong.checksum = 0x12345678;
        String message = message(fromFile(wrong.build()));
        assertTrue(
                message.startsWith("file: byte 124 (checksum): the file says 12345678 but its contents give "),
                message);
    }

    @Test
    void trailingGarbage() throws Exception {
        ReferenceFile longer = valid();
        longer.trailing = new byte[] {'e', 'o', 'f'};
        assertEquals(
                "file: byte 128 (end of file): 3 bytes after the checksum, where the file should end",
                message(fromFile(longer.build())));
        assertEquals(
                "input stream: byte 128 (end of file): data after the checksum, where the file should end",
                fromStream(longer.build()).getMessage());
    }

    @Test
    void nanParameterNamesItsIndex() throws Exception {
        float[] values = VALUES.clone();
        values[5] = Float.NaN;
        // values at 77, parameter 5 at 77 + 5 * 4 = 97
        assertEquals(
                "file: byte 97 (parameter values): parameter[5] is NaN, expected a finite number",
                message(fromFile(ReferenceFile.of(TinyFloatModel.SPEC, values).build())));
    }

    @Test
    void infiniteDoubleParameterNamesItsIndex() throws Exception {
        // values at 27 + 30 + 27 = 84, parameter 2 at 84 + 2 * 8 = 100
        double[] values = {1, 2, Double.NEGATIVE_INFINITY, 4, 5, 6, 7, 8};
        ModelFileException e = fromFile(
                ReferenceFile.of(TinyDoubleModel.SPEC, values).build(),
                TinyDoubleModel.with(11, 12, 13, 14, 15, 16, 17, 18));
        assertEquals(
                "file: byte 100 (parameter values): parameter[2] is -Infinity, expected a finite number", message(e));
    }

    @Test
    void inspectChecksTheWholeFileToo() throws Exception {
        float[] values = VALUES.clone();
        values[7] = Float.POSITIVE_INFINITY;
        file = dir.resolve("model.chainrule");
        Files.write(file, ReferenceFile.of(TinyFloatModel.SPEC, values).build());
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.inspect(file));
        assertEquals(
                "file: byte 105 (parameter values): parameter[7] is Infinity, expected a finite number", message(e));
    }

    // ---- what is not a model file problem ----------------------------------------------------

    @Test
    void missingFileIsAPlainIoError() {
        TinyFloatModel target = TinyFloatModel.with(SENTINEL);
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(dir.resolve("absent.chainrule"), target));
        assertTrue(e instanceof NoSuchFileException, e.toString());
        assertFalse(e instanceof ModelFileException);
        assertThrows(NoSuchFileException.class, () -> ModelFile.loadResource(getClass(), "absent.chainrule", target));
    }

    @Test
    void modelWhosePrecisionContradictsItsInterfaceIsAProgrammingError() {
        TinyFloatModel confused = new TinyFloatModel(TinyDoubleModel.SPEC);
        String expected =
                "dev.chainrule.io.TinyFloatModel says its precision is double but does not implement DoubleModel";
        assertEquals(
                expected,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ModelFile.load(new ByteArrayInputStream(valid().build()), confused))
                        .getMessage());
        assertEquals(
                expected,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ModelFile.save(confused, dir.resolve("confused.chainrule")))
                        .getMessage());
        assertFalse(Files.exists(dir.resolve("confused.chainrule")));
    }

    @Test
    void validFileLoadsThroughTheSameHelpers() throws Exception {
        // The files above fail for the reason given, not because the reference encoder is off.
        TinyFloatModel target = TinyFloatModel.with(SENTINEL);
        ModelFile.load(new ByteArrayInputStream(valid().build()), target);
        assertArrayEquals(VALUES, target.parameters());
    }
}
