package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/** An image input gives its channels, height and width, each positive, and their product is its size. */
public final class ImageInputRule implements Rule {
    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        for (Layer layer : network.layers()) {
            if (!(layer instanceof Layer.Input in) || !in.isImage()) {
                continue;
            }
            String[] names = {"channels", "height", "width"};
            int[] values = {in.channels(), in.height(), in.width()};
            List<String> given = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                (values[i] != 0 ? given : missing).add(names[i]);
            }
            if (!missing.isEmpty()) {
                problems.add(new Problem(in.at(given.get(0)), Message.IMAGE_PARTIAL, in.name(), String.join(" and ", given),
                        String.join(" and ", missing)));
                continue;
            }
            boolean positive = true;
            for (int i = 0; i < 3; i++) {
                if (values[i] < 1) {
                    problems.add(new Problem(in.at(names[i]), Message.IMAGE_DIMENSION, in.name(), names[i], values[i]));
                    positive = false;
                }
            }
            long product = (long) in.channels() * in.height() * in.width();
            if (positive && product != in.size()) {
                problems.add(new Problem(in.site(), Message.IMAGE_SIZE, in.name(), in.size(), in.channels(), in.height(),
                        in.width(), product));
            }
        }
    }
}
