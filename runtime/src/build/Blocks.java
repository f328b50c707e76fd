import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the register blocks of the Vector API's matrix products, {@code FloatBlocks} and {@code
 * DoubleBlocks} in {@code dev.chainrule.kernel.vector}, so that each block is written once for
 * every size and both precisions. Run by the runtime's build before it compiles: {@code java
 * runtime/src/build/Blocks.java <output root>}.
 *
 * <p>A block keeps {@code 2n} accumulators, two vectors of results for each of {@code n} rows, in
 * local variables: C2 holds them in vector registers only as long as they are locals, not array
 * elements, so every size is unrolled in full. Each step of the shared dimension loads two
 * vectors and feeds each of the {@code n} broadcasts into two multiply-adds, in the order of the
 * rows: the order of every sum, and so the bits of every result, depends only on that. Two
 * families share the shape:
 * <ul>
 *   <li>{@code multiply<n>}: {@code z[q][0 .. 2v) += sum_i x[q][i] w[i][0 .. 2v)}, the rows
 *       {@code q} of a batch, for {@code X W};
 *   <li>{@code gradient<n>}: {@code g[q][0 .. 2v) += sum_r x[r][q] d[r][0 .. 2v)}, the inputs
 *       {@code q} of a layer, for {@code X^T D}.
 * </ul>
 */
public final class Blocks {
    /** The sizes written: 12 and 8 for 32 vector registers, 6 and 5 for 16, 4 for the rest. */
    private static final List<Integer> SIZES = List.of(12, 8, 6, 5, 4);

    private static final String[] NUMBERS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"
    };

    /**
     * A family of blocks: its loop over the shared dimension and where its rows are. In {@code
     * broadcast}, {@code #} stands for the offset of row {@code q}: {@code q * rowStep}, or {@code q}
     * where {@code rowStep} is empty.
     */
    private record Family(
            String name,
            String formula,
            String rowWord,
            String parameters,
            String loop,
            List<String> loopHeader,
            String source,
            String offset,
            String broadcast,
            String rowStep,
            String accumulators,
            String accumulatorStep,
            String where) {

        /** The element that row {@code q} broadcasts in one step of the loop. */
        String element(int q) {
            return broadcast.replace("#", q == 0 ? "" : " + " + term(q, rowStep));
        }

        /** Where row {@code q} of the accumulators starts. */
        String row(int q) {
            return q == 0 ? accumulators : accumulators + " + " + term(q, accumulatorStep);
        }

        /** The array the accumulators come from and go back to. */
        String array() {
            return accumulators.substring(0, 1);
        }
    }

    private static final Family MULTIPLY = new Family(
            "multiply",
            "{@code z[q][0 .. 2v) += sum_i x[q][i] w[i][0 .. 2v)}",
            "rows",
            "int in, int out, $[] x, int x0, int xStride, $[] w, int w0, $[] z, int z0, int zStride",
            "for (int i = 0; i < in; i++) {",
            List.of("int wi = w0 + i * out;"),
            "w",
            "wi",
            "x[x0# + i]",
            "xStride",
            "z0",
            "zStride",
            "Row {@code q} of {@code x} starts at {@code x0 + q * xStride}, of {@code z} at {@code z0 + q *"
                    + " zStride}; row {@code i} of {@code w} at {@code w0 + i * out}.");

    private static final Family GRADIENT = new Family(
            "gradient",
            "{@code g[q][0 .. 2v) += sum_r x[r][q] d[r][0 .. 2v)}",
            "inputs",
            "int rows, int out, $[] x, int x0, int xStride, $[] d, int d0, int dStride, $[] g, int g0",
            "for (int r = 0; r < rows; r++) {",
            List.of("int xr = x0 + r * xStride;", "int dr = d0 + r * dStride;"),
            "d",
            "dr",
            "x[xr#]",
            "",
            "g0",
            "out",
            "Element {@code x[r][q]} is at {@code x0 + r * xStride + q}, row {@code r} of {@code d} at"
                    + " {@code d0 + r * dStride}, row {@code q} of {@code g} at {@code g0 + q * out}.");

    private Blocks() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java Blocks.java <output root>");
        }
        Path directory = Path.of(args[0], "dev", "chainrule", "kernel", "vector");
        Files.createDirectories(directory);
        for (String precision : List.of("float", "double")) {
            String vector = capitalized(precision) + "Vector";
            String name = capitalized(precision) + "Blocks";
            String text = blocks(precision, vector, name);
            Path target = directory.resolve(name + ".java");
            if (!Files.exists(target)
                    || !Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
                Files.writeString(target, text, StandardCharsets.UTF_8);
            }
        }
    }

    private static String blocks(String precision, String vector, String name) {
        StringBuilder out = new StringBuilder();
        out.append("// Generated by runtime/src/build/Blocks.java: edit that file.\n");
        out.append("package dev.chainrule.kernel.vector;\n\n");
        out.append("import jdk.incubator.vector.").append(vector).append(";\n");
        out.append("import jdk.incubator.vector.VectorSpecies;\n\n");
        String doc = "The register blocks of the " + precision + " kernels' matrix products: two vectors of"
                + " results ({@code v} lanes each) for each of a few rows, kept in registers over the whole"
                + " shared dimension. Which sizes run where is the kernels' choice.";
        out.append("/**\n").append(wrapped(doc, " * ")).append(" */\n");
        out.append("final class ").append(name).append(" {\n");
        new Code(out, vector)
                .line(4, "private static final VectorSpecies<%s> S = V.SPECIES_PREFERRED;\n", capitalized(precision));
        out.append("    private ").append(name).append("() {}\n");
        for (Family family : List.of(MULTIPLY, GRADIENT)) {
            for (int n : SIZES) {
                out.append('\n');
                block(out, family, n, precision, vector);
            }
        }
        out.append("}\n");
        return out.toString();
    }

    /** The two vectors of a row: their names' stems and offsets from the row's start. */
    private static final List<String> HALVES = List.of("lo", "hi");

    private static final List<String> OFFSETS = List.of("", " + v");

    private static void block(StringBuilder out, Family f, int n, String precision, String vector) {
        String doc = f.formula() + " for " + NUMBERS[n] + ' ' + f.rowWord() + " {@code q}: " + 2 * n + " accumulators. "
                + f.where();
        out.append("    /**\n").append(wrapped(doc, "     * ")).append("     */\n");
        Code code = new Code(out, vector);
        code.line(4, "static void %s%d(", f.name(), n);
        code.line(12, "%s) {", f.parameters().replace("$", precision));
        code.line(8, "int v = S.length();");
        for (int q = 0; q < n; q++) {
            for (int h = 0; h < 2; h++) {
                code.line(
                        8, "V %s%d = V.fromArray(S, %s, %s);", HALVES.get(h), q, f.array(), f.row(q) + OFFSETS.get(h));
            }
        }
        code.line(8, f.loop());
        for (String header : f.loopHeader()) {
            code.line(12, header);
        }
        for (int h = 0; h < 2; h++) {
            code.line(12, "V u%d = V.fromArray(S, %s, %s);", h, f.source(), f.offset() + OFFSETS.get(h));
        }
        code.line(12, "V b;");
        for (int q = 0; q < n; q++) {
            code.line(12, "b = V.broadcast(S, %s);", f.element(q));
            for (int h = 0; h < 2; h++) {
                code.line(12, "%s%d = u%d.fma(b, %1$s%2$d);", HALVES.get(h), q, h);
            }
        }
        code.line(8, "}");
        for (int q = 0; q < n; q++) {
            for (int h = 0; h < 2; h++) {
                code.line(8, "%s%d.intoArray(%s, %s);", HALVES.get(h), q, f.array(), f.row(q) + OFFSETS.get(h));
            }
        }
        code.line(4, "}");
    }

    /** Lines of code in which the word {@code V} is the vector class. */
    private record Code(StringBuilder out, String vector) {
        /** One line, indented by {@code indent} spaces. */
        void line(int indent, String format, Object... arguments) {
            String text = String.format(format.replaceAll("\\bV\\b", vector), arguments);
            out.append(" ".repeat(indent)).append(text).append('\n');
        }
    }

    /** {@code q * stride} as the kernels write it: {@code stride} alone for one, {@code q} alone for a unit stride. */
    private static String term(int q, String stride) {
        if (stride.isEmpty()) {
            return Integer.toString(q);
        }
        return q == 1 ? stride : q + " * " + stride;
    }

    /** {@code text} in lines of at most 100 characters, each starting with {@code prefix}. */
    private static String wrapped(String text, String prefix) {
        StringBuilder lines = new StringBuilder();
        StringBuilder line = new StringBuilder(prefix.stripTrailing());
        for (String word : text.split(" ")) {
            if (line.length() + 1 + word.length() > 100) {
                lines.append(line).append('\n');
                line = new StringBuilder(prefix.stripTrailing());
            }
            line.append(' ').append(word);
        }
        return lines.append(line).append('\n').toString();
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
