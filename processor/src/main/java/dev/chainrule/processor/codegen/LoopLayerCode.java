package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.chainrule.Activation;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;

/**
 * What the code of the sequence and fixed-point layers shares: its passes are private methods
 * named {@code forward<Layer>}, {@code backward<Layer>} and their {@code Rows} twins, which the
 * chain calls; its output is {@code a<Layer>} and its delta {@code d<Layer>}, the gradient with
 * respect to that output (no activation outside the layer's own arithmetic, so no back factor),
 * unless a kind says otherwise; and its buffers come in single-sample and block-of-rows twins.
 */
abstract class LoopLayerCode implements LayerCode {
    final Layer layer;
    final LayerCode previous;
    final Scalar s;
    final String name;
    final String a;
    final String d;

    LoopLayerCode(Layer layer, LayerCode previous, Scalar s) {
        this.layer = layer;
        this.previous = previous;
        this.s = s;
        this.name = layer.name();
        this.a = Names.activation(name);
        this.d = Names.delta(name);
    }

    @Override
    public String name() {
        return name;
    }

    /** A buffer's name: its block-of-rows twin with {@code block}. */
    static String b(String buffer, boolean block) {
        return block ? Names.rows(buffer) : buffer;
    }

    /** A buffer of {@code size} values per row, named {@code field} or with {@code block} its block-of-rows twin. */
    FieldSpec buffer(boolean block, String field, int size, String javadoc) {
        return ModelGenerator.buffer(
                s, b(field, block), block ? "BLOCK_ROWS * " + size : Integer.toString(size), javadoc);
    }

    @Override
    public CodeBlock forward(String x, String xo) {
        return CodeBlock.of("$L($L, $L);\n", Names.forward(name), x, xo);
    }

    @Override
    public CodeBlock backward(String x, String xo) {
        return CodeBlock.of("$L($L, $L, g, go);\n", Names.backward(name), x, xo);
    }

    @Override
    public CodeBlock forwardRows(String x, String xo, String xStride) {
        return CodeBlock.of("$L($L, $L, $L, rows);\n", Names.rows(Names.forward(name)), x, xo, xStride);
    }

    @Override
    public CodeBlock backwardRows(String x, String xo, String xStride) {
        return CodeBlock.of("$L($L, $L, $L, rows);\n", Names.rows(Names.backward(name)), x, xo, xStride);
    }

    @Override
    public String output() {
        return a;
    }

    @Override
    public String preActivation() {
        return a;
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
        return Activation.IDENTITY;
    }

    @Override
    public CodeBlock backFactor(String suffix, String index) {
        return null;
    }
}
