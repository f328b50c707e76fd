package dev.chainrule.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Activation;
import java.util.List;

/**
 * The code of one layer kind: everything {@link ModelGenerator} needs of a layer, which is all it
 * knows of it. A new kind implements this and plugs into the chain; the generator keeps only what
 * every network has (the contract's public methods, the loss, the chain of calls).
 *
 * <p>Protocol of the single-sample passes. {@link #forward} leaves the layer's output in {@link
 * #output()}. Before {@link #backward} runs, {@link #delta()} holds the loss's gradient with
 * respect to the layer's pre-activation; {@code backward} adds the layer's parameter gradients to
 * {@code g[go ..]} and, unless the layer reads the network's input, sets the delta of the layer
 * before: the gradient with respect to that layer's output, multiplied by that layer's {@link
 * #backFactor} (its activation's derivative and dropout mask), so that every delta is again with
 * respect to a pre-activation.
 */
interface LayerCode {
    // Block-of-rows buffers are the single-sample ones with "Rows" appended, row r at r times the
    // layer's size (see Names.rows).

    /** The layer's name. */
    String name();

    /** One line for comments, e.g. {@code layer HIDDEN: dense FEATURES 784 -> HIDDEN 128, relu, loops}. */
    String describe();

    /** The expression constructing the layer's {@code LayerSpec}, for the model's {@code SPEC}. */
    CodeBlock spec();

    /** Public constants: parameter offsets, shapes. */
    List<FieldSpec> constants();

    /** The buffers the layer works in, allocated at construction; with {@code batched} also their block-of-rows twins. */
    List<FieldSpec> buffers(boolean batched);

    /** Statements of the seeded constructor that initialise the layer's parameters from {@code random}; may be empty. */
    CodeBlock initialise();

    /** The private methods of the single-sample passes. */
    List<MethodSpec> methods();

    /** Runs the layer on its input at {@code x[xo ..]}. */
    CodeBlock forward(String x, String xo);

    /** The backward pass of the layer, whose input was {@code x[xo ..]}, adding parameter gradients to {@code g[go ..]}. */
    CodeBlock backward(String x, String xo);

    /** The private methods of the block-of-rows passes (only generated when the model's batch methods go by blocks). */
    List<MethodSpec> rowsMethods();

    /**
     * Runs the layer on {@code rows} inputs, row {@code r} at {@code x[xo + r * xStride ..]},
     * leaving row {@code r} of its output at {@code r} times its size in {@code Names.rows(output())}.
     */
    CodeBlock forwardRows(String x, String xo, String xStride);

    /**
     * The backward pass over the block {@link #forwardRows} ran on: adds the parameter gradients
     * summed over the rows to {@code grads} and sets the previous layer's block of deltas.
     */
    CodeBlock backwardRows(String x, String xo, String xStride);

    /** The buffer holding the layer's output, which the next layer reads. */
    String output();

    /** The buffer holding the layer's pre-activation (its output when it has no activation). */
    String preActivation();

    /** The buffer holding the layer's activation (before any dropout). */
    String activation();

    /** The buffer holding the gradient of the loss with respect to {@link #preActivation()}. */
    String delta();

    /** The layer's activation; {@link Activation#IDENTITY} when it has none. */
    Activation activationFunction();

    /** The constant giving the number of values the layer writes. */
    String size();

    /**
     * What a gradient with respect to this layer's output is multiplied by to become one with
     * respect to its pre-activation, at {@code index} of its buffers named with {@code suffix}
     * ({@code ""} or {@code "Rows"}): the activation's derivative and the dropout mask, as far as
     * they apply; {@code null} for none.
     */
    CodeBlock backFactor(String suffix, String index);

    /**
     * Statements multiplying {@code buffer[from .. from + count)}, gradients with respect to this
     * layer's output laid out as its buffers named with {@code suffix}, by {@link #backFactor} at
     * the same indices; none when there is no factor. A layer kind may call a runtime kernel for
     * it instead of the loop, with the same result.
     */
    default CodeBlock backScale(String suffix, String buffer, String from, String count) {
        CodeBlock factor = backFactor(suffix, "[e]");
        if (factor == null) {
            return CodeBlock.of("");
        }
        String start = from.equals("0") ? "" : from + " + ";
        return CodeBlock.builder()
                .beginControlFlow("for (int e = $L; e < $L$L; e++)", from, start, count)
                .addStatement("$L[e] *= $L", buffer, factor)
                .endControlFlow()
                .build();
    }
}
