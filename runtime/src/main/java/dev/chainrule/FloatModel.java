package dev.chainrule;

// double twin: DoubleModel (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.data.Batches;
import dev.chainrule.data.OneHot;
import dev.chainrule.kernel.Checks;

/**
 * A generated network computing in {@code float}: prediction, loss, gradients and the Jacobian,
 * none of which allocate. See {@link Model} for the parameter layout and the threading rules.
 *
 * <p>Arrays passed in are checked: a wrong length throws {@link IllegalArgumentException} naming
 * the expected and actual sizes. Training methods also reject non-finite inputs and targets,
 * which would poison the parameters; prediction does not scan its input, but a NaN in it
 * reaches every output it influences as NaN (no activation or pooling maps a NaN to a number),
 * so a sample with a missing value cannot pass for a confident prediction.
 */
public interface FloatModel extends Model {

    /**
     * Runs the network on one sample.
     *
     * @param input {@code inputSize()} features; not modified
     * @param output receives the {@code outputSize()} outputs; modified
     */
    void predict(float[] input, float[] output);

    /**
     * Runs the network on the sample at {@code input[inputOffset ..]}, writing its outputs to
     * {@code output[outputOffset ..]}.
     */
    void predict(float[] input, int inputOffset, float[] output, int outputOffset);

    /**
     * Runs the network on {@code rows} samples stored row after row.
     *
     * <p>The batch methods that take arrays check that they hold <em>at least</em> {@code rows}
     * rows: a mini-batch buffer sized for a full batch also carries the shorter last batch of an
     * epoch, so a longer array is allowed, and a width that does not match the model but fits in
     * the length is not caught here. The forms that take the {@link Batches} themselves check its
     * widths; use them in a hand-written loop.
     *
     * @param inputs at least {@code rows * inputSize()} features; not modified
     * @param outputs receives {@code rows * outputSize()} outputs; modified
     */
    void predictBatch(float[] inputs, float[] outputs, int rows);

    /**
     * Runs the network on the {@code rows} samples stored row after row from {@code
     * inputs[inputOffset]}, writing their outputs row after row from {@code
     * outputs[outputOffset]}: a slice of a larger batch.
     */
    default void predictBatch(float[] inputs, int inputOffset, float[] outputs, int outputOffset, int rows) {
        Checks.rowsAt(inputs.length, inputOffset, rows, inputSize(), "inputs");
        Checks.rowsAt(outputs.length, outputOffset, rows, outputSize(), "outputs");
        for (int r = 0; r < rows; r++) {
            predict(inputs, inputOffset + r * inputSize(), outputs, outputOffset + r * outputSize());
        }
    }

    /**
     * Runs the network on the current batch of {@code batch}, writing {@code batch.rows()} rows
     * of outputs to {@code outputs}.
     *
     * @throws IllegalArgumentException if the batch's rows do not have {@code inputSize()}
     *     features, or there is no current batch (before the first {@code next()}, or after the
     *     {@code false} that ends an epoch)
     */
    default void predictBatch(Batches batch, float[] outputs) {
        Checks.batch(batch.rows(), batch.featureCount(), -1, inputSize(), outputSize());
        predictBatch(batch.inputs(), outputs, batch.rows());
    }

    /**
     * Runs the network on one sample and returns the class it predicts: the index of the largest
     * output or, for a single output (a sigmoid's probability of class 1), 1 if it exceeds 0.5
     * and 0 otherwise ({@link OneHot#classOf(float[], int, int)}, as {@code Metrics} reads classes).
     * The outputs, the probabilities of a softmax or sigmoid network, are left in {@code
     * probabilities}. Allocates nothing.
     *
     * @param input {@code inputSize()} features; not modified
     * @param probabilities receives the {@code outputSize()} outputs; modified
     * @throws IllegalArgumentException if an output is NaN (as from an input with a NaN): such a
     *     row predicts no class
     */
    default int predictClass(float[] input, float[] probabilities) {
        predict(input, probabilities);
        return OneHot.classOf(probabilities, 0, outputSize());
    }

    /**
     * Runs the network on the current batch of {@code batch} and writes the class each row
     * predicts to {@code classes[0 .. batch.rows())}, as {@link #predictClass(float[], float[])} reads
     * it; {@code outputs} receives the rows' outputs. Allocates nothing.
     *
     * @throws IllegalArgumentException if the batch does not fit the model (see {@link
     *     #predictBatch(Batches, float[])}), {@code classes} is shorter than the batch, or an output is NaN
     */
    default void predictClasses(Batches batch, float[] outputs, int[] classes) {
        predictBatch(batch, outputs);
        Checks.rows(classes.length, batch.rows(), 1, "classes");
        int width = outputSize();
        for (int r = 0; r < batch.rows(); r++) {
            classes[r] = OneHot.classOf(outputs, r * width, width);
        }
    }

    /**
     * Runs {@link #predict(float[], int, float[], int)} until the JVM has compiled it, so that a
     * service takes no slow or allocating calls under load: see {@link WarmUp} for what this
     * does and why. Call it once per generated class before taking traffic (compiled code
     * serves every instance of the class, its {@code withSharedParameters()} siblings
     * included); it uses only this instance's buffers, leaves its parameters and gradients
     * alone, and allocates only a few seeded input rows (some with zeros among their values, one all
     * zeros, so that the code for sparse inputs is compiled too). It warms the single-sample path;
     * a service that predicts in batches warms {@code predictBatch} with its own calls.
     * Equivalent to {@code warmUp(WarmUp.DEFAULT_LIMIT)}.
     */
    default WarmUp warmUp() {
        return warmUp(WarmUp.DEFAULT_LIMIT);
    }

    /**
     * {@link #warmUp()} within {@code limit} (the minimum of {@value WarmUp#MINIMUM_CALLS}
     * calls always runs).
     *
     * @throws IllegalArgumentException if {@code limit} is null or negative
     */
    default WarmUp warmUp(java.time.Duration limit) {
        int rows = 16;
        int width = inputSize();
        float[] inputs = new float[rows * width];
        float[] output = new float[outputSize()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(0x5eedL);
        // half the rows with zeros among their values and the last all zeros, so that the code
        // for sparse inputs (a layer's loop over its non-zero inputs) is compiled with the rest
        for (int i = 0; i < inputs.length; i++) {
            int r = i / width;
            boolean zero = r == rows - 1 || (r >= rows / 2 && random.nextBoolean());
            inputs[i] = zero ? 0 : (float) random.nextGaussian();
        }
        int[] row = {0};
        return WarmUp.run(
                () -> {
                    predict(inputs, row[0] * width, output, 0);
                    row[0] = row[0] + 1 == rows ? 0 : row[0] + 1;
                },
                limit);
    }

    /** The loss of one sample (see {@link Loss} for the formula). */
    float loss(float[] input, float[] target);

    /** The loss of the sample at {@code input[inputOffset ..]} against {@code target[targetOffset ..]}. */
    float loss(float[] input, int inputOffset, float[] target, int targetOffset);

    /** The mean loss of {@code rows} samples stored row after row. */
    float lossBatch(float[] inputs, float[] targets, int rows);

    /**
     * The mean loss of the {@code rows} samples stored row after row from {@code
     * inputs[inputOffset]} against the targets from {@code targets[targetOffset]}: a slice of a
     * larger batch. Generated models compute it by blocks of rows, as the form without offsets.
     */
    default float lossBatch(float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows) {
        Checks.rowsAt(inputs.length, inputOffset, rows, inputSize(), "inputs");
        Checks.rowsAt(targets.length, targetOffset, rows, outputSize(), "targets");
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += loss(inputs, inputOffset + r * inputSize(), targets, targetOffset + r * outputSize());
        }
        return (float) (sum / rows);
    }

    /**
     * The mean loss of the current batch of {@code batch}.
     *
     * @throws IllegalArgumentException if the batch's rows do not have {@code inputSize()}
     *     features and {@code outputSize()} targets, or there is no current batch
     */
    default float lossBatch(Batches batch) {
        Checks.batch(batch.rows(), batch.featureCount(), batch.targetCount(), inputSize(), outputSize());
        return lossBatch(batch.inputs(), batch.targets(), batch.rows());
    }

    /**
     * Adds the gradient of one sample's loss with respect to every parameter to {@link
     * #gradients()} (backpropagation) and returns that loss.
     */
    float accumulateGradients(float[] input, float[] target);

    /**
     * Adds {@code weight} times the gradient of the loss of the sample at {@code
     * input[inputOffset ..]} against {@code target[targetOffset ..]} to {@link #gradients()},
     * and returns the sample's (unweighted) loss. A mini-batch of {@code b} samples is {@code b}
     * calls with {@code weight = 1/b}.
     *
     * @throws IllegalArgumentException if {@code weight} is NaN or infinite (it would make every
     *     gradient NaN or infinite), or an input or target value is; the gradients are then unchanged
     */
    float accumulateGradients(float[] input, int inputOffset, float[] target, int targetOffset, float weight);

    /**
     * Adds the gradient of the mean loss of {@code rows} samples to {@link #gradients()} and
     * returns that mean loss. The arrays need at least {@code rows} rows (see {@link
     * #predictBatch(float[], float[], int)} for why a longer array passes):
     * {@link #accumulateGradientsBatch(Batches)} checks the widths too.
     */
    float accumulateGradientsBatch(float[] inputs, float[] targets, int rows);

    /**
     * Adds the gradient of the mean loss of the current batch of {@code batch} to {@link
     * #gradients()} and returns that mean loss: the step of a hand-written training loop.
     * <pre>{@code
     * while (batches.next()) {
     *     model.zeroGradients();
     *     model.accumulateGradientsBatch(batches);
     *     optimizer.step(model.parameters(), model.gradients());
     * }
     * }</pre>
     * It checks, once per call, that the batch's rows have {@code inputSize()} features and
     * {@code outputSize()} targets, which the array form cannot, then runs it.
     *
     * @throws IllegalArgumentException if the batch's widths do not fit the model (the message
     *     names both), or there is no current batch (before the first {@code next()}, or after
     *     the {@code false} that ends an epoch); the gradients are then unchanged
     */
    default float accumulateGradientsBatch(Batches batch) {
        Checks.batch(batch.rows(), batch.featureCount(), batch.targetCount(), inputSize(), outputSize());
        return accumulateGradientsBatch(batch.inputs(), batch.targets(), batch.rows());
    }

    /**
     * Adds {@code weight} times the sum of the gradients of the losses of {@code rows} samples
     * stored row after row from {@code inputs[inputOffset]} (targets from {@code
     * targets[targetOffset]}) to {@link #gradients()}, and returns their mean (unweighted) loss.
     * {@link #accumulateGradientsBatch(float[], float[], int)} is this with offsets 0 and {@code
     * weight = 1 / rows}; parts of a mini-batch of {@code b} rows, each with {@code weight = 1 /
     * b}, add up to its mean gradient, which is how training splits a batch between threads.
     *
     * <p>This default goes sample by sample; generated models override it with their block-of-rows
     * passes.
     */
    default float accumulateGradientsBatch(
            float[] inputs, int inputOffset, float[] targets, int targetOffset, int rows, float weight) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += accumulateGradients(
                    inputs, inputOffset + r * inputSize(), targets, targetOffset + r * outputSize(), weight);
        }
        return (float) (sum / rows);
    }

    /**
     * Adds the gradient of {@code sum_r weight * rowWeights[rowWeightOffset + r] * loss_r} over
     * the {@code rows} samples stored row after row from {@code inputs[inputOffset]} (targets from
     * {@code targets[targetOffset]}) to {@link #gradients()}, and returns {@code sum_r
     * rowWeights[rowWeightOffset + r] * loss_r}, the rows' weighted summed loss (without {@code
     * weight}). Each row's factor enters where {@code weight} does, in the delta of its output, so
     * every layer and loss takes it; a row of weight 0 adds nothing. With every row weight 1 the
     * gradient is that of {@link #accumulateGradientsBatch(float[], int, float[], int, int,
     * float)}. Training with sample or class weights calls this with {@code weight = 1 / sum_r
     * w_r} over the whole mini-batch: the gradient of the weighted mean loss {@code sum_r w_r l_r /
     * sum_r w_r}.
     *
     * <p>This default goes sample by sample, each with weight {@code weight * rowWeights[..]};
     * generated models override it with their block-of-rows passes.
     *
     * @throws IllegalArgumentException if {@code rows < 1}, an array is too short for {@code rows}
     *     rows from its offset, {@code weight} or an input or target value is NaN or infinite, or a
     *     row weight is NaN, infinite or negative (the message names it and its index); the
     *     gradients are then unchanged
     */
    default float accumulateGradientsBatch(
            float[] inputs,
            int inputOffset,
            float[] targets,
            int targetOffset,
            int rows,
            float weight,
            float[] rowWeights,
            int rowWeightOffset) {
        Checks.rowsAt(inputs.length, inputOffset, rows, inputSize(), "inputs");
        Checks.rowsAt(targets.length, targetOffset, rows, outputSize(), "targets");
        Checks.rowsAt(rowWeights.length, rowWeightOffset, rows, 1, "rowWeights");
        Checks.finite(inputs, inputOffset, rows * inputSize(), "inputs");
        Checks.finite(targets, targetOffset, rows * outputSize(), "targets");
        Checks.finite(weight, "weight");
        Checks.weights(rowWeights, rowWeightOffset, rows, "rowWeights");
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            float w = rowWeights[rowWeightOffset + r];
            sum += w
                    * accumulateGradients(
                            inputs,
                            inputOffset + r * inputSize(),
                            targets,
                            targetOffset + r * outputSize(),
                            weight * w);
        }
        return (float) sum;
    }

    /**
     * The Jacobian of the outputs with respect to the parameters for one sample:
     * {@code jacobian[k * parameterCount() + p] = d output_k / d parameter_p}. The gradients are
     * not touched.
     *
     * @param input {@code inputSize()} features; not modified
     * @param jacobian receives {@code outputSize() * parameterCount()} values; modified
     */
    void jacobian(float[] input, float[] jacobian);

    /** The live parameter array, in the layout {@link Model} documents; writes take effect at once. */
    float[] parameters();

    /** The live gradient array, laid out like {@link #parameters()}. */
    float[] gradients();

    /**
     * Copies {@code values} into the parameters.
     *
     * @throws IllegalArgumentException if the length is not {@code parameterCount()} or a value is
     *     not finite (the parameters are then left unchanged)
     */
    void setParameters(float[] values);

    /**
     * A new instance that reads and writes this one's parameter array, with buffers and
     * gradients of its own: one per thread for concurrent prediction.
     */
    FloatModel withSharedParameters();
}
