package dev.chainrule.train;

/**
 * Training produced a loss, gradient or parameter that is NaN or infinite, usually because the
 * learning rate is too large. The model is left with the parameters it had before the step that
 * led there, the last ones known to give a finite loss, so it can still be saved or trained
 * again with a smaller rate.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;

    DivergenceException(int epoch, int batch, int batchesPerEpoch, String what, Throwable cause) {
        super(
                "training diverged in epoch " + epoch + ", batch " + batch + " of " + batchesPerEpoch + ": " + what
                        + "; the model keeps its parameters from before the step that led there."
                        + " Try a smaller learning rate or clip the gradient norm",
                cause);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** The epoch in which training diverged, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The mini-batch of that epoch at which the problem was found, from 1. */
    public int batch() {
        return batch;
    }
}
