package dev.chainrule.processor.validation;

import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule about the attributes of every layer of one kind, each layer judged on its own; other
 * rules ask it whether a layer's attributes are valid before they reason about its geometry.
 *
 * @param <L> the layer kind
 */
abstract class AttributeRule<L extends Layer> implements Rule {
    private final Class<L> kind;

    AttributeRule(Class<L> kind) {
        this.kind = kind;
    }

    @Override
    public final void check(NetworkModel network, List<Problem> problems) {
        for (Layer layer : network.layers()) {
            if (kind.isInstance(layer)) {
                checkAttributes(kind.cast(layer), problems);
            }
        }
    }

    /** Whether {@code layer}'s own attributes are valid: the same checks, without reporting. */
    final boolean valid(L layer) {
        List<Problem> problems = new ArrayList<>();
        checkAttributes(layer, problems);
        return problems.isEmpty();
    }

    /** Adds what is wrong with {@code layer}'s attributes to {@code problems}. */
    abstract void checkAttributes(L layer, List<Problem> problems);
}
