package dev.chainrule.processor.validation;

import dev.chainrule.processor.Message;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * A shaped input gives every dimension of its shape, each positive, and their product is its
 * size: an image its channels, height and width; a sequence its steps and features. It is not
 * both.
 */
public final class ShapedInputRule implements Rule {
    private static final String[] IMAGE = {"channels", "height", "width"};
    private static final String[] SEQUENCE = {"steps", "features"};

    @Override
    public void check(NetworkModel network, List<Problem> problems) {
        for (Layer layer : network.layers()) {
            if (!(layer instanceof Layer.Input in)) {
                continue;
            }
            if (in.isImage() && in.isSequence()) {
                problems.add(new Problem(in.at("steps"), Message.IMAGE_AND_SEQUENCE, in.name()));
            } else if (in.isImage()) {
                check(
                        in,
                        IMAGE,
                        new int[] {in.channels(), in.height(), in.width()},
                        Message.IMAGE_PARTIAL,
                        Message.IMAGE_DIMENSION,
                        Message.IMAGE_SIZE,
                        problems);
            } else if (in.isSequence()) {
                check(
                        in,
                        SEQUENCE,
                        new int[] {in.steps(), in.features()},
                        Message.SEQUENCE_PARTIAL,
                        Message.SEQUENCE_DIMENSION,
                        Message.SEQUENCE_SIZE,
                        problems);
            }
        }
    }

    /**
     * Checks the dimensions {@code names} of {@code in}, given as {@code values} (0 where left
     * out); the size message takes the input's name and size, the dimensions, then their product.
     */
    private static void check(
            Layer.Input in,
            String[] names,
            int[] values,
            Message partial,
            Message dimension,
            Message size,
            List<Problem> problems) {
        List<String> given = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            (values[i] != 0 ? given : missing).add(names[i]);
        }
        if (!missing.isEmpty()) {
            problems.add(new Problem(
                    in.at(given.get(0)),
                    partial,
                    in.name(),
                    String.join(" and ", given),
                    String.join(" and ", missing)));
            return;
        }
        boolean positive = true;
        long product = 1;
        for (int i = 0; i < names.length; i++) {
            if (values[i] < 1) {
                problems.add(new Problem(in.at(names[i]), dimension, in.name(), names[i], values[i]));
                positive = false;
            }
            product *= values[i];
        }
        if (positive && product != in.size()) {
            Object[] args = new Object[names.length + 3];
            args[0] = in.name();
            args[1] = in.size();
            for (int i = 0; i < names.length; i++) {
                args[2 + i] = values[i];
            }
            args[args.length - 1] = product;
            problems.add(new Problem(in.site(), size, args));
        }
    }
}
