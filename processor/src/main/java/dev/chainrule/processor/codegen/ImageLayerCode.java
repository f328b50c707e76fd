package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Shape;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * What the code of every layer that writes an image shares: the constants naming its output's
 * shape ({@code <LAYER>_CHANNELS}, {@code _HEIGHT}, {@code _WIDTH}, {@code _SIZE}), its output
 * and delta buffers, and the last step of its backward pass, which turns the gradient it wrote
 * into the layer before into that layer's delta.
 *
 * <p>Images are stored channel by channel, row by row: value {@code (c, y, x)} of a {@code C x H x
 * W} image at {@code c * H * W + y * W + x}.
 */
abstract class ImageLayerCode extends LoopLayerCode {
    final Layer input;
    final Shape.Image in;
    final Shape.Image out;
    /** The constant giving the input's number of values. */
    final String inSize;

    ImageLayerCode(Layer layer, Layer input, LayerCode previous, Scalar s, Shape.Image in, Shape.Image out) {
        super(layer, previous, s);
        this.input = input;
        this.in = in;
        this.out = out;
        this.inSize = Names.size(input);
    }

    /** {@code PIXELS 1x28x28 -> FEATURES 6x28x28}, for descriptions. */
    String shapes() {
        return input.name() + " " + in.describe() + " -> " + name + " " + out.describe();
    }

    @Override
    public List<FieldSpec> constants() {
        List<FieldSpec> constants = new ArrayList<>(parameterConstants());
        constants.addAll(ModelGenerator.imageConstants(name, out));
        constants.add(ModelGenerator.intConstant(
                Names.flatSize(name),
                out.size(),
                "Values of layer " + name + "'s output: " + Names.channels(name) + " x " + Names.height(name) + " x "
                        + Names.width(name) + "."));
        return constants;
    }

    /** Constants naming the layer's parameter blocks, if it has any. */
    List<FieldSpec> parameterConstants() {
        return List.of();
    }

    @Override
    public String size() {
        return Names.flatSize(name);
    }

    @Override
    public CodeBlock initialise() {
        return CodeBlock.of("");
    }

    /** A float or double buffer of {@code size} values. */
    FieldSpec buffer(String field, int size, String javadoc) {
        return ModelGenerator.buffer(s, field, Integer.toString(size), javadoc);
    }

    /** The output and delta buffers, and with {@code batched} their block-of-rows twins. */
    List<FieldSpec> outputBuffers(boolean batched) {
        List<FieldSpec> fields = new ArrayList<>();
        fields.add(buffer(a, out.size(), "Layer " + name + "'s output, " + out.describe() + "."));
        fields.add(buffer(d, out.size(), "Gradient of the loss with respect to layer " + name + "'s output."));
        if (batched) {
            fields.add(rowsBuffer(a, out.size(), "Layer " + name + "'s outputs for a block of rows."));
            fields.add(rowsBuffer(d, out.size(), "Layer " + name + "'s deltas for a block of rows."));
        }
        return fields;
    }

    /** The block-of-rows twin of a buffer of {@code size} values: {@code BLOCK_ROWS} rows of it. */
    FieldSpec rowsBuffer(String field, int size, String javadoc) {
        return ModelGenerator.buffer(s, Names.rows(field), "BLOCK_ROWS * " + size, javadoc);
    }

    /** {@link #finishPreviousDelta()} for the first {@code rows} rows of the previous layer's block of deltas. */
    CodeBlock finishPreviousDeltaRows() {
        CodeBlock factor = previous.backFactor("Rows", "[e]");
        if (factor == null) {
            return CodeBlock.of(
                    "// $L has no activation: its deltas are the gradients of its outputs\n", previous.name());
        }
        return CodeBlock.builder()
                .add("// through $L's activation\n", previous.name())
                .beginControlFlow("for (int e = 0; e < rows * $L; e++)", in.size())
                .addStatement("$L[e] *= $L", Names.rows(previous.delta()), factor)
                .endControlFlow()
                .build();
    }

    /** A layer without parameters only carries its delta back. */
    @Override
    public CodeBlock backward(String x, String xo) {
        return propagateCall();
    }

    /** A layer without parameters only carries its block of deltas back. */
    @Override
    public CodeBlock backwardRows(String x, String xo, String xStride) {
        return propagateRowsCall();
    }

    /**
     * After the gradient with respect to the previous layer's output has been written into its
     * delta: multiplies it by that layer's activation derivative (and dropout mask), if any.
     */
    CodeBlock finishPreviousDelta() {
        CodeBlock factor = previous.backFactor("", "[e]");
        if (factor == null) {
            return CodeBlock.of("// $L has no activation: its delta is the gradient of its output\n", previous.name());
        }
        return CodeBlock.builder()
                .add("// through $L's activation\n", previous.name())
                .beginControlFlow("for (int e = 0; e < $L; e++)", in.size())
                .addStatement("$L[e] *= $L", previous.delta(), factor)
                .endControlFlow()
                .build();
    }

    /** The statement {@code propagate<Layer>Rows(rows);} when there is a layer before to propagate to. */
    CodeBlock propagateRowsCall() {
        return previous == null ? CodeBlock.of("") : CodeBlock.of("$L(rows);\n", Names.rows(Names.propagate(name)));
    }

    /** The statement {@code propagate<Layer>();} when there is a layer before to propagate to. */
    CodeBlock propagateCall() {
        return previous == null ? CodeBlock.of("") : CodeBlock.of("$L();\n", Names.propagate(name));
    }

    /** The start of the block-of-rows forward method: its name, javadoc and parameters {@code (in, xo, xStride, rows)}. */
    MethodSpec.Builder forwardRowsMethod() {
        return privateMethod(Names.rows(Names.forward(name)))
                .addJavadoc(
                        "{@link #$L} for {@code rows} rows, row {@code r} of the input at {@code in[xo + r * xStride]}.\n",
                        Names.forward(name))
                .addParameter(s.array, "in")
                .addParameter(int.class, "xo")
                .addParameter(int.class, "xStride")
                .addParameter(int.class, "rows");
    }

    static MethodSpec.Builder privateMethod(String name) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE);
    }
}
