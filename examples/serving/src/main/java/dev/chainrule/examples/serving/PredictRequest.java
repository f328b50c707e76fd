package dev.chainrule.examples.serving;

/**
 * A strict parser for the one JSON shape the scoring service accepts, {@code {"features":[5.1,
 * 3.5, 1.4, 0.2]}}: an object with the single field {@code "features"} holding an array of
 * exactly as many JSON numbers as the model takes. Whitespace is allowed between tokens; nothing
 * else is. Each number is read as a {@code float} (rounded once, as {@link Float#parseFloat}
 * does) and must be finite there.
 *
 * <p>Every refusal is a {@link BadRequestException} whose message says what was wrong and at
 * which character (counted from 1), for example {@code expected 4 features, got 3} or {@code
 * feature 1 at character 18 is a string, expected a number}.
 */
final class PredictRequest {
    /** The one field a request has. */
    static final String FIELD = "features";

    private final String text;
    private int position;

    private PredictRequest(String text) {
        this.text = text;
    }

    /**
     * The features of the request {@code json}.
     *
     * @param count how many features the model takes
     * @throws BadRequestException if the text is not exactly the accepted shape
     */
    static float[] parse(String json, int count) throws BadRequestException {
        return new PredictRequest(json).request(count);
    }

    private float[] request(int count) throws BadRequestException {
        skipWhitespace();
        if (position == text.length()) {
            throw new BadRequestException("the body is empty; expected {\"" + FIELD + "\":[...]}");
        }
        expect('{', "an object {\"" + FIELD + "\":[...]}");
        skipWhitespace();
        if (peek() == '}') {
            throw new BadRequestException("missing field \"" + FIELD + "\"");
        }
        field();
        float[] features = features(count);
        skipWhitespace();
        if (peek() == ',') {
            position++;
            skipWhitespace();
            int at = position + 1;
            String name = string();
            throw new BadRequestException((name.equals(FIELD) ? "duplicate field \"" : "unknown field \"")
                    + Json.escape(name) + "\" at character " + at + "; the only field is \"" + FIELD + "\"");
        }
        expect('}', "',' or '}'");
        skipWhitespace();
        if (position < text.length()) {
            throw new BadRequestException("unexpected " + found() + " after the object at character " + (position + 1));
        }
        return features;
    }

    /** The field name, which must be {@link #FIELD}, and the colon after it. */
    private void field() throws BadRequestException {
        int at = position + 1;
        if (peek() != '"') {
            throw new BadRequestException("expected a field name in double quotes at character " + at + ", found "
                    + found());
        }
        String name = string();
        if (!name.equals(FIELD)) {
            throw new BadRequestException("unknown field \"" + Json.escape(name) + "\" at character " + at
                    + "; the only field is \"" + FIELD + "\"");
        }
        skipWhitespace();
        expect(':', "':'");
        skipWhitespace();
    }

    /** The array of numbers; counts every element, stores the first {@code count}. */
    private float[] features(int count) throws BadRequestException {
        expect('[', "an array of " + count + " numbers");
        float[] features = new float[count];
        int seen = 0;
        skipWhitespace();
        if (peek() == ']') {
            position++;
        } else {
            while (true) {
                skipWhitespace();
                float value = number(seen);
                if (seen < count) {
                    features[seen] = value;
                }
                seen++;
                skipWhitespace();
                if (peek() == ']') {
                    position++;
                    break;
                }
                expect(',', "',' or ']'");
            }
        }
        if (seen != count) {
            throw new BadRequestException("expected " + count + " features, got " + seen);
        }
        return features;
    }

    /** A JSON number, as a finite float. */
    private float number(int index) throws BadRequestException {
        int start = position;
        String where = "feature " + index + " at character " + (start + 1);
        char first = peek();
        if (first != '-' && !isDigit(first)) {
            throw new BadRequestException(where + " is " + describeValue() + ", expected a number");
        }
        if (first == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
            if (isDigit(peek())) {
                throw new BadRequestException(where + ": a number must not start with 0 followed by digits");
            }
        } else {
            digits(where, "after the sign");
        }
        if (peek() == '.') {
            position++;
            digits(where, "after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            digits(where, "in the exponent");
        }
        String literal = text.substring(start, position);
        float value = Float.parseFloat(literal);
        if (Float.isInfinite(value)) {
            throw new BadRequestException(where + ": " + literal + " is beyond the float range");
        }
        return value;
    }

    private void digits(String where, String place) throws BadRequestException {
        if (!isDigit(peek())) {
            throw new BadRequestException(where + ": expected a digit " + place + ", found " + found());
        }
        while (isDigit(peek())) {
            position++;
        }
    }

    /** What kind of value starts at the current position, for messages. */
    private String describeValue() {
        char c = peek();
        if (c == '"') {
            return "a string";
        } else if (c == '[') {
            return "an array";
        } else if (c == '{') {
            return "an object";
        } else if (text.startsWith("null", position)) {
            return "null";
        } else if (text.startsWith("true", position) || text.startsWith("false", position)) {
            return "a boolean";
        } else if (text.startsWith("NaN", position) || text.startsWith("Infinity", position)) {
            return text.charAt(position) == 'N' ? "NaN (not a JSON number)" : "Infinity (not a JSON number)";
        }
        return found();
    }

    /** A JSON string starting at the current quote, with its escapes decoded. */
    private String string() throws BadRequestException {
        int start = position + 1;
        expect('"', "'\"'");
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position == text.length()) {
                throw new BadRequestException("unterminated string starting at character " + start);
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new BadRequestException("control character " + Json.escape(String.valueOf(c))
                        + " in a string at character " + position);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = peek();
            position++;
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw new BadRequestException("invalid escape \\" + (e == 0 ? "" : Json.escape(String.valueOf(e)))
                        + " at character " + (position - 1));
            }
        }
    }

    private char unicodeEscape() throws BadRequestException {
        if (position + 4 > text.length()) {
            throw new BadRequestException("truncated \\u escape at character " + (position - 1));
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position + i), 16);
            if (digit < 0) {
                throw new BadRequestException("invalid \\u escape at character " + (position - 1));
            }
            value = value * 16 + digit;
        }
        position += 4;
        return (char) value;
    }

    private void expect(char c, String what) throws BadRequestException {
        if (peek() != c || position == text.length()) {
            throw new BadRequestException("expected " + what + " at character " + (position + 1) + ", found " + found());
        }
        position++;
    }

    /** The current character, or 0 at the end of the text. */
    private char peek() {
        return position < text.length() ? text.charAt(position) : 0;
    }

    private String found() {
        if (position >= text.length()) {
            return "the end of the body";
        }
        return "'" + Json.escape(String.valueOf(text.charAt(position))) + "'";
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
