package dev.chainrule.processor.model;

import dev.chainrule.Activation;

/** One layer of a network, as a field of the interface declares it. */
public sealed interface Layer permits Layer.Input, Layer.Dense {

    /** The field's name, e.g. {@code HIDDEN}. */
    String name();

    /** The field's value: features of the input, units of a dense layer (not yet validated). */
    int size();

    /** The field, for diagnostics. */
    Site site();

    /** The network's input: {@code size} features. */
    record Input(String name, int size, Site site) implements Layer {}

    /**
     * A fully connected layer.
     *
     * @param activationSite the annotation value naming the activation (or the annotation when
     *     the default is used), for diagnostics about it
     * @param dropout the fraction of outputs dropped in training (not yet validated)
     * @param dropoutSite the annotation value giving the dropout
     */
    record Dense(String name, int size, Activation activation, Site site, Site activationSite, double dropout,
            Site dropoutSite) implements Layer {

        /** Whether the layer drops outputs in training. */
        public boolean hasDropout() {
            return dropout > 0;
        }
    }
}
