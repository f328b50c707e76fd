package dev.chainrule.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Reads the fields of a model file one by one, big-endian, keeping the byte offset for messages
 * and a running CRC32C of everything read. Every read names its field, so a file that ends
 * early says where.
 */
final class FieldReader {

    private final InputStream in;
    private final String source;
    private final long length;
    private final CRC32C crc = new CRC32C();
    private final byte[] buffer = new byte[8192];
    private long position;

    /**
     * @param source names the file in messages
     * @param length the number of bytes the source holds, or {@code -1} if unknown (a stream):
     *     when known, declared lengths are checked against it before anything is read
     */
    FieldReader(InputStream in, String source, long length) {
        this.in = in;
        this.source = source;
        this.length = length;
    }

    /** The offset of the next byte. */
    long position() {
        return position;
    }

    /** The CRC32C of every byte read so far, except those read with {@link #unchecksummedInt}. */
    int checksum() {
        return (int) crc.getValue();
    }

    /** An exception saying that the field at {@code offset} is wrong. */
    ModelFileException error(long offset, String field, String message) {
        return new ModelFileException(source + ": byte " + offset + " (" + field + "): " + message);
    }

    /** Reads up to {@code n} bytes, fewer only at the end of the file; for the magic number. */
    byte[] head(int n) throws IOException {
        byte[] head = in.readNBytes(n);
        consumed(head, 0, head.length);
        return head;
    }

    int u8(String field) throws IOException {
        fill(1, field);
        return buffer[0] & 0xFF;
    }

    int u16(String field) throws IOException {
        fill(2, field);
        return ((buffer[0] & 0xFF) << 8) | (buffer[1] & 0xFF);
    }

    int i32(String field) throws IOException {
        fill(4, field);
        return ByteBuffer.wrap(buffer, 0, 4).getInt();
    }

    long i64(String field) throws IOException {
        fill(8, field);
        return ByteBuffer.wrap(buffer, 0, 8).getLong();
    }

    /** Reads a 32-bit value that is not part of the checksum: the checksum itself. */
    int unchecksummedInt(String field) throws IOException {
        int n = in.readNBytes(buffer, 0, 4);
        if (n < 4) {
            throw truncated(field, 4, n);
        }
        position += 4;
        return ByteBuffer.wrap(buffer, 0, 4).getInt();
    }

    /**
     * Reads {@code n} bytes into a new array. Call {@link #requireAvailable} first: the array
     * grows with what the stream delivers, but is finally {@code n} bytes long.
     */
    byte[] bytes(int n, String field) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw truncated(field, n, bytes.length);
        }
        consumed(bytes, 0, n);
        return bytes;
    }

    /** Reads and discards {@code n} bytes, keeping them in the checksum. */
    void skip(long n, String field) throws IOException {
        long left = n;
        while (left > 0) {
            int chunk = (int) Math.min(left, buffer.length);
            int got = in.readNBytes(buffer, 0, chunk);
            consumed(buffer, 0, got);
            if (got < chunk) {
                throw truncatedAfter(field, n, n - left + got);
            }
            left -= got;
        }
    }

    /**
     * Reads {@code count} big-endian values of {@code width} bytes (4: float, 8: double) and
     * hands each to {@code sink} with its index. Values are decoded from a fixed buffer: nothing
     * is allocated.
     */
    void values(long count, int width, ValueSink sink, String field) throws IOException {
        ByteBuffer view = ByteBuffer.wrap(buffer).order(ByteOrder.BIG_ENDIAN);
        int perChunk = buffer.length / width;
        long total = count * width;
        long index = 0;
        while (index < count) {
            int n = (int) Math.min(perChunk, count - index);
            int got = in.readNBytes(buffer, 0, n * width);
            consumed(buffer, 0, got);
            if (got < n * width) {
                throw truncatedAfter(field, total, index * width + got);
            }
            for (int i = 0; i < n; i++) {
                if (width == Float.BYTES) {
                    sink.accept(index + i, view.getFloat(i * width));
                } else {
                    sink.accept(index + i, view.getDouble(i * width));
                }
            }
            index += n;
        }
    }

    /** Receives decoded parameter values; floats widen exactly to double. */
    interface ValueSink {
        void accept(long index, double value);
    }

    /**
     * Throws unless the source still holds {@code needed} bytes for {@code field}, when its
     * length is known; this is what stops a hostile length before any allocation.
     */
    void requireAvailable(long needed, String field) throws ModelFileException {
        if (length >= 0 && needed > length - position) {
            throw error(
                    position,
                    field,
                    "needs " + needed + " bytes but the file has only " + (length - position) + " left");
        }
    }

    /** Whether the source ends here. */
    boolean atEnd() throws IOException {
        return in.read() < 0;
    }

    /** How many bytes remain, or {@code -1} if the length is unknown. */
    long remaining() {
        return length < 0 ? -1 : length - position;
    }

    private void fill(int n, String field) throws IOException {
        int got = in.readNBytes(buffer, 0, n);
        if (got < n) {
            throw truncated(field, n, got);
        }
        consumed(buffer, 0, n);
    }

    private void consumed(byte[] bytes, int offset, int n) {
        crc.update(bytes, offset, n);
        position += n;
    }

    /** The file ended {@code got} bytes into a field of {@code needed} bytes starting at {@code position}. */
    private ModelFileException truncated(String field, long needed, long got) {
        return error(position, field, "truncated: the field needs " + needed + " bytes but the file ends after " + got);
    }

    /** Like {@link #truncated}, where {@code position} has already advanced by {@code got}. */
    private ModelFileException truncatedAfter(String field, long needed, long got) {
        return error(
                position - got,
                field,
                "truncated: the field needs " + needed + " bytes but the file ends after " + got);
    }
}
