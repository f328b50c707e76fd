package dev.chainrule.onnx;

import dev.chainrule.Activation;
import dev.chainrule.AvgPool2D;
import dev.chainrule.Conv2D;
import dev.chainrule.Dense;
import dev.chainrule.GRU;
import dev.chainrule.GlobalAvgPool2D;
import dev.chainrule.Input;
import dev.chainrule.LSTM;
import dev.chainrule.Loss;
import dev.chainrule.MaxPool2D;
import dev.chainrule.Network;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.SimpleRNN;

/** The networks the tests export and import: every layer kind, every activation, both precisions. */
final class Networks {
    private Networks() {}

    /** Dense layers with dropout (an identity outside training) and a softmax output. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Mlp {
        @Input
        int FEATURES = 5;

        @Dense(activation = Activation.RELU, dropout = 0.3)
        int HIDDEN = 7;

        @Dense(activation = Activation.TANH)
        int SECOND = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@link Mlp} in double precision. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleMlp {
        @Input
        int FEATURES = 5;

        @Dense(activation = Activation.RELU, dropout = 0.3)
        int HIDDEN = 7;

        @Dense(activation = Activation.TANH)
        int SECOND = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** The element-wise activations the other networks leave out, one dense layer each. */
    @Network
    interface Activations {
        @Input
        int FEATURES = 6;

        @Dense(activation = Activation.SIGMOID)
        int SIGMOID = 5;

        @Dense(activation = Activation.LEAKY_RELU)
        int LEAKY = 5;

        @Dense(activation = Activation.ELU)
        int ELU = 5;

        @Dense(activation = Activation.SOFTPLUS)
        int SOFTPLUS = 5;

        @Dense(activation = Activation.GELU)
        int GELU = 5;

        @Dense
        int OUT = 3;
    }

    /** {@link Activations} in double precision. */
    @Network(precision = Precision.DOUBLE)
    interface DoubleActivations {
        @Input
        int FEATURES = 6;

        @Dense(activation = Activation.SIGMOID)
        int SIGMOID = 5;

        @Dense(activation = Activation.LEAKY_RELU)
        int LEAKY = 5;

        @Dense(activation = Activation.ELU)
        int ELU = 5;

        @Dense(activation = Activation.SOFTPLUS)
        int SOFTPLUS = 5;

        @Dense(activation = Activation.GELU)
        int GELU = 5;

        @Dense
        int OUT = 3;
    }

    /** Padded and SAME convolutions with a stride, max and average pooling, then dense layers. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Cnn {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Cnn} in double precision. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleCnn {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** A strided GELU convolution, uneven pooling and global average pooling before one linear unit pair. */
    @Network
    interface GlobalPool {
        @Input(channels = 1, height = 10, width = 10)
        int IMAGE = 100;

        @Conv2D(kernel = 3, stride = 2, activation = Activation.GELU)
        int C1 = 5;

        @AvgPool2D(windowHeight = 3, windowWidth = 2, strideHeight = 1, strideWidth = 2)
        int P1 = 5;

        @GlobalAvgPool2D
        int G = 5;

        @Dense
        int OUT = 2;
    }

    /** {@link GlobalPool} in double precision. */
    @Network(precision = Precision.DOUBLE)
    interface DoubleGlobalPool {
        @Input(channels = 1, height = 10, width = 10)
        int IMAGE = 100;

        @Conv2D(kernel = 3, stride = 2, activation = Activation.GELU)
        int C1 = 5;

        @AvgPool2D(windowHeight = 3, windowWidth = 2, strideHeight = 1, strideWidth = 2)
        int P1 = 5;

        @GlobalAvgPool2D
        int G = 5;

        @Dense
        int OUT = 2;
    }

    /** Ends in an image: a convolution with every remaining activation, then max pooling. */
    @Network
    interface ImageOut {
        @Input(channels = 3, height = 7, width = 6)
        int IMAGE = 126;

        @Conv2D(kernel = 2, activation = Activation.SOFTPLUS)
        int C1 = 2;

        @Conv2D(kernel = 1, activation = Activation.LEAKY_RELU)
        int C2 = 3;

        @Conv2D(kernel = 2, padWidth = 1, activation = Activation.SIGMOID)
        int C3 = 2;

        @MaxPool2D(window = 2, strideHeight = 1)
        int P = 2;
    }

    /** {@link ImageOut} in double precision. */
    @Network(precision = Precision.DOUBLE)
    interface DoubleImageOut {
        @Input(channels = 3, height = 7, width = 6)
        int IMAGE = 126;

        @Conv2D(kernel = 2, activation = Activation.SOFTPLUS)
        int C1 = 2;

        @Conv2D(kernel = 1, activation = Activation.LEAKY_RELU)
        int C2 = 3;

        @Conv2D(kernel = 2, padWidth = 1, activation = Activation.SIGMOID)
        int C3 = 2;

        @MaxPool2D(window = 2, strideHeight = 1)
        int P = 2;
    }

    /** {@link Mlp} with a sigmoid second layer: its files do not load into it. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface MlpSigmoid {
        @Input
        int FEATURES = 5;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 7;

        @Dense(activation = Activation.SIGMOID)
        int SECOND = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@link Mlp} with eight hidden units. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface MlpWider {
        @Input
        int FEATURES = 5;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 8;

        @Dense(activation = Activation.TANH)
        int SECOND = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@link Mlp} without its second layer. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface MlpShorter {
        @Input
        int FEATURES = 5;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 7;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@link Cnn} with a 3x3 first pooling window. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface CnnPool3 {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 3)
        int P1 = 4;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Cnn} with five filters in its first convolution. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface CnnMoreFilters {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 5;

        @MaxPool2D(window = 2)
        int P1 = 5;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Cnn} whose first convolution is SAME, not padded by 1: for a 3x3 kernel of stride 1, the same zeros. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface CnnSame {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, padding = Padding.SAME, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Cnn} whose first convolution has no padding. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface CnnUnpadded {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Conv2D(kernel = 3, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernelHeight = 2, kernelWidth = 3, stride = 2, padding = Padding.SAME, activation = Activation.ELU)
        int C2 = 3;

        @AvgPool2D(window = 2, stride = 1)
        int P2 = 3;

        @Dense(activation = Activation.SIGMOID)
        int F1 = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** A flat input of {@link Cnn}'s 162 values, straight into a dense layer. */
    @Network
    interface FlatDense {
        @Input
        int PIXELS = 162;

        @Dense
        int OUT = 3;
    }

    /** An image input read by a dense layer directly: exported with a Flatten before it. */
    @Network
    interface ImageDense {
        @Input(channels = 2, height = 9, width = 9)
        int IMAGE = 162;

        @Dense
        int OUT = 3;
    }

    /** Every recurrent kind in a stack, read by a softmax: the LSTM's and the GRU's gate orders and both biases. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Recurrent {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @SimpleRNN(activation = Activation.RELU, returnSequences = true)
        int SIMPLE = 5;

        @LSTM(returnSequences = true)
        int MEMORY = 4;

        @GRU
        int GATED = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Recurrent} in double precision, with a tanh simple layer. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleRecurrent {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @SimpleRNN(returnSequences = true)
        int SIMPLE = 5;

        @LSTM(returnSequences = true)
        int MEMORY = 4;

        @GRU
        int GATED = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** Sequences out: a dense layer per step with a softmax per step after a GRU, and one reading every step flat. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Tagger {
        @Input(steps = 5, features = 2)
        int SEQUENCE = 10;

        @Dense(perStep = true, activation = Activation.TANH)
        int EMBED = 4;

        @GRU(returnSequences = true)
        int GATED = 3;

        @Dense(perStep = true, activation = Activation.SOFTMAX)
        int TAGS = 3;
    }

    /** An LSTM's every state read flat by a dense layer. */
    @Network(precision = Precision.DOUBLE)
    interface Flattened {
        @Input(steps = 4, features = 2)
        int SEQUENCE = 8;

        @LSTM(returnSequences = true)
        int MEMORY = 3;

        @Dense(activation = Activation.SIGMOID)
        int OUT = 2;
    }

    /** {@link Recurrent} with a wider LSTM. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface RecurrentWider {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @SimpleRNN(activation = Activation.RELU, returnSequences = true)
        int SIMPLE = 5;

        @LSTM(returnSequences = true)
        int MEMORY = 5;

        @GRU
        int GATED = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Recurrent} over one step more. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface RecurrentLonger {
        @Input(steps = 7, features = 3)
        int SEQUENCE = 21;

        @SimpleRNN(activation = Activation.RELU, returnSequences = true)
        int SIMPLE = 5;

        @LSTM(returnSequences = true)
        int MEMORY = 4;

        @GRU
        int GATED = 6;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Recurrent} whose simple layer gives only its last state. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface RecurrentLastState {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @SimpleRNN(activation = Activation.RELU)
        int SIMPLE = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link RecurrentLastState} with the simple layer's every state read flat. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface RecurrentEveryState {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @SimpleRNN(activation = Activation.RELU, returnSequences = true)
        int SIMPLE = 5;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }
}
