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
import dev.chainrule.Precision;
import dev.chainrule.SimpleRNN;

/** The networks of the PyTorch models that src/test/python/onnx_fixtures.py exports. */
final class TorchNetworks {
    private TorchNetworks() {}

    /** {@code mlp()}: Linear 8-16 relu, Linear 16-12 tanh GELU, Linear 12-3 softmax. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Mlp {
        @Input
        int FEATURES = 8;

        @Dense(activation = Activation.RELU)
        int FC1 = 16;

        @Dense(activation = Activation.GELU)
        int FC2 = 12;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@link Mlp} in double precision, loading the same float file. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleMlp {
        @Input
        int FEATURES = 8;

        @Dense(activation = Activation.RELU)
        int FC1 = 16;

        @Dense(activation = Activation.GELU)
        int FC2 = 12;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 3;
    }

    /** {@code cnn()}: conv 3x3 pad 1 relu, max pool 2, conv 3x3 elu, average pool 2, linear leaky relu, linear softmax. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface Cnn {
        @Input(channels = 1, height = 12, width = 12)
        int PIXELS = 144;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernel = 3, activation = Activation.ELU)
        int C2 = 6;

        @AvgPool2D(window = 2)
        int P2 = 6;

        @Dense(activation = Activation.LEAKY_RELU)
        int F1 = 16;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 5;
    }

    /** {@link Cnn} in double precision. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleCnn {
        @Input(channels = 1, height = 12, width = 12)
        int PIXELS = 144;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.RELU)
        int C1 = 4;

        @MaxPool2D(window = 2)
        int P1 = 4;

        @Conv2D(kernel = 3, activation = Activation.ELU)
        int C2 = 6;

        @AvgPool2D(window = 2)
        int P2 = 6;

        @Dense(activation = Activation.LEAKY_RELU)
        int F1 = 16;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 5;
    }

    /** {@code GlobalPool}: conv stride 2 pad 1 softplus, conv pad 1 sigmoid, global average pooling, linear. */
    @Network
    interface GlobalPool {
        @Input(channels = 3, height = 10, width = 10)
        int IMAGE = 300;

        @Conv2D(kernel = 3, stride = 2, pad = 1, activation = Activation.SOFTPLUS)
        int CONV1 = 8;

        @Conv2D(kernel = 3, pad = 1, activation = Activation.SIGMOID)
        int CONV2 = 8;

        @GlobalAvgPool2D
        int POOL = 8;

        @Dense
        int FC = 2;
    }

    /** {@code LstmClassifier}: LSTM(3, 8, batch_first) over 7 steps, Linear(8, 4) on the last step, softmax. */
    @Network(loss = Loss.CROSS_ENTROPY)
    interface LstmClassifier {
        @Input(steps = 7, features = 3)
        int SEQUENCE = 21;

        @LSTM
        int MEMORY = 8;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@link LstmClassifier} in double precision. */
    @Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)
    interface DoubleLstmClassifier {
        @Input(steps = 7, features = 3)
        int SEQUENCE = 21;

        @LSTM
        int MEMORY = 8;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 4;
    }

    /** {@code GruTagger}: GRU(4, 6, batch_first) over 5 steps, Linear(6, 3) on every step. */
    @Network
    interface GruTagger {
        @Input(steps = 5, features = 4)
        int SEQUENCE = 20;

        @GRU(returnSequences = true)
        int GATED = 6;

        @Dense(perStep = true)
        int TAGS = 3;
    }

    /** {@link GruTagger} in double precision. */
    @Network(precision = Precision.DOUBLE)
    interface DoubleGruTagger {
        @Input(steps = 5, features = 4)
        int SEQUENCE = 20;

        @GRU(returnSequences = true)
        int GATED = 6;

        @Dense(perStep = true)
        int TAGS = 3;
    }

    /** {@code SimpleRnn}: RNN(2, 5, relu, batch_first) over 6 steps, Linear(5, 2) on h_n[-1], sigmoid. */
    @Network
    interface SimpleRnn {
        @Input(steps = 6, features = 2)
        int SEQUENCE = 12;

        @SimpleRNN(activation = Activation.RELU)
        int HIDDEN = 5;

        @Dense(activation = Activation.SIGMOID)
        int OUT = 2;
    }

    /** {@code LstmStack}: LSTM(3, 6, num_layers=2, batch_first) over 6 steps, Linear(6, 2) on h_n[-1]. */
    @Network
    interface LstmStack {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @LSTM(returnSequences = true)
        int FIRST = 6;

        @LSTM
        int SECOND = 6;

        @Dense
        int OUT = 2;
    }

    /** {@code GruLstm}: GRU(4, 5) and LSTM(5, 3), batch_first, over 5 steps, Linear(3, 2) tanh on the last step. */
    @Network(precision = Precision.DOUBLE)
    interface DoubleGruLstm {
        @Input(steps = 5, features = 4)
        int SEQUENCE = 20;

        @GRU(returnSequences = true)
        int GATED = 5;

        @LSTM
        int MEMORY = 3;

        @Dense(activation = Activation.TANH)
        int OUT = 2;
    }

    /** {@code TimeMajorGru}: GRU(3, 4) without batch_first, fed [6 steps, batch, 3], Linear(4, 2) on out[-1]. */
    @Network
    interface TimeMajorGru {
        @Input(steps = 6, features = 3)
        int SEQUENCE = 18;

        @GRU
        int GATED = 4;

        @Dense
        int OUT = 2;
    }
}
