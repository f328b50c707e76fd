package dev.chainrule.examples.serving;

/** The little JSON writing the scoring service needs: escaped strings and float arrays. */
final class Json {
    private Json() {}

    /** {@code text} with the characters JSON strings may not hold raw escaped, without quotes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@code "text"}, escaped. */
    static String quote(String text) {
        return '"' + escape(text) + '"';
    }

    /**
     * A JSON array of {@code values}, each written by {@link Float#toString(float)}: the shortest
     * decimal that reads back as the same float.
     *
     * @throws IllegalArgumentException if a value is NaN or infinite, which JSON cannot hold
     */
    static String array(float[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " is " + values[i] + ", which JSON cannot hold");
            }
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        return out.append(']').toString();
    }
}
