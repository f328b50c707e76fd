package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Activation;
import dev.chainrule.Shape;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * The code of a dense layer applied to every step of a sequence of {@code T} steps of {@code F}
 * features, with {@code U} units: for each step, {@code z_t = W^T x_t + b} on the runtime's
 * kernels and {@code a_t = activation(z_t)} (a softmax normalises each step). The single-sample
 * forward pass goes step by step, so that a stream's step runs exactly a sequence's; the
 * backward pass takes every step at once: {@code dW += X^T D}, {@code db += sum_t d_t} and the
 * previous layer's delta {@code D W^T}.
 */
final class StepDenseCode extends LoopLayerCode {
    private final Plan.StepDensePlan plan;
    private final Layer.Dense dense;
    private final Activation activation;
    private final int steps;
    private final int features;
    private final int units;
    private final String z;
    private final String weights;
    private final String biases;

    StepDenseCode(Plan.StepDensePlan plan, LayerCode previous, Scalar s) {
        super(plan.layer(), previous, s);
        this.plan = plan;
        this.dense = plan.layer();
        this.activation = dense.activation();
        this.steps = plan.in().steps();
        this.features = plan.in().features();
        this.units = dense.size();
        this.z = activation == Activation.IDENTITY ? a : Names.preActivation(name);
        this.weights = Names.weights(name);
        this.biases = Names.biases(name);
    }

    @Override
    public String describe() {
        return "layer " + name + ": dense per step " + plan.input().name() + " "
                + plan.in().describe() + " -> " + name + " " + steps + " steps x " + units + ", " + activation.label();
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of(
                "new $T.StepDenseSpec($S, $L, $T.$L)",
                ModelGenerator.LAYER_SPEC,
                name,
                name,
                ModelGenerator.ACTIVATION,
                activation.name());
    }

    @Override
    public List<FieldSpec> constants() {
        List<FieldSpec> constants = new ArrayList<>(List.of(
                ModelGenerator.intConstant(
                        weights,
                        plan.weights(),
                        "Offset of layer " + name + "'s " + features + " x " + units
                                + " weights, input-major, shared by every step."),
                ModelGenerator.intConstant(
                        biases, plan.biases(), "Offset of layer " + name + "'s " + units + " biases.")));
        constants.addAll(ModelGenerator.sequenceConstants(name, Shape.sequence(steps, units)));
        constants.add(ModelGenerator.intConstant(
                Names.flatSize(name),
                steps * units,
                "Values of layer " + name + "'s output: " + steps + " steps x " + units + " units."));
        return constants;
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        int size = steps * units;
        for (boolean block : batched ? new boolean[] {false, true} : new boolean[] {false}) {
            String of = block ? " for a block of rows" : "";
            if (!z.equals(a)) {
                fields.add(buffer(block, z, size, "Layer " + name + "'s pre-activation z at every step" + of + "."));
            }
            fields.add(buffer(block, a, size, "Layer " + name + "'s output at every step" + of + "."));
            fields.add(
                    buffer(block, d, size, "Gradient of the loss with respect to layer " + name + "'s z" + of + "."));
        }
        return fields;
    }

    @Override
    public CodeBlock initialise() {
        return CodeBlock.of(
                "$T.dense(params, $L, $L, $L, $L, $L, random);\n",
                ModelGenerator.INITIALIZERS,
                weights,
                biases,
                features,
                units,
                activation.isRectifier());
    }

    /** The statement running one step of a stream: step {@code t}'s input at {@code x[xo ..]} into slot {@code t}. */
    CodeBlock streamStep(String x, String xo) {
        return CodeBlock.of("$L($L, $L, t);\n", Names.step(name), x, xo);
    }

    @Override
    public String preActivation() {
        return z;
    }

    @Override
    public Activation activationFunction() {
        return activation;
    }

    @Override
    public String size() {
        return Names.flatSize(name);
    }

    @Override
    public CodeBlock backFactor(String suffix, String index) {
        return activation == Activation.SOFTMAX
                ? null
                : s.derivative(activation, z + suffix + index, a + suffix + index);
    }

    @Override
    public List<MethodSpec> methods() {
        return List.of(stepMethod(), forwardMethod(false), backwardMethod(false));
    }

    @Override
    public List<MethodSpec> rowsMethods() {
        return List.of(forwardMethod(true), backwardMethod(true));
    }

    /** Step {@code t} into the buffers named with {@code block}, from the input at {@code x[xo ..]}, for slot {@code o}. */
    private CodeBlock oneStep(boolean block, String x, String xo, String o) {
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T.arraycopy(params, $L, $L, $L, $L)", System.class, biases, b(z, block), o, units)
                .addStatement(
                        "$T.multiply(1, $L, $L, $L, $L, $L, params, $L, $L, $L, $L)",
                        ModelGenerator.KERNELS,
                        features,
                        units,
                        x,
                        xo,
                        features,
                        weights,
                        b(z, block),
                        o,
                        units);
        if (activation == Activation.SOFTMAX) {
            code.addStatement("$T.softmax($L, $L, $L, $L)", s.activations, b(z, block), b(a, block), o, units);
        } else if (activation != Activation.IDENTITY) {
            code.beginControlFlow("for (int j = $L; j < $L + $L; j++)", o, o, units)
                    .addStatement(
                            "$L[j] = $T.$L($L[j])",
                            b(a, block),
                            s.activations,
                            Scalar.function(activation),
                            b(z, block))
                    .endControlFlow();
        }
        return code.build();
    }

    private MethodSpec stepMethod() {
        return ImageLayerCode.privateMethod(Names.step(name))
                .addJavadoc(
                        "Step {@code t} of layer $L: {@code z_t = W^T x_t + b}, {@code a_t = $L(z_t)}, for the step's input at\n"
                                + "{@code x[xo ..]}.\n",
                        name,
                        activation.label())
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "t")
                .addStatement("int o = t * $L", units)
                .addCode(oneStep(false, "x", "xo", "o"))
                .build();
    }

    private MethodSpec forwardMethod(boolean block) {
        MethodSpec.Builder method = ImageLayerCode.privateMethod(
                        block ? Names.rows(Names.forward(name)) : Names.forward(name))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        if (!block) {
            return method.addJavadoc(
                            "Layer $L ($L) on every step of the sequence at {@code x[xo ..]}.\n", name, describe())
                    .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
                    .addStatement("$L(x, xo + t * $L, t)", Names.step(name), features)
                    .endControlFlow()
                    .build();
        }
        return method.addJavadoc(
                        "{@link #$L} for {@code rows} sequences, row {@code r} at {@code x[xo + r * xStride ..]}.\n",
                        Names.forward(name))
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
                .addStatement("int o = (r * $L + t) * $L", steps, units)
                .addCode(oneStep(true, "x", "xo + r * xStride + t * " + features, "o"))
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    private MethodSpec backwardMethod(boolean block) {
        String delta = b(d, block);
        MethodSpec.Builder method = ImageLayerCode.privateMethod(
                        block ? Names.rows(Names.backward(name)) : Names.backward(name))
                .addJavadoc(
                        "Adds layer $L's parameter gradients over every step $L$L.\n",
                        name,
                        block ? "of the {@code rows} rows to {@code grads}" : "to {@code g[go ..]}",
                        previous == null ? "" : " and sets " + previous.name() + "'s delta")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        if (block) {
            method.addParameter(int.class, "xStride")
                    .addParameter(int.class, "rows")
                    .addStatement("$T[] g = grads", s.type)
                    .addStatement("int go = 0");
        } else {
            method.addParameter(s.array, "g")
                    .addParameter(int.class, "go")
                    .addStatement("int rows = 1")
                    .addStatement("int xStride = 0");
        }
        method.beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int o = r * $L", steps * units)
                .addStatement(
                        "$T.addRows($L, $L, $L, o, $L, g, go + $L)",
                        ModelGenerator.KERNELS,
                        steps,
                        units,
                        delta,
                        units,
                        biases)
                .addComment("every step's input against its delta")
                .addStatement(
                        "$T.multiplyTransposedLeft($L, $L, $L, x, xo + r * xStride, $L, $L, o, $L, g, go + $L)",
                        ModelGenerator.KERNELS,
                        steps,
                        features,
                        units,
                        features,
                        delta,
                        units,
                        weights);
        if (previous != null) {
            String prev = b(previous.delta(), block);
            method.addComment("the previous layer's delta at every step: d_t W^T")
                    .addStatement(
                            "$T.multiplyTransposedRight($L, $L, $L, $L, o, $L, params, $L, $L, r * $L, $L)",
                            ModelGenerator.KERNELS,
                            steps,
                            features,
                            units,
                            delta,
                            units,
                            weights,
                            prev,
                            steps * features,
                            features);
            method.addCode(
                    previous.backScale(block ? "Rows" : "", prev, "r * " + steps * features, "" + steps * features));
        }
        return method.endControlFlow().build();
    }
}
