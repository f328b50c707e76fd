package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.LayerSpec;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The code of a simple recurrent, LSTM or GRU layer over a sequence of {@code T} steps of {@code
 * F} features, with {@code H} units and {@code G} gates ({@code GH = G x H} rows per weight block,
 * PyTorch's layout). Time is never unrolled: the forward pass loops over the steps, each step one
 * product of the step's inputs with the input weights and one of the state before with the
 * recurrent weights (both on the runtime's kernels, over a block of rows at once in the batch
 * methods), then the gates element by element. Every step's gates and states stay in buffers
 * allocated at construction, so backpropagation through time walks the steps back without
 * allocating.
 *
 * <p>Buffers are laid out sample by sample, step by step: row {@code r}'s value {@code j} of step
 * {@code t} at {@code (r T + t) H + j} (gates at {@code (r T + t) GH + j}). A layer that returns
 * its sequences writes its states as its output; one that returns its last state copies the last
 * step's state into its output.
 *
 * <p>Backward protocol: the layer's delta is the gradient with respect to its output (it has no
 * activation outside its cell). Its backward pass adds its parameters' gradients and, unless it
 * reads the network's input, sets the delta of the sequence it read.
 */
final class RecurrentCode extends LoopLayerCode {
    private final Plan.RecurrentPlan plan;
    private final Layer.Recurrent recurrent;
    private final String camel;
    private final LayerSpec.Kind kind;
    private final int steps;
    private final int features;
    private final int units;
    private final int gateUnits;
    private final boolean sequences;
    /** Steps the single-sample buffers hold: at least two, so that a stream's step can read the state before it. */
    private final int slots;

    private final String states;
    private final String gate;
    private final String cell;
    private final String tanhCell;
    private final String hn;
    private final String pre;
    private final String rec;
    private final String dh;
    private final String dc;
    private final String weights;
    private final String recurrentWeights;
    private final String biases;
    private final String recurrentBiases;

    RecurrentCode(Plan.RecurrentPlan plan, LayerCode previous, Scalar s) {
        super(plan.layer(), previous, s);
        this.plan = plan;
        this.recurrent = plan.layer();
        this.camel = Names.camel(name);
        this.kind = recurrent.kind();
        this.steps = plan.in().steps();
        this.features = plan.in().features();
        this.units = recurrent.size();
        this.gateUnits = plan.spec().gateUnits();
        this.sequences = recurrent.returnSequences();
        this.slots = Math.max(steps, 2);
        this.states = sequences ? a : "s" + camel;
        this.gate = "gate" + camel;
        this.cell = "cell" + camel;
        this.tanhCell = "tanhCell" + camel;
        this.hn = "hn" + camel;
        this.pre = "pre" + camel;
        this.rec = "rec" + camel;
        this.dh = "dh" + camel;
        this.dc = "dc" + camel;
        this.weights = Names.weights(name);
        this.recurrentWeights = Names.recurrentWeights(name);
        this.biases = Names.biases(name);
        this.recurrentBiases = Names.recurrentBiases(name);
    }

    @Override
    public String describe() {
        return "layer " + name + ": " + kind.label() + " " + plan.input().name() + " "
                + plan.in().describe() + " -> " + name
                + " " + units
                + (kind == LayerSpec.Kind.SIMPLE_RNN
                        ? ", " + recurrent.activation().label()
                        : "")
                + (sequences ? ", every step's state" : ", last state");
    }

    @Override
    public CodeBlock spec() {
        return CodeBlock.of(
                "new $T.RecurrentSpec($S, $T.Kind.$L, $L, $T.$L, $L)",
                ModelGenerator.LAYER_SPEC,
                name,
                ModelGenerator.LAYER_SPEC,
                kind.name(),
                name,
                ModelGenerator.ACTIVATION,
                recurrent.activation().name(),
                sequences);
    }

    @Override
    public List<FieldSpec> constants() {
        String shape = "[" + gateUnits + "]";
        String gates = switch (kind) {
            case LSTM -> ", gates stacked input, forget, cell, output";
            case GRU -> ", gates stacked reset, update, new";
            default -> "";
        };
        List<FieldSpec> constants = new ArrayList<>(List.of(
                ModelGenerator.intConstant(
                        weights,
                        plan.weights(),
                        "Offset of layer " + name + "'s input weights " + shape + "[" + features
                                + "] (PyTorch's weight_ih_l0)" + gates + "."),
                ModelGenerator.intConstant(
                        recurrentWeights,
                        plan.recurrentWeights(),
                        "Offset of layer " + name + "'s recurrent weights " + shape + "[" + units
                                + "] (PyTorch's weight_hh_l0)."),
                ModelGenerator.intConstant(
                        biases,
                        plan.biases(),
                        "Offset of layer " + name + "'s input biases " + shape + " (PyTorch's bias_ih_l0)."),
                ModelGenerator.intConstant(
                        recurrentBiases,
                        plan.recurrentBiases(),
                        "Offset of layer " + name + "'s recurrent biases " + shape + " (PyTorch's bias_hh_l0).")));
        if (sequences) {
            constants.addAll(ModelGenerator.sequenceConstants(name, dev.chainrule.Shape.sequence(steps, units)));
        }
        constants.add(ModelGenerator.intConstant(
                Names.flatSize(name),
                outSize(),
                "Values of layer " + name + "'s output: "
                        + (sequences
                                ? steps + " steps x " + units + " units."
                                : "its last state of " + units + " units.")));
        return constants;
    }

    private int outSize() {
        return sequences ? steps * units : units;
    }

    @Override
    public List<FieldSpec> buffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        for (boolean block : batched ? new boolean[] {false, true} : new boolean[] {false}) {
            String of = block ? " for a block of rows" : "";
            int stepsHeld = block ? steps : slots;
            if (!sequences) {
                fields.add(buffer(block, a, units, "Layer " + name + "'s output, its last state" + of + "."));
            }
            fields.add(buffer(block, states, stepsHeld * units, "Layer " + name + "'s state at every step" + of + "."));
            fields.add(buffer(
                    block,
                    d,
                    outSize(),
                    "Gradient of the loss with respect to layer " + name + "'s output" + of + "."));
            if (kind != LayerSpec.Kind.SIMPLE_RNN) {
                fields.add(buffer(
                        block, gate, stepsHeld * gateUnits, "Layer " + name + "'s gates at every step" + of + "."));
            }
            if (kind == LayerSpec.Kind.LSTM) {
                fields.add(buffer(
                        block, cell, stepsHeld * units, "Layer " + name + "'s cell state at every step" + of + "."));
                fields.add(buffer(
                        block, tanhCell, stepsHeld * units, "tanh of layer " + name + "'s cell state" + of + "."));
                fields.add(buffer(
                        block, dc, units, "The gradient with respect to layer " + name + "'s cell state" + of + "."));
            }
            if (kind == LayerSpec.Kind.GRU) {
                fields.add(buffer(
                        block, hn, stepsHeld * units, "Layer " + name + "'s W_hn h + b_hn at every step" + of + "."));
            }
            fields.add(buffer(
                    block,
                    pre,
                    gateUnits,
                    "One step's input products W_ih x" + of
                            + ", then the gradients with respect to the gates' pre-activations."));
            fields.add(buffer(
                    block,
                    rec,
                    gateUnits,
                    "One step's recurrent products W_hh h" + of
                            + (kind == LayerSpec.Kind.GRU
                                    ? ", then the gradients with respect to W_hh h + b_hh."
                                    : ".")));
            fields.add(buffer(block, dh, units, "The gradient with respect to layer " + name + "'s state" + of + "."));
        }
        return fields;
    }

    @Override
    public CodeBlock initialise() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// $L: U(-1/sqrt($L), 1/sqrt($L)) weights as PyTorch's, zero biases\n", name, units, units)
                .addStatement(
                        "$T.uniform(params, $L, $L, $L, random)",
                        ModelGenerator.INITIALIZERS,
                        weights,
                        gateUnits * (features + units),
                        1 / Math.sqrt(units))
                .addStatement(
                        "$T.fill(params, $L, $L + $L, $L)", Arrays.class, biases, biases, 2 * gateUnits, s.literal(0));
        if (kind == LayerSpec.Kind.LSTM && recurrent.forgetBias() != 0) {
            code.add("// the forget gate's input biases\n")
                    .addStatement(
                            "$T.fill(params, $L + $L, $L + $L, $L)",
                            Arrays.class,
                            biases,
                            units,
                            biases,
                            2 * units,
                            s.literal(recurrent.forgetBias()));
        }
        return code.build();
    }

    // ---- the chain's calls --------------------------------------------------------------------

    @Override
    public String size() {
        return Names.flatSize(name);
    }

    // ---- streaming ----------------------------------------------------------------------------

    /** Whether the layer writes its state at every step. */
    boolean returnsSequences() {
        return sequences;
    }

    /** Units of the layer's state. */
    int units() {
        return units;
    }

    /** Input features per step. */
    int features() {
        return features;
    }

    /** The buffer holding the layer's state at every step; a stream's step writes slot {@code t}. */
    String states() {
        return states;
    }

    /** The fields holding this layer's part of a stream's state: its state, and an LSTM's cell. */
    List<FieldSpec> stateFields() {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(FieldSpec.builder(s.array, "h" + camel, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Layer $L's state after the last step.\n", name)
                .initializer("new $T[$L]", s.type, units)
                .build());
        if (kind == LayerSpec.Kind.LSTM) {
            fields.add(FieldSpec.builder(s.array, "c" + camel, Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("Layer $L's cell state after the last step.\n", name)
                    .initializer("new $T[$L]", s.type, units)
                    .build());
        }
        return fields;
    }

    /** The names of {@link #stateFields()}. */
    List<String> stateFieldNames() {
        return kind == LayerSpec.Kind.LSTM ? List.of("h" + camel, "c" + camel) : List.of("h" + camel);
    }

    /**
     * One step of a stream through this layer, reading the step's input at {@code x[xo + t * F
     * ..]}: with the locals {@code t} (0 for a stream's first step, else 1) and {@code state}, it
     * copies the stream's state into slot 0 of the layer's buffers, runs the same step as a
     * sequence's step 1 (or 0), and copies the new state back, so that the arithmetic is the
     * sequence's own.
     */
    CodeBlock streamStep(String x, String xo) {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// $L: one step from the stream's state\n", describe())
                .beginControlFlow("if (t == 1)")
                .addStatement("$T.arraycopy(state.h$L, 0, $L, 0, $L)", System.class, camel, states, units);
        if (kind == LayerSpec.Kind.LSTM) {
            code.addStatement("$T.arraycopy(state.c$L, 0, $L, 0, $L)", System.class, camel, cell, units);
        }
        code.endControlFlow()
                .addStatement("$L($L, $L, 0, 1, t)", Names.step(name), x, xo)
                .addStatement("$T.arraycopy($L, t * $L, state.h$L, 0, $L)", System.class, states, units, camel, units);
        if (kind == LayerSpec.Kind.LSTM) {
            code.addStatement("$T.arraycopy($L, t * $L, state.c$L, 0, $L)", System.class, cell, units, camel, units);
        }
        if (!sequences) {
            code.addStatement("$T.arraycopy($L, t * $L, $L, 0, $L)", System.class, states, units, a, units);
        }
        return code.build();
    }

    // ---- methods ------------------------------------------------------------------------------

    @Override
    public List<MethodSpec> methods() {
        return methods(false);
    }

    @Override
    public List<MethodSpec> rowsMethods() {
        return methods(true);
    }

    private List<MethodSpec> methods(boolean block) {
        return List.of(forwardMethod(block), stepMethod(block), backwardMethod(block), backwardStepMethod(block));
    }

    private String method(String method, boolean block) {
        return block ? Names.rows(method) : method;
    }

    /** The parameters {@code (x, xo[, xStride, rows])} and, for a single sample, the locals a block has as parameters. */
    private MethodSpec.Builder withInput(MethodSpec.Builder method, boolean block) {
        method.addParameter(s.array, "x").addParameter(int.class, "xo");
        if (block) {
            return method.addParameter(int.class, "xStride").addParameter(int.class, "rows");
        }
        return method.addStatement("int rows = 1").addStatement("int xStride = 0");
    }

    private MethodSpec forwardMethod(boolean block) {
        MethodSpec.Builder method = ImageLayerCode.privateMethod(method(Names.forward(name), block))
                .addJavadoc(
                        "Layer $L ($L) over the $L steps of $L, from a zero state.\n",
                        name,
                        kind.label(),
                        steps,
                        block
                                ? "{@code rows} sequences, row {@code r} at {@code x[xo + r * xStride ..]}"
                                : "the sequence at {@code x[xo ..]}");
        withInput(method, block)
                .beginControlFlow("for (int t = 0; t < $L; t++)", steps)
                .addStatement("$L(x, xo, xStride, rows, t)", method(Names.step(name), block))
                .endControlFlow();
        if (!sequences) {
            method.addComment("the output: the last step's state")
                    .beginControlFlow("for (int r = 0; r < rows; r++)")
                    .addStatement(
                            "$T.arraycopy($L, r * $L + $L, $L, r * $L, $L)",
                            System.class,
                            b(states, block),
                            steps * units,
                            (steps - 1) * units,
                            b(a, block),
                            units,
                            units)
                    .endControlFlow();
        }
        return method.build();
    }

    /** The statement declaring the sum of the input and recurrent parts of gate {@code g}'s pre-activation for unit {@code j}. */
    private CodeBlock preActivation(String local, int g) {
        String at = g == 0 ? "j" : g * units + " + j";
        return CodeBlock.of(
                "$T $L = pre[po + $L] + p[$L + $L] + rec[po + $L] + p[$L + $L];\n",
                s.type,
                local,
                at,
                biases,
                at,
                at,
                recurrentBiases,
                at);
    }

    private CodeBlock call(String function, String argument) {
        return CodeBlock.of("$T.$L($L)", s.activations, function, argument);
    }

    private MethodSpec stepMethod(boolean block) {
        String st = b(states, block);
        String stride = Integer.toString(block ? steps * units : slots * units);
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .addStatement("$T[] pre = $L", s.type, b(pre, block))
                .addStatement("$T[] rec = $L", s.type, b(rec, block))
                .add("// pre = W_ih x_t, rec = W_hh h_(t-1) (zero at the first step)\n")
                .addStatement(
                        "$T.multiplyTransposedRight(rows, $L, $L, x, xo + t * $L, xStride, p, $L, pre, 0, $L)",
                        ModelGenerator.KERNELS,
                        gateUnits,
                        features,
                        features,
                        weights,
                        gateUnits)
                .beginControlFlow("if (t > 0)")
                .addStatement(
                        "$T.multiplyTransposedRight(rows, $L, $L, $L, (t - 1) * $L, $L, p, $L, rec, 0, $L)",
                        ModelGenerator.KERNELS,
                        gateUnits,
                        units,
                        st,
                        units,
                        stride,
                        recurrentWeights,
                        gateUnits)
                .nextControlFlow("else")
                .addStatement("$T.fill(rec, 0, rows * $L, 0)", Arrays.class, gateUnits)
                .endControlFlow()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int po = r * $L", gateUnits)
                .addStatement("int so = r * $L + t * $L", stride, units);
        if (kind != LayerSpec.Kind.SIMPLE_RNN) {
            code.addStatement("int gt = (r * $L + t) * $L", block ? steps : slots, gateUnits);
        }
        code.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        switch (kind) {
            case SIMPLE_RNN ->
                code.add(preActivation("z", 0))
                        .addStatement("$L[so + j] = $L", st, call(Scalar.function(recurrent.activation()), "z"));
            case LSTM ->
                code.add(preActivation("zi", 0))
                        .add(preActivation("zf", 1))
                        .add(preActivation("zg", 2))
                        .add(preActivation("zo", 3))
                        .addStatement("$T i = $L", s.type, call("sigmoid", "zi"))
                        .addStatement("$T f = $L", s.type, call("sigmoid", "zf"))
                        .addStatement("$T g = $L", s.type, call("tanh", "zg"))
                        .addStatement("$T o = $L", s.type, call("sigmoid", "zo"))
                        .addStatement("$T c = f * (t > 0 ? $L[so - $L + j] : 0) + i * g", s.type, b(cell, block), units)
                        .addStatement("$T tc = $L", s.type, call("tanh", "c"))
                        .addStatement("$L[gt + j] = i", b(gate, block))
                        .addStatement("$L[gt + $L + j] = f", b(gate, block), units)
                        .addStatement("$L[gt + $L + j] = g", b(gate, block), 2 * units)
                        .addStatement("$L[gt + $L + j] = o", b(gate, block), 3 * units)
                        .addStatement("$L[so + j] = c", b(cell, block))
                        .addStatement("$L[so + j] = tc", b(tanhCell, block))
                        .addStatement("$L[so + j] = o * tc", st);
            default ->
                code.add(preActivation("zr", 0))
                        .add(preActivation("zz", 1))
                        .addStatement("$T r_ = $L", s.type, call("sigmoid", "zr"))
                        .addStatement("$T z = $L", s.type, call("sigmoid", "zz"))
                        .addStatement(
                                "$T h = rec[po + $L + j] + p[$L + $L + j]",
                                s.type,
                                2 * units,
                                recurrentBiases,
                                2 * units)
                        .addStatement(
                                "$T n = $L",
                                s.type,
                                call(
                                        "tanh",
                                        CodeBlock.of(
                                                        "pre[po + $L + j] + p[$L + $L + j] + r_ * h",
                                                        2 * units,
                                                        biases,
                                                        2 * units)
                                                .toString()))
                        .addStatement("$L[gt + j] = r_", b(gate, block))
                        .addStatement("$L[gt + $L + j] = z", b(gate, block), units)
                        .addStatement("$L[gt + $L + j] = n", b(gate, block), 2 * units)
                        .addStatement("$L[so + j] = h", b(hn, block))
                        .addStatement("$L[so + j] = (1 - z) * n + z * (t > 0 ? $L[so - $L + j] : 0)", st, st, units);
        }
        code.endControlFlow().endControlFlow();
        MethodSpec.Builder method = ImageLayerCode.privateMethod(method(Names.step(name), block))
                .addJavadoc(stepJavadoc())
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addParameter(int.class, "t");
        return method.addCode(code.build()).build();
    }

    private String stepJavadoc() {
        String equations = switch (kind) {
            case SIMPLE_RNN ->
                "{@code h_t = " + recurrent.activation().label() + "(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)}";
            case LSTM -> "the gates {@code i, f, g, o}, {@code c_t = f c_(t-1) + i g}, {@code h_t = o tanh(c_t)}";
            default -> "the gates {@code r, z, n}, {@code h_t = (1 - z) n + z h_(t-1)}";
        };
        return "Step {@code t} of layer " + name
                + " for {@code rows} rows, row {@code r}'s step at {@code x[xo + r * xStride + t * " + features
                + " ..]}:\n" + equations + ", from the state of step {@code t - 1} (zero at step 0).\n";
    }

    private MethodSpec backwardMethod(boolean block) {
        String prevDelta = previous == null ? null : b(previous.delta(), block);
        MethodSpec.Builder method = ImageLayerCode.privateMethod(method(Names.backward(name), block))
                .addJavadoc(
                        "Backpropagation through time over layer $L: from {@code $L}, the gradient with respect to its output,\n"
                                + "adds its parameters' gradients $L$L.\n",
                        name,
                        b(d, block),
                        block ? "to {@code grads}" : "to {@code g[go ..]}",
                        previous == null ? "" : " and sets " + previous.name() + "'s delta");
        withInput(method, block);
        if (block) {
            method.addStatement("$T[] g = grads", s.type).addStatement("int go = 0");
        } else {
            method.addParameter(s.array, "g").addParameter(int.class, "go");
        }
        method.addStatement("$T.fill($L, 0, rows * $L, 0)", Arrays.class, b(dh, block), units);
        if (kind == LayerSpec.Kind.LSTM) {
            method.addStatement("$T.fill($L, 0, rows * $L, 0)", Arrays.class, b(dc, block), units);
        }
        if (previous != null) {
            method.addStatement("$T.fill($L, 0, rows * $L, 0)", Arrays.class, prevDelta, steps * features);
        }
        method.beginControlFlow("for (int t = $L; t >= 0; t--)", steps - 1)
                .addStatement("$L(x, xo, xStride, rows, t, g, go)", method(Names.backwardStep(name), block))
                .endControlFlow();
        if (previous != null) {
            CodeBlock factor = previous.backFactor(block ? "Rows" : "", "[e]");
            if (factor != null) {
                method.beginControlFlow("for (int e = 0; e < rows * $L; e++)", steps * features)
                        .addStatement("$L[e] *= $L", prevDelta, factor)
                        .endControlFlow();
            }
        }
        return method.build();
    }

    private MethodSpec backwardStepMethod(boolean block) {
        String st = b(states, block);
        String stride = Integer.toString(block ? steps * units : slots * units);
        String dq = kind == LayerSpec.Kind.GRU ? "rec" : "pre";
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T p = params", s.array)
                .addStatement("$T[] pre = $L", s.type, b(pre, block));
        if (kind == LayerSpec.Kind.GRU) {
            code.addStatement("$T[] rec = $L", s.type, b(rec, block));
        }
        code.addStatement("$T[] dh = $L", s.type, b(dh, block))
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("int po = r * $L", gateUnits)
                .addStatement("int so = r * $L + t * $L", stride, units)
                .addStatement("int ho = r * $L", units);
        if (kind != LayerSpec.Kind.SIMPLE_RNN) {
            code.addStatement("int gt = (r * $L + t) * $L", block ? steps : slots, gateUnits);
        }
        if (sequences) {
            code.add("// the loss's gradient with respect to this step's state\n")
                    .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                    .addStatement("dh[ho + j] += $L[so + j]", b(d, block))
                    .endControlFlow();
        } else {
            code.beginControlFlow("if (t == $L)", steps - 1)
                    .add("// the output is the last step's state\n")
                    .beginControlFlow("for (int j = 0; j < $L; j++)", units)
                    .addStatement("dh[ho + j] += $L[ho + j]", b(d, block))
                    .endControlFlow()
                    .endControlFlow();
        }
        code.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        switch (kind) {
            case SIMPLE_RNN ->
                code.addStatement(
                        "pre[po + j] = dh[ho + j] * $L",
                        s.derivative(recurrent.activation(), st + "[so + j]", st + "[so + j]"));
            case LSTM ->
                code.addStatement("$T i = $L[gt + j]", s.type, b(gate, block))
                        .addStatement("$T f = $L[gt + $L + j]", s.type, b(gate, block), units)
                        .addStatement("$T g_ = $L[gt + $L + j]", s.type, b(gate, block), 2 * units)
                        .addStatement("$T o = $L[gt + $L + j]", s.type, b(gate, block), 3 * units)
                        .addStatement("$T tc = $L[so + j]", s.type, b(tanhCell, block))
                        .addStatement("$T cPrev = t > 0 ? $L[so - $L + j] : 0", s.type, b(cell, block), units)
                        .addStatement("$T dhj = dh[ho + j]", s.type)
                        .add("// the cell's gradient: from the step after, and through h = o tanh(c)\n")
                        .addStatement("$T dct = $L[ho + j] + dhj * o * (1 - tc * tc)", s.type, b(dc, block))
                        .addStatement("pre[po + j] = dct * g_ * i * (1 - i)")
                        .addStatement("pre[po + $L + j] = dct * cPrev * f * (1 - f)", units)
                        .addStatement("pre[po + $L + j] = dct * i * (1 - g_ * g_)", 2 * units)
                        .addStatement("pre[po + $L + j] = dhj * tc * o * (1 - o)", 3 * units)
                        .addStatement("$L[ho + j] = dct * f", b(dc, block));
            default ->
                code.addStatement("$T r_ = $L[gt + j]", s.type, b(gate, block))
                        .addStatement("$T z = $L[gt + $L + j]", s.type, b(gate, block), units)
                        .addStatement("$T n = $L[gt + $L + j]", s.type, b(gate, block), 2 * units)
                        .addStatement("$T hPrev = t > 0 ? $L[so - $L + j] : 0", s.type, st, units)
                        .addStatement("$T dhj = dh[ho + j]", s.type)
                        .addStatement("$T dn = dhj * (1 - z) * (1 - n * n)", s.type)
                        .addStatement("$T dz = dhj * (hPrev - n) * z * (1 - z)", s.type)
                        .addStatement("$T dr = dn * $L[so + j] * r_ * (1 - r_)", s.type, b(hn, block))
                        .addStatement("pre[po + j] = dr")
                        .addStatement("pre[po + $L + j] = dz", units)
                        .addStatement("pre[po + $L + j] = dn", 2 * units)
                        .add("// the recurrent side: n reads r (W_hn h + b_hn)\n")
                        .addStatement("rec[po + j] = dr")
                        .addStatement("rec[po + $L + j] = dz", units)
                        .addStatement("rec[po + $L + j] = dn * r_", 2 * units)
                        .add("// what reaches h_(t-1) directly, through z h_(t-1)\n")
                        .addStatement("dh[ho + j] = dhj * z");
        }
        code.endControlFlow()
                .add("// the biases' gradients\n")
                .beginControlFlow("for (int k = 0; k < $L; k++)", gateUnits)
                .addStatement("g[go + $L + k] += pre[po + k]", biases)
                .addStatement("g[go + $L + k] += $L[po + k]", recurrentBiases, dq)
                .endControlFlow()
                .endControlFlow()
                .add("// the weights' gradients: dW_ih += dpre x_t, dW_hh += drec h_(t-1)\n")
                .addStatement(
                        "$T.multiplyTransposedLeft(rows, $L, $L, pre, 0, $L, x, xo + t * $L, xStride, g, go + $L)",
                        ModelGenerator.KERNELS,
                        gateUnits,
                        features,
                        gateUnits,
                        features,
                        weights);
        if (previous != null) {
            code.add("// the input's gradient at this step: W_ih^T dpre\n")
                    .addStatement(
                            "$T.multiply(rows, $L, $L, pre, 0, $L, p, $L, $L, t * $L, $L)",
                            ModelGenerator.KERNELS,
                            gateUnits,
                            features,
                            gateUnits,
                            weights,
                            b(previous.delta(), block),
                            features,
                            steps * features);
        }
        code.beginControlFlow("if (t > 0)")
                .addStatement(
                        "$T.multiplyTransposedLeft(rows, $L, $L, $L, 0, $L, $L, (t - 1) * $L, $L, g, go + $L)",
                        ModelGenerator.KERNELS,
                        gateUnits,
                        units,
                        dq,
                        gateUnits,
                        st,
                        units,
                        stride,
                        recurrentWeights);
        if (kind != LayerSpec.Kind.GRU) {
            code.addStatement("$T.fill(dh, 0, rows * $L, 0)", Arrays.class, units);
        }
        code.add("// the state before's gradient: W_hh^T drec\n")
                .addStatement(
                        "$T.multiply(rows, $L, $L, $L, 0, $L, p, $L, dh, 0, $L)",
                        ModelGenerator.KERNELS,
                        gateUnits,
                        units,
                        dq,
                        gateUnits,
                        recurrentWeights,
                        units)
                .endControlFlow();
        MethodSpec.Builder method = ImageLayerCode.privateMethod(method(Names.backwardStep(name), block))
                .addJavadoc(
                        "Step {@code t} of {@link #$L}: adds {@code $L}'s gradient of this step's state into {@code dh}, carries\n"
                                + "it through the cell into the gates, the parameters' gradients and the input's, and leaves in {@code dh}\n"
                                + "the gradient with respect to the state of step {@code t - 1}.\n",
                        method(Names.backward(name), block),
                        b(d, block))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows")
                .addParameter(int.class, "t")
                .addParameter(s.array, "g")
                .addParameter(int.class, "go");
        return method.addCode(code.build()).build();
    }
}
