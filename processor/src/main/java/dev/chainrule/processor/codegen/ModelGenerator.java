package dev.chainrule.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.Activation;
import dev.chainrule.Shape;
import dev.chainrule.processor.model.Names;
import dev.chainrule.processor.model.NetworkModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.lang.model.element.Modifier;

/**
 * Writes the model class of a planned network: constants naming the parameter layout, the
 * buffers, constructors, the public methods of {@code FloatModel}/{@code DoubleModel}, and the
 * private methods that chain the layers ({@link DenseCode} writes each layer's own).
 */
public final class ModelGenerator {
    private static final String RUNTIME = "dev.chainrule";
    private static final ClassName NETWORK_SPEC = ClassName.get(RUNTIME, "NetworkSpec");
    static final ClassName LAYER_SPEC = ClassName.get(RUNTIME, "LayerSpec");
    static final ClassName ACTIVATION = ClassName.get(RUNTIME, "Activation");
    private static final ClassName LOSS = ClassName.get(RUNTIME, "Loss");
    private static final ClassName PRECISION = ClassName.get(RUNTIME, "Precision");
    static final ClassName CHECKS = ClassName.get("dev.chainrule.kernel", "Checks");
    static final ClassName INITIALIZERS = ClassName.get("dev.chainrule.kernel", "Initializers");
    static final ClassName KERNELS = ClassName.get("dev.chainrule.kernel", "Kernels");
    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    private static final String PROCESSOR = "dev.chainrule.processor.ChainruleProcessor";

    private final Plan plan;
    private final NetworkModel network;
    private final Scalar s;
    private final ClassName self;
    private final String input;
    private final String output;
    private final String aOut;
    private final String zOut;
    private final String dOut;
    /** The code of each layer after the input, in order. */
    private final List<LayerCode> codes = new java.util.ArrayList<>();

    public ModelGenerator(Plan plan) {
        this.plan = plan;
        this.network = plan.network();
        this.s = Scalar.of(network.precision());
        this.self = ClassName.get(network.packageName(), network.generatedName());
        this.input = network.layers().get(0).name();
        LayerCode previous = null;
        for (Plan.LayerPlan layer : plan.layers()) {
            LayerCode code = codeOf(layer, previous);
            codes.add(code);
            previous = code;
        }
        LayerCode last = codes.get(codes.size() - 1);
        this.output = last.size();
        this.aOut = last.activation();
        this.zOut = last.preActivation();
        this.dOut = last.delta();
    }

    /** The code generator of one layer's kind. */
    private LayerCode codeOf(Plan.LayerPlan layer, LayerCode previous) {
        if (layer instanceof Plan.DensePlan dense) {
            return new DenseCode(dense, previous, s);
        } else if (layer instanceof Plan.ConvPlan conv) {
            return new ConvCode(conv, previous, s);
        } else if (layer instanceof Plan.PoolPlan pool) {
            return new PoolCode(pool, previous, s);
        } else if (layer instanceof Plan.RecurrentPlan recurrent) {
            return new RecurrentCode(recurrent, previous, s);
        } else if (layer instanceof Plan.StepDensePlan step) {
            return new StepDenseCode(step, previous, s);
        } else if (layer instanceof Plan.FixedPointPlan fixed) {
            return new FixedPointCode(fixed, previous, s);
        }
        return new GlobalPoolCode((Plan.GlobalPoolPlan) layer, previous, s);
    }

    private LayerCode last() {
        return codes.get(codes.size() - 1);
    }

    /** The generated source file. */
    public JavaFile generate(boolean publicInterface) {
        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(Modifier.FINAL)
                .addAnnotation(AnnotationSpec.builder(GENERATED)
                        .addMember("value", "$S", PROCESSOR)
                        .addMember("comments", "$S", "from " + network.qualifiedName())
                        .build())
                .addSuperinterface(interfaceName())
                .addSuperinterface(streams() ? s.streamingContract : s.contract)
                .addSuperinterfaces(fixedPoints().isEmpty() ? List.of() : List.of(FIXED_POINT_MODEL))
                .addJavadoc(classJavadoc());
        if (publicInterface) {
            type.addModifiers(Modifier.PUBLIC);
        }
        addConstants(type);
        addFields(type);
        addConstructors(type);
        addAccessors(type);
        addPrediction(type);
        addLoss(type);
        addGradients(type);
        addJacobian(type);
        addChain(type);
        for (LayerCode code : codes) {
            type.addMethods(code.methods());
        }
        if (plan.batched()) {
            addRowsChain(type);
            for (LayerCode code : codes) {
                type.addMethods(code.rowsMethods());
            }
        }
        addPlainCode(type);
        if (streams()) {
            addStreaming(type);
        }
        if (!fixedPoints().isEmpty()) {
            addFixedPoints(type);
        }
        return JavaFile.builder(network.packageName(), type.build())
                .addFileComment(
                        "Generated by Chainrule from $L. Do not modify: change the interface and recompile.",
                        network.qualifiedName())
                .skipJavaLangImports(true)
                .build();
    }

    /**
     * The plain-Java matrix products of the layers written as loops (and, when batch methods go
     * by blocks, of every layer), their eight-row helpers, and the scratch rows they copy into.
     */
    private void addPlainCode(TypeSpec.Builder type) {
        java.util.SortedSet<Integer> widths = new java.util.TreeSet<>();
        for (Plan.DensePlan layer : plan.denseLayers()) {
            PlainCode plain = new PlainCode(layer, s);
            if (plain.any(plan.batched())) {
                type.addMethods(plain.methods(plan.batched()));
                widths.addAll(plain.widths(plan.batched()));
            }
        }
        int widestLoopInput = plan.denseLayers().stream()
                .filter(l -> !l.unrolled())
                .mapToInt(Plan.DensePlan::in)
                .max()
                .orElse(0);
        if (widestLoopInput > 0) {
            type.addField(FieldSpec.builder(int[].class, "nonZeroIndex", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The indices of a loop layer's non-zero inputs, for the Vector API kernel.\n")
                    .initializer("new int[$L]", widestLoopInput)
                    .build());
            type.addField(FieldSpec.builder(s.array, "nonZeroValue", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The values of a loop layer's non-zero inputs, for the Vector API kernel.\n")
                    .initializer("new $T[$L]", s.type, widestLoopInput)
                    .build());
        }
        if (widths.isEmpty()) {
            return;
        }
        int widest = widths.last();
        type.addField(FieldSpec.builder(s.array, "scratch", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Eight rows of the widest layer, the rows the plain-Java loops add, at offsets C2 knows.\n")
                .initializer("new $T[$L]", s.type, 8 * widest)
                .build());
        type.addField(FieldSpec.builder(ArrayTypeName.of(s.array), "plainRows", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The rows the plain-Java loops add to, each an array of its own read from offset 0.\n")
                .initializer(
                        "new $T[$L][$L]",
                        s.type,
                        plan.batched() ? Math.max(Plan.BLOCK_ROWS, PlainCode.GRADIENT_ROWS) : 1,
                        widest)
                .build());
        if (plan.batched()) {
            type.addField(FieldSpec.builder(ArrayTypeName.of(s.array), "deltaGroups", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("A block's delta rows, eight to a group, for the plain-Java weight gradients.\n")
                    .initializer("new $T[$L][$L]", s.type, (Plan.BLOCK_ROWS + 7) / 8, 8 * widest)
                    .build());
        }
        for (int width : widths) {
            type.addMethod(PlainCode.addEightRowsMethod(width, s));
        }
    }

    private ClassName interfaceName() {
        String[] parts = network.interfaceName().split("\\.", -1);
        return ClassName.get(network.packageName(), parts[0], Arrays.copyOfRange(parts, 1, parts.length));
    }

    private CodeBlock classJavadoc() {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The network declared by {@link $T}, generated by Chainrule.\n\n", interfaceName())
                .add("<pre>\n")
                .add("$L input $L\n", input, plan.spec().shape(0).describe());
        for (LayerCode code : codes) {
            doc.add("$L\n", code.describe());
        }
        doc.add(
                        "loss $L, precision $L, $L parameters\n",
                        network.loss().label(),
                        network.precision().label(),
                        plan.parameterCount())
                .add("</pre>\n\n")
                .add(
                        "<p>Parameters are laid out as {@link $T} documents; the constants {@code <LAYER>_WEIGHTS} and\n",
                        ClassName.get(RUNTIME, "Model"))
                .add("{@code <LAYER>_BIASES} give each block's offset. One instance serves one thread at a time:\n")
                .add("use {@link #withSharedParameters()} for more.\n");
        return doc.build();
    }

    // ---- constants and fields -----------------------------------------------------------------

    private void addConstants(TypeSpec.Builder type) {
        CodeBlock.Builder layers = CodeBlock.builder();
        if (plan.spec().shape(0) instanceof Shape.Image image) {
            layers.add("$T.image($S, $L, $L, $L)", LAYER_SPEC, input, image.channels(), image.height(), image.width());
        } else if (plan.spec().shape(0) instanceof Shape.Sequence sequence) {
            layers.add("$T.sequence($S, $L, $L)", LAYER_SPEC, input, sequence.steps(), sequence.features());
        } else {
            layers.add("$T.input($S, $L)", LAYER_SPEC, input, input);
        }
        for (LayerCode code : codes) {
            layers.add(",\n$L", code.spec());
        }
        type.addField(FieldSpec.builder(NETWORK_SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The network this class was generated from.\n")
                .initializer(
                        "new $T($S, $T.$L, $T.$L, $T.of(\n$>$>$L$<$<))",
                        NETWORK_SPEC,
                        network.qualifiedName(),
                        PRECISION,
                        network.precision().name(),
                        LOSS,
                        network.loss().name(),
                        List.class,
                        layers.build())
                .build());
        if (plan.spec().shape(0) instanceof Shape.Image image) {
            type.addFields(imageConstants(input, image));
        } else if (plan.spec().shape(0) instanceof Shape.Sequence sequence) {
            type.addFields(sequenceConstants(input, sequence));
        }
        for (LayerCode code : codes) {
            type.addFields(code.constants());
        }
        type.addField(intConstant(
                "PARAMETER_COUNT",
                plan.parameterCount(),
                "Number of parameters: the length of {@link #parameters()} and {@link #gradients()}."));
        if (plan.batched()) {
            type.addField(FieldSpec.builder(int.class, "BLOCK_ROWS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Rows the batch methods carry through the layers at once.\n")
                    .initializer("$L", Plan.BLOCK_ROWS)
                    .build());
        }
        type.addField(FieldSpec.builder(long.class, "JACOBIAN_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Length of the array {@link #jacobian} fills: outputs x parameters.\n")
                .initializer("(long) $L * PARAMETER_COUNT", output)
                .build());
    }

    /** The public constants naming an image layer's output shape: {@code <LAYER>_CHANNELS}, {@code _HEIGHT}, {@code _WIDTH}. */
    static List<FieldSpec> imageConstants(String layer, Shape.Image image) {
        return List.of(
                intConstant(Names.channels(layer), image.channels(), "Channels of layer " + layer + "'s output."),
                intConstant(Names.height(layer), image.height(), "Rows of layer " + layer + "'s output."),
                intConstant(Names.width(layer), image.width(), "Columns of layer " + layer + "'s output."));
    }

    /** The public constants naming a sequence layer's output shape: {@code <LAYER>_STEPS} and {@code _FEATURES}. */
    static List<FieldSpec> sequenceConstants(String layer, Shape.Sequence sequence) {
        return List.of(
                intConstant(Names.steps(layer), sequence.steps(), "Steps of layer " + layer + "'s output."),
                intConstant(
                        Names.features(layer),
                        sequence.features(),
                        "Values of each step of layer " + layer + "'s output."));
    }

    static FieldSpec intConstant(String name, int value, String javadoc) {
        return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("$L\n", javadoc)
                .initializer("$L", value)
                .build();
    }

    private void addFields(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(s.array, "params", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Every weight and bias; possibly shared with siblings.\n")
                .build());
        type.addField(FieldSpec.builder(s.array, "grads", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("Accumulated gradients, laid out like {@link #params}.\n")
                .build());
        for (LayerCode code : codes) {
            type.addFields(code.buffers(plan.batched()));
        }
        if (hasDropout()) {
            type.addField(FieldSpec.builder(boolean.class, "training", Modifier.PRIVATE)
                    .addJavadoc("Whether dropout is active.\n")
                    .build());
            type.addField(FieldSpec.builder(SplittableRandom.class, "dropoutRandom", Modifier.PRIVATE)
                    .addJavadoc("Draws the dropout masks.\n")
                    .build());
        }
    }

    /** Every mask buffer, single and block: they hold ones outside training. */
    private List<String> maskBuffers() {
        List<String> masks = new java.util.ArrayList<>();
        for (Plan.DensePlan layer : plan.denseLayers()) {
            if (layer.layer().hasDropout()) {
                masks.add(Names.mask(layer.name()));
                if (plan.batched()) {
                    masks.add(Names.rows(Names.mask(layer.name())));
                }
            }
        }
        return masks;
    }

    private boolean hasDropout() {
        return plan.denseLayers().stream().anyMatch(l -> l.layer().hasDropout());
    }

    static FieldSpec buffer(Scalar s, String field, String size, String javadoc) {
        return FieldSpec.builder(s.array, field, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L\n", javadoc)
                .initializer("new $T[$L]", s.type, size)
                .build();
    }

    // ---- construction and accessors -----------------------------------------------------------

    private void addConstructors(TypeSpec.Builder type) {
        MethodSpec.Builder seeded = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addParameter(long.class, "seed")
                .addJavadoc(
                        "A network initialised from {@code seed}: He normal weights for rectifier layers, Glorot\n"
                                + "uniform for the others, zero biases. The same seed gives the same parameters on every JVM.\n")
                .addStatement("this(new $T[PARAMETER_COUNT])", s.type)
                .addStatement("$T random = new $T(seed)", SplittableRandom.class, SplittableRandom.class);
        for (LayerCode code : codes) {
            seeded.addCode(code.initialise());
        }
        if (hasDropout()) {
            seeded.addStatement("this.dropoutRandom = random.split()");
        }
        type.addMethod(seeded.build());
        MethodSpec.Builder shared = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(s.array, "parameters")
                .addStatement("this.params = parameters")
                .addStatement("this.grads = new $T[PARAMETER_COUNT]", s.type);
        if (hasDropout()) {
            shared.addStatement("this.dropoutRandom = new $T(0)", SplittableRandom.class);
            for (String mask : maskBuffers()) {
                shared.addStatement("$T.fill($L, 1)", Arrays.class, mask);
            }
        }
        type.addMethod(shared.build());
        if (hasDropout()) {
            addTrainingMode(type);
        }
        type.addMethod(MethodSpec.methodBuilder("fromParameters")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(self)
                .addParameter(s.array, "values")
                .addJavadoc(
                        "A network with a copy of {@code values} as its parameters.\n\n"
                                + "@throws IllegalArgumentException if the length is not {@link #PARAMETER_COUNT} or a value is not finite\n")
                .addStatement("$T model = new $T(new $T[PARAMETER_COUNT])", self, self, s.type)
                .addStatement("model.setParameters(values)")
                .addStatement("return model")
                .build());
        MethodSpec.Builder sibling = override("withSharedParameters", self);
        if (hasDropout()) {
            sibling.addStatement("$T sibling = new $T(params)", self, self)
                    .addStatement("sibling.dropoutRandom = dropoutRandom.split()")
                    .addStatement("sibling.setTraining(training)")
                    .addStatement("return sibling");
        } else {
            sibling.addStatement("return new $T(params)", self);
        }
        type.addMethod(sibling.build());
    }

    private void addTrainingMode(TypeSpec.Builder type) {
        MethodSpec.Builder set = override("setTraining", TypeName.VOID)
                .addParameter(boolean.class, "training")
                .addStatement("this.training = training")
                .beginControlFlow("if (!training)");
        for (String mask : maskBuffers()) {
            set.addStatement("$T.fill($L, 1)", Arrays.class, mask);
        }
        type.addMethod(set.endControlFlow().build());
        type.addMethod(override("isTraining", TypeName.BOOLEAN)
                .addStatement("return training")
                .build());
        type.addMethod(override("seedDropout", TypeName.VOID)
                .addParameter(long.class, "seed")
                .addStatement("this.dropoutRandom = new $T(seed)", SplittableRandom.class)
                .build());
    }

    private void addAccessors(TypeSpec.Builder type) {
        type.addMethod(
                override("spec", NETWORK_SPEC).addStatement("return SPEC").build());
        type.addMethod(override("inputSize", TypeName.INT)
                .addStatement("return $L", input)
                .build());
        type.addMethod(override("outputSize", TypeName.INT)
                .addStatement("return $L", output)
                .build());
        type.addMethod(override("parameterCount", TypeName.INT)
                .addStatement("return PARAMETER_COUNT")
                .build());
        type.addMethod(
                override("parameters", s.array).addStatement("return params").build());
        type.addMethod(
                override("gradients", s.array).addStatement("return grads").build());
        type.addMethod(override("zeroGradients", TypeName.VOID)
                .addStatement("$T.fill(grads, 0)", Arrays.class)
                .build());
        type.addMethod(override("setParameters", TypeName.VOID)
                .addParameter(s.array, "values")
                .addStatement("$T.length(values.length, PARAMETER_COUNT, $S)", CHECKS, "parameters")
                .addStatement("$T.finite(values, 0, PARAMETER_COUNT, $S)", CHECKS, "parameters")
                .addStatement("$T.arraycopy(values, 0, params, 0, PARAMETER_COUNT)", System.class)
                .build());
        type.addMethod(override("toString", ClassName.get(String.class))
                .addStatement("return $S + SPEC.describe() + $S", self.simpleName() + "[", "]")
                .build());
    }

    // ---- public computations ------------------------------------------------------------------

    private void addPrediction(TypeSpec.Builder type) {
        type.addMethod(override("predict", TypeName.VOID)
                .addParameter(s.array, "input")
                .addParameter(s.array, "output")
                .addCode(checkLength("input", input))
                .addCode(checkLength("output", output))
                .addStatement("forward(input, 0)")
                .addStatement("$T.arraycopy($L, 0, output, 0, $L)", System.class, aOut, output)
                .build());
        type.addMethod(override("predict", TypeName.VOID)
                .addParameter(s.array, "input")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "output")
                .addParameter(int.class, "outputOffset")
                .addCode(checkRange("input", "inputOffset", input))
                .addCode(checkRange("output", "outputOffset", output))
                .addStatement("forward(input, inputOffset)")
                .addStatement("$T.arraycopy($L, 0, output, outputOffset, $L)", System.class, aOut, output)
                .build());
        type.addMethod(override("predictBatch", TypeName.VOID)
                .addParameter(s.array, "inputs")
                .addParameter(s.array, "outputs")
                .addParameter(int.class, "rows")
                .addCode(checkRows("inputs", input))
                .addCode(checkRows("outputs", output))
                .addStatement("predictRows(inputs, 0, outputs, 0, rows)")
                .build());
        type.addMethod(override("predictBatch", TypeName.VOID)
                .addParameter(s.array, "inputs")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "outputs")
                .addParameter(int.class, "outputOffset")
                .addParameter(int.class, "rows")
                .addStatement("$T.rowsAt(inputs.length, inputOffset, rows, $L, $S)", CHECKS, input, "inputs")
                .addStatement("$T.rowsAt(outputs.length, outputOffset, rows, $L, $S)", CHECKS, output, "outputs")
                .addStatement("predictRows(inputs, inputOffset, outputs, outputOffset, rows)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("predictRows")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "The batch prediction of the checked rows from {@code inputs[io]} into {@code outputs[oo]}.\n")
                .addParameter(s.array, "inputs")
                .addParameter(int.class, "io")
                .addParameter(s.array, "outputs")
                .addParameter(int.class, "oo")
                .addParameter(int.class, "rows")
                .addCode(overRows(
                        CodeBlock.builder()
                                .addStatement("forwardRows(inputs, io + r0 * $L, n)", input)
                                .addStatement(
                                        "$T.arraycopy($L, 0, outputs, oo + r0 * $L, n * $L)",
                                        System.class,
                                        Names.rows(aOut),
                                        output,
                                        output)
                                .build(),
                        CodeBlock.builder()
                                .addStatement("forward(inputs, io + r * $L)", input)
                                .addStatement(
                                        "$T.arraycopy($L, 0, outputs, oo + r * $L, $L)",
                                        System.class,
                                        aOut,
                                        output,
                                        output)
                                .build()))
                .build());
    }

    private void addLoss(TypeSpec.Builder type) {
        type.addMethod(override("loss", s.type)
                .addParameter(s.array, "input")
                .addParameter(s.array, "target")
                .addCode(checkLength("input", input))
                .addCode(checkLength("target", output))
                .addStatement("forward(input, 0)")
                .addStatement("return outputLoss(target, 0)")
                .build());
        type.addMethod(override("loss", s.type)
                .addParameter(s.array, "input")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "target")
                .addParameter(int.class, "targetOffset")
                .addCode(checkRange("input", "inputOffset", input))
                .addCode(checkRange("target", "targetOffset", output))
                .addStatement("forward(input, inputOffset)")
                .addStatement("return outputLoss(target, targetOffset)")
                .build());
        type.addMethod(override("lossBatch", s.type)
                .addParameter(s.array, "inputs")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "rows")
                .addCode(checkRows("inputs", input))
                .addCode(checkRows("targets", output))
                .addStatement("return lossRows(inputs, 0, targets, 0, rows)")
                .build());
        type.addMethod(override("lossBatch", s.type)
                .addParameter(s.array, "inputs")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "targetOffset")
                .addParameter(int.class, "rows")
                .addStatement("$T.rowsAt(inputs.length, inputOffset, rows, $L, $S)", CHECKS, input, "inputs")
                .addStatement("$T.rowsAt(targets.length, targetOffset, rows, $L, $S)", CHECKS, output, "targets")
                .addStatement("return lossRows(inputs, inputOffset, targets, targetOffset, rows)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("lossRows")
                .addModifiers(Modifier.PRIVATE)
                .returns(s.type)
                .addJavadoc(
                        "The mean loss of the checked rows from {@code inputs[io]} against those from {@code targets[to]}.\n")
                .addParameter(s.array, "inputs")
                .addParameter(int.class, "io")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "to")
                .addParameter(int.class, "rows")
                .addStatement("double sum = 0")
                .addCode(overRows(
                        CodeBlock.builder()
                                .addStatement("forwardRows(inputs, io + r0 * $L, n)", input)
                                .addStatement("sum += outputLossRows(targets, to + r0 * $L, n)", output)
                                .build(),
                        CodeBlock.builder()
                                .addStatement("forward(inputs, io + r * $L)", input)
                                .addStatement("sum += outputLoss(targets, to + r * $L)", output)
                                .build()))
                .addStatement("return $L", s.narrow("sum / rows"))
                .build());
    }

    private void addGradients(TypeSpec.Builder type) {
        type.addMethod(override("accumulateGradients", s.type)
                .addParameter(s.array, "input")
                .addParameter(s.array, "target")
                .addCode(checkLength("input", input))
                .addCode(checkLength("target", output))
                .addCode(checkFinite("input", "0", input))
                .addCode(checkFinite("target", "0", output))
                .addStatement("forward(input, 0)")
                .addStatement("$T loss = outputDelta(target, 0, 1)", s.type)
                .addStatement("backward(grads, 0, input, 0)")
                .addStatement("return loss")
                .build());
        type.addMethod(override("accumulateGradients", s.type)
                .addParameter(s.array, "input")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "target")
                .addParameter(int.class, "targetOffset")
                .addParameter(s.type, "weight")
                .addCode(checkRange("input", "inputOffset", input))
                .addCode(checkRange("target", "targetOffset", output))
                .addCode(checkFinite("input", "inputOffset", input))
                .addCode(checkFinite("target", "targetOffset", output))
                .addStatement("$T.finite(weight, $S)", CHECKS, "weight")
                .addStatement("forward(input, inputOffset)")
                .addStatement("$T loss = outputDelta(target, targetOffset, weight)", s.type)
                .addStatement("backward(grads, 0, input, inputOffset)")
                .addStatement("return loss")
                .build());
        type.addMethod(override("accumulateGradientsBatch", s.type)
                .addParameter(s.array, "inputs")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "rows")
                .addCode(checkRows("inputs", input))
                .addCode(checkRows("targets", output))
                .addStatement("return accumulateGradientsBatch(inputs, 0, targets, 0, rows, $L / rows)", s.literal(1))
                .build());
        type.addMethod(batchGradient()
                .addCode(batchChecks())
                .addStatement("double sum = 0")
                .addCode(overRows(
                        CodeBlock.builder()
                                .addStatement("forwardRows(inputs, inputOffset + r0 * $L, n)", input)
                                .addStatement(
                                        "sum += outputDeltaRows(targets, targetOffset + r0 * $L, n, weight)", output)
                                .addStatement("backwardRows(inputs, inputOffset + r0 * $L, n)", input)
                                .build(),
                        CodeBlock.builder()
                                .addStatement("forward(inputs, inputOffset + r * $L)", input)
                                .addStatement("sum += outputDelta(targets, targetOffset + r * $L, weight)", output)
                                .addStatement("backward(grads, 0, inputs, inputOffset + r * $L)", input)
                                .build()))
                .addStatement("return $L", s.narrow("sum / rows"))
                .build());
        type.addMethod(weightedRowsGradients());
    }

    /**
     * The batch form of the gradient as far as both its overloads go: the rows of inputs and
     * targets from their offsets, the row count and the weight.
     */
    private MethodSpec.Builder batchGradient() {
        return override("accumulateGradientsBatch", s.type)
                .addParameter(s.array, "inputs")
                .addParameter(int.class, "inputOffset")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "targetOffset")
                .addParameter(int.class, "rows")
                .addParameter(s.type, "weight");
    }

    /** The checks both batch forms of the gradient start with: the rows' extents and values, and the weight. */
    private CodeBlock batchChecks() {
        return CodeBlock.builder()
                .addStatement("$T.rowsAt(inputs.length, inputOffset, rows, $L, $S)", CHECKS, input, "inputs")
                .addStatement("$T.rowsAt(targets.length, targetOffset, rows, $L, $S)", CHECKS, output, "targets")
                .addStatement("$T.finite(inputs, inputOffset, rows * $L, $S)", CHECKS, input, "inputs")
                .addStatement("$T.finite(targets, targetOffset, rows * $L, $S)", CHECKS, output, "targets")
                .addStatement("$T.finite(weight, $S)", CHECKS, "weight")
                .build();
    }

    /**
     * The batch form with a weight per row: {@code weight * rowWeights[rowWeightOffset + r]} is
     * row {@code r}'s weight in its output delta; returns the rows' losses summed with their row
     * weights.
     */
    private MethodSpec weightedRowsGradients() {
        return batchGradient()
                .addParameter(s.array, "rowWeights")
                .addParameter(int.class, "rowWeightOffset")
                .addCode(batchChecks())
                .addStatement("$T.rowsAt(rowWeights.length, rowWeightOffset, rows, 1, $S)", CHECKS, "rowWeights")
                .addStatement("$T.weights(rowWeights, rowWeightOffset, rows, $S)", CHECKS, "rowWeights")
                .addStatement("double sum = 0")
                .addCode(overRows(
                        CodeBlock.builder()
                                .addStatement("forwardRows(inputs, inputOffset + r0 * $L, n)", input)
                                .addStatement(
                                        "sum += outputDeltaRowsWeighted(targets, targetOffset + r0 * $L, n, weight,"
                                                + " rowWeights, rowWeightOffset + r0)",
                                        output)
                                .addStatement("backwardRows(inputs, inputOffset + r0 * $L, n)", input)
                                .build(),
                        CodeBlock.builder()
                                .addStatement("$T w = rowWeights[rowWeightOffset + r]", s.type)
                                .addStatement("forward(inputs, inputOffset + r * $L)", input)
                                .addStatement(
                                        "sum += w * outputDelta(targets, targetOffset + r * $L, weight * w)", output)
                                .addStatement("backward(grads, 0, inputs, inputOffset + r * $L)", input)
                                .build()))
                .addStatement("return $L", s.narrow("sum"))
                .build();
    }

    /**
     * A loop over the {@code rows} of a batch: by blocks of {@code BLOCK_ROWS} when the plan is
     * batched ({@code byBlock} sees the block's first row {@code r0} and its size {@code n}), else
     * row by row ({@code byRow} sees {@code r}).
     */
    private CodeBlock overRows(CodeBlock byBlock, CodeBlock byRow) {
        if (plan.batched()) {
            return CodeBlock.builder()
                    .beginControlFlow("for (int r0 = 0; r0 < rows; r0 += BLOCK_ROWS)")
                    .addStatement("int n = Math.min(BLOCK_ROWS, rows - r0)")
                    .add(byBlock)
                    .endControlFlow()
                    .build();
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .add(byRow)
                .endControlFlow()
                .build();
    }

    private void addJacobian(TypeSpec.Builder type) {
        MethodSpec.Builder method = override("jacobian", TypeName.VOID)
                .addParameter(s.array, "input")
                .addParameter(s.array, "jacobian");
        if ((long) plan.spec().outputSize() * plan.parameterCount() > Integer.MAX_VALUE - 8) {
            method.addStatement(
                    "throw new $T($S)",
                    UnsupportedOperationException.class,
                    "the Jacobian of " + network.interfaceName() + " has more elements than an array holds");
        } else {
            method.addCode(checkLength("input", input))
                    .addStatement("$T.length(jacobian.length, (int) JACOBIAN_SIZE, $S)", CHECKS, "jacobian")
                    .addStatement("forward(input, 0)")
                    .addStatement("$T.fill(jacobian, 0)", Arrays.class)
                    .beginControlFlow("for (int k = 0; k < $L; k++)", output)
                    .addStatement("outputSeed(k)")
                    .addStatement("backward(jacobian, k * PARAMETER_COUNT, input, 0)")
                    .endControlFlow();
        }
        type.addMethod(method.build());
    }

    // ---- the chain ----------------------------------------------------------------------------

    private void addChain(TypeSpec.Builder type) {
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "Runs every layer on the sample at {@code x[xo ..]}; the output is left in {@code $L}.\n", aOut)
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        for (int i = 0; i < codes.size(); i++) {
            LayerCode code = codes.get(i);
            forward.addComment("$L", code.describe());
            forward.addCode(
                    i == 0
                            ? code.forward("x", "xo")
                            : code.forward(codes.get(i - 1).output(), "0"));
        }
        type.addMethod(forward.build());

        MethodSpec.Builder backward = MethodSpec.methodBuilder("backward")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "Backpropagates {@code $L} (already set) through every layer, adding each parameter's gradient\n"
                                + "to {@code g[go ..]}; {@code x[xo ..]} is the sample {@link #forward} ran on.\n",
                        dOut)
                .addParameter(s.array, "g")
                .addParameter(int.class, "go")
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo");
        for (int i = codes.size() - 1; i >= 0; i--) {
            backward.addCode(
                    i == 0
                            ? codes.get(i).backward("x", "xo")
                            : codes.get(i).backward(codes.get(i - 1).output(), "0"));
        }
        type.addMethod(backward.build());
        type.addMethod(outputLoss());
        type.addMethod(outputDelta());
        type.addMethod(outputSeed());
    }

    private MethodSpec outputLoss() {
        return MethodSpec.methodBuilder("outputLoss")
                .addModifiers(Modifier.PRIVATE)
                .returns(s.type)
                .addJavadoc("The loss of the output {@link #forward} left, against {@code y[yo ..]}.\n")
                .addParameter(s.array, "y")
                .addParameter(int.class, "yo")
                .addStatement("return $L", lossOf("", "0"))
                .build();
    }

    /**
     * The steps a softmax output normalises one by one: a per-step dense layer's steps, else 1
     * (the whole output is one distribution).
     */
    private int softmaxSteps() {
        return last() instanceof StepDenseCode && last().activationFunction() == Activation.SOFTMAX
                ? plan.spec().outputSize() / plan.output().layer().size()
                : 1;
    }

    /** The loss of the output row at offset {@code o} of the buffers named with {@code suffix}, against {@code y[yo ..]}. */
    private CodeBlock lossOf(String suffix, String o) {
        int steps = softmaxSteps();
        if (steps > 1 && network.loss() == dev.chainrule.Loss.CROSS_ENTROPY) {
            return CodeBlock.of(
                    "$T.softmaxCrossEntropySteps($L, $L, y, yo, $L, $L)",
                    s.losses,
                    zOut + suffix,
                    o,
                    steps,
                    output + " / " + steps);
        }
        return switch (network.loss()) {
            case MSE -> CodeBlock.of("$T.mse($L, $L, y, yo, $L)", s.losses, aOut + suffix, o, output);
            case CROSS_ENTROPY ->
                CodeBlock.of("$T.softmaxCrossEntropy($L, $L, y, yo, $L)", s.losses, zOut + suffix, o, output);
            case BINARY_CROSS_ENTROPY ->
                CodeBlock.of("$T.sigmoidBinaryCrossEntropy($L, $L, y, yo, $L)", s.losses, zOut + suffix, o, output);
        };
    }

    private MethodSpec outputDelta() {
        return MethodSpec.methodBuilder("outputDelta")
                .addModifiers(Modifier.PRIVATE)
                .returns(s.type)
                .addJavadoc(
                        "Sets {@code $L = weight * dLoss/dz} of the output layer against {@code y[yo ..]} and returns the loss.\n",
                        dOut)
                .addParameter(s.array, "y")
                .addParameter(int.class, "yo")
                .addParameter(s.type, "weight")
                .addCode(deltaInto("", "0", "loss"))
                .addStatement("return loss")
                .build();
    }

    /**
     * Statements setting the output delta row at offset {@code o} of the buffers named with
     * {@code suffix} to {@code weight * dLoss/dz} against {@code y[yo ..]}, declaring the row's loss
     * as {@code loss}.
     */
    private CodeBlock deltaInto(String suffix, String o, String loss) {
        String z = zOut + suffix;
        String a = aOut + suffix;
        String d = dOut + suffix;
        CodeBlock.Builder code = CodeBlock.builder();
        Activation activation = last().activationFunction();
        int steps = softmaxSteps();
        switch (network.loss()) {
            case CROSS_ENTROPY ->
                code.addStatement(
                        steps > 1
                                ? CodeBlock.of(
                                        "$T $L = $T.softmaxCrossEntropyStepsGradient($L, $L, $L, y, yo, $L, $L, weight, $L)",
                                        s.type,
                                        loss,
                                        s.losses,
                                        z,
                                        a,
                                        o,
                                        steps,
                                        output + " / " + steps,
                                        d)
                                : CodeBlock.of(
                                        "$T $L = $T.softmaxCrossEntropyGradient($L, $L, $L, y, yo, $L, weight, $L)",
                                        s.type,
                                        loss,
                                        s.losses,
                                        z,
                                        a,
                                        o,
                                        output,
                                        d));
            case BINARY_CROSS_ENTROPY ->
                code.addStatement(
                        "$T $L = $T.sigmoidBinaryCrossEntropyGradient($L, $L, $L, y, yo, $L, weight, $L)",
                        s.type,
                        loss,
                        s.losses,
                        z,
                        a,
                        o,
                        output,
                        d);
            case MSE -> {
                code.addStatement(
                        "$T $L = $T.mseGradient($L, $L, y, yo, $L, weight, $L)",
                        s.type,
                        loss,
                        s.losses,
                        a,
                        o,
                        output,
                        d);
                if (activation == Activation.SOFTMAX) {
                    code.beginControlFlow("for (int step = 0; step < $L; step++)", steps)
                            .addStatement(
                                    "$T.softmaxBackward($L, $L, $L + step * ($L / $L), $L / $L)",
                                    s.activations,
                                    a,
                                    d,
                                    o,
                                    output,
                                    steps,
                                    output,
                                    steps)
                            .endControlFlow();
                } else if (activation != Activation.IDENTITY) {
                    code.beginControlFlow("for (int j = $L; j < $L + $L; j++)", o, o, output)
                            .addStatement("$L[j] *= $L", d, s.derivative(activation, z + "[j]", a + "[j]"))
                            .endControlFlow();
                }
            }
        }
        return code.build();
    }

    private MethodSpec outputSeed() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("outputSeed")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "Sets {@code $L} to the derivative of output {@code k} with respect to the output layer's z.\n",
                        dOut)
                .addParameter(int.class, "k");
        Activation activation = last().activationFunction();
        if (activation == Activation.SOFTMAX) {
            int steps = softmaxSteps();
            method.addComment("d softmax_k / d z_j = a_k (delta_kj - a_j) within k's distribution, 0 outside it");
            if (steps > 1) {
                method.addStatement("$T.fill($L, 0)", Arrays.class, dOut)
                        .addStatement("int from = k / ($L / $L) * ($L / $L)", output, steps, output, steps)
                        .beginControlFlow("for (int j = from; j < from + $L / $L; j++)", output, steps);
            } else {
                method.beginControlFlow("for (int j = 0; j < $L; j++)", output);
            }
            method.addStatement("$L[j] = $L[k] * ((j == k ? 1 : 0) - $L[j])", dOut, aOut, aOut)
                    .endControlFlow();
        } else {
            CodeBlock derivative = s.derivative(activation, zOut + "[k]", aOut + "[k]");
            method.addStatement("$T.fill($L, 0)", Arrays.class, dOut)
                    .addStatement("$L[k] = $L", dOut, derivative == null ? CodeBlock.of("1") : derivative);
        }
        return method.build();
    }

    // ---- a block of rows ----------------------------------------------------------------------

    private void addRowsChain(TypeSpec.Builder type) {
        MethodSpec.Builder forward = MethodSpec.methodBuilder("forwardRows")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "Runs every layer on {@code rows <= BLOCK_ROWS} samples stored row after row from\n"
                                + "{@code x[xo]}; the outputs are left in {@code $L}.\n",
                        Names.rows(aOut))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "rows");
        for (int i = 0; i < codes.size(); i++) {
            forward.addCode(
                    i == 0
                            ? codes.get(i).forwardRows("x", "xo", input)
                            : codes.get(i)
                                    .forwardRows(
                                            Names.rows(codes.get(i - 1).output()),
                                            "0",
                                            codes.get(i - 1).size()));
        }
        type.addMethod(forward.build());

        MethodSpec.Builder backward = MethodSpec.methodBuilder("backwardRows")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc(
                        "Backpropagates {@code $L} (already set) through every layer for the rows {@link #forwardRows}\n"
                                + "ran on, adding the parameter gradients to {@code grads}.\n",
                        Names.rows(dOut))
                .addParameter(s.array, "x")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "rows");
        for (int i = codes.size() - 1; i >= 0; i--) {
            backward.addCode(
                    i == 0
                            ? codes.get(i).backwardRows("x", "xo", input)
                            : codes.get(i)
                                    .backwardRows(
                                            Names.rows(codes.get(i - 1).output()),
                                            "0",
                                            codes.get(i - 1).size()));
        }
        type.addMethod(backward.build());

        type.addMethod(MethodSpec.methodBuilder("outputLossRows")
                .addModifiers(Modifier.PRIVATE)
                .returns(double.class)
                .addJavadoc(
                        "The summed loss of the {@code rows} outputs {@link #forwardRows} left, against the rows from\n"
                                + "{@code targets[to]}.\n")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "to")
                .addParameter(int.class, "rows")
                .addStatement("double sum = 0")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T[] y = targets", s.type)
                .addStatement("int yo = to + r * $L", output)
                .addStatement("sum += $L", lossOf("Rows", "r * " + output))
                .endControlFlow()
                .addStatement("return sum")
                .build());
        type.addMethod(MethodSpec.methodBuilder("outputDeltaRows")
                .addModifiers(Modifier.PRIVATE)
                .returns(double.class)
                .addJavadoc(
                        "{@link #outputDelta} for each of the {@code rows} outputs {@link #forwardRows} left; returns\n"
                                + "their summed loss.\n")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "to")
                .addParameter(int.class, "rows")
                .addParameter(s.type, "weight")
                .addStatement("double sum = 0")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T[] y = targets", s.type)
                .addStatement("int yo = to + r * $L", output)
                .addStatement("int o = r * $L", output)
                .addCode(deltaInto("Rows", "o", "loss"))
                .addStatement("sum += loss")
                .endControlFlow()
                .addStatement("return sum")
                .build());
        type.addMethod(MethodSpec.methodBuilder("outputDeltaRowsWeighted")
                .addModifiers(Modifier.PRIVATE)
                .returns(double.class)
                .addJavadoc("{@link #outputDelta} for each of the {@code rows} outputs {@link #forwardRows} left, row\n"
                        + "{@code r} with weight {@code batchWeight * rowWeights[wo + r]}; returns their losses summed\n"
                        + "with their row weights.\n")
                .addParameter(s.array, "targets")
                .addParameter(int.class, "to")
                .addParameter(int.class, "rows")
                .addParameter(s.type, "batchWeight")
                .addParameter(s.array, "rowWeights")
                .addParameter(int.class, "wo")
                .addStatement("double sum = 0")
                .beginControlFlow("for (int r = 0; r < rows; r++)")
                .addStatement("$T[] y = targets", s.type)
                .addStatement("int yo = to + r * $L", output)
                .addStatement("int o = r * $L", output)
                .addStatement("$T weight = batchWeight * rowWeights[wo + r]", s.type)
                .addCode(deltaInto("Rows", "o", "loss"))
                .addStatement("sum += rowWeights[wo + r] * loss")
                .endControlFlow()
                .addStatement("return sum")
                .build());
    }

    // ---- fixed points -------------------------------------------------------------------------

    private static final ClassName FIXED_POINT_MODEL = ClassName.get(RUNTIME, "FixedPointModel");

    private List<FixedPointCode> fixedPoints() {
        List<FixedPointCode> fixed = new java.util.ArrayList<>();
        for (LayerCode code : codes) {
            if (code instanceof FixedPointCode f) {
                fixed.add(f);
            }
        }
        return fixed;
    }

    private void addFixedPoints(TypeSpec.Builder type) {
        ClassName convergence = FIXED_POINT_MODEL.nestedClass("Convergence");
        type.addField(FieldSpec.builder(convergence, "convergence", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("This instance's fixed-point solves and those that reached their iteration limit.\n")
                .initializer("new $T()", convergence)
                .build());
        type.addMethod(override("convergence", convergence)
                .addStatement("return convergence")
                .build());
        type.addMethod(override("resetConvergence", TypeName.VOID)
                .addStatement("convergence.reset()")
                .build());
        MethodSpec.Builder constrain = override("applyConstraints", TypeName.VOID);
        boolean any = false;
        for (FixedPointCode code : fixedPoints()) {
            CodeBlock constraint = code.constraint();
            if (constraint != null) {
                constrain.addCode(constraint);
                any = true;
            }
        }
        if (!any) {
            constrain.addComment("no fixed-point layer declares a contraction");
        }
        type.addMethod(constrain.build());
    }

    // ---- streaming ----------------------------------------------------------------------------

    /** Index in {@link #codes} of the last recurrent layer, or -1. */
    private int lastRecurrent() {
        for (int i = codes.size() - 1; i >= 0; i--) {
            if (codes.get(i) instanceof RecurrentCode) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the model scores streams one step at a time: its recurrent layers come first, the
     * first reading the input, and after the last of them come only dense layers, when it returns
     * its last state (many-to-one), or only dense layers per step, when it returns its sequence
     * (many-to-many). A dense layer reading a whole sequence at once cannot take it step by step.
     */
    private boolean streams() {
        int last = lastRecurrent();
        if (last < 0) {
            return false;
        }
        boolean sequences = ((RecurrentCode) codes.get(last)).returnsSequences();
        for (int i = 0; i < codes.size(); i++) {
            LayerCode code = codes.get(i);
            boolean fits = i <= last
                    ? code instanceof RecurrentCode
                    : sequences ? code instanceof StepDenseCode : code instanceof DenseCode;
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    private static final ClassName RECURRENT_STATE = ClassName.get(RUNTIME, "RecurrentState");

    private void addStreaming(TypeSpec.Builder type) {
        int last = lastRecurrent();
        RecurrentCode first = (RecurrentCode) codes.get(0);
        RecurrentCode lastLayer = (RecurrentCode) codes.get(last);
        boolean recurrentOutput = last == codes.size() - 1;
        boolean perStep = !recurrentOutput && lastLayer.returnsSequences();
        String stepOutput = recurrentOutput
                ? Integer.toString(lastLayer.units())
                : perStep ? Integer.toString(plan.output().layer().size()) : output;
        ClassName state = self.nestedClass("State");
        TypeSpec.Builder stateType = TypeSpec.classBuilder(state)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(RECURRENT_STATE)
                .addJavadoc(
                        "A stream's state for {@link $T#step}: every recurrent layer's state after the stream's last step.\n",
                        self);
        MethodSpec.Builder reset = override("reset", TypeName.VOID);
        for (int i = 0; i <= last; i++) {
            RecurrentCode code = (RecurrentCode) codes.get(i);
            stateType.addFields(code.stateFields());
            for (String field : code.stateFieldNames()) {
                reset.addStatement("$T.fill($L, 0)", Arrays.class, field);
            }
        }
        stateType
                .addField(FieldSpec.builder(long.class, "steps", Modifier.PRIVATE)
                        .addJavadoc("Steps taken since the state was made or reset.\n")
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PRIVATE)
                        .build())
                .addMethod(reset.addStatement("steps = 0").build())
                .addMethod(override("steps", TypeName.LONG)
                        .addStatement("return steps")
                        .build());
        type.addType(stateType.build());
        type.addMethod(override("newState", state)
                .addStatement("return new $T()", state)
                .build());
        type.addMethod(override("stepInputSize", TypeName.INT)
                .addStatement("return $L", Names.features(input))
                .build());
        type.addMethod(override("stepOutputSize", TypeName.INT)
                .addStatement("return $L", stepOutput)
                .build());
        MethodSpec.Builder step = override("step", TypeName.VOID)
                .addParameter(s.array, "input")
                .addParameter(int.class, "inputOffset")
                .addParameter(RECURRENT_STATE, "recurrentState")
                .addParameter(s.array, "output")
                .addParameter(int.class, "outputOffset")
                .addCode(checkRange("input", "inputOffset", Names.features(input)))
                .addCode(checkRange("output", "outputOffset", stepOutput))
                .addCode(checkFinite("input", "inputOffset", Names.features(input)))
                .beginControlFlow("if (!(recurrentState instanceof $T))", state)
                .addStatement(
                        "throw new $T($S + (recurrentState == null ? $S : recurrentState.getClass().getName()))",
                        IllegalArgumentException.class,
                        "state: not a state of " + network.qualifiedName() + " from newState() but ",
                        "null")
                .endControlFlow()
                .addStatement("$T state = ($T) recurrentState", state, state)
                .addComment(
                        "a stream's first step is a sequence's step 0; every later one runs as step 1 after the state in slot 0")
                .addStatement("int t = state.steps == 0 ? 0 : 1")
                .addCode(first.streamStep("input", "inputOffset - t * " + first.features()));
        for (int i = 1; i <= last; i++) {
            step.addCode(((RecurrentCode) codes.get(i)).streamStep(((RecurrentCode) codes.get(i - 1)).states(), "0"));
        }
        if (recurrentOutput) {
            step.addStatement(
                    "$T.arraycopy($L, t * $L, output, outputOffset, $L)",
                    System.class,
                    lastLayer.states(),
                    lastLayer.units(),
                    lastLayer.units());
        } else if (perStep) {
            for (int i = last + 1; i < codes.size(); i++) {
                step.addComment("$L", codes.get(i).describe());
                int in = i == last + 1
                        ? lastLayer.units()
                        : plan.layers().get(i - 1).layer().size();
                step.addCode(((StepDenseCode) codes.get(i))
                        .streamStep(codes.get(i - 1).output(), "t * " + in));
            }
            step.addStatement(
                    "$T.arraycopy($L, t * $L, output, outputOffset, $L)", System.class, aOut, stepOutput, stepOutput);
        } else {
            for (int i = last + 1; i < codes.size(); i++) {
                step.addComment("$L", codes.get(i).describe());
                step.addCode(codes.get(i).forward(codes.get(i - 1).output(), "0"));
            }
            step.addStatement("$T.arraycopy($L, 0, output, outputOffset, $L)", System.class, aOut, output);
        }
        type.addMethod(step.addStatement("state.steps++").build());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(returns);
    }

    private static CodeBlock checkLength(String array, String size) {
        return CodeBlock.of("$T.length($L.length, $L, $S);\n", CHECKS, array, size, array + " (" + size + ")");
    }

    private static CodeBlock checkRange(String array, String offset, String size) {
        return CodeBlock.of(
                "$T.range($L.length, $L, $L, $S);\n", CHECKS, array, offset, size, array + " (" + size + ")");
    }

    private static CodeBlock checkRows(String array, String width) {
        return CodeBlock.of("$T.rows($L.length, rows, $L, $S);\n", CHECKS, array, width, array);
    }

    private static CodeBlock checkFinite(String array, String offset, String size) {
        return CodeBlock.of("$T.finite($L, $L, $L, $S);\n", CHECKS, array, offset, size, array);
    }
}
