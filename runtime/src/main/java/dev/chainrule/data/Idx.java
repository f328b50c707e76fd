package dev.chainrule.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Loads files in the IDX format of MNIST and Fashion-MNIST, plain or gzip'd (recognised by their
 * magic bytes):
 * <pre>{@code
 * Dataset train = Idx.load(Path.of("train-images-idx3-ubyte.gz"), Path.of("train-labels-idx1-ubyte.gz"), 10);
 * }</pre>
 *
 * <h2>Format</h2>
 * Two zero bytes, an element type byte, a rank byte {@code n}, then {@code n} big-endian 32-bit
 * dimensions, then the elements, the last dimension varying fastest. Only unsigned bytes (type
 * {@code 0x08}) are read; the other types are refused by name.
 *
 * <h2>Checks</h2>
 * Every problem throws {@link DataFormatException} naming the file and the byte offset (in the
 * decompressed data): a wrong magic, an unsupported type, a zero rank or dimension, data shorter
 * or longer than the dimensions promise, corrupt gzip data (at byte 0, a broken gzip header
 * included). A header is checked before anything is allocated for the data: a plain file must
 * have exactly the size its header promises; a gzip'd file, whose size is unknown until read,
 * must promise no more than a cap ({@value #DEFAULT_MAX_BYTES} bytes unless given), and its
 * buffer grows with the data actually read, so a lying header costs no more memory than the data
 * behind it. A path that is missing or a directory throws a {@link
 * java.nio.file.FileSystemException} naming it.
 *
 * <h2>Memory</h2>
 * A dataset holds four bytes per value, so {@link #load} turns one byte of pixels into four, and
 * one label into {@code classCount} one-hot floats. It therefore refuses, from the headers and
 * before reading any data, files that would make more than {@value #DEFAULT_MAX_VALUES} feature
 * and target values (1 GiB of floats) unless given a larger {@code maxValues}; the labels file
 * must promise one rank-1 label per image. While loading, the pixels' bytes are held as well:
 * about five bytes per feature value in all.
 */
public final class Idx {
    /** The most data bytes {@link #read(Path)} accepts: 1 GiB, twenty times the MNIST training images. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /**
     * The most feature and target values {@link #load(Path, Path, int)} builds: 256 Mi, 1 GiB of
     * floats, over five times the MNIST training set (60,000 rows of 784 pixels and 10 targets).
     */
    public static final long DEFAULT_MAX_VALUES = 1L << 28;

    /** The largest array a JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** A product of dimensions at least this large is reported as absurd (a product saturates here). */
    private static final long ABSURD = Long.MAX_VALUE / MAX_ARRAY;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_RANK = 16;
    private static final List<String> TYPE_NAMES = List.of(
            "0x08 (unsigned byte)",
            "0x09 (signed byte)",
            "0x0a (unknown)",
            "0x0b (short)",
            "0x0c (int)",
            "0x0d (float)",
            "0x0e (double)");

    private Idx() {}

    /**
     * The content of an IDX file of unsigned bytes: its dimensions and its elements in file order.
     * The first dimension counts the items (images, labels); the others give the shape of one item.
     */
    public static final class IdxData {
        private final int[] dimensions;
        private final byte[] data;

        IdxData(int[] dimensions, byte[] data) {
            this.dimensions = dimensions;
            this.data = data;
        }

        /** The number of dimensions. */
        public int rank() {
            return dimensions.length;
        }

        /** The size of dimension {@code axis} (0-based). */
        public int dimension(int axis) {
            return dimensions[axis];
        }

        /** A copy of all the dimensions. */
        public int[] dimensions() {
            return dimensions.clone();
        }

        /** The number of items: the first dimension. */
        public int items() {
            return dimensions[0];
        }

        /** The number of elements in one item: the product of all dimensions but the first. */
        public int itemSize() {
            return data.length / dimensions[0];
        }

        /** Element {@code index} (in file order), as a value in 0 .. 255. */
        public int unsigned(int index) {
            return data[index] & 0xFF;
        }
    }

    /**
     * Reads an IDX file of unsigned bytes, refusing one whose header promises more than {@link
     * #DEFAULT_MAX_BYTES} of data.
     */
    public static IdxData read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /** Reads an IDX file of unsigned bytes, refusing one whose header promises more than {@code maxBytes} of data. */
    public static IdxData read(Path file, long maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + ", expected at least 1");
        }
        return read(file, maxBytes, (dimensions, total) -> {});
    }

    /** Checks a header's dimensions before anything is allocated for the data. */
    private interface HeaderCheck {
        /** @param total the product of the dimensions, saturated at {@link #ABSURD} */
        void check(int[] dimensions, long total) throws DataFormatException;
    }

    private static IdxData read(Path file, long maxBytes, HeaderCheck check) throws IOException {
        try {
            Inputs.Opened opened = Inputs.open(file); // reads a gzip'd file's header, which may be broken too
            try (InputStream in = opened.stream()) {
                return new Reader(file, in, opened.size(), maxBytes, check).read();
            }
        } catch (ZipException | EOFException e) {
            throw DataFormatException.atByte(file, 0, Inputs.corruptGzip(e));
        }
    }

    /**
     * Loads images and their labels as a classification dataset: one row per image with its
     * pixels scaled to [0, 1] (value / 255), one-hot targets, and the labels. Files that would
     * make more than {@link #DEFAULT_MAX_VALUES} feature and target values are refused; {@link
     * #load(Path, Path, int, long)} takes another limit.
     *
     * @param images an IDX file of unsigned bytes, one item per image (e.g. rank 3: count, rows, columns)
     * @param labels an IDX file of unsigned bytes of rank 1, one class index per image
     * @param classCount the number of classes; every label must be below it
     * @throws DataFormatException if a file is malformed, the counts differ, a label is out of
     *     range, or the dataset would exceed the limit
     */
    public static Dataset load(Path images, Path labels, int classCount) throws IOException {
        return load(images, labels, classCount, DEFAULT_MAX_VALUES);
    }

    /**
     * Like {@link #load(Path, Path, int)}, refusing files that would make more than {@code
     * maxValues} feature and target values ({@code rows * (pixels per image + classCount)}) in
     * all. The dataset takes four bytes per value; reading holds one more byte per pixel.
     *
     * @param maxValues the limit, at least 1; {@link #DEFAULT_MAX_VALUES} by default
     */
    public static Dataset load(Path images, Path labels, int classCount, long maxValues) throws IOException {
        return load(images, labels, classCount, true, maxValues);
    }

    /** Like {@link #load(Path, Path, int)}, but the features are the raw pixel values 0 .. 255. */
    public static Dataset loadRaw(Path images, Path labels, int classCount) throws IOException {
        return loadRaw(images, labels, classCount, DEFAULT_MAX_VALUES);
    }

    /** Like {@link #load(Path, Path, int, long)}, but the features are the raw pixel values 0 .. 255. */
    public static Dataset loadRaw(Path images, Path labels, int classCount, long maxValues) throws IOException {
        return load(images, labels, classCount, false, maxValues);
    }

    private static Dataset load(Path images, Path labels, int classCount, boolean scale, long maxValues)
            throws IOException {
        if (classCount < 1 || classCount > 256) {
            throw new IllegalArgumentException("classCount is " + classCount + ", expected 1 .. 256");
        }
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues is " + maxValues + ", expected at least 1");
        }
        IdxData pixels = read(images, Long.MAX_VALUE, valueLimit(images, classCount, maxValues));
        IdxData classes = read(labels, Long.MAX_VALUE, (dimensions, total) -> {
            if (dimensions.length != 1) {
                throw DataFormatException.atByte(
                        labels,
                        3,
                        "a labels file has rank 1, this one has rank " + dimensions.length + " "
                                + Arrays.toString(dimensions));
            }
            if (dimensions[0] != pixels.items()) {
                throw DataFormatException.inFile(
                        labels,
                        "holds " + dimensions[0] + " labels but " + images + " holds " + pixels.items() + " images");
            }
        });
        int[] rowLabels = new int[classes.items()];
        int headerBytes = 4 + 4 * classes.rank();
        for (int i = 0; i < rowLabels.length; i++) {
            rowLabels[i] = classes.unsigned(i);
            if (rowLabels[i] >= classCount) {
                throw DataFormatException.atByte(
                        labels,
                        headerBytes + i,
                        "label " + rowLabels[i] + " of item " + i + " is out of range 0 .. " + (classCount - 1));
            }
        }
        float[] table = new float[256];
        for (int v = 0; v < 256; v++) {
            table[v] = scale ? v / 255f : v;
        }
        float[] features = new float[pixels.data.length];
        for (int i = 0; i < features.length; i++) {
            features[i] = table[pixels.data[i] & 0xFF];
        }
        return new Dataset(
                features,
                pixels.itemSize(),
                OneHot.encode(rowLabels, classCount),
                classCount,
                rowLabels,
                classCount,
                List.of());
    }

    /**
     * Refuses, from the images' header, a dataset of more than {@code maxValues} feature and
     * target values, or one-hot targets beyond the largest array.
     */
    private static HeaderCheck valueLimit(Path images, int classCount, long maxValues) {
        return (dimensions, total) -> {
            long rows = dimensions[0];
            long targets = rows * classCount; // at most 2^31 * 256
            if (total + targets <= maxValues && targets <= MAX_ARRAY) {
                return;
            }
            String promise = "the dimensions " + Arrays.toString(dimensions) + " promise "
                    + (total >= ABSURD
                            ? "an absurd number of feature values"
                            : total + " feature values and " + targets + " target values (" + rows
                                    + (rows == 1 ? " row" : " rows") + " of " + classCount + " classes), "
                                    + (total + targets)
                                    + " in all");
            String limit = total + targets > maxValues
                    ? "more than the limit of " + maxValues + " values"
                            + (maxValues == DEFAULT_MAX_VALUES ? " (the default, 1 GiB of floats)" : "")
                            + "; pass a larger maxValues to Idx.load or Idx.loadRaw to allow more"
                    : "more target values than one array holds (" + MAX_ARRAY + ")";
            throw DataFormatException.atByte(images, 4, promise + ", " + limit);
        };
    }

    /** One pass over one file. */
    private static final class Reader {
        private final Path file;
        private final InputStream in;
        private final long fileSize;
        private final long maxBytes;
        private final HeaderCheck check;
        private long offset;

        Reader(Path file, InputStream in, long fileSize, long maxBytes, HeaderCheck check) {
            this.file = file;
            this.in = in;
            this.fileSize = fileSize;
            this.maxBytes = maxBytes;
            this.check = check;
        }

        IdxData read() throws IOException {
            int zero1 = readByte();
            int zero2 = readByte();
            if (zero1 != 0 || zero2 != 0) {
                throw DataFormatException.atByte(
                        file,
                        0,
                        String.format(
                                "not an IDX file: it starts with 0x%02x 0x%02x, expected two zero bytes",
                                zero1, zero2));
            }
            int type = readByte();
            if (type != UNSIGNED_BYTE) {
                int known = type - UNSIGNED_BYTE;
                String name = known >= 0 && known < TYPE_NAMES.size()
                        ? TYPE_NAMES.get(known)
                        : String.format("0x%02x (unknown)", type);
                throw DataFormatException.atByte(
                        file, 2, "element type " + name + " is not supported, expected " + TYPE_NAMES.get(0));
            }
            int rank = readByte();
            if (rank < 1 || rank > MAX_RANK) {
                throw DataFormatException.atByte(file, 3, "rank " + rank + " is not in 1 .. " + MAX_RANK);
            }
            int[] dimensions = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                long at = offset;
                long size = Integer.toUnsignedLong(readInt());
                if (size < 1 || size > MAX_ARRAY) {
                    throw DataFormatException.atByte(
                            file, at, "dimension " + d + " is " + size + ", expected 1 .. " + MAX_ARRAY);
                }
                dimensions[d] = (int) size;
                total = Math.min(total * size, ABSURD); // saturates instead of overflowing
            }
            check.check(dimensions, total);
            checkPromise(dimensions, total);
            byte[] data = readData((int) total);
            if (in.read() >= 0) {
                throw DataFormatException.atByte(
                        file,
                        offset,
                        "trailing data after the " + total + " bytes the dimensions " + Arrays.toString(dimensions)
                                + " promise");
            }
            return new IdxData(dimensions, data);
        }

        /** Refuses, before allocating, a header that promises more than the file can hold or the cap allows. */
        private void checkPromise(int[] dimensions, long total) throws DataFormatException {
            String promise = "the dimensions " + Arrays.toString(dimensions) + " promise ";
            if (total > Math.min(maxBytes, MAX_ARRAY)) {
                throw DataFormatException.atByte(
                        file,
                        4,
                        promise + (total >= ABSURD ? "an absurd number of" : Long.toString(total))
                                + " bytes, more than the limit of "
                                + Math.min(maxBytes, MAX_ARRAY));
            }
            if (fileSize >= 0 && fileSize - offset != total) {
                throw DataFormatException.atByte(
                        file,
                        Math.min(fileSize, offset + total),
                        promise + total
                                + " bytes but the file holds " + (fileSize - offset)
                                + (fileSize - offset < total ? " (truncated)" : " (trailing data)"));
            }
        }

        /** Reads exactly {@code total} bytes into a buffer that grows with the data actually read. */
        private byte[] readData(int total) throws IOException {
            byte[] data = new byte[Math.min(total, 1 << 20)];
            int filled = 0;
            while (filled < total) {
                if (filled == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
                }
                int n = in.read(data, filled, data.length - filled);
                if (n < 0) {
                    throw DataFormatException.atByte(
                            file,
                            offset + filled,
                            "truncated: the data ends after " + filled + " of the " + total
                                    + " bytes the header promises");
                }
                filled += n;
            }
            offset += total;
            return data;
        }

        private int readByte() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw DataFormatException.atByte(file, offset, "truncated: the file ends inside the header");
            }
            offset++;
            return b;
        }

        private int readInt() throws IOException {
            return readByte() << 24 | readByte() << 16 | readByte() << 8 | readByte();
        }
    }
}
