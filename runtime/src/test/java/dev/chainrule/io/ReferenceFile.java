package dev.chainrule.io;

import dev.chainrule.NetworkSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An independent encoder of the model file layout, written from the table in {@code
 * docs/model-file-format.md} and nothing else, field by field with {@link DataOutputStream}
 * (big-endian by definition). Every field can be set to any value, so tests build exactly the
 * broken file they need, with a correct checksum unless they set one.
 */
final class ReferenceFile {

    byte[] magic = {(byte) 0x89, 'C', 'R', 'M', '\r', '\n', 0x1A, '\n'};
    int version = 1;
    Long fingerprint;
    byte[] shape;
    Integer shapeLength;
    byte[] name;
    int precisionCode;
    Integer parameterCount;
    byte[] values;
    Integer attachmentCount;
    final List<byte[]> attachments = new ArrayList<>();
    Integer checksum;
    byte[] trailing = new byte[0];

    /** A file for the network {@code spec} whose parameters are {@code values}. */
    static ReferenceFile of(NetworkSpec spec, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4);
        for (float v : values) {
            buffer.putInt(Float.floatToRawIntBits(v));
        }
        return of(spec, 1, values.length, buffer.array());
    }

    /** A file for the network {@code spec} whose parameters are {@code values}. */
    static ReferenceFile of(NetworkSpec spec, double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8);
        for (double v : values) {
            buffer.putLong(Double.doubleToRawLongBits(v));
        }
        return of(spec, 2, values.length, buffer.array());
    }

    private static ReferenceFile of(NetworkSpec spec, int precisionCode, int count, byte[] values) {
        ReferenceFile file = new ReferenceFile();
        file.shape = spec.canonicalShape().getBytes(StandardCharsets.UTF_8);
        file.name = spec.name().getBytes(StandardCharsets.UTF_8);
        file.precisionCode = precisionCode;
        file.parameterCount = count;
        file.values = values;
        return file;
    }

    /** Adds an attachment entry: 2-byte name length, name, 4-byte payload length, payload. */
    ReferenceFile attach(String attachmentName, byte[] payload) {
        byte[] nameBytes = attachmentName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer entry = ByteBuffer.allocate(2 + nameBytes.length + 4 + payload.length);
        entry.putShort((short) nameBytes.length)
                .put(nameBytes)
                .putInt(payload.length)
                .put(payload);
        attachments.add(entry.array());
        return this;
    }

    /** Offset of the precision byte: 22 + S + N. */
    int precisionOffset() {
        return 22 + shape.length + name.length;
    }

    /** Offset of the first parameter value: 27 + S + N. */
    int valuesOffset() {
        return 27 + shape.length + name.length;
    }

    /** Offset of the attachment count: 27 + S + N + P·w. */
    int attachmentCountOffset() {
        return valuesOffset() + values.length;
    }

    byte[] build() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(magic);
            out.writeShort(version);
            out.writeLong(fingerprint != null ? fingerprint : sha256Prefix(shape));
            out.writeShort(shapeLength != null ? shapeLength : shape.length);
            out.write(shape);
            out.writeShort(name.length);
            out.write(name);
            out.writeByte(precisionCode);
            out.writeInt(parameterCount);
            out.write(values);
            out.writeInt(attachmentCount != null ? attachmentCount : attachments.size());
            for (byte[] attachment : attachments) {
                out.write(attachment);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt(checksum != null ? checksum : (int) crc.getValue());
            out.write(trailing);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRC-32C the format's last field holds for {@code bytes}. */
    static int crc32c(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /** Recomputes the checksum of a whole file after a test changed bytes before it. */
    static byte[] withFixedChecksum(byte[] file) {
        byte[] fixed = file.clone();
        ByteBuffer.wrap(fixed).putInt(fixed.length - 4, crc32c(fixed, fixed.length - 4));
        return fixed;
    }

    static long sha256Prefix(byte[] bytes) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
