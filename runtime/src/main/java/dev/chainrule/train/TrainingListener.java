package dev.chainrule.train;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Told the figures of every epoch as training runs, and able to stop it: for programs that
 * record, plot or decide. Register with {@link Trainer#listener(TrainingListener)}.
 *
 * <pre>{@code
 * trainer.listener(epoch -> epoch.validationMetric() >= 0.99 ? Decision.STOP : Decision.CONTINUE);
 * trainer.listener(TrainingListener.observing(epoch -> log.info(epoch.toString())));
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {

    /** What the training loop does after an epoch. */
    enum Decision {
        /** Go on to the next epoch (unless another stopping rule applies). */
        CONTINUE,
        /** Stop after this epoch: {@link Trainer#fit} returns a history ending with it. */
        STOP
    }

    /**
     * Called after each epoch, once the validation data has been evaluated. The model is in
     * inference mode and holds the parameters reached by this epoch.
     *
     * @return whether to go on
     */
    Decision epochEnded(Epoch epoch);

    /** A listener that watches and never stops training. */
    static TrainingListener observing(Consumer<Epoch> observer) {
        Objects.requireNonNull(observer, "observer");
        return epoch -> {
            observer.accept(epoch);
            return Decision.CONTINUE;
        };
    }
}
