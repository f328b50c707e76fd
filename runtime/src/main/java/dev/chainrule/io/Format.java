package dev.chainrule.io;

import dev.chainrule.Precision;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The constants of the model file format (version 1) and the small pieces of knowledge the
 * reader and the writer share. {@code docs/model-file-format.md} is the authoritative
 * description; keep the two in step.
 */
final class Format {
    private Format() {}

    /**
     * {@code 89 43 52 4D 0D 0A 1A 0A}: a byte with the high bit set (rejects 7-bit channels and
     * text tools), {@code CRM} for "Chainrule model", CR LF and LF (detect line-ending
     * conversion) and Ctrl-Z (stops a DOS {@code type}), as PNG does.
     */
    static final byte[] MAGIC = {(byte) 0x89, 'C', 'R', 'M', 0x0D, 0x0A, 0x1A, 0x0A};

    /** The only format version this code writes and reads. */
    static final int VERSION = 1;

    /** Precision codes as stored in the file. */
    static final int PRECISION_FLOAT = 1;

    static final int PRECISION_DOUBLE = 2;

    /** Largest shape text or interface name: what an unsigned 16-bit length can say. */
    static final int MAX_TEXT_BYTES = 0xFFFF;

    /** Largest parameter count a file may declare: the largest Java array. */
    static final int MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    /** Attachment limits, checked before anything is allocated. */
    static final int MAX_ATTACHMENTS = 1024;

    static final int MAX_ATTACHMENT_NAME_BYTES = 255;
    static final int MAX_ATTACHMENT_BYTES = 64 << 20;
    static final long MAX_TOTAL_ATTACHMENT_BYTES = 256L << 20;

    static int precisionCode(Precision precision) {
        return precision == Precision.FLOAT ? PRECISION_FLOAT : PRECISION_DOUBLE;
    }

    /** The precision of a stored code, or {@code null} for an unknown code. */
    static Precision precisionOf(int code) {
        return switch (code) {
            case PRECISION_FLOAT -> Precision.FLOAT;
            case PRECISION_DOUBLE -> Precision.DOUBLE;
            default -> null;
        };
    }

    static int bytesPerParameter(Precision precision) {
        return precision == Precision.FLOAT ? Float.BYTES : Double.BYTES;
    }

    /**
     * The fingerprint of a canonical shape text, by the rule {@link
     * dev.chainrule.NetworkSpec#fingerprint()} publishes: the first eight bytes of the SHA-256
     * of its UTF-8 bytes, big-endian. The reader recomputes it to tell a damaged header from a
     * file for another network.
     */
    static long fingerprintOf(byte[] shapeUtf8) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shapeUtf8);
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Decodes UTF-8, refusing malformed input instead of replacing it. */
    static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Encodes UTF-8, refusing unpaired surrogates instead of replacing them. */
    static byte[] encodeUtf8(String text) throws CharacterCodingException {
        ByteBuffer encoded = StandardCharsets.UTF_8
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(java.nio.CharBuffer.wrap(text));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /** Whether {@code text} holds a control character, which names and shapes never do. */
    static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /**
     * Text from a file, made safe for a message: quoted, control characters escaped, cut after
     * 200 characters.
     */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        int limit = Math.min(text.length(), 200);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > limit) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }

    /**
     * What a file that does not start with {@link #MAGIC} looks like, for the error message.
     *
     * @param head the first bytes of the file: all of them if it has fewer than eight
     */
    static String describeForeignStart(byte[] head) {
        if (head.length == 0) {
            return "the file is empty";
        }
        if (head.length < MAGIC.length && Arrays.equals(head, 0, head.length, MAGIC, 0, head.length)) {
            return "the file has only " + head.length + " bytes, a truncated magic number";
        }
        if (head.length >= 4 && Arrays.equals(head, 0, 4, MAGIC, 0, 4)) {
            return "the magic number reads " + hex(head) + " instead of " + hex(MAGIC)
                    + ": a model file whose line endings were converted by a text-mode transfer";
        }
        String known = knownFormat(head);
        if (known != null) {
            return "the file looks like " + known + " (starts with " + hex(head) + ")";
        }
        if (looksLikeText(head)) {
            return "the file looks like text: it starts with " + quote(new String(head, StandardCharsets.UTF_8));
        }
        return "the file starts with " + hex(head) + ", not a Chainrule model file's " + hex(MAGIC);
    }

    private static String knownFormat(byte[] h) {
        if (startsWith(h, 0x1F, 0x8B)) {
            return "gzip-compressed data; decompress it first";
        }
        if (startsWith(h, 'P', 'K', 3, 4)) {
            return "a zip archive or jar";
        }
        if (startsWith(h, 0x89, 'P', 'N', 'G')) {
            return "a PNG image";
        }
        if (startsWith(h, 0xAC, 0xED)) {
            return "a Java serialization stream";
        }
        if (startsWith(h, 0xCA, 0xFE, 0xBA, 0xBE)) {
            return "a Java class file";
        }
        if (startsWith(h, 0x7F, 'E', 'L', 'F')) {
            return "an ELF executable";
        }
        if (startsWith(h, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            return "a NumPy array file";
        }
        if (startsWith(h, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file";
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII and whitespace, or a UTF-8 byte order mark. */
    private static boolean looksLikeText(byte[] head) {
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            return true;
        }
        for (byte b : head) {
            boolean printable = b >= 0x20 && b < 0x7F;
            boolean whitespace = b == '\t' || b == '\n' || b == '\r';
            if (!printable && !whitespace) {
                return false;
            }
        }
        return true;
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }
}
