package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import java.util.List;

/**
 * A plain, loop-by-loop implementation of a network's forward pass and loss in double
 * precision, written from the formulas and sharing no code with the runtime's kernels: what
 * every generated network is compared against.
 */
public final class Reference {
    private Reference() {}

    /** The outputs of {@code spec} with parameters {@code p} (in the documented layout) on {@code x}. */
    public static double[] forward(NetworkSpec spec, double[] p, double[] x) {
        List<LayerSpec> layers = spec.layers();
        double[] a = x.clone();
        int offset = 0;
        for (int l = 1; l < layers.size(); l++) {
            int n = layers.get(l - 1).size();
            int m = layers.get(l).size();
            double[] z = new double[m];
            for (int j = 0; j < m; j++) {
                double sum = p[offset + n * m + j];
                for (int i = 0; i < n; i++) {
                    sum += a[i] * p[offset + i * m + j];
                }
                z[j] = sum;
            }
            a = activate(layers.get(l).activation(), z);
            offset += n * m + m;
        }
        return a;
    }

    /** The loss of one sample. */
    public static double loss(NetworkSpec spec, double[] p, double[] x, double[] y) {
        double[] a = forward(spec, p, x);
        int k = a.length;
        double sum = 0;
        switch (spec.loss()) {
            case MSE -> {
                for (int i = 0; i < k; i++) {
                    sum += (a[i] - y[i]) * (a[i] - y[i]);
                }
                return sum / k;
            }
            case CROSS_ENTROPY -> {
                for (int i = 0; i < k; i++) {
                    sum -= y[i] * Math.log(a[i]);
                }
                return sum;
            }
            case BINARY_CROSS_ENTROPY -> {
                for (int i = 0; i < k; i++) {
                    sum -= y[i] * Math.log(a[i]) + (1 - y[i]) * Math.log(1 - a[i]);
                }
                return sum / k;
            }
            default -> throw new AssertionError(spec.loss());
        }
    }

    static double[] activate(Activation activation, double[] z) {
        double[] a = new double[z.length];
        if (activation == Activation.SOFTMAX) {
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                sum += Math.exp(z[j]);
            }
            for (int j = 0; j < z.length; j++) {
                a[j] = Math.exp(z[j]) / sum;
            }
            return a;
        }
        for (int j = 0; j < z.length; j++) {
            double v = z[j];
            a[j] = switch (activation) {
                case IDENTITY -> v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
                case RELU -> Math.max(0, v);
                case LEAKY_RELU -> v > 0 ? v : 0.01 * v;
                case ELU -> v > 0 ? v : Math.exp(v) - 1;
                case SOFTPLUS -> Math.log(1 + Math.exp(v));
                case GELU -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                case SOFTMAX -> throw new AssertionError();
            };
        }
        return a;
    }
}
