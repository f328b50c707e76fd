package dev.chainrule.io;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Encodes one model and its attachments in the model file format. {@link #of} checks everything
 * that could make the file unreadable, so that a refused save writes nothing at all.
 */
final class ModelFileWriter {

    @SuppressWarnings("ArrayRecordComponent") // a value in passing, never compared
    private record Attachment(byte[] nameUtf8, byte[] payload) {}

    private final Model model;
    private final Precision precision;
    private final byte[] shape;
    private final byte[] interfaceName;
    private final List<Attachment> attachments;

    private ModelFileWriter(
            Model model, Precision precision, byte[] shape, byte[] interfaceName, List<Attachment> attachments) {
        this.model = model;
        this.precision = precision;
        this.shape = shape;
        this.interfaceName = interfaceName;
        this.attachments = attachments;
    }

    /**
     * Checks the model and the attachments and prepares to write them.
     *
     * @throws ModelFileException if the model cannot be stored: a non-finite parameter, a shape
     *     text or interface name longer than the format allows
     * @throws IllegalArgumentException if an attachment name or payload is not acceptable, or the
     *     model is neither a {@link FloatModel} nor a {@link DoubleModel} of its precision
     */
    static ModelFileWriter of(Model model, Map<String, byte[]> attachments) throws ModelFileException {
        Precision precision = ModelFile.precisionOf(model);
        String what = "cannot save " + model.spec().name();
        int length = precision == Precision.FLOAT
                ? ((FloatModel) model).parameters().length
                : ((DoubleModel) model).parameters().length;
        if (length != model.parameterCount() || length != model.spec().parameterCount()) {
            throw new IllegalArgumentException(what + ": the parameter array has length " + length + ", expected "
                    + model.spec().parameterCount() + " for " + model.spec().describe());
        }
        ModelFileWriter writer = new ModelFileWriter(
                model,
                precision,
                text(model.spec().canonicalShape(), "shape text", what),
                text(model.spec().name(), "interface name", what),
                attachments(attachments));
        try {
            writer.parameters(null);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("checking without a stream does no I/O", e);
        }
        return writer;
    }

    /** Writes the whole file to {@code out}, then flushes it; does not close it. */
    void writeTo(OutputStream out) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream data =
                new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), crc));
        data.write(Format.MAGIC);
        data.writeShort(Format.VERSION);
        data.writeLong(model.spec().fingerprint());
        data.writeShort(shape.length);
        data.write(shape);
        data.writeShort(interfaceName.length);
        data.write(interfaceName);
        data.writeByte(Format.precisionCode(precision));
        data.writeInt(model.parameterCount());
        parameters(data);
        data.writeInt(attachments.size());
        for (Attachment attachment : attachments) {
            data.writeShort(attachment.nameUtf8.length);
            data.write(attachment.nameUtf8);
            data.writeInt(attachment.payload.length);
            data.write(attachment.payload);
        }
        data.flush();
        // The checksum covers every byte before it, so it bypasses the checked stream.
        int checksum = (int) crc.getValue();
        out.write(
                new byte[] {(byte) (checksum >>> 24), (byte) (checksum >>> 16), (byte) (checksum >>> 8), (byte) checksum
                });
        out.flush();
    }

    /**
     * Checks every parameter and, if {@code data} is not null, writes it. {@link #of} calls it
     * without a stream so that a refused save writes nothing; {@link #writeTo} checks again as it
     * writes, so a model changed by another thread in between (which the threading rules
     * forbid) still cannot produce a file with a non-finite parameter.
     */
    private void parameters(DataOutputStream data) throws IOException {
        String what = "cannot save " + model.spec().name();
        if (precision == Precision.FLOAT) {
            float[] parameters = ((FloatModel) model).parameters();
            for (int i = 0; i < parameters.length; i++) {
                if (!Float.isFinite(parameters[i])) {
                    throw notFinite(what, i, parameters[i]);
                }
                if (data != null) {
                    data.writeFloat(parameters[i]);
                }
            }
        } else {
            double[] parameters = ((DoubleModel) model).parameters();
            for (int i = 0; i < parameters.length; i++) {
                if (!Double.isFinite(parameters[i])) {
                    throw notFinite(what, i, parameters[i]);
                }
                if (data != null) {
                    data.writeDouble(parameters[i]);
                }
            }
        }
    }

    private static ModelFileException notFinite(String what, int index, double value) {
        return new ModelFileException(what + ": parameter[" + index + "] is " + value
                + "; a model file holds only finite parameters (did training diverge?)");
    }

    private static byte[] text(String text, String field, String what) throws ModelFileException {
        byte[] utf8;
        try {
            utf8 = Format.encodeUtf8(text);
        } catch (CharacterCodingException e) {
            throw new ModelFileException(what + ": the " + field + " " + Format.quote(text) + " is not valid Unicode");
        }
        if (utf8.length == 0 || utf8.length > Format.MAX_TEXT_BYTES) {
            throw new ModelFileException(what + ": the " + field + " takes " + utf8.length
                    + " bytes in UTF-8, expected 1 to " + Format.MAX_TEXT_BYTES);
        }
        return utf8;
    }

    /** Checks the attachments and sorts them by the unsigned bytes of their UTF-8 names. */
    private static List<Attachment> attachments(Map<String, byte[]> attachments) {
        if (attachments.size() > Format.MAX_ATTACHMENTS) {
            throw new IllegalArgumentException(
                    attachments.size() + " attachments, at most " + Format.MAX_ATTACHMENTS + " allowed");
        }
        List<Attachment> list = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, byte[]> entry : attachments.entrySet()) {
            String name = entry.getKey();
            byte[] payload = entry.getValue();
            if (name == null || payload == null) {
                throw new IllegalArgumentException("attachment " + name + " has a null name or payload");
            }
            byte[] nameUtf8;
            try {
                nameUtf8 = Format.encodeUtf8(name);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("attachment name " + Format.quote(name) + " is not valid Unicode");
            }
            if (nameUtf8.length == 0
                    || nameUtf8.length > Format.MAX_ATTACHMENT_NAME_BYTES
                    || Format.hasControlCharacter(name)) {
                throw new IllegalArgumentException("attachment name " + Format.quote(name) + " takes "
                        + nameUtf8.length + " bytes in UTF-8; expected 1 to " + Format.MAX_ATTACHMENT_NAME_BYTES
                        + " bytes and no control characters");
            }
            if (payload.length > Format.MAX_ATTACHMENT_BYTES) {
                throw new IllegalArgumentException("attachment " + Format.quote(name) + " has " + payload.length
                        + " bytes, at most " + Format.MAX_ATTACHMENT_BYTES + " allowed");
            }
            total += payload.length;
            list.add(new Attachment(nameUtf8, payload));
        }
        if (total > Format.MAX_TOTAL_ATTACHMENT_BYTES) {
            throw new IllegalArgumentException("attachments have " + total + " bytes in all, at most "
                    + Format.MAX_TOTAL_ATTACHMENT_BYTES + " allowed");
        }
        list.sort((a, b) -> Arrays.compareUnsigned(a.nameUtf8, b.nameUtf8));
        return List.copyOf(list);
    }
}
