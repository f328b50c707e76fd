package dev.chainrule.examples.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A strict reader, on Jackson's streaming parser, for the one JSON shape the scoring service
 * accepts, {@code {"features":[5.1, 3.5, 1.4, 0.2]}}: an object with the single field {@code
 * "features"} holding an array of exactly as many JSON numbers as the model takes. Jackson's
 * defaults already refuse what JSON does not allow (comments, {@code NaN}, leading zeros, single
 * quotes, trailing commas); this class refuses every other shape. Each number is read as a
 * {@code float} (rounded once, as {@link Float#parseFloat} does) and must be finite there.
 *
 * <p>Every refusal is a {@link BadRequestException} whose message says what was wrong and at
 * which character (counted from 1), for example {@code expected 4 features, got 3} or {@code
 * feature 1 at character 18 is a string, expected a number}. Messages never pass on Jackson's
 * own text, which names its Java configuration.
 */
final class PredictRequest {
    /** The one field a request has. */
    static final String FIELD = "features";

    /** The longest number accepted, in characters: far more than any float needs. */
    static final int MAX_NUMBER_CHARS = 64;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String text;
    private final JsonParser parser;
    /** The index of the feature being read, or -1 outside the array: what messages name. */
    private int feature = -1;

    private PredictRequest(String text) throws IOException {
        this.text = text;
        this.parser = JSON.createParser(text);
    }

    /**
     * The features of the request {@code json}.
     *
     * @param count how many features the model takes
     * @throws BadRequestException if the text is not exactly the accepted shape
     */
    static float[] parse(String json, int count) throws BadRequestException {
        PredictRequest request;
        try {
            request = new PredictRequest(json);
        } catch (IOException e) {
            throw unreadable();
        }
        try {
            return request.request(count);
        } catch (JsonProcessingException e) {
            throw request.invalid(e);
        } catch (IOException e) {
            throw unreadable();
        } finally {
            request.close();
        }
    }

    /** A parser over a string does no I/O; this keeps the contract explicit anyway. */
    private static BadRequestException unreadable() {
        return new BadRequestException("the body could not be read as JSON");
    }

    private void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // Nothing to release: the parser reads a string.
        }
    }

    private float[] request(int count) throws IOException, BadRequestException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw new BadRequestException("the body is empty; expected {\"" + FIELD + "\":[...]}");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new BadRequestException("expected an object {\"" + FIELD + "\":[...]} at character " + tokenAt()
                    + ", found " + describe(first));
        }
        JsonToken name = parser.nextToken();
        if (name == JsonToken.END_OBJECT) {
            throw new BadRequestException("missing field \"" + FIELD + "\"");
        }
        checkField(false);
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new BadRequestException("expected an array of " + count + " numbers at character " + tokenAt()
                    + ", found " + describe(parser.currentToken()));
        }
        float[] features = features(count);
        if (parser.nextToken() == JsonToken.FIELD_NAME) {
            checkField(true);
        }
        // The object is closed (Jackson refuses anything else here); nothing may follow it.
        try {
            if (parser.nextToken() != null) {
                throw trailing(tokenAt());
            }
        } catch (JsonProcessingException e) {
            throw trailing(offsetOf(e) + 1);
        }
        return features;
    }

    /** Checks the field name at the current token: {@link #FIELD}, and only once. */
    private void checkField(boolean seen) throws IOException, BadRequestException {
        String name = parser.currentName();
        if (seen || !name.equals(FIELD)) {
            throw new BadRequestException((seen && name.equals(FIELD) ? "duplicate field \"" : "unknown field \"")
                    + Json.escape(name) + "\" at character " + tokenAt() + "; the only field is \"" + FIELD + "\"");
        }
    }

    /** The array of numbers at the current {@code [}; counts every element, stores the first {@code count}. */
    private float[] features(int count) throws IOException, BadRequestException {
        float[] values = new float[count];
        int seen = 0;
        feature = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new BadRequestException("feature " + seen + " at character " + tokenAt() + " is "
                        + describe(token) + ", expected a number");
            }
            String literal = parser.getText();
            if (literal.length() > MAX_NUMBER_CHARS) {
                throw tooLong();
            }
            float value = Float.parseFloat(literal);
            if (Float.isInfinite(value)) {
                throw new BadRequestException("feature " + seen + " at character " + tokenAt() + ": " + literal
                        + " is beyond the float range");
            }
            if (seen < count) {
                values[seen] = value;
            }
            feature = ++seen;
        }
        feature = -1;
        if (seen != count) {
            throw new BadRequestException("expected " + count + " features, got " + seen);
        }
        return values;
    }

    /** The character, counted from 1, at which the current token starts. */
    private int tokenAt() {
        return (int) parser.currentTokenLocation().getCharOffset() + 1;
    }

    /** What a token is, for messages. */
    private static String describe(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case END_ARRAY -> "']'";
            case END_OBJECT -> "'}'";
            default -> "'" + token.asString() + "'";
        };
    }

    private BadRequestException trailing(int at) {
        return new BadRequestException("unexpected " + found(at - 1) + " after the object at character " + at);
    }

    private BadRequestException tooLong() {
        String where = feature >= 0 ? "feature " + feature : "a number";
        return new BadRequestException(where + " is longer than " + MAX_NUMBER_CHARS + " characters");
    }

    /**
     * The refusal of text that is not JSON, at the character where Jackson stopped: which feature
     * it was reading, if any, and what it found there.
     */
    private BadRequestException invalid(JsonProcessingException e) {
        int offset = offsetOf(e);
        String message = e.getOriginalMessage() != null ? e.getOriginalMessage() : "";
        String nonStandard = "Non-standard token '";
        if (feature >= 0 && message.startsWith(nonStandard)) {
            // NaN, Infinity, -Infinity: Jackson stops after the token; name it where it starts.
            String token = message.substring(nonStandard.length(), message.indexOf('\'', nonStandard.length()));
            return new BadRequestException("feature " + feature + " at character "
                    + Math.max(1, offset - token.length() + 1) + " is " + Json.escape(token)
                    + ", which is not a JSON number; expected a number");
        }
        if (offset >= text.length()) {
            return new BadRequestException(
                    "invalid JSON: the body ends at character " + text.length() + " before the object is complete");
        }
        String where = feature >= 0 ? "feature " + feature + ": " : "";
        return new BadRequestException(
                where + "invalid JSON at character " + (offset + 1) + ", found " + found(offset) + reason(message));
    }

    /** Where Jackson stopped, as an offset into the text (0 to its length). */
    private int offsetOf(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        long offset = location != null
                ? location.getCharOffset()
                : parser.currentLocation().getCharOffset();
        return (int) Math.max(0, Math.min(offset, text.length()));
    }

    /** Jackson's reason in words of its own, without the parts that name Java settings. */
    private static String reason(String message) {
        if (message == null) {
            return "";
        } else if (message.startsWith("Non-standard token")) {
            return " (NaN and Infinity are not JSON numbers)";
        } else if (message.startsWith("Unrecognized token")) {
            return " (not a JSON value)";
        } else if (message.contains("Leading zeroes")) {
            return " (a number must not start with 0 followed by digits)";
        } else if (message.contains("plus sign")) {
            return " (a JSON number has no plus sign)";
        } else if (message.contains("Decimal point not followed by a digit")) {
            return " (expected a digit after the decimal point)";
        } else if (message.contains("Exponent indicator not followed by a digit")) {
            return " (expected a digit in the exponent)";
        } else if (message.contains("character escape")) {
            return " (not a JSON escape)";
        } else if (message.contains("CTRL-CHAR")) {
            return " (a control character must be escaped)";
        } else if (message.contains("was expecting double-quote to start field name")) {
            return " (expected a field name in double quotes)";
        } else if (message.contains("was expecting a colon")) {
            return " (expected ':')";
        } else if (message.contains("expected a valid value")) {
            return " (expected a value)";
        } else if (message.contains("was expecting comma")) {
            return " (expected ',' or the end of the array)";
        }
        return "";
    }

    /** The character at {@code offset}, quoted and escaped for a JSON reply. */
    private String found(int offset) {
        if (offset >= text.length()) {
            return "the end of the body";
        }
        return "'" + Json.escape(String.valueOf(text.charAt(offset))) + "'";
    }
}
