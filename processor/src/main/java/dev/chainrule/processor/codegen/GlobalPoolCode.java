package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.List;

/** The code of global average pooling: the mean of each channel, and each mean's delta shared by its channel. */
final class GlobalPoolCode extends ImageLayerCode {
    private static final ClassName GLOBAL_SPEC = ClassName.get("dev.chainrule", "LayerSpec", "GlobalAvgPool2DSpec");

    GlobalPoolCode(Plan.GlobalPoolPlan plan, LayerCode previous, Scalar s) {
        super(
                plan.layer(),
                plan.input(),
                previous,
                s,
                plan.in(),
                dev.chainrule.Shape.image(plan.in().channels(), 1, 1));
    }

    @Override
    public String describe() {
        return "layer " + name + ": globalavgpool2d " + shapes();
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of("new $T($S, $L)", GLOBAL_SPEC, name, name);
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        return outputBuffers(batched);
    }

    @Override
    public List<MethodSpec> rowsMethods() {
        int plane = in.plane();
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardRowsMethod()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .addStatement("int io = xo + r * xStride + c * $L", plane)
                .addStatement("$T sum = 0", s.type)
                .beginControlFlow("for (int e = io; e < io + $L; e++)", plane)
                .addStatement("sum += in[e]")
                .endControlFlow()
                .addStatement("$L[r * $L + c] = sum / $L", Names.rows(a), in.channels(), s.literal(plane))
                .endControlFlow()
                .endControlFlow()
                .build());
        if (previous != null) {
            CodeBlock factor = previous.backFactor("Rows", "[e]");
            String dPrev = Names.rows(previous.delta());
            methods.add(privateMethod(Names.rows(Names.propagate(name)))
                    .addJavadoc("{@link #$L} for the {@code rows} rows of a block.\n", Names.propagate(name))
                    .addParameter(int.class, "rows")
                    .beginControlFlow("for (int r = 0; r < rows * $L; r++)", in.channels())
                    .addStatement("$T share = $L[r] / $L", s.type, Names.rows(d), s.literal(plane))
                    .beginControlFlow("for (int e = r * $L; e < (r + 1) * $L; e++)", plane, plane)
                    .addStatement(
                            factor == null
                                    ? CodeBlock.of("$L[e] = share", dPrev)
                                    : CodeBlock.of("$L[e] = share * $L", dPrev, factor))
                    .endControlFlow()
                    .endControlFlow()
                    .build());
        }
        return methods;
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        int plane = in.plane();
        methods.add(privateMethod(Names.forward(name))
                .addJavadoc(
                        "Layer $L ($L): the mean of each channel of the input at {@code in[io ..]}.\n",
                        name,
                        describe().substring(describe().indexOf(':') + 2))
                .addParameter(s.array, "in")
                .addParameter(int.class, "io")
                .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                .addStatement("$T sum = 0", s.type)
                .beginControlFlow("for (int e = io + c * $L; e < io + (c + 1) * $L; e++)", plane, plane)
                .addStatement("sum += in[e]")
                .endControlFlow()
                .addStatement("$L[c] = sum / $L", a, s.literal(plane))
                .endControlFlow()
                .build());
        if (previous != null) {
            CodeBlock factor = previous.backFactor("", "[e]");
            methods.add(privateMethod(Names.propagate(name))
                    .addJavadoc(
                            "Carries layer $L's delta back to layer $L: each channel's shared evenly by its values, then\n"
                                    + "through $L's activation.\n",
                            name,
                            previous.name(),
                            previous.name())
                    .beginControlFlow("for (int c = 0; c < $L; c++)", in.channels())
                    .addStatement("$T share = $L[c] / $L", s.type, d, s.literal(plane))
                    .beginControlFlow("for (int e = c * $L; e < (c + 1) * $L; e++)", plane, plane)
                    .addStatement(
                            factor == null
                                    ? CodeBlock.of("$L[e] = share", previous.delta())
                                    : CodeBlock.of("$L[e] = share * $L", previous.delta(), factor))
                    .endControlFlow()
                    .endControlFlow()
                    .build());
        }
        return methods;
    }
}
