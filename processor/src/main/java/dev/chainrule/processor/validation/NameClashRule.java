package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.Names;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.Site;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names Chainrule generates (see {@link Names}) are free: no member of the interface has
 * one, and no two layers map to the same one ({@code HIDDEN_1} and {@code Hidden1} would both
 * need {@code zHidden1}).
 */
public final class NameClashRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        Map<String, String> generated = new HashMap<>(); // member -> layer it belongs to
        for (String member : Names.FIXED_MEMBERS) {
            generated.put(member, null);
        }
        if (network.layers().stream().anyMatch(l -> l instanceof Layer.FixedPoint)) {
            for (String member : Names.FIXED_POINT_MEMBERS) {
                generated.put(member, null);
            }
        }
        if (!network.layers().isEmpty() && network.layers().get(0) instanceof Layer.Input in && in.isSequence()) {
            for (String member : Names.STREAMING_MEMBERS) {
                generated.put(member, null);
            }
        }
        for (Layer layer : network.layers()) {
            for (String member : Names.members(layer)) {
                if (generated.containsKey(member)) {
                    String owner = generated.get(member);
                    problems.add(new Problem(
                            layer.site(), Message.NAME_CLASH, "layer " + layer.name(), member, forWhom(owner)));
                } else {
                    generated.put(member, layer.name());
                }
            }
        }
        for (String name : network.memberNames()) {
            if (generated.containsKey(name)) {
                String owner = generated.get(name);
                // A field is reported on itself; a method, on the interface.
                problems.add(new Problem(Site.field(name), Message.NAME_CLASH, "member " + name, name, forWhom(owner)));
            }
        }
    }

    private static String forWhom(String layer) {
        return layer == null ? "in every model class" : "for layer " + layer;
    }
}
