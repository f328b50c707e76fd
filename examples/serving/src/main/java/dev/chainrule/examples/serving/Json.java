package dev.chainrule.examples.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON the scoring service writes, through Jackson's generator. */
final class Json {
    /** The media type of every JSON response. */
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private Json() {}

    /** Writes one JSON document with a generator. */
    interface Writer {
        /** Writes the document's tokens. */
        void write(JsonGenerator out) throws IOException;
    }

    /** The UTF-8 bytes of the document {@code writer} writes. */
    static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e); // a byte array does no I/O
        }
        return bytes.toByteArray();
    }

    /** {@code {"error":"message"}}. */
    static byte[] error(String message) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("error", message);
            out.writeEndObject();
        });
    }

    /**
     * Writes {@code values} as a JSON array, each as {@link Float#toString(float)} writes it: a
     * decimal that reads back as the same float.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, which JSON cannot hold
     */
    static void floats(JsonGenerator out, float[] values) throws IOException {
        out.writeStartArray();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " is " + values[i] + ", which JSON cannot hold");
            }
            out.writeNumber(values[i]);
        }
        out.writeEndArray();
    }

    /** {@code {"features":[...]}}, the body of a predict request. */
    static String predictRequest(float[] features) {
        return new String(
                write(out -> {
                    out.writeStartObject();
                    out.writeFieldName(PredictRequest.FIELD);
                    floats(out, features);
                    out.writeEndObject();
                }),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** {@code text} escaped as the inside of a JSON string, without quotes, for messages that quote it. */
    static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
