package dev.chainrule.processor.validation;

import dev.chainrule.processor.model.NetworkModel;
import java.util.List;

/** One validation rule over a parsed network; it adds what it finds wrong to {@code problems}. */
public interface Rule {
    void check(NetworkModel network, List<Problem> problems);
}
