package dev.chainrule;

// double twin: DoubleStreamingModel (written from this file at build time by runtime/src/build/Twins.java)

/**
 * A generated recurrent network that scores a stream one step at a time, computing in {@code
 * float}: the model of a network whose recurrent layers come first, read a sequence input, and are
 * followed by dense layers only (many-to-one) or by nothing (the last recurrent layer's state is
 * the output).
 *
 * <p>{@link #step} runs one step of the stream through every recurrent layer, from the states in
 * a caller-owned {@link RecurrentState} (which it advances), and then through the layers after
 * them. After {@code T} steps from a fresh or reset state (the input's steps), its output equals
 * bit for bit what {@link #predict} gives for those {@code T} steps as one sequence; a stream may
 * go on past {@code T} steps, the network then reading a longer history than its sequences. It
 * allocates nothing, and several streams can share a model one step at a time, or run at once on
 * {@code withSharedParameters()} siblings with one state each.
 */
public interface FloatStreamingModel extends FloatModel {

    /** A zero state, for a new stream. */
    RecurrentState newState();

    /** Values of one step of the input: the sequence input's features per step. */
    int stepInputSize();

    /** Values {@link #step} writes: the network's outputs, or the last recurrent layer's units when it is the output. */
    int stepOutputSize();

    /**
     * Takes the next step of the stream whose state is {@code state}.
     *
     * @param input {@code stepInputSize()} features of the step at {@code input[inputOffset ..]}; not modified
     * @param state the stream's state, from {@link #newState()} of a model of this network; advanced by one step
     * @param output receives the {@code stepOutputSize()} outputs after this step at {@code output[outputOffset ..]}
     * @throws IllegalArgumentException if an array is too short, the input is not finite, or the state belongs to
     *     another network; the state is then unchanged
     */
    void step(float[] input, int inputOffset, RecurrentState state, float[] output, int outputOffset);

    /** {@link #step(float[], int, RecurrentState, float[], int)} with both arrays from index 0. */
    default void step(float[] input, RecurrentState state, float[] output) {
        step(input, 0, state, output, 0);
    }
}
