import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the double-precision twin of every runtime source that declares one, so that each pair
 * of float and double classes is written once. Run by the runtime's build before it compiles,
 * once for the main sources and once for the tests: {@code java runtime/src/build/Twins.java
 * <source root> <output root> [<other root>...]}. The classes twinned in the other roots (the
 * main sources, for the tests) are renamed too, but their twins are not written again.
 *
 * <p>A float source declares its twin with a line {@code // double twin: DoubleName}, which may
 * go on with a remark. The twin
 * is the source with these changes, in this order:
 * <ul>
 *   <li>lines between {@code // twin: float only} and {@code // twin: end} are left out;
 *   <li>lines between {@code // twin: double only} and {@code // twin: end} are float-side
 *       comments ({@code // } and the double code) and are taken as they are, uncommented; a
 *       double-only block may directly follow a float-only one, in place of its end, as an
 *       {@code else};
 *   <li>everywhere else: a cast {@code (float) } goes (with the parentheses it casts when they
 *       end a statement); float literals ({@code 0.5f}, {@code 1f}, {@code 1e-3f}) become double
 *       ones; the names of twinned classes (and {@code FloatVector}) become their twins' names;
 *       and the words {@code float}, {@code Float} and {@code floats} become {@code double},
 *       {@code Double} and {@code doubles}.
 * </ul>
 * The twin starts with a line saying which file to edit instead. A marker that is not closed,
 * or a twin that would come out identical to its source, stops the build with the file and line.
 */
public final class Twins {
    private static final Pattern DECLARATION = Pattern.compile("^\\s*// double twin: (\\w+)\\b.*$");
    private static final String FLOAT_ONLY = "// twin: float only";
    private static final String DOUBLE_ONLY = "// twin: double only";
    private static final String END = "// twin: end";
    /**
     * Pairs not written by this tool whose names a twin uses: classes kept apart by hand (their
     * code differs), the Vector API's float and double vectors, and the register blocks that
     * {@code Blocks.java} writes in both precisions.
     */
    private static final Map<String, String> HAND_WRITTEN =
            Map.of("ActivationMathF", "ActivationMathD", "FloatVector", "DoubleVector", "FloatBlocks", "DoubleBlocks");

    private static final Pattern FLOAT_LITERAL =
            Pattern.compile("(?<![\\w.])(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?[fF]\\b");
    private static final Pattern WORDS = Pattern.compile("\\b(float|Float|floats)\\b");

    private Twins() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: java Twins.java <source root> <output root> [<other root>...]");
        }
        Path sources = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Map<Path, String> twins = declarations(sources);
        Map<String, String> names = new LinkedHashMap<>(HAND_WRITTEN);
        for (int i = 2; i < args.length; i++) {
            declarations(Path.of(args[i])).forEach((file, twin) -> name(names, file, twin));
        }
        twins.forEach((file, twin) -> name(names, file, twin));
        Pattern renamed = Pattern.compile("\\b(" + String.join("|", names.keySet()) + ")\\b");
        for (Map.Entry<Path, String> entry : twins.entrySet()) {
            Path source = entry.getKey();
            String twin = entry.getValue();
            List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
            String text = twin(source, lines, renamed, names);
            Path target = output.resolve(sources.relativize(source)).resolveSibling(twin + ".java");
            Files.createDirectories(target.getParent());
            String header =
                    "// Generated from " + source.getFileName() + " by runtime/src/build/Twins.java: edit that file.\n";
            write(target, header + text);
        }
    }

    /**
     * Adds that the class of {@code file} is renamed {@code twin}; two classes of one name (in two
     * packages) must have twins of one name, as the renaming goes by simple names.
     */
    private static void name(Map<String, String> names, Path file, String twin) {
        String before = names.put(simpleName(file), twin);
        if (before != null && !before.equals(twin)) {
            throw new IllegalStateException(
                    file + ": its double twin is " + twin + ", but another " + simpleName(file) + "'s is " + before);
        }
    }

    /** The sources under {@code root} that declare a double twin, and their twins' names. */
    private static Map<Path, String> declarations(Path root) throws IOException {
        Map<Path, String> twins = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>)
                    files.filter(f -> f.toString().endsWith(".java")).sorted()::iterator) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    Matcher m = DECLARATION.matcher(line);
                    if (m.matches()) {
                        twins.put(file, m.group(1));
                    }
                }
            }
        }
        return twins;
    }

    /** The twin of {@code lines}, the source {@code file}. */
    static String twin(Path file, List<String> lines, Pattern renamed, Map<String, String> names) {
        StringBuilder out = new StringBuilder();
        String block = null;
        int opened = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String marker = line.strip();
            if (DECLARATION.matcher(line).matches()) {
                if (i + 1 < lines.size()
                        && lines.get(i + 1).isBlank()
                        && (i == 0 || lines.get(i - 1).isBlank())) {
                    i++; // and one of the blank lines around it
                }
                continue;
            }
            if (marker.equals(FLOAT_ONLY) || marker.equals(DOUBLE_ONLY)) {
                boolean otherwise = FLOAT_ONLY.equals(block) && marker.equals(DOUBLE_ONLY);
                if (block != null && !otherwise) {
                    throw new IllegalStateException(
                            file + ":" + (i + 1) + ": '" + marker + "' inside the block opened at line " + opened);
                }
                block = marker;
                opened = i + 1;
                continue;
            }
            if (marker.equals(END)) {
                if (block == null) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": '" + END + "' closes no block");
                }
                block = null;
                continue;
            }
            if (FLOAT_ONLY.equals(block)) {
                continue;
            }
            if (DOUBLE_ONLY.equals(block)) {
                out.append(uncomment(file, i + 1, line)).append('\n');
                continue;
            }
            out.append(convert(line, renamed, names)).append('\n');
        }
        if (block != null) {
            throw new IllegalStateException(file + ":" + opened + ": '" + block + "' is never closed by '" + END + "'");
        }
        String text = out.toString();
        if (text.equals(String.join("\n", lines) + "\n")) {
            throw new IllegalStateException(file + ": its double twin would be the same text");
        }
        return text;
    }

    /** A double-only line, written on the float side as {@code // code}. */
    private static String uncomment(Path file, int number, String line) {
        int slashes = line.indexOf("//");
        if (slashes < 0 || !line.substring(0, slashes).isBlank()) {
            throw new IllegalStateException(
                    file + ":" + number + ": a double-only line must be a '//' comment: " + line);
        }
        String rest = line.substring(slashes + 2);
        return line.substring(0, slashes) + (rest.startsWith(" ") ? rest.substring(1) : rest);
    }

    /** One line of float code as double code. */
    static String convert(String line, Pattern renamed, Map<String, String> names) {
        String s = dropCasts(line);
        s = FLOAT_LITERAL.matcher(s).replaceAll(m -> {
            String digits = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            boolean integral = m.group(1).indexOf('.') < 0 && m.group(2) == null;
            return Matcher.quoteReplacement(integral ? digits + ".0" : digits);
        });
        s = renamed.matcher(s).replaceAll(m -> names.get(m.group(1)));
        return WORDS.matcher(s).replaceAll(m -> switch (m.group(1)) {
            case "float" -> "double";
            case "Float" -> "Double";
            default -> "doubles";
        });
    }

    /**
     * Drops every {@code (float) } cast; where the cast applies to a parenthesised expression that
     * runs to the end of the statement, its parentheses go too.
     */
    private static String dropCasts(String line) {
        String cast = "(float) ";
        StringBuilder s = new StringBuilder(line);
        for (int at = s.indexOf(cast); at >= 0; at = s.indexOf(cast, at)) {
            s.delete(at, at + cast.length());
            if (at < s.length() && s.charAt(at) == '(') {
                int close = matching(s, at);
                if (close > 0 && s.substring(close + 1).strip().equals(";")) {
                    s.deleteCharAt(close);
                    s.deleteCharAt(at);
                }
            }
        }
        return s.toString();
    }

    /** The index of the parenthesis that closes the one at {@code open}, or -1 on this line. */
    private static int matching(CharSequence s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String simpleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    /** Writes {@code text} unless the file already holds it, so that the compiler sees no change. */
    private static void write(Path target, String text) throws IOException {
        if (Files.exists(target)
                && Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
            return;
        }
        try {
            Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
