package dev.chainrule.processor.model;

import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An immutable description of one {@code @Network} interface: everything later stages need,
 * and no {@code javax.lang.model} type.
 *
 * @param packageName the interface's package ({@code ""} for the unnamed package)
 * @param interfaceName the interface's name relative to its package, e.g. {@code Outer.Scorer}
 * @param loss the declared loss
 * @param lossSite where the loss is declared
 * @param lossDeclared whether {@code @Network} gives the loss, rather than leaving the default
 * @param precision the declared precision
 * @param layers the layer fields in declaration order (not yet validated)
 * @param memberNames names of every field and method the interface declares or inherits
 */
public record NetworkModel(
        String packageName,
        String interfaceName,
        Loss loss,
        Site lossSite,
        boolean lossDeclared,
        Precision precision,
        List<Layer> layers,
        Set<String> memberNames) {

    public NetworkModel {
        layers = List.copyOf(layers);
        memberNames = Set.copyOf(memberNames);
    }

    /** The fully qualified name of the interface. */
    public String qualifiedName() {
        return packageName.isEmpty() ? interfaceName : packageName + "." + interfaceName;
    }

    /** The generated class's simple name: the interface's name with {@code Model} appended, dots as underscores. */
    public String generatedName() {
        return interfaceName.replace('.', '_') + "Model";
    }

    /** The dense layers in order, per-step ones included. */
    public List<Layer.Dense> denseLayers() {
        List<Layer.Dense> dense = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Layer.Dense d) {
                dense.add(d);
            }
        }
        return dense;
    }

    /** The runtime's description of this network; only for a validated model. */
    public NetworkSpec toSpec() {
        List<LayerSpec> specs = new ArrayList<>();
        for (Layer layer : layers) {
            specs.add(layer.toSpec());
        }
        return new NetworkSpec(qualifiedName(), precision, loss, specs);
    }
}
