package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.LayerSpec;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The code of a fixed-point layer, {@code s = f(W s + U x + b)} over {@code F} inputs and {@code
 * H} units. The forward pass computes {@code c = U x + b} once, then iterates {@code s <- f(W s +
 * c)} from {@code s = 0} until no unit moves by more than the tolerance or the iteration limit is
 * reached; the backward pass solves the Almeida-Pineda adjoint {@code v = dL/ds + W^T (D v)},
 * {@code D} the activation's slopes at the fixed point, by the same iteration (the tolerance
 * relative to the largest {@code |dL/ds|}), then adds {@code u x^T}, {@code u s^T} and {@code u},
 * {@code u = D v}, to the gradients of {@code U}, {@code W} and {@code b}, and sets the layer
 * before's delta to {@code U^T u}. Every solve is counted in the model's {@code convergence}, a
 * solve that reached the limit as a failure. Batch methods solve row by row.
 */
final class FixedPointCode extends LoopLayerCode {
    static final ClassName CONSTRAINTS = ClassName.get("dev.chainrule.kernel", "Constraints");
    private final Plan.FixedPointPlan plan;
    private final Layer.FixedPoint fixed;
    private final LayerSpec.FixedPointSpec spec;
    private final String camel;
    private final int in;
    private final int units;
    private final String z;
    private final String weights;
    private final String recurrentWeights;
    private final String biases;

    FixedPointCode(Plan.FixedPointPlan plan, LayerCode previous, Scalar s) {
        super(plan.layer(), previous, s);
        this.plan = plan;
        this.fixed = plan.layer();
        this.spec = fixed.toSpec();
        this.camel = Names.camel(name);
        this.in = plan.in();
        this.units = fixed.size();
        this.z = Names.preActivation(name);
        this.weights = Names.weights(name);
        this.recurrentWeights = Names.recurrentWeights(name);
        this.biases = Names.biases(name);
    }

    @Override
    public String describe() {
        return "layer " + name + ": fixed point " + plan.input().name() + " " + in + " -> " + name + " " + units + ", "
                + spec.activation().label() + ", tolerance " + spec.tolerance() + ", at most " + spec.maxIterations()
                + " iterations" + (spec.contraction() > 0 ? ", contraction " + spec.contraction() : "");
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of(
                "new $T.FixedPointSpec($S, $L, $T.$L, $L, $L, $L)",
                ModelGenerator.LAYER_SPEC,
                name,
                name,
                ModelGenerator.ACTIVATION,
                spec.activation().name(),
                spec.tolerance(),
                spec.maxIterations(),
                spec.contraction());
    }

    @Override
    public List<FieldSpec> constants() {
        return List.of(
                ModelGenerator.intConstant(
                        weights,
                        plan.weights(),
                        "Offset of layer " + name + "'s input weights U [" + units + "][" + in + "]."),
                ModelGenerator.intConstant(
                        recurrentWeights,
                        plan.recurrentWeights(),
                        "Offset of layer " + name + "'s recurrent weights W [" + units + "][" + units + "]."),
                ModelGenerator.intConstant(
                        biases, plan.biases(), "Offset of layer " + name + "'s " + units + " biases."));
    }

    private String scratch(String prefix) {
        return prefix + camel;
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        for (boolean block : batched ? new boolean[] {false, true} : new boolean[] {false}) {
            String of = block ? " for a block of rows" : "";
            fields.add(buffer(block, a, "Layer " + name + "'s fixed point s" + of + "."));
            fields.add(buffer(block, z, "Layer " + name + "'s W s + U x + b at the fixed point" + of + "."));
            fields.add(buffer(
                    block, d, "Gradient of the loss with respect to layer " + name + "'s fixed point" + of + "."));
        }
        fields.add(buffer(false, scratch("c"), "U x + b of the sample being solved."));
        fields.add(buffer(false, scratch("next"), "The next iterate of a solve."));
        fields.add(buffer(false, scratch("slope"), "The activation's slopes at the fixed point, D."));
        fields.add(buffer(false, scratch("v"), "The adjoint v."));
        fields.add(buffer(false, scratch("u"), "D v: the gradient with respect to W s + U x + b."));
        return fields;
    }

    private FieldSpec buffer(boolean block, String field, String javadoc) {
        return buffer(block, field, units, javadoc);
    }

    @Override
    public CodeBlock initialise() {
        double start = 0.5 / spec.maxSlope();
        return CodeBlock.builder()
                .add(
                        "// $L: Glorot uniform U, zero biases; W uniform, each row scaled to an absolute sum of at most $L\n",
                        name,
                        start)
                .add("// (half the bound under which the map is a contraction)\n")
                .addStatement(
                        "$T.block(params, $L, $L, $L, $L, $L, $L, false, random)",
                        ModelGenerator.INITIALIZERS,
                        weights,
                        units * in,
                        in,
                        units,
                        biases,
                        units)
                .addStatement(
                        "$T.uniform(params, $L, $L, $L, random)",
                        ModelGenerator.INITIALIZERS,
                        recurrentWeights,
                        units * units,
                        1 / Math.sqrt(units))
                .addStatement(
                        "$T.boundRows(params, $L, $L, $L, $L)", CONSTRAINTS, recurrentWeights, units, units, start)
                .build();
    }

    /** The statement bounding the rows of {@code W} for {@code applyConstraints()}, or {@code null} when the layer has no contraction. */
    CodeBlock constraint() {
        if (spec.contraction() == 0) {
            return null;
        }
        return CodeBlock.of(
                "$T.boundRows(params, $L, $L, $L, $L);\n",
                CONSTRAINTS,
                recurrentWeights,
                units,
                units,
                spec.contraction() / spec.maxSlope());
    }

    @Override
    public CodeBlock forward(String x, String xo) {
        return CodeBlock.of("$L($L, $L, $L, 0, $L, 0);\n", scratch("solve"), x, xo, a, z);
    }

    @Override
    public String size() {
        return name;
    }

    @Override
    public List<MethodSpec> methods() {
        return List.of(solveMethod(), adjointMethod(), backwardMethod(false));
    }

    @Override
    public List<MethodSpec> rowsMethods() {
        return List.of(forwardRowsMethod(), backwardMethod(true));
    }

    private String f(String argument) {
        return CodeBlock.of("$T.$L($L)", s.activations, Scalar.function(spec.activation()), argument)
                .toString();
    }

    private MethodSpec solveMethod() {
        String c = scratch("c");
        String next = scratch("next");
        CodeBlock code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .add("// c = U x + b\n")
                .addStatement(
                        "$T.multiplyTransposedRight(1, $L, $L, x, xo, $L, p, $L, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        units,
                        in,
                        in,
                        weights,
                        c,
                        units)
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("$L[i] += p[$L + i]", c, biases)
                .endControlFlow()
                .addStatement("$T.fill(s, so, so + $L, 0)", Arrays.class, units)
                .addStatement("int k = 0")
                .addStatement("double residual = Double.NaN")
                .beginControlFlow("while (k < $L)", spec.maxIterations())
                .add("// s <- f(W s + c), every unit from the last iterate (Jacobi)\n")
                .addStatement(
                        "$T.multiplyTransposedRight(1, $L, $L, s, so, $L, p, $L, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        units,
                        units,
                        units,
                        recurrentWeights,
                        next,
                        units)
                .addStatement("residual = 0")
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("$T zi = $L[i] + $L[i]", s.type, next, c)
                .addStatement("$T si = $L", s.type, f("zi"))
                .addStatement("double change = Math.abs(si - s[so + i])")
                .beginControlFlow("if (!(change <= residual))")
                .addStatement("residual = change")
                .endControlFlow()
                .addStatement("z[zo + i] = zi")
                .addStatement("s[so + i] = si")
                .endControlFlow()
                .addStatement("k++")
                .beginControlFlow("if (residual <= $L)", spec.tolerance())
                .addStatement("break")
                .endControlFlow()
                .endControlFlow()
                .addStatement("convergence.forward(k, residual, $L)", spec.tolerance())
                .build();
        return ImageLayerCode.privateMethod(scratch("solve"))
                .addJavadoc(
                        "Layer $L's fixed point for the input at {@code x[xo ..]} into {@code s[so ..]}, and {@code W s + c} at\n"
                                + "the last iterate into {@code z[zo ..]}; counts the solve in {@link #convergence}.\n",
                        name)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(s.array, "s")
                .addParameter(int.class, "so")
                .addParameter(s.array, "z")
                .addParameter(int.class, "zo")
                .addCode(code)
                .build();
    }

    private MethodSpec adjointMethod() {
        String next = scratch("next");
        String slope = scratch("slope");
        String v = scratch("v");
        String u = scratch("u");
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .addStatement("double scale = 0")
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("$L[i] = $L", slope, s.derivative(spec.activation(), "z[zo + i]", "s[so + i]"))
                .addStatement("scale = Math.max(scale, Math.abs(d[dOff + i]))")
                .endControlFlow()
                .addStatement("$T.arraycopy(d, dOff, $L, 0, $L)", System.class, v, units)
                .addStatement("int k = 0")
                .addStatement("double residual = 0")
                .beginControlFlow("if (scale > 0)")
                .beginControlFlow("while (k < $L)", spec.maxIterations())
                .add("// v <- dL/ds + W^T (D v)\n")
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("$L[i] = $L[i] * $L[i]", u, slope, v)
                .endControlFlow()
                .addStatement("$T.arraycopy(d, dOff, $L, 0, $L)", System.class, next, units)
                .addStatement(
                        "$T.multiply(1, $L, $L, $L, 0, $L, p, $L, $L, 0, $L)",
                        ModelGenerator.KERNELS,
                        units,
                        units,
                        u,
                        units,
                        recurrentWeights,
                        next,
                        units)
                .addStatement("residual = 0")
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("double change = Math.abs($L[i] - $L[i])", next, v)
                .beginControlFlow("if (!(change <= residual))")
                .addStatement("residual = change")
                .endControlFlow()
                .addStatement("$L[i] = $L[i]", v, next)
                .endControlFlow()
                .addStatement("k++")
                .beginControlFlow("if (residual <= $L * scale)", spec.tolerance())
                .addStatement("break")
                .endControlFlow()
                .endControlFlow()
                .addStatement("residual /= scale")
                .endControlFlow()
                .addStatement("convergence.adjoint(k, residual, $L)", spec.tolerance())
                .add("// u = D v: the gradient with respect to W s + U x + b\n")
                .beginControlFlow("for (int i = 0; i < $L; i++)", units)
                .addStatement("$L[i] = $L[i] * $L[i]", u, slope, v)
                .addStatement("g[go + $L + i] += $L[i]", biases, u)
                .endControlFlow()
                .addStatement(
                        "$T.multiplyTransposedLeft(1, $L, $L, $L, 0, $L, x, xo, $L, g, go + $L)",
                        ModelGenerator.KERNELS,
                        units,
                        in,
                        u,
                        units,
                        in,
                        weights)
                .addStatement(
                        "$T.multiplyTransposedLeft(1, $L, $L, $L, 0, $L, s, so, $L, g, go + $L)",
                        ModelGenerator.KERNELS,
                        units,
                        units,
                        u,
                        units,
                        units,
                        recurrentWeights);
        MethodSpec.Builder method = ImageLayerCode.privateMethod(scratch("adjoint"))
                .addJavadoc(
                        "Recurrent backpropagation through layer $L at the fixed point {@code s[so ..]} (with {@code z[zo ..]})\n"
                                + "of the input {@code x[xo ..]}, from {@code dL/ds} at {@code d[dOff ..]}: solves the adjoint, adds the\n"
                                + "parameters' gradients to {@code g[go ..]}$L; counts the solve in {@link #convergence}.\n",
                        name,
                        previous == null ? "" : " and adds {@code U^T u} into {@code prev[po ..]}")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(s.array, "s")
                .addParameter(int.class, "so")
                .addParameter(s.array, "z")
                .addParameter(int.class, "zo")
                .addParameter(s.array, "d")
                .addParameter(int.class, "dOff")
                .addParameter(s.array, "g")
                .addParameter(int.class, "go");
        if (previous != null) {
            method.addParameter(s.array, "prev").addParameter(int.class, "po");
            code.addStatement(
                    "$T.multiply(1, $L, $L, $L, 0, $L, p, $L, prev, po, $L)",
                    ModelGenerator.KERNELS,
                    units,
                    in,
                    u,
                    units,
                    weights,
                    in);
        }
        return method.addCode(code.build()).build();
    }

    private MethodSpec forwardRowsMethod() {
        return ImageLayerCode.privateMethod(Names.rows(Names.forward(name)))
                .addJavadoc(
                        "Layer $L's fixed points for {@code rows} inputs, row {@code r} at {@code x[xo + r * xStride ..]}.\n",
                        name)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement(
                        "$L(x, xo + r * xStride, $L, r * $L, $L, r * $L)",
                        scratch("solve"),
                        Names.rows(a),
                        units,
                        Names.rows(z),
                        units)
                .endControlFlow()
                .build();
    }

    private MethodSpec backwardMethod(boolean block) {
        MethodSpec.Builder method = ImageLayerCode.privateMethod(
                        block ? Names.rows(Names.backward(name)) : Names.backward(name))
                .addJavadoc(
                        "Recurrent backpropagation through layer $L for $L.\n",
                        name,
                        block
                                ? "the {@code rows} rows of a block, into {@code grads}"
                                : "one sample, into {@code g[go ..]}")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        String suffix = block ? "Rows" : "";
        String prev = previous == null ? null : previous.delta() + suffix;
        if (block) {
            method.addParameter(int.class, "xStride").addParameter(int.class, "rows");
        } else {
            method.addParameter(s.array, "g").addParameter(int.class, "go");
        }
        if (prev != null) {
            method.addStatement(
                    "$T.fill($L, 0, $L, 0)", Arrays.class, prev, block ? "rows * " + in : Integer.toString(in));
        }
        String call = prev == null ? "" : ", " + prev + (block ? ", r * " + in : ", 0");
        if (block) {
            method.beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addStatement(
                            "$L(x, xo + r * xStride, $L, r * $L, $L, r * $L, $L, r * $L, grads, 0$L)",
                            scratch("adjoint"),
                            Names.rows(a),
                            units,
                            Names.rows(z),
                            units,
                            Names.rows(d),
                            units,
                            call)
                    .endControlFlow();
        } else {
            method.addStatement("$L(x, xo, $L, 0, $L, 0, $L, 0, g, go$L)", scratch("adjoint"), a, z, d, call);
        }
        if (prev != null) {
            CodeBlock factor = previous.backFactor(suffix, "[e]");
            if (factor != null) {
                method.addComment("through $L's activation", previous.name())
                        .beginControlFlow("for (int e = 0; e < $L; e++)", block ? "rows * " + in : Integer.toString(in))
                        .addStatement("$L[e] *= $L", prev, factor)
                        .endControlFlow();
            }
        }
        return method.build();
    }
}
