package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Activation;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The private methods of one dense layer: {@code forward} (its outputs), {@code gradient} (its
 * parameter gradients) and {@code propagate} (the delta of the layer before it), each either
 * unrolled into straight-line parts or written as loops over constant bounds.
 *
 * <p>Notation in the generated javadoc: {@code x} the layer's input, {@code W} its weights
 * ({@code W[i][j]} from input {@code i} to unit {@code j}), {@code b} its biases, {@code z}
 * its pre-activation, {@code a} its activation, {@code d} the loss's gradient with respect to
 * {@code z}.
 *
 * <p>Loops go over the input-major weight rows. With the Vector API ({@code Kernels.VECTOR_API})
 * they call the runtime's kernels; without it, the matrix products are {@link PlainCode}'s plain
 * Java loops shaped for C2's auto-vectorizer, and the rest calls the plain kernels. They skip
 * inputs that are exactly zero, common after a ReLU and in images: their terms add nothing. The
 * test is {@code x != 0}, true for a NaN, so a NaN input is never skipped and reaches every unit.
 */
final class DenseCode implements LayerCode {
    private static final ClassName KERNELS = ClassName.get("dev.chainrule.kernel", "Kernels");
    private final Plan.DensePlan plan;
    private final LayerCode previous;
    private final Scalar s;
    private final String name;
    private final String inSize;
    private final String outSize;
    private final String weights;
    private final String biases;
    private final String z;
    private final String a;
    private final String d;

    DenseCode(Plan.DensePlan plan, LayerCode previous, Scalar scalar) {
        this.plan = plan;
        this.previous = previous;
        this.s = scalar;
        this.name = plan.name();
        this.inSize = Names.size(plan.input());
        this.outSize = plan.name();
        this.weights = Names.weights(name);
        this.biases = Names.biases(name);
        this.z = Names.preActivation(name);
        this.a = Names.activation(name);
        this.d = Names.delta(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "layer " + name + ": dense " + inSize + " " + plan.in() + " -> " + outSize + " " + plan.out()
                + ", " + plan.layer().activation().label()
                + (plan.layer().hasDropout() ? ", dropout " + plan.layer().dropout() : "")
                + (unitLoop() ? ", unrolled; forward loops over units" : plan.unrolled() ? ", unrolled" : ", loops");
    }

    @Override
    public List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.addAll(forward());
        methods.addAll(gradient());
        if (previous != null) {
            methods.addAll(propagate());
        }
        return methods;
    }

    @Override
    public CodeBlock spec() {
        Layer.Dense layer = plan.layer();
        return layer.hasDropout()
                ? CodeBlock.of(
                        "$T.dense($S, $L, $T.$L, $L)",
                        ModelGenerator.LAYER_SPEC,
                        name,
                        name,
                        ModelGenerator.ACTIVATION,
                        layer.activation().name(),
                        layer.dropout())
                : CodeBlock.of(
                        "$T.dense($S, $L, $T.$L)",
                        ModelGenerator.LAYER_SPEC,
                        name,
                        name,
                        ModelGenerator.ACTIVATION,
                        layer.activation().name());
    }

    @Override
    public List<FieldSpec> constants() {
        return List.of(
                ModelGenerator.intConstant(
                        weights,
                        plan.weights(),
                        "Offset of layer " + name + "'s " + plan.in() + " x " + plan.out()
                                + " weights in the parameter array; input-major: weight (i, j) is at {@code "
                                + weights + " + i * " + name + " + j}."),
                ModelGenerator.intConstant(
                        biases,
                        plan.biases(),
                        "Offset of layer " + name + "'s " + plan.out() + " biases in the parameter array."));
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(buffer(z, outSize, "Layer " + name + "'s pre-activation z."));
        fields.add(aliasOrBuffer(a, z, outSize, "Layer " + name + "'s activation a."));
        fields.add(buffer(d, outSize, "Gradient of the loss with respect to layer " + name + "'s z."));
        if (plan.layer().hasDropout()) {
            fields.add(buffer(
                    Names.mask(name),
                    outSize,
                    "Layer " + name + "'s dropout mask: 0 or 1 / keep per unit in training, 1 otherwise."));
            fields.add(buffer(Names.dropped(name), outSize, "Layer " + name + "'s output after dropout: a * mask."));
        }
        if (batched) {
            String size = "BLOCK_ROWS * " + name;
            fields.add(buffer(Names.rows(z), size, "Layer " + name + "'s z for a block of rows."));
            fields.add(
                    aliasOrBuffer(Names.rows(a), Names.rows(z), size, "Layer " + name + "'s a for a block of rows."));
            fields.add(buffer(Names.rows(d), size, "Layer " + name + "'s deltas for a block of rows."));
            if (plan.layer().hasDropout()) {
                fields.add(buffer(
                        Names.rows(Names.mask(name)), size, "Layer " + name + "'s dropout masks for a block of rows."));
                fields.add(buffer(
                        Names.rows(Names.dropped(name)),
                        size,
                        "Layer " + name + "'s dropped outputs for a block of rows."));
            }
        }
        return fields;
    }

    /** The activation buffer: the pre-activation itself for the identity, else its own array. */
    private FieldSpec aliasOrBuffer(String field, String alias, String size, String javadoc) {
        FieldSpec.Builder builder = FieldSpec.builder(s.array, field, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L\n", javadoc);
        if (plan.layer().activation() == Activation.IDENTITY) {
            builder.initializer("$L", alias);
        } else {
            builder.initializer("new $T[$L]", s.type, size);
        }
        return builder.build();
    }

    private FieldSpec buffer(String field, String size, String javadoc) {
        return ModelGenerator.buffer(s, field, size, javadoc);
    }

    @Override
    public CodeBlock initialise() {
        return CodeBlock.of(
                "$T.dense(params, $L, $L, $L, $L, $L, random);\n",
                ModelGenerator.INITIALIZERS,
                weights,
                biases,
                inSize,
                name,
                plan.layer().activation().isRectifier());
    }

    @Override
    public CodeBlock forward(String x, String xo) {
        return CodeBlock.of("$L($L, $L);\n", Names.forward(name), x, xo);
    }

    @Override
    public CodeBlock backward(String x, String xo) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$L(g, go, $L, $L)", Names.gradient(name), x, xo);
        if (previous != null) {
            code.addStatement("$L()", Names.propagate(name));
        }
        return code.build();
    }

    @Override
    public CodeBlock forwardRows(String x, String xo, String xStride) {
        return CodeBlock.of("$L($L, $L, $L, rows);\n", Names.rows(Names.forward(name)), x, xo, xStride);
    }

    @Override
    public CodeBlock backwardRows(String x, String xo, String xStride) {
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$L(grads, $L, $L, $L, rows)", Names.rows(Names.gradient(name)), x, xo, xStride);
        if (previous != null) {
            code.addStatement("$L(rows)", Names.rows(Names.propagate(name)));
        }
        return code.build();
    }

    @Override
    public String output() {
        return Names.output(plan.layer());
    }

    @Override
    public String preActivation() {
        return z;
    }

    @Override
    public String activation() {
        return a;
    }

    @Override
    public String delta() {
        return d;
    }

    @Override
    public Activation activationFunction() {
        return plan.layer().activation();
    }

    @Override
    public String size() {
        return name;
    }

    // ---- forward ------------------------------------------------------------------------------

    private List<MethodSpec> forward() {
        String javadoc =
                "Layer " + name + " (" + describe().substring(describe().indexOf(':') + 2) + "):\n"
                        + "{@code " + z + " = b + x W}, {@code " + a + " = "
                        + plan.layer().activation().label() + "(" + z + ")}"
                        + ", for the input at {@code x[xo ..]}.\n";
        MethodSpec.Builder method = privateMethod(Names.forward(name))
                .addJavadoc(javadoc)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        List<MethodSpec> parts = new ArrayList<>();
        if (unitLoop()) {
            method.addCode(forwardUnitLoop());
        } else if (plan.unrolled()) {
            List<int[]> ranges =
                    ranges(plan.out(), Plan.partRows(plan.in(), (activatedInline() ? 40 : 20) + 12 * plan.in()));
            if (ranges.size() == 1) {
                method.addCode(forwardUnrolled(0, plan.out()));
            } else {
                for (int k = 0; k < ranges.size(); k++) {
                    int[] r = ranges.get(k);
                    String partName = Names.forward(name) + "Part" + k;
                    parts.add(privateMethod(partName)
                            .addJavadoc("Units $L to $L of {@link #$L}.\n", r[0], r[1] - 1, Names.forward(name))
                            .addParameter(s.array, "x")
                            .addParameter(int.class, "xo")
                            .addCode(forwardUnrolled(r[0], r[1]))
                            .build());
                    method.addStatement("$L(x, xo)", partName);
                }
            }
        } else {
            method.addCode(forwardLoops());
        }
        if (!activatedInline()) {
            method.addCode(activate());
        }
        if (plan.layer().hasDropout()) {
            method.addCode(dropout());
        }
        List<MethodSpec> all = new ArrayList<>();
        all.add(method.build());
        all.addAll(parts);
        return all;
    }

    /** Fewest units for which an unrolled layer's forward pass loops over its units. */
    static final int UNIT_LOOP_MIN = 8;
    /** Most inputs for which an unrolled layer's forward pass loops over its units. */
    static final int UNIT_LOOP_MAX_INPUTS = 4;

    /**
     * Whether the forward pass of this unrolled layer is a loop over its units, each unit's sum
     * unrolled over the inputs: the loop reads every weight at a constant offset from its unit,
     * which C2 can compile to vector instructions, while straight-line code runs scalar.
     * Measured with JMH on the machine in {@code RESULTS.md} (JDK 17): a 4-16-3 prediction took
     * 63-65 ns with it against 72-85 ns without; with sixteen inputs the loop was slower
     * (16-16-16-3: 905 against 600 ns), and with eight no faster, hence at most four inputs.
     */
    private boolean unitLoop() {
        return plan.unrolled() && plan.out() >= UNIT_LOOP_MIN && plan.in() <= UNIT_LOOP_MAX_INPUTS;
    }

    private CodeBlock forwardUnitLoop() {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T p = params", s.array);
        for (int i = 0; i < plan.in(); i++) {
            code.addStatement("$T x$L = x[$L]", s.type, i, plus("xo", i));
        }
        List<CodeBlock> terms = new ArrayList<>();
        terms.add(CodeBlock.of("p[$L + j]", biases));
        for (int i = 0; i < plan.in(); i++) {
            terms.add(CodeBlock.of("x$L * p[$L + j]", i, plus(weights, i * plan.out())));
        }
        return code.add("// unit j: its bias plus each input times W[i][j], at constant offsets from j\n")
                .beginControlFlow("for (int j = 0; j < $L; j++)", outSize)
                .addStatement("$L[j] = $L", z, pairwiseSum(terms))
                .endControlFlow()
                .build();
    }

    private CodeBlock forwardUnrolled(int from, int to) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T p = params", s.array);
        for (int i = 0; i < plan.in(); i++) {
            code.addStatement("$T x$L = x[$L]", s.type, i, plus("xo", i));
        }
        for (int j = from; j < to; j++) {
            List<CodeBlock> terms = new ArrayList<>();
            terms.add(CodeBlock.of("p[$L]", plus(biases, j)));
            for (int i = 0; i < plan.in(); i++) {
                terms.add(CodeBlock.of("x$L * p[$L]", i, plus(weights, i * plan.out() + j)));
            }
            code.addStatement("$L[$L] = $L", z, j, pairwiseSum(terms));
            if (activatedInline()) {
                code.addStatement(
                        "$L[$L] = $T.$L($L[$L])",
                        a,
                        j,
                        s.activations,
                        Scalar.function(plan.layer().activation()),
                        z,
                        j);
            }
        }
        return code.build();
    }

    /**
     * Whether unrolled code applies the activation to each unit as soon as its sum is known, in
     * the same straight line, instead of in a loop over the layer afterwards.
     */
    private boolean activatedInline() {
        Activation activation = plan.layer().activation();
        return plan.unrolled() && !unitLoop() && activation != Activation.IDENTITY && activation != Activation.SOFTMAX;
    }

    /**
     * {@code t0 + t1 + ... } added as a balanced tree, {@code (t0 + t1) + (t2 + t3)}: the
     * additions' dependency chain is logarithmic in the number of terms instead of linear, so
     * the CPU can overlap them.
     */
    static CodeBlock pairwiseSum(List<CodeBlock> terms) {
        return pairwiseSum(terms, 0, terms.size(), true);
    }

    private static CodeBlock pairwiseSum(List<CodeBlock> terms, int from, int to, boolean outermost) {
        if (to - from == 1) {
            return terms.get(from);
        }
        int middle = (from + to + 1) >>> 1;
        CodeBlock sum = CodeBlock.of(
                "$L$W+ $L", pairwiseSum(terms, from, middle, false), pairwiseSum(terms, middle, to, false));
        return outermost ? sum : CodeBlock.of("($L)", sum);
    }

    private CodeBlock forwardLoops() {
        return CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .addStatement("$T.arraycopy(p, $L, $L, 0, $L)", System.class, biases, z, outSize)
                .beginControlFlow("if ($T.VECTOR_API)", KERNELS)
                .add("// the non-zero inputs, then $L += sum over them of x[i] W[i][..]\n", z)
                .addStatement("int count = 0")
                .beginControlFlow("for (int i = 0; i < $L; i++)", inSize)
                .addStatement("$T xi = x[xo + i]", s.type)
                .beginControlFlow("if (xi != 0)")
                .addStatement("nonZeroIndex[count] = i")
                .addStatement("nonZeroValue[count++] = xi")
                .endControlFlow()
                .endControlFlow()
                .addStatement(
                        "$T.multiplySparseRow(count, nonZeroIndex, nonZeroValue, $L, p, $L, $L, 0)",
                        KERNELS,
                        outSize,
                        weights,
                        z)
                .nextControlFlow("else")
                .addStatement("$L(x, xo, 0, 1, $L)", PlainCode.plain(Names.forward(name)), z)
                .endControlFlow()
                .build();
    }

    private CodeBlock activate() {
        Activation activation = plan.layer().activation();
        return switch (activation) {
            case IDENTITY -> CodeBlock.of("// identity: $L is $L\n", a, z);
            case SOFTMAX -> CodeBlock.of("$T.softmax($L, $L, 0, $L);\n", s.activations, z, a, outSize);
            default -> elementWise(a, z, outSize, false);
        };
    }

    /**
     * {@code a = f(z)} over {@code count} values: over a block of rows a ReLU runs as the
     * runtime's branch-free kernel (the same bits); anything else, and one sample, as the loop,
     * whose back-edges also make a single-sample layer method hot enough for C2.
     */
    private CodeBlock elementWise(String a, String z, String count, boolean block) {
        if (block && plan.layer().activation() == Activation.RELU) {
            return CodeBlock.builder()
                    .addStatement("$T.relu($L, 0, $L, 0, $L)", KERNELS, z, a, count)
                    .build();
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int e = 0; e < $L; e++)", count)
                .addStatement(
                        "$L[e] = $T.$L($L[e])",
                        a,
                        s.activations,
                        Scalar.function(plan.layer().activation()),
                        z)
                .endControlFlow()
                .build();
    }

    /**
     * Inverted dropout: in training each output is kept with probability {@code keep} and scaled
     * by {@code 1 / keep}; outside training the mask is all ones.
     */
    private CodeBlock dropout() {
        return dropout("", outSize);
    }

    /** Dropout over the first {@code count} values of the buffers named with {@code suffix}. */
    private CodeBlock dropout(String suffix, String count) {
        double keep = 1 - plan.layer().dropout();
        String mask = Names.mask(name) + suffix;
        return CodeBlock.builder()
                .beginControlFlow("if (training)")
                .add(
                        "// dropout $L: keep with probability $L, scaled by 1 / $L\n",
                        plan.layer().dropout(),
                        keep,
                        keep)
                .beginControlFlow("for (int e = 0; e < $L; e++)", count)
                .addStatement("$L[e] = dropoutRandom.nextDouble() < $L ? $L : 0", mask, keep, s.literal(1 / keep))
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("for (int e = 0; e < $L; e++)", count)
                .addStatement("$L[e] = $L[e] * $L[e]", Names.dropped(name) + suffix, a + suffix, mask)
                .endControlFlow()
                .build();
    }

    // ---- gradient -----------------------------------------------------------------------------

    private List<MethodSpec> gradient() {
        String javadoc = "Adds layer " + name + "'s parameter gradients to {@code g[go ..]}: "
                + "{@code dW[i][j] += x[i] d[j]}, {@code db[j] += d[j]}, with {@code d = " + d
                + "} and the layer's input at {@code x[xo ..]}.\n";
        MethodSpec.Builder method = privateMethod(Names.gradient(name))
                .addJavadoc(javadoc)
                .addParameter(s.array, "g")
                .addParameter(int.class, "go")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        List<MethodSpec> parts = new ArrayList<>();
        method.addCode(biasGradient());
        if (plan.unrolled()) {
            List<int[]> ranges = ranges(plan.in(), Plan.partRows(plan.out(), 10 + 18 * plan.out()));
            if (ranges.size() == 1) {
                method.addCode(gradientUnrolled(0, plan.in()));
            } else {
                for (int k = 0; k < ranges.size(); k++) {
                    int[] r = ranges.get(k);
                    String partName = Names.gradient(name) + "Part" + k;
                    parts.add(privateMethod(partName)
                            .addJavadoc("Inputs $L to $L of {@link #$L}.\n", r[0], r[1] - 1, Names.gradient(name))
                            .addParameter(s.array, "g")
                            .addParameter(int.class, "go")
                            .addParameter(s.array, "x")
                            .addParameter(int.class, "xo")
                            .addCode(gradientUnrolled(r[0], r[1]))
                            .build());
                    method.addStatement("$L(g, go, x, xo)", partName);
                }
            }
        } else {
            method.addCode(gradientLoops());
        }
        List<MethodSpec> all = new ArrayList<>();
        all.add(method.build());
        all.addAll(parts);
        return all;
    }

    private CodeBlock gradientUnrolled(int from, int to) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (int j = 0; j < plan.out(); j++) {
            code.addStatement("$T d$L = $L[$L]", s.type, j, d, j);
        }
        for (int i = from; i < to; i++) {
            code.addStatement("$T x$L = x[$L]", s.type, i, plus("xo", i));
            for (int j = 0; j < plan.out(); j++) {
                code.addStatement("g[go + $L] += x$L * d$L", plus(weights, i * plan.out() + j), i, j);
            }
        }
        return code.build();
    }

    private CodeBlock biasGradient() {
        return CodeBlock.builder()
                .addStatement("int bias = go + $L", biases)
                .beginControlFlow("for (int j = 0; j < $L; j++)", outSize)
                .addStatement("g[bias + j] += $L[j]", d)
                .endControlFlow()
                .build();
    }

    private CodeBlock gradientLoops() {
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", inSize)
                .addStatement("$T xi = x[xo + i]", s.type)
                .beginControlFlow("if (xi != 0)")
                .add("// dW[i][..] += xi * d\n")
                .addStatement("$T.axpy(xi, $L, 0, g, go + $L + i * $L, $L)", KERNELS, d, weights, outSize, outSize)
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    // ---- propagate ----------------------------------------------------------------------------

    private List<MethodSpec> propagate() {
        String dPrev = previous.delta();
        String javadoc = "Carries layer " + name + "'s delta back to layer " + previous.name() + ":\n"
                + "{@code " + dPrev + "[i] = f'(" + previous.preActivation() + "[i]) "
                + (previous instanceof DenseCode dc && dc.plan.layer().hasDropout()
                        ? Names.mask(previous.name()) + "[i] "
                        : "")
                + "sum_j W[i][j] " + d + "[j]}, with {@code f} = "
                + previous.activationFunction().label() + ".\n";
        MethodSpec.Builder method = privateMethod(Names.propagate(name)).addJavadoc(javadoc);
        List<MethodSpec> parts = new ArrayList<>();
        if (plan.unrolled()) {
            List<int[]> ranges = ranges(plan.in(), Plan.partRows(plan.out(), 40 + 12 * plan.out()));
            if (ranges.size() == 1) {
                method.addCode(propagateUnrolled(0, plan.in()));
            } else {
                for (int k = 0; k < ranges.size(); k++) {
                    int[] r = ranges.get(k);
                    String partName = Names.propagate(name) + "Part" + k;
                    parts.add(privateMethod(partName)
                            .addJavadoc("Inputs $L to $L of {@link #$L}.\n", r[0], r[1] - 1, Names.propagate(name))
                            .addCode(propagateUnrolled(r[0], r[1]))
                            .build());
                    method.addStatement("$L()", partName);
                }
            }
        } else {
            method.addCode(propagateLoops());
        }
        List<MethodSpec> all = new ArrayList<>();
        all.add(method.build());
        all.addAll(parts);
        return all;
    }

    private CodeBlock propagateUnrolled(int from, int to) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("$T p = params", s.array);
        for (int j = 0; j < plan.out(); j++) {
            code.addStatement("$T d$L = $L[$L]", s.type, j, d, j);
        }
        for (int i = from; i < to; i++) {
            List<CodeBlock> terms = new ArrayList<>();
            for (int j = 0; j < plan.out(); j++) {
                terms.add(CodeBlock.of("p[$L] * d$L", plus(weights, i * plan.out() + j), j));
            }
            CodeBlock sum = pairwiseSum(terms);
            String target = previous.delta() + "[" + i + "]";
            CodeBlock derivative = previous.backFactor("", "[" + i + "]");
            if (derivative == null) {
                code.addStatement("$L = $L", target, sum);
            } else {
                code.addStatement("$L = ($L) * $L", target, sum, derivative);
            }
        }
        return code.build();
    }

    private CodeBlock propagateLoops() {
        CodeBlock derivative = previous.backFactor("", "[i]");
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .beginControlFlow("for (int i = 0; i < $L; i++)", inSize)
                .add("// W[i][..] . $L\n", d)
                .addStatement(
                        "$T sum = $T.dot(p, $L + i * $L, $L, 0, $L)", s.type, KERNELS, weights, outSize, d, outSize);
        String dPrev = previous.delta();
        if (derivative == null) {
            code.addStatement("$L[i] = sum", dPrev);
        } else {
            code.addStatement("$L[i] = sum * $L", dPrev, derivative);
        }
        return code.endControlFlow().build();
    }

    /** A ReLU without dropout scales by the runtime's branch-free kernel; anything else by the loop. */
    @Override
    public CodeBlock backScale(String suffix, String buffer, String from, String count) {
        Layer.Dense layer = plan.layer();
        if (layer.activation() != Activation.RELU || layer.hasDropout()) {
            return LayerCode.super.backScale(suffix, buffer, from, count);
        }
        return CodeBlock.builder()
                .addStatement(
                        "$T.scaleByReluDerivative($L, $L, $L$L, $L, $L)", KERNELS, buffer, from, z, suffix, from, count)
                .build();
    }

    @Override
    public CodeBlock backFactor(String suffix, String index) {
        Layer.Dense layer = plan.layer();
        CodeBlock derivative = s.derivative(layer.activation(), z + suffix + index, a + suffix + index);
        if (!layer.hasDropout()) {
            return derivative;
        }
        CodeBlock mask = CodeBlock.of("$L$L$L", Names.mask(name), suffix, index);
        return derivative == null ? mask : CodeBlock.of("$L * $L", derivative, mask);
    }

    // ---- a block of rows ----------------------------------------------------------------------

    /**
     * The layer's methods over a block of rows, written as matrix products on the runtime's
     * kernels. Row {@code r} of every {@code ...Rows} buffer starts at {@code r} times the
     * layer's width.
     */
    @Override
    public List<MethodSpec> rowsMethods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(forwardRows());
        methods.add(gradientRows());
        if (previous != null) {
            methods.add(propagateRows());
        }
        return methods;
    }

    private MethodSpec forwardRows() {
        String zRows = Names.rows(z);
        String aRows = Names.rows(a);
        String count = "rows * " + outSize;
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T.arraycopy(p, $L, $L, r * $L, $L)", System.class, biases, zRows, outSize, outSize)
                .endControlFlow()
                .add("// $L += X W\n", zRows)
                .beginControlFlow("if ($T.VECTOR_API)", KERNELS)
                .addStatement(
                        "$T.multiply(rows, $L, $L, x, xo, xStride, p, $L, $L, 0, $L)",
                        KERNELS,
                        inSize,
                        outSize,
                        weights,
                        zRows,
                        outSize)
                .nextControlFlow("else")
                .addStatement("$L(x, xo, xStride, rows, $L)", PlainCode.plain(Names.forward(name)), zRows)
                .endControlFlow();
        Activation activation = plan.layer().activation();
        if (activation == Activation.SOFTMAX) {
            code.beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addStatement("$T.softmax($L, $L, r * $L, $L)", s.activations, zRows, aRows, outSize, outSize)
                    .endControlFlow();
        } else if (activation == Activation.IDENTITY) {
            code.add("// identity: $L is $L\n", aRows, zRows);
        } else {
            code.add(elementWise(aRows, zRows, count, true));
        }
        if (plan.layer().hasDropout()) {
            code.add(dropout("Rows", count));
        }
        return privateMethod(Names.rows(Names.forward(name)))
                .addJavadoc(
                        "{@link #$L} for {@code rows} rows at once; row {@code r} of the input starts at\n"
                                + "{@code x[xo + r * xStride]}.\n",
                        Names.forward(name))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addCode(code.build())
                .build();
    }

    private MethodSpec gradientRows() {
        String dRows = Names.rows(d);
        return privateMethod(Names.rows(Names.gradient(name)))
                .addJavadoc(
                        "{@link #$L} summed over {@code rows} rows: {@code dW += X^T D}, {@code db += sum_r D[r]}.\n",
                        Names.gradient(name))
                .addParameter(s.array, "g")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addStatement("$T.addRows(rows, $L, $L, 0, $L, g, $L)", KERNELS, outSize, dRows, outSize, biases)
                .beginControlFlow("if ($T.VECTOR_API)", KERNELS)
                .addStatement(
                        "$T.multiplyTransposedLeft(rows, $L, $L, x, xo, xStride, $L, 0, $L, g, $L)",
                        KERNELS,
                        inSize,
                        outSize,
                        dRows,
                        outSize,
                        weights)
                .nextControlFlow("else")
                .addStatement("$L(g, x, xo, xStride, rows)", PlainCode.plain(Names.rows(Names.gradient(name))))
                .endControlFlow()
                .build();
    }

    private MethodSpec propagateRows() {
        String dPrevRows = Names.rows(previous.delta());
        MethodSpec.Builder method = privateMethod(Names.rows(Names.propagate(name)))
                .addJavadoc("{@link #$L} for {@code rows} rows: {@code D' = f'(Z') (D W^T)}.\n", Names.propagate(name))
                .addParameter(int.class, "rows")
                .beginControlFlow("if ($T.VECTOR_API)", KERNELS)
                .addStatement(
                        "$T.multiplyTransposedRight(rows, $L, $L, $L, 0, $L, params, $L, $L, 0, $L)",
                        KERNELS,
                        inSize,
                        outSize,
                        Names.rows(d),
                        outSize,
                        weights,
                        dPrevRows,
                        inSize)
                .nextControlFlow("else")
                .addStatement("$L(rows)", PlainCode.plain(Names.rows(Names.propagate(name))))
                .endControlFlow();
        return method.addCode(previous.backScale("Rows", dPrevRows, "0", "rows * " + inSize))
                .build();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static MethodSpec.Builder privateMethod(String name) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE);
    }

    /** {@code base} or {@code base + k}: constant folding makes both a single literal. */
    static String plus(String base, int k) {
        return k == 0 ? base : base + " + " + k;
    }

    /** {@code [from, to)} ranges covering {@code 0 .. n} in steps of at most {@code size}. */
    static List<int[]> ranges(int n, int size) {
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < n; from += size) {
            ranges.add(new int[] {from, Math.min(n, from + size)});
        }
        return ranges;
    }
}
