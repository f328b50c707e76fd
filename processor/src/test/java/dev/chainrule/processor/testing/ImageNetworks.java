package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks with convolution and pooling on odd shapes: non-square images and kernels, one channel
 * and several, stride 2, explicit and SAME padding (with an even kernel, so the extra zero goes
 * after), 1x1 kernels, pooling windows that do not divide the image or overlap, pooling that reads
 * the input, a convolution after a convolution, a convolution as the output, and one wide enough
 * (16 filters over 100 positions, 40 dense units) to cross the vector kernels' vector loops.
 */
public final class ImageNetworks {
    private ImageNetworks() {}

    static LayerSpec.Conv2DSpec conv(
            String name, int filters, int kh, int kw, int sh, int sw, int ph, int pw, Activation a) {
        return new LayerSpec.Conv2DSpec(name, filters, a, kh, kw, sh, sw, Padding.VALID, ph, pw);
    }

    static LayerSpec.Conv2DSpec same(String name, int filters, int kh, int kw, Activation a) {
        return new LayerSpec.Conv2DSpec(name, filters, a, kh, kw, 1, 1, Padding.SAME, 0, 0);
    }

    static LayerSpec.Pool2DSpec pool(String name, Kind kind, int channels, int wh, int ww, int sh, int sw) {
        return new LayerSpec.Pool2DSpec(name, kind, channels, wh, ww, sh, sw);
    }

    /** The networks, each in both precisions, with hidden activations rotated by network. */
    public static List<NetworkSource> sources(String packageName) {
        List<Activation> hidden = NetworkSource.elementWise();
        List<NetworkSource> sources = new ArrayList<>();
        int index = 0;
        for (Precision precision : Precision.values()) {
            for (int n = 0; n < 8; n++) {
                Activation h0 = hidden.get((index) % hidden.size());
                Activation h1 = hidden.get((index + 3) % hidden.size());
                Object[] network = network(n, h0, h1);
                @SuppressWarnings("unchecked")
                List<LayerSpec> layers = (List<LayerSpec>) network[1];
                sources.add(new NetworkSource(packageName, "Image" + index, (Loss) network[0], precision, layers));
                index++;
            }
        }
        return sources;
    }

    private static Object[] network(int n, Activation h0, Activation h1) {
        return switch (n) {
            case 0 ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.image("IN", 1, 6, 5),
                            conv("C", 3, 3, 3, 1, 1, 0, 0, h0),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))
                };
            case 1 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.image("IN", 2, 7, 6),
                            conv("C", 3, 3, 2, 2, 2, 1, 1, h0),
                            pool("P", Kind.MAX_POOL2D, 3, 3, 3, 1, 1),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))
                };
            case 2 ->
                new Object[] {
                    Loss.BINARY_CROSS_ENTROPY,
                    List.of(
                            LayerSpec.image("IN", 3, 5, 5),
                            same("C", 2, 4, 4, h0),
                            pool("P", Kind.AVG_POOL2D, 2, 2, 2, 2, 2),
                            LayerSpec.dense("OUT", 1, Activation.SIGMOID))
                };
            case 3 ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.image("IN", 3, 4, 4),
                            conv("C", 5, 1, 1, 1, 1, 0, 0, h0),
                            new LayerSpec.GlobalAvgPool2DSpec("G", 5),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))
                };
            case 4 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.image("IN", 2, 7, 7),
                            pool("P", Kind.MAX_POOL2D, 2, 3, 3, 2, 2),
                            conv("C", 2, 2, 2, 1, 1, 0, 0, h0),
                            LayerSpec.dense("OUT", 2, Activation.TANH))
                };
            case 5 ->
                new Object[] {
                    Loss.BINARY_CROSS_ENTROPY,
                    List.of(
                            LayerSpec.image("IN", 1, 9, 8),
                            conv("C1", 4, 3, 3, 1, 1, 1, 1, h0),
                            conv("C2", 3, 2, 3, 2, 1, 0, 0, h1),
                            pool("P", Kind.AVG_POOL2D, 3, 2, 3, 1, 2),
                            LayerSpec.dense("H", 4, h0),
                            LayerSpec.dense("OUT", 2, Activation.SIGMOID))
                };
            case 6 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.image("IN", 2, 5, 5),
                            conv("C", 3, 2, 2, 1, 1, 0, 0, h0),
                            conv("OUT", 2, 3, 3, 1, 1, 1, 1, Activation.SIGMOID))
                };
            default ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.image("IN", 3, 10, 10),
                            same("C", 16, 3, 3, h0),
                            pool("P", Kind.MAX_POOL2D, 16, 2, 2, 2, 2),
                            LayerSpec.dense("H", 40, h1),
                            LayerSpec.dense("OUT", 10, Activation.SOFTMAX))
                };
        };
    }
}
