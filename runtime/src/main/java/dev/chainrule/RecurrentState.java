package dev.chainrule;

/**
 * What a recurrent model carries from one step of a stream to the next: every recurrent layer's
 * state (and an LSTM's cell). The caller owns it: a model's {@code newState()} makes one, each
 * stream (a user, a sensor, a session) keeps its own, and any model of the same network, {@code
 * withSharedParameters()} siblings included, can take the stream's next step with it. A state is
 * used by one thread at a time.
 */
public interface RecurrentState {

    /** Forgets every step taken: the next step starts from the zero state a sequence starts from. */
    void reset();

    /** Steps taken since the state was made or last reset. */
    long steps();
}
