package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file: two zero bytes, type, rank, big-endian dimensions, data. */
    private static byte[] idx(int type, long[] dimensions, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, (byte) type, (byte) dimensions.length});
        for (long d : dimensions) {
            out.writeInt((int) d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    private static byte[] ubytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path gzip(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    /** Three 2x2 images and their labels. */
    private static final int[] PIXELS = {0, 255, 51, 102, 1, 2, 3, 4, 200, 0, 0, 128};

    private static final int[] LABELS = {2, 0, 1};

    private static void assertError(Executable load, Path file, long offset, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, load);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": byte " + offset + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void loadsImagesAsScaledRowsWithOneHotTargets() throws IOException {
        Path images = file("images", idx(8, new long[] {3, 2, 2}, ubytes(PIXELS)));
        Path labels = file("labels", idx(8, new long[] {3}, ubytes(LABELS)));
        Dataset d = Idx.load(images, labels, 3);
        assertEquals(3, d.rows());
        assertEquals(4, d.featureCount());
        for (int i = 0; i < PIXELS.length; i++) {
            assertEquals(PIXELS[i] / 255.0, d.feature(i / 4, i % 4), 1e-7);
        }
        assertEquals(1f, d.feature(0, 1));
        assertArrayEquals(LABELS, d.labels());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.targets());

        Dataset raw = Idx.loadRaw(images, labels, 3);
        for (int i = 0; i < PIXELS.length; i++) {
            assertEquals(PIXELS[i], raw.feature(i / 4, i % 4));
        }
    }

    @Test
    void readsGzipByItsMagicBytes() throws IOException {
        Path images = gzip("images.idx", idx(8, new long[] {3, 2, 2}, ubytes(PIXELS)));
        Path labels = gzip("labels.idx", idx(8, new long[] {3}, ubytes(LABELS)));
        Dataset d = Idx.loadRaw(images, labels, 3);
        assertEquals(128f, d.feature(2, 3));
        assertArrayEquals(LABELS, d.labels());
        Idx.IdxData data = Idx.read(images);
        assertArrayEquals(new int[] {3, 2, 2}, data.dimensions());
        assertEquals(3, data.items());
        assertEquals(4, data.itemSize());
        assertEquals(200, data.unsigned(8));
    }

    @Test
    void wrongMagic() throws IOException {
        Path text = file("text", "hello world".getBytes());
        assertError(
                () -> Idx.read(text), text, 0, "not an IDX file: it starts with 0x68 0x65, expected two zero bytes");
        Path empty = file("empty", new byte[0]);
        assertError(() -> Idx.read(empty), empty, 0, "truncated: the file ends inside the header");
    }

    @Test
    void aDirectoryIsRefusedByName() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("images"));
        Path labels = file("labels", idx(8, new long[] {3}, ubytes(LABELS)));
        for (Executable load : new Executable[] {
            () -> Idx.read(folder), () -> Idx.load(folder, labels, 3), () -> Idx.loadRaw(labels, folder, 3)
        }) {
            FileSystemException e = assertThrows(FileSystemException.class, load);
            assertEquals(folder.toString(), e.getFile());
            assertEquals(folder + ": is a directory, not a data file", e.getMessage());
        }
    }

    @Test
    void unsupportedElementTypes() throws IOException {
        Path floats = file("floats", idx(0x0D, new long[] {1}, new byte[4]));
        assertError(() -> Idx.read(floats), floats, 2, "element type 0x0d (float) is not supported, expected 0x08");
        Path unknown = file("unknown", idx(0x42, new long[] {1}, new byte[1]));
        assertError(() -> Idx.read(unknown), unknown, 2, "element type 0x42 (unknown) is not supported");
    }

    @Test
    void badRankAndDimensions() throws IOException {
        Path rank0 = file("rank0", idx(8, new long[0], new byte[1]));
        assertError(() -> Idx.read(rank0), rank0, 3, "rank 0 is not in 1 .. 16");
        Path zero = file("zero", idx(8, new long[] {2, 0}, new byte[0]));
        assertError(() -> Idx.read(zero), zero, 8, "dimension 1 is 0");
        Path huge = file("huge", idx(8, new long[] {0xFFFFFFFFL}, new byte[0]));
        assertError(() -> Idx.read(huge), huge, 4, "dimension 0 is 4294967295");
        Path header = file("header", Arrays.copyOf(idx(8, new long[] {3, 2, 2}, new byte[0]), 9));
        assertError(() -> Idx.read(header), header, 9, "truncated: the file ends inside the header");
    }

    @Test
    void plainFileMustHoldExactlyThePromisedData() throws IOException {
        Path truncated = file("truncated", idx(8, new long[] {3, 2, 2}, new byte[11]));
        assertError(
                () -> Idx.read(truncated),
                truncated,
                27,
                "the dimensions [3, 2, 2] promise 12 bytes but the file holds 11 (truncated)");
        Path trailing = file("trailing", idx(8, new long[] {3, 2, 2}, new byte[13]));
        assertError(
                () -> Idx.read(trailing),
                trailing,
                28,
                "the dimensions [3, 2, 2] promise 12 bytes but the file holds 13 (trailing data)");
    }

    @Test
    void gzipFileMustHoldExactlyThePromisedData() throws IOException {
        Path truncated = gzip("truncated.gz", idx(8, new long[] {3, 2, 2}, new byte[11]));
        assertError(() -> Idx.read(truncated), truncated, 27, "truncated: the data ends after 11 of the 12 bytes");
        Path trailing = gzip("trailing.gz", idx(8, new long[] {3, 2, 2}, new byte[13]));
        assertError(() -> Idx.read(trailing), trailing, 28, "trailing data after the 12 bytes");
        byte[] good = Files.readAllBytes(gzip("good.gz", idx(8, new long[] {3, 2, 2}, ubytes(PIXELS))));
        Path corrupt = file("corrupt.gz", Arrays.copyOf(good, good.length - 12));
        assertError(() -> Idx.read(corrupt), corrupt, 0, "corrupt gzip data");
    }

    @Test
    void aBrokenGzipHeaderFailsNamingTheFile() throws IOException {
        Path labels = file("labels", idx(8, new long[] {3}, ubytes(LABELS)));
        Path cut = file("cut.gz", ubytes(0x1f, 0x8b)); // the header ends after the magic
        Path method = file("method.gz", ubytes(0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0xff)); // not deflate
        Path extra = file("extra.gz", ubytes(0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 200, 0, 1)); // cut in FEXTRA
        for (Path broken : new Path[] {cut, method, extra}) {
            assertError(() -> Idx.read(broken), broken, 0, "corrupt gzip data");
            assertError(() -> Idx.load(broken, labels, 3), broken, 0, "corrupt gzip data");
            assertError(() -> Idx.loadRaw(labels, broken, 3), broken, 0, "corrupt gzip data");
            DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(broken));
            assertTrue(!e.getMessage().contains("null"), e.getMessage());
        }
        assertError(() -> Idx.read(cut), cut, 0, "corrupt gzip data (it ends early)");
        assertError(() -> Idx.read(method), method, 0, "corrupt gzip data (Unsupported compression method)");
    }

    @Test
    void hostileHeadersAreRefusedBeforeAllocating() throws IOException {
        // A plain file promising 60000 MNIST images but holding 10 bytes.
        Path plain = file("plain", idx(8, new long[] {60000, 28, 28}, new byte[10]));
        long plainBytes = Allocations.of(() -> assertError(
                () -> Idx.read(plain), plain, 26, "promise 47040000 bytes but the file holds 10 (truncated)"));
        assertTrue(plainBytes < 4_000_000, "allocated " + plainBytes + " bytes");

        // A gzip'd file promising 1 GB (within the cap) but holding 10 bytes: the buffer grows with the data.
        Path gz = gzip("lying.gz", idx(8, new long[] {1000, 1000, 1000}, new byte[10]));
        long gzipBytes = Allocations.of(() ->
                assertError(() -> Idx.read(gz), gz, 26, "truncated: the data ends after 10 of the 1000000000 bytes"));
        assertTrue(gzipBytes < 8_000_000, "allocated " + gzipBytes + " bytes");

        // Promises beyond the cap, or beyond any array, are refused from the header alone.
        Path absurd = gzip("absurd.gz", idx(8, new long[] {0x7FFFFFF0L, 0x7FFFFFF0L, 0x7FFFFFF0L}, new byte[10]));
        assertError(() -> Idx.read(absurd), absurd, 4, "an absurd number of bytes, more than the limit of 1073741824");
        Path overCap = gzip("cap.gz", idx(8, new long[] {2000}, new byte[2000]));
        assertError(() -> Idx.read(overCap, 1000), overCap, 4, "promise 2000 bytes, more than the limit of 1000");
    }

    /** A gzip'd IDX file of unsigned bytes whose data is all zeros, written without holding it in memory. */
    private Path gzipZeros(String name, long... dimensions) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(idx(8, dimensions, new byte[0]));
            long total = Arrays.stream(dimensions).reduce(1, Math::multiplyExact);
            byte[] zeros = new byte[1 << 20];
            for (long left = total; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
        }
        return file;
    }

    @Test
    void loadRefusesMoreValuesThanItsLimitBeforeAllocating() throws IOException {
        // Under 1 MB of gzip for 256 Mi pixels, within read()'s cap: as floats they would take 1 GiB.
        Path images = gzipZeros("huge-images.gz", 1, 16384, 16384);
        Path one = gzipZeros("one-label.gz", 1);
        assertTrue(Files.size(images) < 2_000_000, Files.size(images) + " bytes");
        long bytes = Allocations.of(() -> assertError(
                () -> Idx.load(images, one, 10),
                images,
                4,
                "the dimensions [1, 16384, 16384] promise 268435456 feature values and 10 target values (1 row of"
                        + " 10 classes), 268435466 in all, more than the limit of 268435456 values (the default, 1 GiB"
                        + " of floats); pass a larger maxValues to Idx.load or Idx.loadRaw to allow more"));
        assertTrue(bytes < 8_000_000, "allocated " + bytes + " bytes");

        // Few pixels but many classes: the one-hot targets count, 256 floats a row.
        Path rows = gzipZeros("rows.gz", 1 << 20, 1);
        Path labels = gzipZeros("labels.gz", 1 << 20);
        long targetBytes = Allocations.of(() -> assertError(
                () -> Idx.loadRaw(rows, labels, 256),
                rows,
                4,
                "promise 1048576 feature values and 268435456 target values (1048576 rows of 256 classes)"));
        assertTrue(targetBytes < 8_000_000, "allocated " + targetBytes + " bytes");

        // The limit is the caller's to raise or lower.
        Path small = file("images", idx(8, new long[] {3, 2, 2}, ubytes(PIXELS)));
        Path smallLabels = file("labels", idx(8, new long[] {3}, ubytes(LABELS)));
        assertError(
                () -> Idx.load(small, smallLabels, 3, 20),
                small,
                4,
                "promise 12 feature values and 9 target values (3 rows of 3 classes), 21 in all, more than the limit"
                        + " of 20 values; pass a larger maxValues");
        assertEquals(3, Idx.load(small, smallLabels, 3, 21).rows());
        assertEquals(255f, Idx.loadRaw(small, smallLabels, 3, 21).feature(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Idx.load(small, smallLabels, 3, 0));
    }

    @Test
    void labelsMustMatchTheImages() throws IOException {
        Path images = file("images", idx(8, new long[] {3, 2, 2}, ubytes(PIXELS)));
        Path two = file("two", idx(8, new long[] {2}, ubytes(0, 1)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.load(images, two, 3));
        assertEquals(two + ": holds 2 labels but " + images + " holds 3 images", e.getMessage());
        Path rank2 = file("rank2", idx(8, new long[] {3, 1}, ubytes(LABELS)));
        assertError(() -> Idx.load(images, rank2, 3), rank2, 3, "a labels file has rank 1, this one has rank 2 [3, 1]");
        Path big = file("big", idx(8, new long[] {3}, ubytes(2, 9, 1)));
        assertError(() -> Idx.load(images, big, 3), big, 9, "label 9 of item 1 is out of range 0 .. 2");
        assertThrows(IllegalArgumentException.class, () -> Idx.load(images, big, 0));
    }
}
