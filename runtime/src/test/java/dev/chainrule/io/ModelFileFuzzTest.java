package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Model;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged and random files, from a fixed seed. Each load must either succeed with
 * exactly the saved parameters, which only an unchanged file may do, or throw {@link
 * ModelFileException} saying where, leaving the model untouched. Any other exception, or a model
 * that ends up with other values, fails the test.
 */
class ModelFileFuzzTest {

    private static final long SEED = 20240611L;
    private static final Pattern SAYS_WHERE = Pattern.compile("^(input stream|.*\\.chainrule): byte \\d+ \\(.+\\): .+");

    private static final float[] FLOATS = {0.5f, -0.25f, 1e-40f, -0.0f, 2, Float.MAX_VALUE, 0.125f, 3};
    private static final double[] DOUBLES = {0.5, -0.25, 1e-310, -0.0, 2, -Double.MAX_VALUE, 0.1, 3};
    private static final float[] FLOAT_SENTINEL = {11, 12, 13, 14, 15, 16, 17, 18};
    private static final double[] DOUBLE_SENTINEL = {11, 12, 13, 14, 15, 16, 17, 18};

    @TempDir
    Path dir;

    private int cases;
    private int unchangedCases;
    private int accepted;

    /** The two originals: a float and a double file, each with two attachments. */
    private static ReferenceFile original(boolean doubles) {
        ReferenceFile file = doubles
                ? ReferenceFile.of(TinyDoubleModel.SPEC, DOUBLES)
                : ReferenceFile.of(TinyFloatModel.SPEC, FLOATS);
        return file.attach("ab", new byte[] {1, 2, 3}).attach("scaler", new byte[] {9, 8, 7, 6, 5});
    }

    @Test
    void damagedAndRandomFilesAreRefusedCleanly() throws Exception {
        Random random = new Random(SEED);
        for (boolean doubles : new boolean[] {false, true}) {
            ReferenceFile reference = original(doubles);
            byte[] good = reference.build();
            check(good, good, doubles, false);

            for (int bit = 0; bit < good.length * 8; bit++) {
                byte[] flipped = good.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                check(flipped, good, doubles, false);
            }
            for (int length = 0; length < good.length; length++) {
                check(Arrays.copyOf(good, length), good, doubles, length % 4 == 0);
            }
            for (int at = 0; at <= good.length; at++) {
                check(insert(good, at, (byte) random.nextInt()), good, doubles, false);
                if (at < good.length) {
                    check(delete(good, at), good, doubles, false);
                }
            }
            changeHeaderFields(reference, good, doubles);
            for (int i = 0; i < 200; i++) {
                byte[] scribbled = good.clone();
                int at = random.nextInt(good.length);
                int n = 1 + random.nextInt(Math.min(16, good.length - at));
                for (int k = 0; k < n; k++) {
                    scribbled[at + k] = (byte) random.nextInt();
                }
                check(scribbled, good, doubles, false);
            }
        }
        for (int i = 0; i < 1500; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            if (i % 2 == 1 && noise.length >= 10) {
                // Past the magic number and version, so the deeper checks get random input too.
                System.arraycopy(original(false).build(), 0, noise, 0, 10);
            }
            check(noise, null, i % 3 == 0, i % 10 == 0);
        }

        assertTrue(cases > 3000, cases + " cases");
        assertTrue(unchangedCases >= 4, "the originals themselves were tried");
        assertEquals(unchangedCases, accepted, "exactly the unchanged files load");
    }

    /**
     * Sets each length, count and code field to boundary values, once with the checksum left as
     * it was and once recomputed: with a valid checksum, only the semantic checks stand between
     * the file and the model.
     */
    private void changeHeaderFields(ReferenceFile reference, byte[] good, boolean doubles) throws Exception {
        int count = reference.attachmentCountOffset();
        int first = count + 4; // "ab": name length, name, payload length, 3 bytes
        int second = first + 2 + 2 + 4 + 3; // "scaler": the same, 6-byte name, 5 bytes
        int[][] fields = { // offset, width in bytes
            {8, 2},
            {18, 2},
            {20 + reference.shape.length, 2},
            {reference.precisionOffset(), 1},
            {reference.precisionOffset() + 1, 4},
            {count, 4},
            {first, 2},
            {first + 4, 4},
            {second, 2},
            {second + 8, 4},
        };
        long[] values = {0, 1, 2, 3, 7, 8, 255, 256, 1024, 1025, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL};
        for (int[] field : fields) {
            for (long value : values) {
                byte[] changed = good.clone();
                for (int k = 0; k < field[1]; k++) {
                    changed[field[0] + k] = (byte) (value >>> (8 * (field[1] - 1 - k)));
                }
                check(changed, good, doubles, false);
                check(ReferenceFile.withFixedChecksum(changed), good, doubles, false);
            }
        }
    }

    /**
     * Loads {@code input} into a model holding sentinel values, through a stream and, if asked,
     * through a file, and inspects it.
     *
     * @param good the unchanged file, or {@code null} if {@code input} is noise
     */
    private void check(byte[] input, byte[] good, boolean doubles, boolean alsoFromFile) throws Exception {
        boolean unchanged = good != null && Arrays.equals(input, good);
        loadAndJudge(input, doubles, unchanged, null);
        if (alsoFromFile || unchanged) {
            Path file = dir.resolve("fuzz.chainrule");
            Files.write(file, input);
            loadAndJudge(input, doubles, unchanged, file);
        }
        try {
            ModelFile.inspect(new ByteArrayInputStream(input));
            assertTrue(unchanged, () -> "inspect accepted a changed file: " + Format.hex(input));
        } catch (ModelFileException e) {
            assertTrue(SAYS_WHERE.matcher(e.getMessage()).matches(), e.getMessage());
        }
    }

    private void loadAndJudge(byte[] input, boolean doubles, boolean unchanged, Path file) {
        cases++;
        if (unchanged) {
            unchangedCases++;
        }
        Model target = doubles ? TinyDoubleModel.with(DOUBLE_SENTINEL) : TinyFloatModel.with(FLOAT_SENTINEL);
        try {
            if (file == null) {
                ModelFile.load(new ByteArrayInputStream(input), target);
            } else {
                ModelFile.load(file, target);
            }
            accepted++;
            assertTrue(unchanged, () -> "a changed file loaded: " + Format.hex(input));
            assertParameters(target, FLOATS, DOUBLES);
        } catch (ModelFileException e) {
            assertFalse(unchanged, () -> "the unchanged file was refused: " + e.getMessage());
            assertTrue(SAYS_WHERE.matcher(e.getMessage()).matches(), e.getMessage());
            assertParameters(target, FLOAT_SENTINEL, DOUBLE_SENTINEL);
        } catch (Throwable t) {
            fail("threw " + t + " for " + Format.hex(input), t);
        }
    }

    private static void assertParameters(Model model, float[] floats, double[] doubles) {
        if (model instanceof TinyFloatModel f) {
            assertArrayEquals(floats, f.parameters());
        } else {
            assertArrayEquals(doubles, ((TinyDoubleModel) model).parameters());
        }
    }

    private static byte[] insert(byte[] bytes, int at, byte value) {
        return ByteBuffer.allocate(bytes.length + 1)
                .put(bytes, 0, at)
                .put(value)
                .put(bytes, at, bytes.length - at)
                .array();
    }

    private static byte[] delete(byte[] bytes, int at) {
        return ByteBuffer.allocate(bytes.length - 1)
                .put(bytes, 0, at)
                .put(bytes, at + 1, bytes.length - at - 1)
                .array();
    }
}
