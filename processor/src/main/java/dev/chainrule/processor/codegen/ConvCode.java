package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Window;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The code of a two-dimensional convolution, as matrix products on the runtime's kernels over a
 * patch matrix (im2col). With {@code K = channels x kh x kw} values per kernel and {@code P =
 * height' x width'} output positions per channel, the forward pass copies the input's patches
 * into the {@code K x P} matrix {@code col} (row {@code (c, i, j)}, column {@code (y, x)} holds
 * {@code in[c][y s_h + i - p_top][x s_w + j - p_left]}, zero in the padding) and computes {@code
 * z = b + W col}, {@code W} the {@code filters x K} kernels in their PyTorch order. The backward
 * pass adds {@code dW += d col^T} and {@code db += d 1}, then carries the delta back as {@code
 * dcol = W^T d}, scattered into the input's positions (col2im).
 */
final class ConvCode extends ImageLayerCode {
    private static final ClassName CONV_SPEC = ClassName.get("dev.chainrule", "LayerSpec", "Conv2DSpec");
    private static final ClassName PADDING = ClassName.get("dev.chainrule", "Padding");
    private final Plan.ConvPlan plan;
    private final LayerSpec.Conv2DSpec spec;
    private final Window rows;
    private final Window columns;
    private final String z;
    private final String col;
    private final String dcol;
    private final String weights;
    private final String biases;
    private final int k;
    private final int p;

    ConvCode(Plan.ConvPlan plan, LayerCode previous, Scalar s) {
        super(plan.layer(), plan.input(), previous, s, plan.in(), plan.out());
        this.plan = plan;
        this.spec = plan.spec();
        this.rows = spec.rows(in);
        this.columns = spec.columns(in);
        this.z = spec.activation() == Activation.IDENTITY ? a : Names.preActivation(name);
        this.col = Names.columns(name);
        this.dcol = Names.columnDeltas(name);
        this.weights = Names.weights(name);
        this.biases = Names.biases(name);
        this.k = plan.patch();
        this.p = plan.positions();
    }

    @Override
    public String describe() {
        return "layer " + name + ": conv2d " + shapes() + ", " + spec.kernelHeight() + "x" + spec.kernelWidth()
                + " stride " + spec.strideHeight() + "x" + spec.strideWidth() + " pad " + rows.padBefore() + ","
                + rows.padAfter()
                + " x " + columns.padBefore() + "," + columns.padAfter() + ", "
                + spec.activation().label();
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of(
                "new $T($S, $L, $T.$L, $L, $L, $L, $L, $T.$L, $L, $L)",
                CONV_SPEC,
                name,
                name,
                ModelGenerator.ACTIVATION,
                spec.activation().name(),
                spec.kernelHeight(),
                spec.kernelWidth(),
                spec.strideHeight(),
                spec.strideWidth(),
                PADDING,
                spec.padding().name(),
                spec.padHeight(),
                spec.padWidth());
    }

    @Override
    List<FieldSpec> parameterConstants() {
        return List.of(
                ModelGenerator.intConstant(
                        weights,
                        plan.weights(),
                        "Offset of layer " + name + "'s " + out.channels() + " x "
                                + in.channels() + " x " + spec.kernelHeight() + " x " + spec.kernelWidth()
                                + " kernels in the parameter array, as [filters][channels][kh][kw]: weight (f, c, i, j) is at {@code "
                                + weights + " + ((f * " + in.channels() + " + c) * " + spec.kernelHeight() + " + i) * "
                                + spec.kernelWidth() + " + j}."),
                ModelGenerator.intConstant(
                        biases,
                        plan.biases(),
                        "Offset of layer " + name + "'s " + out.channels()
                                + " biases, one per filter, in the parameter array."));
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        if (!z.equals(a)) {
            fields.add(buffer(z, out.size(), "Layer " + name + "'s pre-activation z, " + out.describe() + "."));
        }
        fields.addAll(outputBuffers(batched));
        fields.add(buffer(
                col, k * p, "Layer " + name + "'s input patches: " + k + " kernel values x " + p + " positions."));
        fields.add(buffer(
                kernelGradient(),
                out.channels() * k,
                "The gradient of layer " + name + "'s kernels for a sample or block."));
        if (previous != null) {
            fields.add(buffer(dcol, k * p, "The gradient of layer " + name + "'s input patches."));
        }
        if (batched) {
            if (!z.equals(a)) {
                fields.add(rowsBuffer(z, out.size(), "Layer " + name + "'s pre-activations for a block of rows."));
            }
            String columns = "BLOCK_ROWS * " + p;
            fields.add(vectorBuffer(
                    Names.rows(col),
                    k + " * " + columns,
                    "The patches of a block of rows: " + k + " kernel values x (rows x " + p
                            + " positions), the positions of row r from column r x " + p + "."));
            fields.add(vectorBuffer(
                    transposed(),
                    out.channels() + " * " + columns,
                    "A block's pre-activations, then its "
                            + "deltas, filter by filter: filter f's values for row r from column r x " + p + "."));
            fields.add(plainTwin(Names.rows(col), Integer.toString(k), columns, "The patches of a block of rows."));
            fields.add(plainTwin(
                    Names.rows(col) + "T",
                    columns,
                    Integer.toString(k),
                    "The patches of a block of rows, one array per position (im2row), for the kernel gradients."));
            fields.add(plainTwin(
                    transposed(),
                    Integer.toString(out.channels()),
                    columns,
                    "A block's pre-activations, then its deltas, one array per filter."));
            fields.add(plainTwin(
                    kernelGradient(),
                    Integer.toString(out.channels()),
                    Integer.toString(k),
                    "A block's kernel gradients, one array per filter."));
            if (previous != null) {
                fields.add(vectorBuffer(Names.rows(dcol), k + " * " + columns, "The gradient of a block's patches."));
                fields.add(plainTwin(
                        Names.rows(dcol), Integer.toString(k), columns, "The gradient of a block's patches."));
            }
        }
        return fields;
    }

    /** A block buffer of {@code size} values for the Vector API kernels, row after row; empty on the plain-Java path. */
    private FieldSpec vectorBuffer(String field, String size, String javadoc) {
        return FieldSpec.builder(s.array, field, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L On the Vector API path only.\n", javadoc)
                .initializer("$T.VECTOR_API ? new $T[$L] : new $T[0]", ModelGenerator.KERNELS, s.type, size, s.type)
                .build();
    }

    /** The plain-Java path's twin of a block buffer, one array per row. */
    private FieldSpec plainTwin(String field, String rows, String columns, String javadoc) {
        return FieldSpec.builder(ArrayTypeName.of(s.array), plain(field), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L On the plain-Java path only, one array per row.\n", javadoc)
                .initializer(
                        "$T.VECTOR_API ? new $T[0][] : new $T[$L][$L]",
                        ModelGenerator.KERNELS,
                        s.type,
                        s.type,
                        rows,
                        columns)
                .build();
    }

    private static String plain(String field) {
        return field + "Plain";
    }

    /** The block buffer laid out filter by filter ({@code [f][r][p]}), as the matrix products see a block. */
    private String transposed() {
        return "t" + Names.camel(name) + "Rows";
    }

    @Override
    public CodeBlock initialise() {
        int area = spec.kernelHeight() * spec.kernelWidth();
        return CodeBlock.of(
                "$T.block(params, $L, $L, $L, $L, $L, $L, $L, random);\n",
                ModelGenerator.INITIALIZERS,
                weights,
                out.channels() * k,
                k,
                out.channels() * area,
                biases,
                out.channels(),
                spec.activation().isRectifier());
    }

    @Override
    public CodeBlock backward(String x, String xo) {
        return CodeBlock.builder()
                .addStatement("$L(g, go)", Names.gradient(name))
                .add(propagateCall())
                .build();
    }

    @Override
    public String preActivation() {
        return z;
    }

    @Override
    public Activation activationFunction() {
        return spec.activation();
    }

    @Override
    public CodeBlock backFactor(String suffix, String index) {
        return s.derivative(spec.activation(), z + suffix + index, a + suffix + index);
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardMethod());
        methods.add(gradientMethod());
        if (previous != null) {
            methods.add(propagateMethod());
        }
        return methods;
    }

    private MethodSpec forwardMethod() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add(
                        "// patches: $L[(c * $L + i) * $L + j][y * $L + x] = in[c][y * $L + i - $L][x * $L + j - $L], 0 outside\n",
                        col,
                        spec.kernelHeight(),
                        spec.kernelWidth(),
                        out.width(),
                        rows.stride(),
                        rows.padBefore(),
                        columns.stride(),
                        columns.padBefore())
                .add(overPatches(false, Integer.toString(p), "", "x", "xo", col, dcol))
                .addStatement("$T p = params", s.array)
                .add("// $L[f][..] = b[f] + sum over k of W[f][k] $L[k][..]\n", z, col)
                .beginControlFlow("for (int f = 0; f < $L; f++)", out.channels())
                .addStatement("$T.fill($L, f * $L, (f + 1) * $L, p[$L + f])", Arrays.class, z, p, p, biases)
                .endControlFlow()
                .addStatement(
                        "$T.multiply($L, $L, $L, p, $L, $L, $L, 0, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        out.channels(),
                        k,
                        p,
                        weights,
                        k,
                        col,
                        z,
                        p);
        if (spec.activation() == Activation.IDENTITY) {
            code.add("// identity: $L is $L\n", a, z);
        } else {
            code.beginControlFlow("for (int e = 0; e < $L; e++)", out.size())
                    .addStatement("$L[e] = $T.$L($L[e])", a, s.activations, Scalar.function(spec.activation()), z)
                    .endControlFlow();
        }
        return privateMethod(Names.forward(name))
                .addJavadoc(
                        "Layer $L ($L): {@code $L = b + W col(x)}, {@code $L = $L($L)}, for the input at {@code x[xo ..]}.\n",
                        name,
                        describe().substring(describe().indexOf(':') + 2),
                        z,
                        a,
                        spec.activation().label(),
                        z)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addCode(code.build())
                .build();
    }

    /**
     * The loops over every kernel value {@code (c, i, j)} and output row {@code y} that visit the
     * input's patches: copying them from {@code image[xo ..]} into {@code col} ({@code back} false)
     * or adding {@code dcol} back into {@code image} from {@code xo} ({@code back} true). A patch
     * matrix row holds {@code stride} values, this sample's from {@code column} on. With a column
     * stride of 1 a patch row is one contiguous run of the input, copied whole.
     */
    private CodeBlock overPatches(
            boolean back, String stride, String column, String image, String xo, String col, String dcol) {
        return overPatches(back, stride, column, image, xo, col, dcol, false);
    }

    /**
     * {@link #overPatches(boolean, String, String, String, String, String, String)}, with {@code
     * twoD} over patch matrices kept as one array per row ({@code col[k][..]}), as the plain-Java
     * products need them.
     */
    private CodeBlock overPatches(
            boolean back,
            String stride,
            String column,
            String image,
            String xo,
            String col,
            String dcol,
            boolean twoD) {
        String x = image;
        String target = image;
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .beginControlFlow("for (int i = 0; i < $L; i++)", spec.kernelHeight())
                .beginControlFlow("for (int j = 0; j < $L; j++)", spec.kernelWidth());
        if (twoD) {
            code.addStatement(
                            "$T[] ck = $L[(c * $L + i) * $L + j]",
                            s.type,
                            back ? dcol : col,
                            spec.kernelHeight(),
                            spec.kernelWidth())
                    .addStatement("int row = 0$L", column);
            col = "ck";
            dcol = "ck";
        } else {
            code.addStatement(
                    "int row = ((c * $L + i) * $L + j) * $L$L",
                    spec.kernelHeight(),
                    spec.kernelWidth(),
                    stride,
                    column);
        }
        code.beginControlFlow("for (int y = 0; y < $L; y++)", out.height())
                .addStatement("int iy = y * $L + i - $L", rows.stride(), rows.padBefore())
                .addStatement("int to = row + y * $L", out.width());
        if (back) {
            code.beginControlFlow("if (iy < 0 || iy >= $L)", in.height())
                    .addStatement("continue")
                    .endControlFlow();
        } else {
            code.beginControlFlow("if (iy < 0 || iy >= $L)", in.height())
                    .addStatement("$T.fill($L, to, to + $L, 0)", Arrays.class, col, out.width())
                    .addStatement("continue")
                    .endControlFlow();
        }
        code.add("// input column of output column 0 (it may lie in the padding)\n")
                .addStatement(
                        "int from = $L + (c * $L + iy) * $L + j - $L",
                        xo,
                        in.height(),
                        in.width(),
                        columns.padBefore());
        if (columns.stride() == 1) {
            code.addStatement(
                            "int lo = $T.min($L, $T.max(0, $L - j))",
                            Math.class,
                            out.width(),
                            Math.class,
                            columns.padBefore())
                    .addStatement(
                            "int hi = $T.max(lo, $T.min($L, $L - j))",
                            Math.class,
                            Math.class,
                            out.width(),
                            in.width() + columns.padBefore());
            if (back) {
                code.beginControlFlow("for (int e = lo; e < hi; e++)")
                        .addStatement("$L[from + e] += $L[to + e]", target, dcol)
                        .endControlFlow();
            } else {
                code.addStatement("$T.fill($L, to, to + lo, 0)", Arrays.class, col)
                        .addStatement("$T.arraycopy($L, from + lo, $L, to + lo, hi - lo)", System.class, x, col)
                        .addStatement("$T.fill($L, to + hi, to + $L, 0)", Arrays.class, col, out.width());
            }
        } else {
            code.beginControlFlow("for (int e = 0; e < $L; e++)", out.width())
                    .addStatement("int ix = e * $L + j - $L", columns.stride(), columns.padBefore());
            if (back) {
                code.beginControlFlow("if (ix >= 0 && ix < $L)", in.width())
                        .addStatement("$L[from + e * $L] += $L[to + e]", target, columns.stride(), dcol)
                        .endControlFlow();
            } else {
                code.addStatement(
                        "$L[to + e] = ix >= 0 && ix < $L ? $L[from + e * $L] : 0",
                        col,
                        in.width(),
                        x,
                        columns.stride());
            }
            code.endControlFlow();
        }
        return code.endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec gradientMethod() {
        return privateMethod(Names.gradient(name))
                .addJavadoc(
                        "Adds layer $L's parameter gradients to {@code g[go ..]}: {@code dW[f][k] += sum_p d[f][p] col[k][p]},\n"
                                + "{@code db[f] += sum_p d[f][p]}, with {@code d = $L} and the patches {@link #$L} left in {@code $L}.\n",
                        name,
                        d,
                        Names.forward(name),
                        col)
                .addParameter(s.array, "g")
                .addParameter(int.class, "go")
                .beginControlFlow("for (int f = 0; f < $L; f++)", out.channels())
                .addStatement("$T sum = 0", s.type)
                .beginControlFlow("for (int e = f * $L; e < (f + 1) * $L; e++)", p, p)
                .addStatement("sum += $L[e]", d)
                .endControlFlow()
                .addStatement("g[go + $L + f] += sum", biases)
                .endControlFlow()
                .addComment("$L = d col^T, then added to the kernels' gradients", kernelGradient())
                .addStatement(
                        "$T.multiplyTransposedRight($L, $L, $L, $L, 0, $L, $L, 0, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        out.channels(),
                        k,
                        p,
                        d,
                        p,
                        col,
                        kernelGradient(),
                        k)
                .addStatement(
                        "$T.axpy(1, $L, 0, g, go + $L, $L)",
                        ModelGenerator.KERNELS,
                        kernelGradient(),
                        weights,
                        out.channels() * k)
                .build();
    }

    @Override
    public CodeBlock backwardRows(String x, String xo, String xStride) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$L(rows)", Names.rows(Names.gradient(name)));
        return code.add(propagateRowsCall()).build();
    }

    private static final ClassName ROW_KERNELS = ClassName.get("dev.chainrule.kernel", "RowKernels");

    /**
     * The block-of-rows passes. With the Vector API they run the runtime's matrix kernels over
     * the flat patch matrix of the block; in plain Java over one array per matrix row, with the
     * runtime's {@code RowKernels}, whose loops C2 vectorizes: the forward product and the delta
     * carried back add four scaled rows at a time into a row, and the kernel gradients add each
     * position's patch (from a transposed copy of the patch matrix) scaled by each filter's delta.
     */
    @Override
    public List<MethodSpec> rowsMethods() {
        String colRows = Names.rows(col);
        String t = transposed();
        String zRows = Names.rows(z);
        String aRows = Names.rows(a);
        int size = out.size();
        int filters = out.channels();
        CodeBlock.Builder forward = CodeBlock.builder()
                .addStatement("int n = rows * $L", p)
                .addStatement("$T p = params", s.array)
                .beginControlFlow("if ($T.VECTOR_API)", ModelGenerator.KERNELS)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int xr = xo + r * xStride")
                .add(overPatches(false, "n", " + r * " + p, "x", "xr", colRows, null))
                .endControlFlow()
                .add("// $L[f][..] = b[f] + sum over k of W[f][k] $L[k][..], all rows at once\n", t, colRows)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T.fill($L, f * n, (f + 1) * n, p[$L + f])", Arrays.class, t, biases)
                .endControlFlow()
                .addStatement(
                        "$T.multiply($L, $L, n, p, $L, $L, $L, 0, $L, 0, n)",
                        ModelGenerator.KERNELS,
                        filters,
                        k,
                        weights,
                        k,
                        colRows,
                        t)
                .add("// filter by filter into row by row\n")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement(
                        "$T.arraycopy($L, f * n + r * $L, $L, r * $L + f * $L, $L)",
                        System.class,
                        t,
                        p,
                        zRows,
                        size,
                        p,
                        p)
                .endControlFlow()
                .endControlFlow()
                .nextControlFlow("else")
                .addStatement("$T[][] col = $L", s.type, plain(colRows))
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int xr = xo + r * xStride")
                .add(overPatches(false, "n", " + r * " + p, "x", "xr", "col", null, true))
                .endControlFlow()
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T[] tf = $L[f]", s.type, plain(t))
                .addStatement("$T.fill(tf, 0, n, p[$L + f])", Arrays.class, biases)
                .addStatement("int w = $L + f * $L", weights, k)
                .add(sumOfScaledRows("tf", k, "p[w + $L]", "col[$L]"))
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.arraycopy(tf, r * $L, $L, r * $L + f * $L, $L)", System.class, p, zRows, size, p, p)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
        if (spec.activation() != Activation.IDENTITY) {
            forward.beginControlFlow("for (int e = 0; e < rows * $L; e++)", size)
                    .addStatement(
                            "$L[e] = $T.$L($L[e])", aRows, s.activations, Scalar.function(spec.activation()), zRows)
                    .endControlFlow();
        }
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(privateMethod(Names.rows(Names.forward(name)))
                .addJavadoc(
                        "{@link #$L} for {@code rows} rows at once, row {@code r} of the input at {@code x[xo + r * xStride]}:\n"
                                + "the patches of every row side by side in one matrix, through one product.\n",
                        Names.forward(name))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addCode(forward.build())
                .build());
        methods.add(gradientRows());
        if (previous != null) {
            methods.add(propagateRows());
        }
        return methods;
    }

    /**
     * {@code target[j] += sum over q < count of factor(q) row(q)[j]} for {@code j < n}, four rows
     * at a time; {@code factor} and {@code row} are templates taking {@code q}.
     */
    private CodeBlock sumOfScaledRows(String target, int count, String factor, String row) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("int q = 0");
        code.beginControlFlow("for (; q + 4 <= $L; q += 4)", count)
                .addStatement(
                        "$T.addScaled4($L, $L, $L, $L, $L, $L, $L, $L, $L, n)",
                        ROW_KERNELS,
                        target,
                        CodeBlock.of(factor, "q"),
                        CodeBlock.of(row, "q"),
                        CodeBlock.of(factor, "q + 1"),
                        CodeBlock.of(row, "q + 1"),
                        CodeBlock.of(factor, "q + 2"),
                        CodeBlock.of(row, "q + 2"),
                        CodeBlock.of(factor, "q + 3"),
                        CodeBlock.of(row, "q + 3"))
                .endControlFlow();
        return code.beginControlFlow("for (; q < $L; q++)", count)
                .addStatement(
                        "$T.addScaled($L, $L, $L, n)",
                        ROW_KERNELS,
                        target,
                        CodeBlock.of(factor, "q"),
                        CodeBlock.of(row, "q"))
                .endControlFlow()
                .build();
    }

    private MethodSpec gradientRows() {
        String colRows = Names.rows(col);
        String t = transposed();
        String dRows = Names.rows(d);
        int size = out.size();
        int filters = out.channels();
        return privateMethod(Names.rows(Names.gradient(name)))
                .addJavadoc(
                        "{@link #$L} summed over the {@code rows} rows {@link #$L} ran on, into {@code grads}; leaves the\n"
                                + "block's deltas filter by filter in {@code $L}.\n",
                        Names.gradient(name),
                        Names.rows(Names.forward(name)),
                        t)
                .addParameter(int.class, "rows")
                .addStatement("int n = rows * $L", p)
                .beginControlFlow("if ($T.VECTOR_API)", ModelGenerator.KERNELS)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement(
                        "$T.arraycopy($L, r * $L + f * $L, $L, f * n + r * $L, $L)",
                        System.class,
                        dRows,
                        size,
                        p,
                        t,
                        p,
                        p)
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T sum = 0", s.type)
                .beginControlFlow("for (int e = f * n; e < (f + 1) * n; e++)")
                .addStatement("sum += $L[e]", t)
                .endControlFlow()
                .addStatement("grads[$L + f] += sum", biases)
                .endControlFlow()
                .addStatement(
                        "$T.multiplyTransposedRight($L, $L, n, $L, 0, n, $L, 0, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        filters,
                        k,
                        t,
                        colRows,
                        kernelGradient(),
                        k)
                .addStatement(
                        "$T.axpy(1, $L, 0, grads, $L, $L)",
                        ModelGenerator.KERNELS,
                        kernelGradient(),
                        weights,
                        filters * k)
                .nextControlFlow("else")
                .addStatement("$T[][] t = $L", s.type, plain(t))
                .addStatement("$T[][] col = $L", s.type, plain(colRows))
                .addStatement("$T[][] patches = $L", s.type, plain(colRows + "T"))
                .addStatement("$T[][] dw = $L", s.type, plain(kernelGradient()))
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.arraycopy($L, r * $L + f * $L, t[f], r * $L, $L)", System.class, dRows, size, p, p, p)
                .endControlFlow()
                .addStatement("$T sum = 0", s.type)
                .beginControlFlow("for (int e = 0; e < n; e++)")
                .addStatement("sum += t[f][e]")
                .endControlFlow()
                .addStatement("grads[$L + f] += sum", biases)
                .addStatement("$T.fill(dw[f], 0)", Arrays.class)
                .endControlFlow()
                .addComment("the patch matrix transposed: one array per position")
                .beginControlFlow("for (int q = 0; q < $L; q++)", k)
                .addStatement("$T[] cq = col[q]", s.type)
                .beginControlFlow("for (int e = 0; e < n; e++)")
                .addStatement("patches[e][q] = cq[e]")
                .endControlFlow()
                .endControlFlow()
                .addComment("dW[f][..] += d[f][e] patch e, position by position")
                .beginControlFlow("for (int e = 0; e < n; e++)")
                .addStatement("$T[] patch = patches[e]", s.type)
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T de = t[f][e]", s.type)
                .beginControlFlow("if (de != 0)")
                .addStatement("$T.addScaled(dw[f], de, patch, $L)", ROW_KERNELS, k)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int f = 0; f < $L; f++)", filters)
                .addStatement("$T.axpy(1, dw[f], 0, grads, $L + f * $L, $L)", ModelGenerator.KERNELS, weights, k, k)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec propagateRows() {
        String colRows = Names.rows(col);
        String t = transposed();
        String dcolRows = Names.rows(dcol);
        String dPrevRows = Names.rows(previous.delta());
        int filters = out.channels();
        return privateMethod(Names.rows(Names.propagate(name)))
                .addJavadoc(
                        "{@link #$L} for the {@code rows} rows of a block, from the deltas {@link #$L} left in {@code $L}.\n",
                        Names.propagate(name),
                        Names.rows(Names.gradient(name)),
                        t)
                .addParameter(int.class, "rows")
                .addStatement("int n = rows * $L", p)
                .addStatement("$T.fill($L, 0, rows * $L, 0)", Arrays.class, dPrevRows, in.size())
                .beginControlFlow("if ($T.VECTOR_API)", ModelGenerator.KERNELS)
                .addStatement("$T.fill($L, 0, $L * n, 0)", Arrays.class, dcolRows, k)
                .addStatement(
                        "$T.multiplyTransposedLeft($L, $L, n, params, $L, $L, $L, 0, n, $L, 0)",
                        ModelGenerator.KERNELS,
                        filters,
                        k,
                        weights,
                        k,
                        t,
                        dcolRows)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int xr = r * $L", in.size())
                .addCode(overPatches(true, "n", " + r * " + p, dPrevRows, "xr", colRows, dcolRows))
                .endControlFlow()
                .nextControlFlow("else")
                .addStatement("$T p = params", s.array)
                .addStatement("$T[][] t = $L", s.type, plain(t))
                .addStatement("$T[][] dcol = $L", s.type, plain(dcolRows))
                .addComment("dcol[k][..] = sum over f of W[f][k] d[f][..]")
                .beginControlFlow("for (int kk = 0; kk < $L; kk++)", k)
                .addStatement("$T[] dk = dcol[kk]", s.type)
                .addStatement("$T.fill(dk, 0, n, 0)", Arrays.class)
                .addCode(sumOfScaledRows("dk", filters, "p[" + weights + " + ($L) * " + k + " + kk]", "t[$L]"))
                .endControlFlow()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int xr = r * $L", in.size())
                .addCode(overPatches(true, "n", " + r * " + p, dPrevRows, "xr", null, "dcol", true))
                .endControlFlow()
                .endControlFlow()
                .addCode(finishPreviousDeltaRows())
                .build();
    }

    /** The scratch buffer a sample's kernel gradients are computed in before they are added. */
    private String kernelGradient() {
        return "dw" + Names.camel(name);
    }

    private MethodSpec propagateMethod() {
        return privateMethod(Names.propagate(name))
                .addJavadoc(
                        "Carries layer $L's delta back to layer $L: {@code $L = W^T $L}, each patch value added back to\n"
                                + "the input position it was copied from, then through $L's activation.\n",
                        name,
                        previous.name(),
                        dcol,
                        d,
                        previous.name())
                .addStatement("$T.fill($L, 0)", Arrays.class, dcol)
                .addStatement(
                        "$T.multiplyTransposedLeft($L, $L, $L, params, $L, $L, $L, 0, $L, $L, 0)",
                        ModelGenerator.KERNELS,
                        out.channels(),
                        k,
                        p,
                        weights,
                        k,
                        d,
                        p,
                        dcol)
                .addStatement("$T.fill($L, 0)", Arrays.class, previous.delta())
                .addCode(overPatches(true, Integer.toString(p), "", previous.delta(), "0", col, dcol))
                .addCode(finishPreviousDelta())
                .build();
    }
}
