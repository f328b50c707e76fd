package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import java.util.List;

/**
 * A pooling layer's attributes are possible on their own: a window size, positive window and
 * stride. Whether the window fits, and the channels, are {@link GeometryRule}'s.
 */
public final class PoolRule extends AttributeRule<Layer.Pool2D> {
    public PoolRule() {
        super(Layer.Pool2D.class);
    }

    @Override
    void checkAttributes(Layer.Pool2D pool, List<Problem> problems) {
        String annotation = pool.annotation().substring(pool.annotation().lastIndexOf('.') + 1);
        String[] attributes = {"window", "windowHeight", "windowWidth", "stride", "strideHeight", "strideWidth"};
        int[] values = {
            pool.window(),
            pool.windowHeight(),
            pool.windowWidth(),
            pool.stride(),
            pool.strideHeight(),
            pool.strideWidth()
        };
        for (int i = 0; i < attributes.length; i++) {
            if (values[i] < 0) { // 0 takes the default
                ConvRule.atLeast(pool, attributes[i], values[i], 1, problems);
            }
        }
        if (pool.window() >= 0
                && pool.windowHeight() >= 0
                && pool.windowWidth() >= 0
                && (pool.wh() == 0 || pool.ww() == 0)) {
            boolean none = pool.window() == 0 && pool.windowHeight() == 0 && pool.windowWidth() == 0;
            problems.add(new Problem(
                    pool.at(none ? null : pool.wh() == 0 ? "windowWidth" : "windowHeight"),
                    Message.KERNEL_MISSING,
                    pool.name(),
                    annotation,
                    "window"));
        }
    }
}
