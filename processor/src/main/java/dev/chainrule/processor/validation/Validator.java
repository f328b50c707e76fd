package dev.chainrule.processor.validation;

import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/** Runs every rule over a parsed network and collects their problems. */
public final class Validator {
    private final List<Rule> rules = List.of(
            new InputRule(),
            new DenseLayerRule(),
            new ShapedInputRule(),
            new ConvRule(),
            new PoolRule(),
            new RecurrentRule(),
            new FixedPointRule(),
            new GeometryRule(),
            new SizeRule(),
            new SoftmaxRule(),
            new LossRule(),
            new DefaultLossRule(),
            new DropoutRule(),
            new NameClashRule());

    /** Every problem of {@code network}; empty when it can be generated. */
    public List<Problem> validate(NetworkModel network) {
        List<Problem> problems = new ArrayList<>();
        for (Rule rule : rules) {
            rule.check(network, problems);
        }
        return problems;
    }
}
