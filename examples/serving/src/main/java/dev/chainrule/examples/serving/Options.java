package dev.chainrule.examples.serving;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Command line options of the form {@code --name value}, checked against the names a program knows. */
final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Reads {@code args} as pairs of a name and a value.
     *
     * @throws IllegalArgumentException if a name is not one of {@code known}, repeats, or has no value
     */
    static Options parse(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; the options are " + known);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            if (values.put(name, args[i + 1]) != null) {
                throw new IllegalArgumentException("option " + name + " is given twice");
            }
        }
        return new Options(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The option as an int of at least 0. */
    int getInt(String name, int fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "option " + name + " is " + text + ", expected a whole number of at least 0");
    }
}
