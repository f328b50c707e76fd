package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * The 784-H-10 networks that {@link ScalingBenchmark} sweeps, beside {@link Mnist} (H = 128).
 */
public final class HiddenWidths {
    private HiddenWidths() {}

    /** 784-64-10. */
    @Network(loss = Loss.CROSS_ENTROPY)
    public interface Hidden64 {
        @Input
        int PIXELS = 784;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 64;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 10;
    }

    /** 784-256-10. */
    @Network(loss = Loss.CROSS_ENTROPY)
    public interface Hidden256 {
        @Input
        int PIXELS = 784;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 256;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 10;
    }

    /** 784-512-10. */
    @Network(loss = Loss.CROSS_ENTROPY)
    public interface Hidden512 {
        @Input
        int PIXELS = 784;

        @Dense(activation = Activation.RELU)
        int HIDDEN = 512;

        @Dense(activation = Activation.SOFTMAX)
        int CLASSES = 10;
    }
}
