package dev.chainrule;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One layer of a {@link NetworkSpec}, as declared by a field of a {@link Network} interface: one
 * record per kind, each knowing its geometry, its output shape, its parameter blocks and its part
 * of the network's canonical text.
 */
public sealed interface LayerSpec
        permits LayerSpec.InputSpec,
                LayerSpec.DenseSpec,
                LayerSpec.Conv2DSpec,
                LayerSpec.Pool2DSpec,
                LayerSpec.GlobalAvgPool2DSpec,
                LayerSpec.RecurrentSpec,
                LayerSpec.StepDenseSpec,
                LayerSpec.FixedPointSpec {

    /** The kinds of layer a network is built from. */
    enum Kind {
        /** The network's input: features or an image, no parameters. */
        INPUT,
        /** A fully connected layer with weights and biases. */
        DENSE,
        /** A two-dimensional convolution with a kernel per filter and a bias per filter. */
        CONV2D,
        /** The maximum over each window of each channel. */
        MAX_POOL2D,
        /** The mean over each window of each channel. */
        AVG_POOL2D,
        /** The mean of each channel. */
        GLOBAL_AVG_POOL2D,
        /** A simple (Elman) recurrent layer over a sequence, PyTorch's {@code nn.RNN}. */
        SIMPLE_RNN,
        /** A long short-term memory layer over a sequence, PyTorch's {@code nn.LSTM}. */
        LSTM,
        /** A gated recurrent unit layer over a sequence, PyTorch's {@code nn.GRU}. */
        GRU,
        /** A dense layer applied to every step of a sequence with the same weights. */
        STEP_DENSE,
        /** A layer whose state is the fixed point of {@code s = f(W s + U x + b)}, trained by recurrent backpropagation. */
        FIXED_POINT;

        /** Gates of a recurrent kind: the blocks of units its weights compute per step (1, 4 or 3); 0 for others. */
        public int gates() {
            return switch (this) {
                case SIMPLE_RNN -> 1;
                case LSTM -> 4;
                case GRU -> 3;
                default -> 0;
            };
        }

        /** The kind's name in canonical texts and descriptions, e.g. {@code conv2d}. */
        public String label() {
            return name().replace("_", "").toLowerCase(Locale.ROOT);
        }
    }

    /** The field's name, e.g. {@code HIDDEN}. */
    String name();

    /** What the layer computes. */
    Kind kind();

    /** The field's value: the input's length, a dense layer's units, a convolution's filters, a pooling layer's channels. */
    int size();

    /** The activation applied to the layer's output; {@code null} for a layer without one. */
    default Activation activation() {
        return null;
    }

    /** The fraction of the layer's outputs dropped in training mode, in {@code [0, 1)}. */
    default double dropout() {
        return 0;
    }

    /**
     * The shape of this layer's output when it reads {@code input}.
     *
     * @throws IllegalArgumentException if the layer cannot read {@code input}
     */
    Shape outputShape(Shape input);

    /** The layer's parameter blocks when it reads {@code input}, the first at {@code offset}; none for most kinds. */
    default List<ParameterBlock> parameterBlocks(Shape input, int offset) {
        return List.of();
    }

    /** How many parameters the layer holds when it reads {@code input}, counted without overflow. */
    default long parameterCount(Shape input) {
        return 0;
    }

    /** The layer's part of {@link NetworkSpec#canonicalShape()}: its kind, size and geometry. */
    String canonical();

    /** A short description, e.g. {@code HIDDEN dense 64 relu dropout 0.5}. */
    String describe();

    /** An input of {@code size} features. */
    static InputSpec input(String name, int size) {
        return new InputSpec(name, size, Shape.features(size));
    }

    /** An image input of {@code channels x height x width}. */
    static InputSpec image(String name, int channels, int height, int width) {
        Shape.Image shape = Shape.image(channels, height, width);
        return new InputSpec(name, shape.size(), shape);
    }

    /** A sequence input of {@code steps} steps of {@code features} values. */
    static InputSpec sequence(String name, int steps, int features) {
        Shape.Sequence shape = Shape.sequence(steps, features);
        return new InputSpec(name, shape.size(), shape);
    }

    /** A dense layer of {@code size} units. */
    static DenseSpec dense(String name, int size, Activation activation) {
        return new DenseSpec(name, size, activation, 0);
    }

    /** A dense layer of {@code size} units whose outputs are dropped with probability {@code dropout} in training. */
    static DenseSpec dense(String name, int size, Activation activation, double dropout) {
        return new DenseSpec(name, size, activation, dropout);
    }

    private static void checkSize(String name, int size) {
        Objects.requireNonNull(name, "name");
        if (size < 1) {
            throw new IllegalArgumentException("layer " + name + " has size " + size + ", expected at least 1");
        }
    }

    /** {@code input} as the sequence layer {@code name} (described as {@code what}) reads it, or why it cannot. */
    private static Shape.Sequence sequence(String name, String what, Shape input) {
        if (input instanceof Shape.Sequence sequence) {
            return sequence;
        }
        throw new IllegalArgumentException("layer " + name + " (" + what + ") reads a sequence, but its input is "
                + input.describe() + (input instanceof Shape.Features ? " flat features" : ""));
    }

    private static Shape.Image image(String name, Kind kind, Shape input) {
        if (input instanceof Shape.Image image) {
            return image;
        }
        throw new IllegalArgumentException("layer " + name + " (" + kind.label() + ") reads an image, but its input is "
                + input.describe() + " flat features");
    }

    /**
     * The network's input.
     *
     * @param shape {@link Shape.Features} of {@code size}, or an image of {@code size} values
     */
    record InputSpec(String name, int size, Shape shape) implements LayerSpec {
        public InputSpec {
            checkSize(name, size);
            Objects.requireNonNull(shape, "shape");
            if (shape.size() != size) {
                throw new IllegalArgumentException(
                        "input " + name + " has size " + size + " but shape " + shape.describe());
            }
        }

        @Override
        public Kind kind() {
            return Kind.INPUT;
        }

        @Override
        public Shape outputShape(Shape input) {
            return shape;
        }

        @Override
        public String canonical() {
            if (shape instanceof Shape.Image image) {
                return "input:" + size + ":" + image.describe();
            }
            if (shape instanceof Shape.Sequence sequence) {
                return "input:" + size + ":seq" + sequence.steps() + "x" + sequence.features();
            }
            return "input:" + size;
        }

        @Override
        public String describe() {
            return name + " input " + shape.describe();
        }
    }

    /** A fully connected layer: {@code n * size} weights, input-major, then {@code size} biases. */
    record DenseSpec(String name, int size, Activation activation, double dropout) implements LayerSpec {
        public DenseSpec {
            checkSize(name, size);
            Objects.requireNonNull(activation, "activation");
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException(
                        "layer " + name + " has dropout " + dropout + ", expected a value in [0, 1)");
            }
        }

        @Override
        public Kind kind() {
            return Kind.DENSE;
        }

        @Override
        public Shape outputShape(Shape input) {
            return Shape.features(size);
        }

        @Override
        public List<ParameterBlock> parameterBlocks(Shape input, int offset) {
            int n = input.size();
            return List.of(
                    new ParameterBlock(
                            name, ParameterBlock.Role.WEIGHTS, offset, List.of(n, size), List.of("inputs", "units")),
                    new ParameterBlock(
                            name, ParameterBlock.Role.BIASES, offset + n * size, List.of(size), List.of("units")));
        }

        @Override
        public long parameterCount(Shape input) {
            return ((long) input.size() + 1) * size;
        }

        @Override
        public String canonical() {
            return "dense:" + size + ":" + activation.label();
        }

        @Override
        public String describe() {
            return name + " dense " + size + " " + activation.label() + (dropout > 0 ? " dropout " + dropout : "");
        }
    }

    /**
     * A two-dimensional convolution of {@code size} filters; see {@link Conv2D}. With {@link
     * Padding#SAME} the explicit pads are 0 and the zeros follow from the input's shape.
     */
    record Conv2DSpec(
            String name,
            int size,
            Activation activation,
            int kernelHeight,
            int kernelWidth,
            int strideHeight,
            int strideWidth,
            Padding padding,
            int padHeight,
            int padWidth)
            implements LayerSpec {
        public Conv2DSpec {
            checkSize(name, size);
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(padding, "padding");
            if (activation == Activation.SOFTMAX) {
                throw new IllegalArgumentException(
                        "layer " + name + ": a convolution's activation is element-wise, not softmax");
            }
            if (kernelHeight < 1
                    || kernelWidth < 1
                    || strideHeight < 1
                    || strideWidth < 1
                    || padHeight < 0
                    || padWidth < 0
                    || (padding == Padding.SAME && (padHeight > 0 || padWidth > 0))) {
                throw new IllegalArgumentException("layer " + name + ": impossible geometry " + geometry());
            }
        }

        @Override
        public Kind kind() {
            return Kind.CONV2D;
        }

        /** How the kernel slides over rows of {@code input}. */
        public Window rows(Shape.Image input) {
            return padding == Padding.SAME
                    ? Window.same(input.height(), kernelHeight, strideHeight)
                    : Window.valid(input.height(), kernelHeight, strideHeight, padHeight);
        }

        /** How the kernel slides over columns of {@code input}. */
        public Window columns(Shape.Image input) {
            return padding == Padding.SAME
                    ? Window.same(input.width(), kernelWidth, strideWidth)
                    : Window.valid(input.width(), kernelWidth, strideWidth, padWidth);
        }

        @Override
        public Shape.Image outputShape(Shape input) {
            Shape.Image image = image(name, kind(), input);
            Window rows = rows(image);
            Window columns = columns(image);
            if (!rows.fits() || !columns.fits()) {
                throw new IllegalArgumentException("layer " + name + ": a " + kernelHeight + "x" + kernelWidth
                        + " kernel does not fit in its padded " + rows.padded() + "x" + columns.padded() + " input");
            }
            return Shape.image(size, rows.output(), columns.output());
        }

        @Override
        public List<ParameterBlock> parameterBlocks(Shape input, int offset) {
            int channels = image(name, kind(), input).channels();
            int weights = size * channels * kernelHeight * kernelWidth;
            return List.of(
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.WEIGHTS,
                            offset,
                            List.of(size, channels, kernelHeight, kernelWidth),
                            List.of("filters", "channels", "kernelHeight", "kernelWidth")),
                    new ParameterBlock(
                            name, ParameterBlock.Role.BIASES, offset + weights, List.of(size), List.of("filters")));
        }

        @Override
        public long parameterCount(Shape input) {
            return ((long) image(name, kind(), input).channels() * kernelHeight * kernelWidth + 1) * size;
        }

        private String geometry() {
            return kernelHeight + "x" + kernelWidth + ":s" + strideHeight + "x" + strideWidth + ":"
                    + (padding == Padding.SAME ? "same" : "p" + padHeight + "x" + padWidth);
        }

        @Override
        public String canonical() {
            return "conv2d:" + size + ":" + geometry() + ":" + activation.label();
        }

        @Override
        public String describe() {
            return name + " conv2d " + size + " " + kernelHeight + "x" + kernelWidth + " stride " + strideHeight + "x"
                    + strideWidth + " " + (padding == Padding.SAME ? "same" : "pad " + padHeight + "x" + padWidth) + " "
                    + activation.label();
        }
    }

    /** Max or average pooling over {@code windowHeight x windowWidth} windows of each of {@code size} channels. */
    record Pool2DSpec(
            String name, Kind kind, int size, int windowHeight, int windowWidth, int strideHeight, int strideWidth)
            implements LayerSpec {
        public Pool2DSpec {
            checkSize(name, size);
            if (kind != Kind.MAX_POOL2D && kind != Kind.AVG_POOL2D) {
                throw new IllegalArgumentException("layer " + name + ": " + kind + " is not a windowed pooling");
            }
            if (windowHeight < 1 || windowWidth < 1 || strideHeight < 1 || strideWidth < 1) {
                throw new IllegalArgumentException("layer " + name + ": impossible window " + windowHeight + "x"
                        + windowWidth + " stride " + strideHeight + "x" + strideWidth);
            }
        }

        /** How the window slides over rows of {@code input}. */
        public Window rows(Shape.Image input) {
            return Window.valid(input.height(), windowHeight, strideHeight, 0);
        }

        /** How the window slides over columns of {@code input}. */
        public Window columns(Shape.Image input) {
            return Window.valid(input.width(), windowWidth, strideWidth, 0);
        }

        @Override
        public Shape.Image outputShape(Shape input) {
            Shape.Image image = image(name, kind, input);
            if (image.channels() != size) {
                throw new IllegalArgumentException(
                        "layer " + name + " pools " + size + " channels, but its input has " + image.channels());
            }
            Window rows = rows(image);
            Window columns = columns(image);
            if (!rows.fits() || !columns.fits()) {
                throw new IllegalArgumentException("layer " + name + ": a " + windowHeight + "x" + windowWidth
                        + " window does not fit in its " + image.height() + "x" + image.width() + " input");
            }
            return Shape.image(size, rows.output(), columns.output());
        }

        @Override
        public String canonical() {
            return kind.label() + ":" + size + ":" + windowHeight + "x" + windowWidth + ":s" + strideHeight + "x"
                    + strideWidth;
        }

        @Override
        public String describe() {
            return name + " " + kind.label() + " " + size + " " + windowHeight + "x" + windowWidth + " stride "
                    + strideHeight + "x" + strideWidth;
        }
    }

    /** The mean of each of {@code size} channels: a {@code size x 1 x 1} image. */
    record GlobalAvgPool2DSpec(String name, int size) implements LayerSpec {
        public GlobalAvgPool2DSpec {
            checkSize(name, size);
        }

        @Override
        public Kind kind() {
            return Kind.GLOBAL_AVG_POOL2D;
        }

        @Override
        public Shape.Image outputShape(Shape input) {
            Shape.Image image = image(name, kind(), input);
            if (image.channels() != size) {
                throw new IllegalArgumentException(
                        "layer " + name + " pools " + size + " channels, but its input has " + image.channels());
            }
            return Shape.image(size, 1, 1);
        }

        @Override
        public String canonical() {
            return kind().label() + ":" + size;
        }

        @Override
        public String describe() {
            return name + " " + kind().label() + " " + size;
        }
    }

    /**
     * A recurrent layer of {@code size} units over a sequence, with PyTorch's equations, gate order
     * and parameter layout ({@code nn.RNN}, {@code nn.LSTM}, {@code nn.GRU} with {@code batch_first}):
     * for {@code G} gates ({@link Kind#gates()}) and {@code F} input features, the input weights
     * {@code [G * size][F]} ({@code weight_ih_l0}), the recurrent weights {@code [G * size][size]}
     * ({@code weight_hh_l0}), the input biases {@code [G * size]} ({@code bias_ih_l0}) and the
     * recurrent biases {@code [G * size]} ({@code bias_hh_l0}), in that order. Gates are stacked
     * in PyTorch's order: LSTM input, forget, cell, output; GRU reset, update, new.
     *
     * @param activation a simple recurrent layer's {@link Activation#TANH} or {@link
     *     Activation#RELU}; {@link Activation#TANH} for LSTM and GRU, whose gates are fixed
     * @param returnSequences whether the layer writes its state at every step (a sequence of
     *     {@code size} features per step) or only its last state ({@code size} features)
     */
    record RecurrentSpec(String name, Kind kind, int size, Activation activation, boolean returnSequences)
            implements LayerSpec {
        public RecurrentSpec {
            checkSize(name, size);
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(activation, "activation");
            if (kind.gates() == 0) {
                throw new IllegalArgumentException("layer " + name + ": " + kind + " is not a recurrent kind");
            }
            if (kind == Kind.SIMPLE_RNN
                    ? activation != Activation.TANH && activation != Activation.RELU
                    : activation != Activation.TANH) {
                throw new IllegalArgumentException(
                        "layer " + name + ": a " + kind.label() + " layer cannot use " + activation.label());
            }
        }

        /** Rows of each weight block: gates times units. */
        public int gateUnits() {
            return kind.gates() * size;
        }

        private Shape.Sequence sequence(Shape input) {
            return LayerSpec.sequence(name, kind.label(), input);
        }

        @Override
        public Shape outputShape(Shape input) {
            Shape.Sequence sequence = sequence(input);
            return returnSequences ? Shape.sequence(sequence.steps(), size) : Shape.features(size);
        }

        @Override
        public List<ParameterBlock> parameterBlocks(Shape input, int offset) {
            int features = sequence(input).features();
            int rows = gateUnits();
            int recurrent = offset + rows * features;
            int biases = recurrent + rows * size;
            return List.of(
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.WEIGHTS,
                            offset,
                            List.of(rows, features),
                            List.of("gateUnits", "features")),
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.RECURRENT_WEIGHTS,
                            recurrent,
                            List.of(rows, size),
                            List.of("gateUnits", "units")),
                    new ParameterBlock(name, ParameterBlock.Role.BIASES, biases, List.of(rows), List.of("gateUnits")),
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.RECURRENT_BIASES,
                            biases + rows,
                            List.of(rows),
                            List.of("gateUnits")));
        }

        @Override
        public long parameterCount(Shape input) {
            return (long) gateUnits() * (sequence(input).features() + size + 2);
        }

        @Override
        public String canonical() {
            return kind.label() + ":" + size + ":" + (returnSequences ? "sequences" : "last")
                    + (kind == Kind.SIMPLE_RNN ? ":" + activation.label() : "");
        }

        @Override
        public String describe() {
            return name + " " + kind.label() + " " + size + (kind == Kind.SIMPLE_RNN ? " " + activation.label() : "")
                    + (returnSequences ? " sequences" : " last state");
        }
    }

    /**
     * A dense layer of {@code size} units applied to every step of a sequence of {@code F}
     * features with the same {@code F * size} weights, input-major, then {@code size} biases (the
     * layout of {@link DenseSpec} for one step). It writes a sequence of {@code size} per step;
     * a softmax normalises each step.
     */
    record StepDenseSpec(String name, int size, Activation activation) implements LayerSpec {
        public StepDenseSpec {
            checkSize(name, size);
            Objects.requireNonNull(activation, "activation");
        }

        @Override
        public Kind kind() {
            return Kind.STEP_DENSE;
        }

        private Shape.Sequence sequence(Shape input) {
            return LayerSpec.sequence(name, "dense per step", input);
        }

        @Override
        public Shape.Sequence outputShape(Shape input) {
            return Shape.sequence(sequence(input).steps(), size);
        }

        @Override
        public List<ParameterBlock> parameterBlocks(Shape input, int offset) {
            int n = sequence(input).features();
            return List.of(
                    new ParameterBlock(
                            name, ParameterBlock.Role.WEIGHTS, offset, List.of(n, size), List.of("features", "units")),
                    new ParameterBlock(
                            name, ParameterBlock.Role.BIASES, offset + n * size, List.of(size), List.of("units")));
        }

        @Override
        public long parameterCount(Shape input) {
            return ((long) sequence(input).features() + 1) * size;
        }

        @Override
        public String canonical() {
            return "stepdense:" + size + ":" + activation.label();
        }

        @Override
        public String describe() {
            return name + " dense per step " + size + " " + activation.label();
        }
    }

    /**
     * A layer of {@code size} units whose output is the fixed point of {@code s = f(W s + U x +
     * b)} for its input {@code x} of {@code F} values (read flat): iterated from {@code s = 0}
     * until no unit moves by more than {@code tolerance}, at most {@code maxIterations} times,
     * and trained by the Almeida-Pineda adjoint. Parameters: the input weights {@code U [size][F]},
     * the recurrent weights {@code W [size][size]}, the biases {@code b [size]}.
     *
     * @param activation {@link Activation#TANH} or {@link Activation#SIGMOID}
     * @param contraction with a value in {@code (0, 1)}, the bound the training keeps the map's
     *     contraction factor under (each row of {@code W} rescaled to an absolute sum of at most
     *     {@code contraction / max f'}); 0 for none
     */
    record FixedPointSpec(
            String name, int size, Activation activation, double tolerance, int maxIterations, double contraction)
            implements LayerSpec {
        public FixedPointSpec {
            checkSize(name, size);
            Objects.requireNonNull(activation, "activation");
            if (activation != Activation.TANH && activation != Activation.SIGMOID) {
                throw new IllegalArgumentException(
                        "layer " + name + ": a fixed-point layer takes tanh or sigmoid, not " + activation.label());
            }
            if (!(tolerance > 0 && tolerance < 1) || maxIterations < 1 || !(contraction >= 0 && contraction < 1)) {
                throw new IllegalArgumentException("layer " + name + ": impossible iteration: tolerance " + tolerance
                        + ", maxIterations " + maxIterations + ", contraction " + contraction);
            }
        }

        @Override
        public Kind kind() {
            return Kind.FIXED_POINT;
        }

        /** The largest slope of the activation: what a row of {@code W} is bounded by, divided into the contraction. */
        public double maxSlope() {
            return activation == Activation.SIGMOID ? 0.25 : 1;
        }

        @Override
        public Shape outputShape(Shape input) {
            return Shape.features(size);
        }

        @Override
        public List<ParameterBlock> parameterBlocks(Shape input, int offset) {
            int n = input.size();
            int recurrent = offset + size * n;
            return List.of(
                    new ParameterBlock(
                            name, ParameterBlock.Role.WEIGHTS, offset, List.of(size, n), List.of("units", "inputs")),
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.RECURRENT_WEIGHTS,
                            recurrent,
                            List.of(size, size),
                            List.of("units", "units")),
                    new ParameterBlock(
                            name,
                            ParameterBlock.Role.BIASES,
                            recurrent + size * size,
                            List.of(size),
                            List.of("units")));
        }

        @Override
        public long parameterCount(Shape input) {
            return (long) size * (input.size() + size + 1);
        }

        @Override
        public String canonical() {
            return "fixedpoint:" + size + ":" + activation.label();
        }

        @Override
        public String describe() {
            return name + " fixed point " + size + " " + activation.label() + " tolerance " + tolerance + " max "
                    + maxIterations + (contraction > 0 ? " contraction " + contraction : "");
        }
    }
}
