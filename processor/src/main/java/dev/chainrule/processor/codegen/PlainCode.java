package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import javax.lang.model.element.Modifier;

/**
 * The plain-Java (no Vector API) arithmetic of a layer written as loops: its matrix products
 * shaped so that C2's auto-vectorizer (SuperWord) takes them.
 *
 * <p>C2 (JDK 17 to 25) vectorizes a loop like {@code y[j] += c * t[j]} only when every array
 * access in it is at an offset the compiler knows, with a constant trip count: a weight row read
 * at {@code p[W + i * OUT + j]}, or a row of a block written at {@code z[r * OUT + j]}, keeps the
 * loop scalar, two to three times slower. So the rows these loops add are copied into arrays at
 * fixed offsets: the model's {@code scratch}, eight rows of one width (weight rows, weight
 * columns), or one of its {@code deltaGroups} (eight delta rows of the block each). The rows they
 * add to are arrays of their own, the model's {@code plainRows}, read at offset 0: each block row
 * of a product's result, or one weight row's gradient at a time, is copied in once and out once
 * per product, not once per eight rows added. One helper per width, {@code addEightRows<width>},
 * adds the eight scaled rows to such a row in a single pass.
 *
 * <p>The eight rows are two groups of four, added as {@code (y + (four terms)) + (four
 * terms)}, and a group whose four multipliers are all zero is left out: exactly the sums, in
 * exactly the order, of adding one group of four at a time, so the results keep their bits.
 */
final class PlainCode {
    /**
     * The weight rows whose gradients {@code X^T D} holds in {@code plainRows} at once. One row
     * at a time read the block's delta groups (64 KiB for 32 rows of 512) from the L2 cache for
     * every row; eight rows of 512 and a group fit in the L1 cache together. A standalone loop
     * of 784 x 512 weight gradients over 64 rows on JDK 17 ran at 46-54 GFLOP/s one row at a time
     * and 69-72 GFLOP/s eight at a time (four: 67-71, sixteen: 64-68).
     */
    static final int GRADIENT_ROWS = 8;

    private final Plan.DensePlan plan;
    private final Scalar s;
    private final String name;
    private final String in;
    private final String out;
    private final String weights;

    PlainCode(Plan.DensePlan plan, Scalar scalar) {
        this.plan = plan;
        this.s = scalar;
        this.name = plan.name();
        this.in = Names.size(plan.input());
        this.out = plan.name();
        this.weights = Names.weights(name);
    }

    /** The widths this layer's plain methods add rows of: its units, and its inputs when it propagates a block. */
    List<Integer> widths(boolean batched) {
        return batched && plan.previous() != null ? List.of(plan.out(), plan.in()) : List.of(plan.out());
    }

    /** The name of the helper adding eight scaled scratch rows of {@code width} values. */
    static String addEightRows(int width) {
        return "addEightRows" + width;
    }

    /**
     * {@code a[j] += (c0 t[j] + .. + c3 t[3w + j]) + (c4 t[4w + j] + .. + c7 t[7w + j])} for
     * {@code j < w}, each group of four left out when its multipliers are all zero.
     */
    static MethodSpec addEightRowsMethod(int width, Scalar s) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(addEightRows(width))
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc(
                        "{@code a} += {@code c0} row 0 + ... + {@code c7} row 7 of {@code t}, rows of $L values, as two\n"
                                + "groups of four: {@code a[j] = (a[j] + (c0 t[j] + .. + c3 t[$L + j])) + (c4 t[$L + j] + .. +\n"
                                + "c7 t[$L + j])}, a group left out when its four multipliers are zero. Every offset and the\n"
                                + "bound are constants, which is what lets C2 vectorize the loops.\n",
                        width,
                        3 * width,
                        4 * width,
                        7 * width)
                .addParameter(s.array, "a")
                .addParameter(s.array, "t");
        for (int k = 0; k < 8; k++) {
            method.addParameter(s.type, "c" + k);
        }
        String target = "a[j]";
        return method.addStatement("boolean low = c0 != 0 || c1 != 0 || c2 != 0 || c3 != 0")
                .addStatement("boolean high = c4 != 0 || c5 != 0 || c6 != 0 || c7 != 0")
                .beginControlFlow("if (low && high)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", width)
                .addStatement("$L = ($L + ($L)) + ($L)", target, target, terms(width, 0), terms(width, 4))
                .endControlFlow()
                .nextControlFlow("else if (low)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", width)
                .addStatement("$L += $L", target, terms(width, 0))
                .endControlFlow()
                .nextControlFlow("else if (high)")
                .beginControlFlow("for (int j = 0; j < $L; j++)", width)
                .addStatement("$L += $L", target, terms(width, 4))
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** {@code c<first> t[first w + j] + .. + c<first + 3> t[(first + 3) w + j]}. */
    private static String terms(int width, int first) {
        StringBuilder terms = new StringBuilder();
        for (int k = first; k < first + 4; k++) {
            terms.append(k == first ? "" : " + ")
                    .append("c")
                    .append(k)
                    .append(" * t[")
                    .append(k == 0 ? "" : k * width + " + ")
                    .append("j]");
        }
        return terms.toString();
    }

    /**
     * The plain methods of this layer: the forward product (one row or a block) when the layer is
     * written as loops or the model is {@code batched}, the other block methods when it is batched.
     */
    List<MethodSpec> methods(boolean batched) {
        List<MethodSpec> methods = new ArrayList<>();
        if (any(batched)) {
            methods.add(forward());
        }
        if (batched) {
            methods.add(gradientRows());
            if (plan.previous() != null) {
                methods.add(propagateRows());
            }
        }
        return methods;
    }

    /** Whether {@link #methods} has anything for this layer. */
    boolean any(boolean batched) {
        return batched || !plan.unrolled();
    }

    static String plain(String method) {
        return method + "Plain";
    }

    /**
     * {@code Z += X W}. One row: the row in {@code plainRows[0]}, the weight rows eight at a time
     * in the scratch. A block: each row of {@code z} in its {@code plainRows} row, eight weight
     * rows copied into the scratch once, then added to each row of the block in turn, so the
     * weights stream from memory once per block rather than once per row. Eight inputs that are
     * all zero (after a ReLU, or an image's background) are skipped.
     */
    private MethodSpec forward() {
        return method(plain(Names.forward(name)))
                .addJavadoc(
                        "{@code z += X W} in plain Java for {@code rows} rows, row {@code r} of the input at\n"
                                + "{@code x[xo + r * xStride]} and of {@code z} at {@code r * $L}.\n",
                        out)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addParameter(s.array, "z")
                .addStatement("$T t = scratch", s.array)
                .beginControlFlow("if (rows == 1)")
                .addStatement("$T a = plainRows[0]", s.array)
                .addStatement("$T.arraycopy(z, 0, a, 0, $L)", System.class, out)
                .beginControlFlow("for (int i = 0; i < $L; i += 8)", in)
                .addStatement("int n = $T.min(8, $L - i)", Math.class, in)
                .addStatement("int xr = xo + i")
                .addCode(coefficients(k -> k == 0 ? "x[xr]" : "x[xr + " + k + "]"))
                .beginControlFlow("if ($L)", anyNonZero())
                .addCode(copyRows("params", weights + " + i * " + out, out))
                .addStatement("$L(a, t, c0, c1, c2, c3, c4, c5, c6, c7)", addEightRows(plan.out()))
                .endControlFlow()
                .endControlFlow()
                .addStatement("$T.arraycopy(a, 0, z, 0, $L)", System.class, out)
                .addStatement("return")
                .endControlFlow()
                .addCode(rowsIn("z", out))
                .beginControlFlow("for (int i = 0; i < $L; i += 8)", in)
                .addStatement("int n = $T.min(8, $L - i)", Math.class, in)
                .addCode(copyRows("params", weights + " + i * " + out, out))
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int xr = xo + r * xStride + i")
                .addCode(coefficients(k -> k == 0 ? "x[xr]" : "x[xr + " + k + "]"))
                .beginControlFlow("if ($L)", anyNonZero())
                .addStatement("$L(plainRows[r], t, c0, c1, c2, c3, c4, c5, c6, c7)", addEightRows(plan.out()))
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addCode(rowsOut("z", out))
                .build();
    }

    /**
     * {@code dW += X^T D}: the block's delta rows, eight to a group, in {@code deltaGroups}; then
     * the weight rows' gradients eight at a time, {@link #GRADIENT_ROWS}, in {@code plainRows[0]}
     * to {@code plainRows[7]}, each group added to each of the eight in turn, so that a group stays
     * in the L1 cache for eight rows rather than one. The additions to each gradient are in the
     * groups' order, as when one row went through every group at a time; a row whose inputs are
     * all zero is neither copied in nor out.
     */
    private MethodSpec gradientRows() {
        String dRows = Names.rows(Names.delta(name));
        return method(plain(Names.rows(Names.gradient(name))))
                .addJavadoc(
                        "{@code dW += X^T D} in plain Java, into {@code g}: the rows of {@code $L} eight to a\n"
                                + "group, each group added to eight weight rows' gradients in turn, scaled by the rows'\n"
                                + "inputs.\n",
                        dRows)
                .addParameter(s.array, "g")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addStatement("int groups = (rows + 7) / 8")
                .beginControlFlow("for (int q = 0; q < groups; q++)")
                .addStatement("int n = $T.min(8, rows - 8 * q)", Math.class)
                .addStatement("$T.arraycopy($L, 8 * q * $L, deltaGroups[q], 0, n * $L)", System.class, dRows, out, out)
                .beginControlFlow("if (n < 8)")
                .addStatement("$T.fill(deltaGroups[q], n * $L, 8 * $L, 0)", Arrays.class, out, out)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int i0 = 0; i0 < $L; i0 += $L)", in, GRADIENT_ROWS)
                .addStatement("int m = $T.min($L, $L - i0)", Math.class, GRADIENT_ROWS, in)
                .addComment("bit k: weight row i0 + k's gradient is in plainRows[k]")
                .addStatement("int loaded = 0")
                .beginControlFlow("for (int q = 0; q < groups; q++)")
                .addStatement("int n = $T.min(8, rows - 8 * q)", Math.class)
                .addStatement("int x0 = xo + 8 * q * xStride")
                .addStatement("$T t = deltaGroups[q]", s.array)
                .beginControlFlow("for (int k = 0; k < m; k++)")
                .addStatement("int i = i0 + k")
                .addCode(coefficients(
                        k -> "x[x0 + " + (k == 0 ? "" : k == 1 ? "xStride + " : k + " * xStride + ") + "i]"))
                .beginControlFlow("if ($L)", anyNonZero())
                .beginControlFlow("if ((loaded & (1 << k)) == 0)")
                .addStatement("$T.arraycopy(g, $L + i * $L, plainRows[k], 0, $L)", System.class, weights, out, out)
                .addStatement("loaded |= 1 << k")
                .endControlFlow()
                .addStatement("$L(plainRows[k], t, c0, c1, c2, c3, c4, c5, c6, c7)", addEightRows(plan.out()))
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int k = 0; k < m; k++)")
                .beginControlFlow("if ((loaded & (1 << k)) != 0)")
                .addStatement(
                        "$T.arraycopy(plainRows[k], 0, g, $L + (i0 + k) * $L, $L)", System.class, weights, out, out)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /**
     * {@code D' = D W^T} before the activation's derivative: each row of {@code D'} in its {@code
     * plainRows} row, zeroed; eight weight columns gathered into scratch rows 0 to 7, added to
     * each row scaled by that row's deltas.
     */
    private MethodSpec propagateRows() {
        String dRows = Names.rows(Names.delta(name));
        String dPrevRows = Names.rows(Names.delta(plan.previous().name()));
        MethodSpec.Builder method = method(plain(Names.rows(Names.propagate(name))))
                .addJavadoc(
                        "{@code $L = $L W^T} in plain Java for {@code rows} rows: eight columns of {@code W}\n"
                                + "gathered into the scratch, added to each row scaled by its deltas.\n",
                        dPrevRows,
                        dRows)
                .addParameter(int.class, "rows")
                .addStatement("$T p = params", s.array)
                .addStatement("$T t = scratch", s.array)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.fill(plainRows[r], 0, $L, 0)", Arrays.class, in)
                .endControlFlow()
                .beginControlFlow("for (int j = 0; j < $L; j += 8)", out)
                .addStatement("int n = $T.min(8, $L - j)", Math.class, out)
                .addComment("columns j .. j + n - 1 of W into scratch rows 0 .. n - 1; zeros in the others")
                .beginControlFlow("for (int i = 0; i < $L; i++)", in)
                .addStatement("int w = $L + i * $L + j", weights, out)
                .addStatement("t[i] = p[w]");
        for (int k = 1; k < 8; k++) {
            method.addStatement("t[$L * $L + i] = n > $L ? p[w + $L] : 0", k, in, k, k);
        }
        return method.endControlFlow()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int dr = r * $L + j", out)
                .addCode(coefficients(k -> dRows + "[dr" + (k == 0 ? "" : " + " + k) + "]"))
                .beginControlFlow("if ($L)", anyNonZero())
                .addStatement("$L(plainRows[r], t, c0, c1, c2, c3, c4, c5, c6, c7)", addEightRows(plan.in()))
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .addCode(rowsOut(dPrevRows, in))
                .build();
    }

    // ---- pieces -------------------------------------------------------------------------------

    /** Copies {@code n} (at most eight) rows of {@code width} from {@code source[from ..]} into scratch rows 0 .. n - 1, zeros after them. */
    private static CodeBlock copyRows(String source, String from, String width) {
        return CodeBlock.builder()
                .addStatement("$T.arraycopy($L, $L, t, 0, n * $L)", System.class, source, from, width)
                .beginControlFlow("if (n < 8)")
                .addStatement("$T.fill(t, n * $L, 8 * $L, 0)", Arrays.class, width, width)
                .endControlFlow()
                .build();
    }

    /** {@code c0 .. c7}: row {@code k}'s multiplier {@code value(k)} when {@code k < n}, zero otherwise. */
    private CodeBlock coefficients(IntFunction<String> value) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T c0 = $L", s.type, value.apply(0));
        for (int k = 1; k < 8; k++) {
            code.addStatement("$T c$L = n > $L ? $L : 0", s.type, k, k, value.apply(k));
        }
        return code.build();
    }

    /** Whether any of {@code c0 .. c7} is non-zero. */
    private static String anyNonZero() {
        StringBuilder test = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            test.append(k == 0 ? "" : " || ").append("c").append(k).append(" != 0");
        }
        return test.toString();
    }

    /** Copies each of the block's {@code rows} rows of {@code width} at {@code target[r * width]} into {@code plainRows[r]}. */
    private static CodeBlock rowsIn(String target, String width) {
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.arraycopy($L, r * $L, plainRows[r], 0, $L)", System.class, target, width, width)
                .endControlFlow()
                .build();
    }

    /** Copies {@code plainRows[r]} back to {@code target[r * width]}, for each of the block's {@code rows} rows. */
    private static CodeBlock rowsOut(String target, String width) {
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.arraycopy(plainRows[r], 0, $L, r * $L, $L)", System.class, target, width, width)
                .endControlFlow()
                .build();
    }

    private static MethodSpec.Builder method(String name) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE);
    }
}
