package dev.chainrule.io;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses a model file field by field, checking each before the next is read, and every length
 * against the target model, the caps in {@link Format} and (when known) the bytes left, before
 * anything is allocated. Nothing here touches a model: the caller copies the parameters in once
 * {@link #read} has returned, that is once every check has passed.
 */
final class ModelFileReader {
    private ModelFileReader() {}

    /**
     * What was read. Exactly one of {@code floats} and {@code doubles} is set when a target was
     * given; neither when only inspecting.
     */
    @SuppressWarnings("ArrayRecordComponent") // a value in passing, never compared
    record Contents(ModelFileInfo info, float[] floats, double[] doubles, Map<String, byte[]> attachments) {}

    /**
     * Reads and checks a whole file.
     *
     * @param target the model the file must fit, or {@code null} to read the header and skip the
     *     values (attachment payloads are then skipped too)
     */
    static Contents read(FieldReader in, Model target) throws IOException {
        byte[] head = in.head(Format.MAGIC.length);
        if (!Arrays.equals(head, Format.MAGIC)) {
            throw in.error(0, "magic number", "not a Chainrule model file: " + Format.describeForeignStart(head));
        }

        long at = in.position();
        int version = in.u16("format version");
        if (version != Format.VERSION) {
            throw in.error(
                    at,
                    "format version",
                    "version " + version + " is not supported; this Chainrule reads version " + Format.VERSION
                            + (version > Format.VERSION ? " (the file was written by a newer Chainrule)" : ""));
        }

        long fingerprintAt = in.position();
        long fingerprint = in.i64("network fingerprint");
        long shapeAt = in.position() + 2;
        byte[] shapeUtf8 = text(in, "shape text");
        String shape = decode(in, shapeUtf8, "shape text");
        long actualFingerprint = Format.fingerprintOf(shapeUtf8);
        if (actualFingerprint != fingerprint) {
            throw in.error(
                    fingerprintAt,
                    "network fingerprint",
                    String.format(
                            "the file says %016x but its shape text %s has fingerprint %016x: the header is damaged",
                            fingerprint, Format.quote(shape), actualFingerprint));
        }
        String interfaceName = decode(in, text(in, "interface name"), "interface name");

        long precisionAt = in.position();
        int precisionCode = in.u8("precision");
        Precision precision = Format.precisionOf(precisionCode);
        if (precision == null) {
            throw in.error(
                    precisionAt,
                    "precision",
                    "code " + precisionCode + " is unknown; expected " + Format.PRECISION_FLOAT + " (float) or "
                            + Format.PRECISION_DOUBLE + " (double)");
        }
        if (target != null) {
            requireFits(in, target, precisionAt, precision, shapeAt, shape, interfaceName);
        }

        long countAt = in.position();
        int count = in.i32("parameter count");
        int expected = target == null ? -1 : target.parameterCount();
        if (count < 0 || count > Format.MAX_PARAMETERS || (target != null && count != expected)) {
            throw in.error(
                    countAt,
                    "parameter count",
                    count + " parameters, expected "
                            + (target == null
                                    ? "0 to " + Format.MAX_PARAMETERS
                                    : expected + " for " + target.spec().describe()));
        }
        int width = Format.bytesPerParameter(precision);
        long valuesAt = in.position();
        in.requireAvailable((long) count * width, "parameter values");
        float[] floats = target != null && precision == Precision.FLOAT ? new float[count] : null;
        double[] doubles = target != null && precision == Precision.DOUBLE ? new double[count] : null;
        long[] firstNonFinite = {-1};
        double[] nonFiniteValue = {0};
        in.values(
                count,
                width,
                (index, value) -> {
                    if (!Double.isFinite(value) && firstNonFinite[0] < 0) {
                        firstNonFinite[0] = index;
                        nonFiniteValue[0] = value;
                    }
                    if (floats != null) {
                        floats[(int) index] = (float) value;
                    } else if (doubles != null) {
                        doubles[(int) index] = value;
                    }
                },
                "parameter values");

        Map<String, Integer> sizes = new LinkedHashMap<>();
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        readAttachments(in, target != null, sizes, payloads);

        long checksumAt = in.position();
        int computed = in.checksum();
        int stored = in.unchecksummedInt("checksum");
        if (stored != computed) {
            throw in.error(
                    checksumAt,
                    "checksum",
                    String.format(
                            "the file says %08x but its contents give %08x: the file is damaged", stored, computed));
        }
        if (!in.atEnd()) {
            long left = in.remaining();
            throw in.error(
                    in.position(),
                    "end of file",
                    (left > 0 ? left + " bytes" : "data") + " after the checksum, where the file should end");
        }
        // Reported only now, after the checksum, so that random damage reads as damage.
        if (firstNonFinite[0] >= 0) {
            long index = firstNonFinite[0];
            throw in.error(
                    valuesAt + index * width,
                    "parameter values",
                    "parameter[" + index + "] is " + nonFiniteValue[0] + ", expected a finite number");
        }

        ModelFileInfo info = new ModelFileInfo(version, interfaceName, shape, fingerprint, precision, count, sizes);
        return new Contents(info, floats, doubles, payloads);
    }

    /** Checks that a file with this header can fill {@code target}. */
    private static void requireFits(
            FieldReader in,
            Model target,
            long precisionAt,
            Precision precision,
            long shapeAt,
            String shape,
            String interfaceName)
            throws ModelFileException {
        Precision wanted = ModelFile.precisionOf(target);
        if (precision != wanted) {
            throw in.error(
                    precisionAt,
                    "precision",
                    "the file holds " + precision.label() + " parameters but the model computes in " + wanted.label());
        }
        String targetShape = target.spec().canonicalShape();
        if (!shape.equals(targetShape)) {
            throw in.error(
                    shapeAt,
                    "shape text",
                    "the file holds a different network: " + Format.quote(shape) + " (saved from "
                            + Format.quote(interfaceName) + "), but the model is "
                            + target.spec().describe()
                            + ", shape " + Format.quote(targetShape));
        }
    }

    private static void readAttachments(
            FieldReader in, boolean keepPayloads, Map<String, Integer> sizes, Map<String, byte[]> payloads)
            throws IOException {
        long countAt = in.position();
        int count = in.i32("attachment count");
        if (count < 0 || count > Format.MAX_ATTACHMENTS) {
            throw in.error(
                    countAt, "attachment count", count + " attachments, expected 0 to " + Format.MAX_ATTACHMENTS);
        }
        byte[] previousName = null;
        long total = 0;
        for (int i = 0; i < count; i++) {
            String field = "attachment " + i + " name";
            long nameAt = in.position();
            int nameLength = in.u16(field + " length");
            if (nameLength < 1 || nameLength > Format.MAX_ATTACHMENT_NAME_BYTES) {
                throw in.error(
                        nameAt,
                        field + " length",
                        nameLength + " bytes, expected 1 to " + Format.MAX_ATTACHMENT_NAME_BYTES);
            }
            in.requireAvailable(nameLength, field);
            byte[] nameUtf8 = in.bytes(nameLength, field);
            String name = decode(in, nameUtf8, field);
            if (previousName != null && Arrays.compareUnsigned(previousName, nameUtf8) >= 0) {
                throw in.error(
                        nameAt,
                        field,
                        Format.quote(name) + " is not after the previous name; names are"
                                + " unique and sorted by their UTF-8 bytes");
            }
            previousName = nameUtf8;

            String payloadField = "attachment " + Format.quote(name) + " payload";
            long lengthAt = in.position();
            int length = in.i32(payloadField + " length");
            if (length < 0 || length > Format.MAX_ATTACHMENT_BYTES) {
                throw in.error(
                        lengthAt,
                        payloadField + " length",
                        length + " bytes, expected 0 to " + Format.MAX_ATTACHMENT_BYTES);
            }
            total += length;
            if (total > Format.MAX_TOTAL_ATTACHMENT_BYTES) {
                throw in.error(
                        lengthAt,
                        payloadField + " length",
                        "attachments take " + total + " bytes so far, at most " + Format.MAX_TOTAL_ATTACHMENT_BYTES
                                + " allowed");
            }
            in.requireAvailable(length, payloadField);
            if (keepPayloads) {
                payloads.put(name, in.bytes(length, payloadField));
            } else {
                in.skip(length, payloadField);
            }
            sizes.put(name, length);
        }
    }

    /** Reads a length-prefixed text field's bytes. */
    private static byte[] text(FieldReader in, String field) throws IOException {
        long at = in.position();
        int length = in.u16(field + " length");
        if (length == 0) {
            throw in.error(at, field + " length", "0 bytes, expected 1 to " + Format.MAX_TEXT_BYTES);
        }
        in.requireAvailable(length, field);
        return in.bytes(length, field);
    }

    private static String decode(FieldReader in, byte[] utf8, String field) throws ModelFileException {
        try {
            String text = Format.decodeUtf8(utf8);
            if (Format.hasControlCharacter(text)) {
                throw in.error(in.position() - utf8.length, field, Format.quote(text) + " holds a control character");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw in.error(
                    in.position() - utf8.length,
                    field,
                    "not valid UTF-8: " + Format.hex(Arrays.copyOf(utf8, Math.min(utf8.length, 32)))
                            + (utf8.length > 32 ? " ..." : ""));
        }
    }
}
