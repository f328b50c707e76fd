package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.LayerSpec;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The code of max and average pooling: loops over each channel's windows. Max pooling remembers
 * where each maximum came from (the first of equal ones; a NaN wins, so it propagates), and its
 * backward pass adds each output's delta to that input; average pooling spreads each output's
 * delta evenly over its window.
 */
final class PoolCode extends ImageLayerCode {
    private static final ClassName POOL_SPEC = ClassName.get("dev.chainrule", "LayerSpec", "Pool2DSpec");
    private static final ClassName KIND = ClassName.get("dev.chainrule", "LayerSpec", "Kind");
    private final LayerSpec.Pool2DSpec spec;
    private final boolean max;
    private final String arg;

    PoolCode(Plan.PoolPlan plan, LayerCode previous, Scalar s) {
        super(plan.layer(), plan.input(), previous, s, plan.in(), plan.out());
        this.spec = plan.spec();
        this.max = spec.kind() == LayerSpec.Kind.MAX_POOL2D;
        this.arg = Names.argmax(name);
    }

    private int window() {
        return spec.windowHeight() * spec.windowWidth();
    }

    @Override
    public String describe() {
        return "layer " + name + ": " + spec.kind().label() + " " + shapes() + ", window " + spec.windowHeight() + "x"
                + spec.windowWidth() + " stride " + spec.strideHeight() + "x" + spec.strideWidth();
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of(
                "new $T($S, $T.$L, $L, $L, $L, $L, $L)",
                POOL_SPEC,
                name,
                KIND,
                spec.kind().name(),
                name,
                spec.windowHeight(),
                spec.windowWidth(),
                spec.strideHeight(),
                spec.strideWidth());
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>(outputBuffers(batched));
        if (max) {
            fields.add(FieldSpec.builder(int[].class, arg, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc(
                            "For each of layer $L's outputs, the index in its input of the maximum it took.\n", name)
                    .initializer("new int[$L]", out.size())
                    .build());
            if (batched) {
                fields.add(FieldSpec.builder(int[].class, Names.rows(arg), Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("$L for a block of rows: indices within each row's input.\n", arg)
                        .initializer("new int[BLOCK_ROWS * $L]", out.size())
                        .build());
            }
        }
        return fields;
    }

    @Override
    public List<MethodSpec> rowsMethods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardRowsMethod()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int io = xo + r * xStride")
                .addStatement("int ao = r * $L", out.size())
                .addCode(forwardBody(Names.rows(a), Names.rows(arg), "ao + "))
                .endControlFlow()
                .build());
        if (previous != null) {
            methods.add(privateMethod(Names.rows(Names.propagate(name)))
                    .addJavadoc("{@link #$L} for the {@code rows} rows of a block.\n", Names.propagate(name))
                    .addParameter(int.class, "rows")
                    .addStatement("$T.fill($L, 0, rows * $L, 0)", Arrays.class, Names.rows(previous.delta()), in.size())
                    .beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addStatement("int po = r * $L", in.size())
                    .addStatement("int ao = r * $L", out.size())
                    .addCode(propagateBody(
                            Names.rows(previous.delta()), "po + ", Names.rows(d), Names.rows(arg), "ao + "))
                    .endControlFlow()
                    .addCode(finishPreviousDeltaRows())
                    .build());
        }
        return methods;
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardMethod());
        if (previous != null) {
            methods.add(propagateMethod());
        }
        return methods;
    }

    /** Loops over every output {@code o = (c, y, x)}, with {@code base} the input index of its window's first value. */
    private CodeBlock.Builder overWindows() {
        return CodeBlock.builder()
                .beginControlFlow("for (int c = 0; c < $L; c++)", out.channels())
                .beginControlFlow("for (int y = 0; y < $L; y++)", out.height())
                .beginControlFlow("for (int x = 0; x < $L; x++)", out.width())
                .addStatement("int o = (c * $L + y) * $L + x", out.height(), out.width())
                .addStatement(
                        "int base = (c * $L + y * $L) * $L + x * $L",
                        in.height(),
                        spec.strideHeight(),
                        in.width(),
                        spec.strideWidth());
    }

    private static CodeBlock.Builder endWindows(CodeBlock.Builder code) {
        return code.endControlFlow().endControlFlow().endControlFlow();
    }

    private CodeBlock.Builder overWindow(CodeBlock.Builder code) {
        return code.beginControlFlow("for (int i = 0; i < $L; i++)", spec.windowHeight())
                .beginControlFlow("for (int j = 0; j < $L; j++)", spec.windowWidth())
                .addStatement("int e = base + i * $L + j", in.width());
    }

    /** The windows of the input at {@code in[io ..]} into {@code output[offset + o]} (and {@code where[offset + o]}). */
    private CodeBlock forwardBody(String output, String where, String offset) {
        CodeBlock.Builder code = overWindows();
        if (max) {
            code.addStatement("int best = base").addStatement("$T m = in[io + base]", s.type);
            overWindow(code)
                    .addStatement("$T v = in[io + e]", s.type)
                    .beginControlFlow("if (v > m || v != v)")
                    .addStatement("m = v")
                    .addStatement("best = e")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("$L[$Lo] = m", output, offset)
                    .addStatement("$L[$Lo] = best", where, offset);
        } else {
            code.addStatement("$T sum = 0", s.type);
            overWindow(code)
                    .addStatement("sum += in[io + e]")
                    .endControlFlow()
                    .endControlFlow()
                    .addStatement("$L[$Lo] = sum / $L", output, offset, s.literal(window()));
        }
        return endWindows(code).build();
    }

    private MethodSpec forwardMethod() {
        return privateMethod(Names.forward(name))
                .addJavadoc(
                        "Layer $L ($L): the $L of each window of the input at {@code in[io ..]}.\n",
                        name,
                        describe().substring(describe().indexOf(':') + 2),
                        max ? "maximum" : "mean")
                .addParameter(s.array, "in")
                .addParameter(int.class, "io")
                .addCode(forwardBody(a, arg, ""))
                .build();
    }

    /** Adds the deltas at {@code delta[offset + o]} back into {@code target[targetOffset ..]}, which starts zeroed. */
    private CodeBlock propagateBody(String target, String targetOffset, String delta, String where, String offset) {
        if (max) {
            return CodeBlock.builder()
                    .beginControlFlow("for (int o = 0; o < $L; o++)", out.size())
                    .addStatement("$L[$L$L[$Lo]] += $L[$Lo]", target, targetOffset, where, offset, delta, offset)
                    .endControlFlow()
                    .build();
        }
        CodeBlock.Builder windows =
                overWindows().addStatement("$T share = $L[$Lo] / $L", s.type, delta, offset, s.literal(window()));
        overWindow(windows)
                .addStatement("$L[$Le] += share", target, targetOffset)
                .endControlFlow()
                .endControlFlow();
        return endWindows(windows).build();
    }

    private MethodSpec propagateMethod() {
        String dPrev = previous.delta();
        return privateMethod(Names.propagate(name))
                .addJavadoc(
                        "Carries layer $L's delta back to layer $L: $L, then through $L's activation.\n",
                        name,
                        previous.name(),
                        max
                                ? "each output's to the input its maximum came from"
                                : "each output's shared evenly by its window",
                        previous.name())
                .addStatement("$T.fill($L, 0)", Arrays.class, dPrev)
                .addCode(propagateBody(dPrev, "", d, arg, ""))
                .addCode(finishPreviousDelta())
                .build();
    }
}
