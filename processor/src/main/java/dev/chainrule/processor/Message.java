package dev.chainrule.processor;

/**
 * Every diagnostic Chainrule reports, in one place. Each has a stable tag, printed as
 * {@code [Chainrule/Tag]}, a message template ({@link String#format}) that says what is wrong,
 * and a hint that says how to fix it. Most are errors; the few marked {@link #isWarning()
 * warnings} point at a likely mistake in a network that can still be generated.
 */
public enum Message {
    NOT_AN_INTERFACE(
            "NotAnInterface",
            "@Network must annotate an interface, but %1$s is a %2$s",
            "declare `interface %1$s` with one annotated int field per layer"),
    GENERIC_INTERFACE(
            "GenericInterface",
            "@Network interface %1$s has type parameters",
            "a network's shape is fixed: remove the type parameters"),
    INACCESSIBLE_INTERFACE(
            "InaccessibleInterface",
            "@Network interface %1$s is %2$s, so the generated class cannot implement it",
            "declare it at the top level or as a non-private member of a class or interface"),
    ABSTRACT_METHOD(
            "AbstractMethod",
            "@Network interface %1$s declares abstract method %2$s, which the generated class cannot implement",
            "make it a default or static method, or remove it"),
    CONTRACT_MISMATCH(
            "ContractMismatch",
            "@Network interface %1$s extends %2$s, but its precision is %3$s, so the generated class implements %4$s",
            "extend %4$s instead, or declare the precision that matches %2$s"),
    LAYER_OUTSIDE_NETWORK(
            "LayerOutsideNetwork",
            "@%1$s marks a layer, but field %2$s is not in a @Network interface",
            "annotate the enclosing interface with @Network, or remove @%1$s"),
    TWO_LAYER_KINDS(
            "TwoLayerKinds",
            "field %1$s is annotated both @%2$s and @%3$s; one field declares one layer",
            "keep one annotation and declare the other layer as its own field"),
    SIZE_NOT_INT(
            "SizeNotInt",
            "layer %1$s is declared as %2$s, but a layer size is an int",
            "declare it as `int %1$s = ...;`"),
    SIZE_NOT_CONSTANT(
            "SizeNotConstant",
            "the size of layer %1$s is not a compile-time constant",
            "initialise it with an int literal or a constant expression of literals and other constants"),
    NO_INPUT(
            "NoInput",
            "@Network interface %1$s has no @Input field",
            "declare the input first, e.g. `@Input int FEATURES = 4;`"),
    TWO_INPUTS(
            "TwoInputs",
            "layer %1$s is a second @Input; the network already takes its input from %2$s",
            "a network has one input layer: make %1$s a @Dense layer or remove it"),
    INPUT_NOT_FIRST(
            "InputNotFirst",
            "@Input layer %1$s must be the first layer, but it follows %2$s",
            "move %1$s above the other layer fields"),
    NO_DENSE_LAYER(
            "NoDenseLayer",
            "@Network interface %1$s has no layer after its input",
            "add at least one layer, e.g. `@Dense(activation = Activation.SOFTMAX) int CLASSES = 3;`"),
    SIZE_TOO_SMALL(
            "SizeTooSmall", "layer %1$s has size %2$d, but a layer needs at least 1 unit", "give %1$s a positive size"),
    SOFTMAX_NOT_LAST(
            "SoftmaxNotLast",
            "SOFTMAX normalises the output layer only, but layer %1$s is followed by %2$s",
            "use an element-wise activation such as RELU or TANH on hidden layers"),
    SOFTMAX_ONE_UNIT(
            "SoftmaxOneUnit",
            "a SOFTMAX over the single unit of layer %1$s is always 1 and cannot learn",
            "for a yes/no output use SIGMOID (with BINARY_CROSS_ENTROPY); for classes give %1$s one unit per class"),
    LOSS_NEEDS_SOFTMAX(
            "LossNeedsSoftmax",
            "loss CROSS_ENTROPY needs a SOFTMAX output layer, but output layer %1$s uses %2$s",
            "use activation SOFTMAX on %1$s, or BINARY_CROSS_ENTROPY with a SIGMOID output, or MSE"),
    LOSS_NEEDS_SIGMOID(
            "LossNeedsSigmoid",
            "loss BINARY_CROSS_ENTROPY needs a SIGMOID output layer, but output layer %1$s uses %2$s",
            "use activation SIGMOID on %1$s, or CROSS_ENTROPY with a SOFTMAX output, or MSE"),
    DEFAULT_LOSS_ON_SOFTMAX(
            "DefaultLossOnSoftmax",
            "@Network gives no loss, so the SOFTMAX output layer %1$s trains with the default MSE, which learns"
                    + " class probabilities slowly and poorly",
            "declare `@Network(loss = Loss.CROSS_ENTROPY)`; to keep MSE, write `loss = Loss.MSE`, which silences"
                    + " this warning",
            true),
    DROPOUT_RATE(
            "DropoutRate",
            "layer %1$s has dropout %2$s, but a dropout rate is at least 0 and below 1",
            "give the fraction of outputs to drop in training, e.g. `dropout = 0.5`, or 0 for none"),
    STEP_DROPOUT(
            "StepDropout",
            "per-step layer %1$s has dropout %2$s, which Chainrule applies to dense layers over flat features only",
            "remove dropout from %1$s, or put it on a dense layer after the sequence"),
    DROPOUT_ON_OUTPUT(
            "DropoutOnOutput",
            "output layer %1$s has dropout %2$s, which would drop the network's own outputs",
            "remove dropout from %1$s and put it on a hidden layer"),
    IMAGE_PARTIAL(
            "ImagePartial",
            "input %1$s gives %2$s of an image's channels, height and width, but not %3$s",
            "give all three for an image input, e.g. `@Input(channels = 1, height = 28, width = 28)`, or none for features"),
    IMAGE_DIMENSION(
            "ImageDimension", "input %1$s has %2$s = %3$d, but an image has at least 1", "give %2$s a positive value"),
    IMAGE_SIZE(
            "ImageSize",
            "input %1$s has size %2$d, but its image of %3$d x %4$d x %5$d holds %6$d values",
            "declare `int %1$s = %6$d;` (channels x height x width), or correct the image's shape"),
    NEEDS_IMAGE(
            "NeedsImage",
            "layer %1$s (@%2$s) reads an image, but layer %3$s before it gives %4$s",
            "declare image layers before the first @Dense layer, and give the @Input its channels, height and width"),
    SEQUENCE_PARTIAL(
            "SequencePartial",
            "input %1$s gives a sequence's %2$s but not its %3$s",
            "give both for a sequence input, e.g. `@Input(steps = 28, features = 28)`, or neither for features"),
    SEQUENCE_DIMENSION(
            "SequenceDimension",
            "input %1$s has %2$s = %3$d, but a sequence has at least 1",
            "give %2$s a positive value"),
    SEQUENCE_SIZE(
            "SequenceSize",
            "input %1$s has size %2$d, but its sequence of %3$d steps x %4$d features holds %5$d values",
            "declare `int %1$s = %5$d;` (steps x features), or correct the sequence's shape"),
    IMAGE_AND_SEQUENCE(
            "ImageAndSequence",
            "input %1$s gives both an image's shape and a sequence's",
            "give channels, height and width for an image, or steps and features for a sequence, not both"),
    NEEDS_SEQUENCE(
            "NeedsSequence",
            "layer %1$s (@%2$s) reads a sequence, but layer %3$s before it gives %4$s",
            "give the @Input its steps and features, and set `returnSequences = true` on a recurrent layer another one reads"),
    STEP_WITHOUT_SEQUENCE(
            "StepWithoutSequence",
            "layer %1$s is a dense layer per step, but layer %2$s before it gives %3$s, which has no steps",
            "remove `perStep = true` to read flat features, or give the @Input its steps and features and set `returnSequences = true` on the recurrent layer before"),
    FIXED_POINT_ACTIVATION(
            "FixedPointActivation",
            "fixed-point layer %1$s uses %2$s, but a fixed-point layer takes tanh or sigmoid, whose slopes bound its contraction",
            "use Activation.TANH (the default) or Activation.SIGMOID"),
    FIXED_POINT_TOLERANCE(
            "FixedPointTolerance",
            "fixed-point layer %1$s has tolerance %2$s, but a tolerance is above 0 and below 1",
            "give the largest change of a unit at which the state counts as converged, e.g. `tolerance = 1e-6`"),
    FIXED_POINT_ITERATIONS(
            "FixedPointIterations",
            "fixed-point layer %1$s has maxIterations = %2$d, but a solve needs at least 1",
            "give the most iterations a solve may take, e.g. `maxIterations = 100`"),
    FIXED_POINT_CONTRACTION(
            "FixedPointContraction",
            "fixed-point layer %1$s has contraction %2$s, but a contraction factor is at least 0 and below 1",
            "give the factor training keeps the map under, e.g. `contraction = 0.9`, or 0 to leave the weights free"),
    RECURRENT_ACTIVATION(
            "RecurrentActivation",
            "simple recurrent layer %1$s uses %2$s, but PyTorch's nn.RNN, whose equations it follows, takes tanh or relu",
            "use Activation.TANH (the default) or Activation.RELU"),
    FORGET_BIAS(
            "ForgetBias",
            "LSTM layer %1$s has forgetBias %2$s, which is not a finite number",
            "give a finite initial forget-gate bias such as 1 (the default) or 0"),
    KERNEL_MISSING(
            "KernelMissing",
            "layer %1$s (@%2$s) has no %3$s size",
            "give `%3$s = 3`, or both %3$sHeight and %3$sWidth"),
    GEOMETRY_VALUE(
            "GeometryValue",
            "layer %1$s has %2$s = %3$d, but it must be at least %4$d",
            "give %2$s a value of at least %4$d, or leave it out for the default"),
    PADDING_CONFLICT(
            "PaddingConflict",
            "convolution %1$s has padding = SAME and also %2$s = %3$d",
            "use padding = SAME alone, or an explicit %2$s with the default padding VALID"),
    KERNEL_TOO_LARGE(
            "KernelTooLarge",
            "the %2$d x %3$d %4$s of layer %1$s does not fit in its input %5$s, which is %6$d x %7$d with padding",
            "use a smaller %4$s, pad the input, or keep more rows and columns in the layers before %1$s"),
    POOL_CHANNELS(
            "PoolChannels",
            "pooling layer %1$s declares %2$d channels, but its input %3$s has %4$d",
            "declare `int %1$s = %4$d;`: pooling keeps the channels of its input"),
    CONV_SOFTMAX(
            "ConvSoftmax",
            "convolution %1$s uses SOFTMAX, which normalises a dense output layer only",
            "use an element-wise activation such as RELU, and a last @Dense(activation = Activation.SOFTMAX) layer for classes"),
    LAYER_TOO_LARGE(
            "LayerTooLarge",
            "layer %1$s needs a buffer of %2$d values, more than the %3$d one array can hold",
            "make the layer's input or output smaller, or use a stride greater than 1"),
    TOO_MANY_PARAMETERS(
            "TooManyParameters",
            "layer %1$s brings the network to %2$d parameters, more than the %3$d one array can hold",
            "make the layers smaller: a dense layer holds (inputs + 1) x units, a convolution (channels x kh x kw + 1) x filters"),
    TOO_MANY_LAYERS(
            "TooManyLayers",
            "@Network interface %1$s declares %2$d layers, more than the %3$d Chainrule generates",
            "use fewer, wider layers"),
    NAME_CLASH("NameClash", "%1$s clashes with the member %2$s that Chainrule generates %3$s", "rename %1$s"),
    CANNOT_WRITE(
            "CannotWrite",
            "could not write the generated class %1$s: %2$s",
            "remove or rename the existing type of that name"),
    INTERNAL_ERROR(
            "InternalError",
            "Chainrule failed while processing %1$s: %2$s",
            "this is a bug in Chainrule; please report it with the interface that triggers it");

    private final String tag;
    private final String template;
    private final String hint;
    private final boolean warning;

    Message(String tag, String template, String hint) {
        this(tag, template, hint, false);
    }

    Message(String tag, String template, String hint, boolean warning) {
        this.tag = tag;
        this.template = template;
        this.hint = hint;
        this.warning = warning;
    }

    /** Whether this is a warning, which still lets the class be generated, rather than an error. */
    public boolean isWarning() {
        return warning;
    }

    /** The stable tag, e.g. {@code NoInput}. */
    public String tag() {
        return tag;
    }

    /**
     * The full text: {@code [Chainrule/Tag] what is wrong. Fix: what to do.} Message and hint
     * are formatted with the same arguments; each uses the ones it names ({@code %1$s}, ...).
     */
    public String format(Object... args) {
        return "[Chainrule/" + tag + "] " + String.format(template, args) + ". Fix: " + String.format(hint, args) + ".";
    }
}
