package dev.chainrule;

/**
 * What every generated network is, whatever its precision: see {@link FloatModel} and {@link
 * DoubleModel} for the methods that compute.
 *
 * <h2>Parameter layout</h2>
 * All trainable parameters live in one flat array ({@code parameters()}), and their gradients
 * in another of the same length and layout ({@code gradients()}). Layers with parameters follow
 * one another in declaration order, each holding first its weights, then its biases:
 * <ul>
 *   <li>a dense layer with {@code n} inputs and {@code m} units: {@code n * m} weights,
 *       input-major (the weight from input {@code i} to unit {@code j} is at {@code weights + i *
 *       m + j}, the layout of a Keras kernel), then {@code m} biases;
 *   <li>a convolution with {@code f} filters over {@code c} channels and a {@code kh x kw}
 *       kernel: {@code f * c * kh * kw} weights as {@code [filters][channels][kh][kw]} (PyTorch's
 *       order: weight {@code (f, c, i, j)} at {@code weights + ((f * c + ch) * kh + i) * kw + j}),
 *       then {@code f} biases;
 *   <li>input and pooling layers hold none.
 * </ul>
 * The generated class names each block's offset as constants, e.g. {@code HIDDEN_WEIGHTS} and
 * {@code HIDDEN_BIASES}, and {@link NetworkSpec#parameterBlocks()} lists every block with its
 * offset, dimensions and role.
 *
 * <p>Images, as inputs and between layers, are flat rows of {@code channels x height x width}
 * values, channel by channel and row by row (see {@link Shape.Image}); a dense layer reads them
 * in that order.
 *
 * <h2>Threads</h2>
 * An instance keeps its activations and deltas in its own buffers, so one instance serves one
 * thread at a time. {@code withSharedParameters()} makes a cheap sibling with its own buffers
 * and gradients that reads the same parameter array: give each thread its own sibling. Reading
 * parameters while another thread changes them (training) is not synchronised.
 *
 * <h2>Allocation</h2>
 * Every buffer is allocated at construction: prediction, loss, gradient and Jacobian methods
 * allocate nothing.
 */
public interface Model {

    /** The network this model was generated from. */
    NetworkSpec spec();

    /** Features of one input sample. */
    int inputSize();

    /** Values of one output sample. */
    int outputSize();

    /** Length of the parameter and gradient arrays. */
    int parameterCount();

    /** Sets every accumulated gradient to zero. */
    void zeroGradients();

    /**
     * Switches between training, where layers such as dropout are active, and inference. A
     * network without such layers has no training mode: this does nothing. Training loops set it
     * for their steps and clear it to evaluate.
     */
    default void setTraining(boolean training) {}

    /** Whether the model is in training mode; always {@code false} for a network without dropout. */
    default boolean isTraining() {
        return false;
    }

    /**
     * Restarts the sequence of dropout masks from {@code seed}: the same seed and the same calls
     * give the same masks. A network without dropout ignores it.
     */
    default void seedDropout(long seed) {}

    /** The precision of the parameter arrays: tells whether this is a {@link FloatModel} or a {@link DoubleModel}. */
    default Precision precision() {
        return spec().precision();
    }
}
