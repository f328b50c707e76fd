package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Site;
import java.util.List;

/** One thing wrong with a network: what ({@code message} with its arguments) and where. */
public record Problem(Site site, Message message, List<Object> args) {

    public Problem(Site site, Message message, Object... args) {
        this(site, message, List.of(args));
    }
}
