package dev.chainrule.processor.model;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Padding;

/**
 * One layer of a network, as a field of the interface declares it: one record per kind, holding
 * the attribute values as written (not yet validated) and the sites to report problems at.
 * {@link #toSpec()} resolves them into the runtime's {@link LayerSpec} once they are valid.
 */
public sealed interface Layer
        permits Layer.Input,
                Layer.Dense,
                Layer.Conv2D,
                Layer.Pool2D,
                Layer.GlobalAvgPool2D,
                Layer.Recurrent,
                Layer.FixedPoint {

    /** The field's name, e.g. {@code HIDDEN}. */
    String name();

    /** The field's value: the input's length, units, filters or channels (not yet validated). */
    int size();

    /** The field, for diagnostics. */
    Site site();

    /** The qualified name of the annotation that declares the kind. */
    String annotation();

    /** Where attribute {@code attribute} of the layer's annotation is (or would be) written. */
    default Site at(String attribute) {
        return site().annotationValue(annotation(), attribute);
    }

    /** The runtime's description of the layer; only once it is valid. */
    LayerSpec toSpec();

    /**
     * The network's input: {@code size} features, an image when {@code channels}, {@code height}
     * and {@code width} are given, or a sequence when {@code steps} and {@code features} are (all
     * 0 otherwise).
     */
    record Input(String name, int size, Site site, int channels, int height, int width, int steps, int features)
            implements Layer {
        public static final String ANNOTATION = "dev.chainrule.Input";

        @Override
        public String annotation() {
            return ANNOTATION;
        }

        /** Whether any image attribute is given. */
        public boolean isImage() {
            return channels != 0 || height != 0 || width != 0;
        }

        /** Whether any sequence attribute is given. */
        public boolean isSequence() {
            return steps != 0 || features != 0;
        }

        @Override
        public LayerSpec toSpec() {
            if (isImage() && isSequence()) {
                throw new IllegalStateException("input " + name + " is declared both an image and a sequence");
            }
            return isImage()
                    ? LayerSpec.image(name, channels, height, width)
                    : isSequence() ? LayerSpec.sequence(name, steps, features) : LayerSpec.input(name, size);
        }
    }

    /**
     * A fully connected layer.
     *
     * @param activationSite the annotation value naming the activation (or the annotation when
     *     the default is used), for diagnostics about it
     * @param dropout the fraction of outputs dropped in training (not yet validated)
     * @param dropoutSite the annotation value giving the dropout
     * @param perStep whether the layer applies to every step of a sequence
     */
    record Dense(
            String name,
            int size,
            Activation activation,
            Site site,
            Site activationSite,
            double dropout,
            Site dropoutSite,
            boolean perStep)
            implements Layer {
        public static final String ANNOTATION = "dev.chainrule.Dense";

        /** Whether the layer drops outputs in training. */
        public boolean hasDropout() {
            return dropout > 0;
        }

        @Override
        public String annotation() {
            return ANNOTATION;
        }

        @Override
        public LayerSpec toSpec() {
            return perStep
                    ? new LayerSpec.StepDenseSpec(name, size, activation)
                    : LayerSpec.dense(name, size, activation, dropout);
        }
    }

    /** A two-dimensional convolution with the attributes of {@code @Conv2D} as written (0 or -1 where defaulted). */
    record Conv2D(
            String name,
            int size,
            Site site,
            Activation activation,
            int kernel,
            int kernelHeight,
            int kernelWidth,
            int stride,
            int strideHeight,
            int strideWidth,
            Padding padding,
            int pad,
            int padHeight,
            int padWidth)
            implements Layer {
        public static final String ANNOTATION = "dev.chainrule.Conv2D";

        @Override
        public String annotation() {
            return ANNOTATION;
        }

        /** Rows of the kernel: {@code kernelHeight}, else {@code kernel}. */
        public int kh() {
            return kernelHeight != 0 ? kernelHeight : kernel;
        }

        /** Columns of the kernel: {@code kernelWidth}, else {@code kernel}. */
        public int kw() {
            return kernelWidth != 0 ? kernelWidth : kernel;
        }

        /** Step between rows: {@code strideHeight}, else {@code stride}. */
        public int sh() {
            return strideHeight != 0 ? strideHeight : stride;
        }

        /** Step between columns: {@code strideWidth}, else {@code stride}. */
        public int sw() {
            return strideWidth != 0 ? strideWidth : stride;
        }

        /** Zero rows on each side: {@code padHeight}, else {@code pad}. */
        public int ph() {
            return padHeight != -1 ? padHeight : pad;
        }

        /** Zero columns on each side: {@code padWidth}, else {@code pad}. */
        public int pw() {
            return padWidth != -1 ? padWidth : pad;
        }

        @Override
        public LayerSpec.Conv2DSpec toSpec() {
            return new LayerSpec.Conv2DSpec(
                    name,
                    size,
                    activation,
                    kh(),
                    kw(),
                    sh(),
                    sw(),
                    padding,
                    padding == Padding.SAME ? 0 : ph(),
                    padding == Padding.SAME ? 0 : pw());
        }
    }

    /** Max or average pooling with the attributes of {@code @MaxPool2D} or {@code @AvgPool2D} as written (0 where defaulted). */
    record Pool2D(
            String name,
            int size,
            Site site,
            LayerSpec.Kind kind,
            int window,
            int windowHeight,
            int windowWidth,
            int stride,
            int strideHeight,
            int strideWidth)
            implements Layer {
        public static final String MAX = "dev.chainrule.MaxPool2D";
        public static final String AVG = "dev.chainrule.AvgPool2D";

        @Override
        public String annotation() {
            return kind == LayerSpec.Kind.MAX_POOL2D ? MAX : AVG;
        }

        /** Rows of the window. */
        public int wh() {
            return windowHeight != 0 ? windowHeight : window;
        }

        /** Columns of the window. */
        public int ww() {
            return windowWidth != 0 ? windowWidth : window;
        }

        /** Step between rows: {@code strideHeight}, else {@code stride}, else the window's rows. */
        public int sh() {
            return strideHeight != 0 ? strideHeight : stride != 0 ? stride : wh();
        }

        /** Step between columns: {@code strideWidth}, else {@code stride}, else the window's columns. */
        public int sw() {
            return strideWidth != 0 ? strideWidth : stride != 0 ? stride : ww();
        }

        @Override
        public LayerSpec.Pool2DSpec toSpec() {
            return new LayerSpec.Pool2DSpec(name, kind, size, wh(), ww(), sh(), sw());
        }
    }

    /** Global average pooling over each of {@code size} channels. */
    record GlobalAvgPool2D(String name, int size, Site site) implements Layer {
        public static final String ANNOTATION = "dev.chainrule.GlobalAvgPool2D";

        @Override
        public String annotation() {
            return ANNOTATION;
        }

        @Override
        public LayerSpec toSpec() {
            return new LayerSpec.GlobalAvgPool2DSpec(name, size);
        }
    }

    /** A fixed-point layer as {@code @FixedPoint} declares it (not yet validated). */
    record FixedPoint(
            String name,
            int size,
            Site site,
            Activation activation,
            double tolerance,
            int maxIterations,
            double contraction)
            implements Layer {
        public static final String ANNOTATION = "dev.chainrule.FixedPoint";

        @Override
        public String annotation() {
            return ANNOTATION;
        }

        @Override
        public LayerSpec.FixedPointSpec toSpec() {
            return new LayerSpec.FixedPointSpec(name, size, activation, tolerance, maxIterations, contraction);
        }
    }

    /**
     * A simple recurrent, LSTM or GRU layer as {@code @SimpleRNN}, {@code @LSTM} or {@code @GRU}
     * declares it.
     *
     * @param activation a simple recurrent layer's activation (tanh for the gated kinds)
     * @param forgetBias the initial forget-gate input bias of an LSTM (0 for the others)
     */
    record Recurrent(
            String name,
            int size,
            Site site,
            LayerSpec.Kind kind,
            Activation activation,
            boolean returnSequences,
            double forgetBias)
            implements Layer {
        public static final String SIMPLE_RNN = "dev.chainrule.SimpleRNN";
        public static final String LSTM = "dev.chainrule.LSTM";
        public static final String GRU = "dev.chainrule.GRU";

        @Override
        public String annotation() {
            return switch (kind) {
                case SIMPLE_RNN -> SIMPLE_RNN;
                case LSTM -> LSTM;
                default -> GRU;
            };
        }

        @Override
        public LayerSpec.RecurrentSpec toSpec() {
            return new LayerSpec.RecurrentSpec(name, kind, size, activation, returnSequences);
        }
    }
}
