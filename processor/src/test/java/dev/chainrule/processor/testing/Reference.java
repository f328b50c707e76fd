package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Shape;
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
        List<Shape> shapes = spec.shapes();
        double[] a = x.clone();
        int offset = 0;
        for (int l = 1; l < layers.size(); l++) {
            LayerSpec layer = layers.get(l);
            Shape in = shapes.get(l - 1);
            Shape out = shapes.get(l);
            if (layer instanceof LayerSpec.DenseSpec) {
                int n = in.size();
                int m = layer.size();
                double[] z = new double[m];
                for (int j = 0; j < m; j++) {
                    double sum = p[offset + n * m + j];
                    for (int i = 0; i < n; i++) {
                        sum += a[i] * p[offset + i * m + j];
                    }
                    z[j] = sum;
                }
                a = activate(layer.activation(), z);
                offset += n * m + m;
            } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
                a = activate(conv.activation(), convolve(conv, (Shape.Image) in, (Shape.Image) out, p, offset, a));
                offset += (int) conv.parameterCount(in);
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                a = pool(pool, (Shape.Image) in, (Shape.Image) out, a);
            } else if (layer instanceof LayerSpec.StepDenseSpec step) {
                Shape.Sequence sequence = (Shape.Sequence) in;
                int n = sequence.features();
                int m = step.size();
                double[] all = new double[sequence.steps() * m];
                for (int t = 0; t < sequence.steps(); t++) {
                    double[] z = new double[m];
                    for (int j = 0; j < m; j++) {
                        z[j] = p[offset + n * m + j];
                        for (int i = 0; i < n; i++) {
                            z[j] += a[t * n + i] * p[offset + i * m + j];
                        }
                    }
                    System.arraycopy(activate(step.activation(), z), 0, all, t * m, m);
                }
                a = all;
                offset += n * m + m;
            } else if (layer instanceof LayerSpec.FixedPointSpec fixed) {
                a = relax(fixed, in.size(), p, offset, a);
                offset += (int) fixed.parameterCount(in);
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent) {
                a = recur(recurrent, (Shape.Sequence) in, p, offset, a);
                offset += (int) recurrent.parameterCount(in);
            } else {
                Shape.Image image = (Shape.Image) in;
                double[] means = new double[image.channels()];
                for (int c = 0; c < image.channels(); c++) {
                    for (int e = 0; e < image.plane(); e++) {
                        means[c] += a[c * image.plane() + e];
                    }
                    means[c] /= image.plane();
                }
                a = means;
            }
        }
        return a;
    }

    /**
     * A recurrent layer written from PyTorch's documented equations, one unit and one gate at a
     * time: {@code W_ih [G H][F]}, {@code W_hh [G H][H]}, {@code b_ih}, {@code b_hh}.
     */
    static double[] recur(LayerSpec.RecurrentSpec layer, Shape.Sequence in, double[] p, int offset, double[] x) {
        int steps = in.steps();
        int f = in.features();
        int h = layer.size();
        int rows = layer.gateUnits();
        int wih = offset;
        int whh = wih + rows * f;
        int bih = whh + rows * h;
        int bhh = bih + rows;
        double[] state = new double[h];
        double[] cell = new double[h];
        double[] all = new double[steps * h];
        for (int t = 0; t < steps; t++) {
            double[] gi = new double[rows];
            double[] gh = new double[rows];
            for (int k = 0; k < rows; k++) {
                gi[k] = p[bih + k];
                for (int i = 0; i < f; i++) {
                    gi[k] += p[wih + k * f + i] * x[t * f + i];
                }
                gh[k] = p[bhh + k];
                for (int i = 0; i < h; i++) {
                    gh[k] += p[whh + k * h + i] * state[i];
                }
            }
            double[] next = new double[h];
            for (int j = 0; j < h; j++) {
                switch (layer.kind()) {
                    case SIMPLE_RNN -> next[j] = activate(layer.activation(), new double[] {gi[j] + gh[j]})[0];
                    case LSTM -> {
                        double i = sigmoid(gi[j] + gh[j]);
                        double fg = sigmoid(gi[h + j] + gh[h + j]);
                        double g = Math.tanh(gi[2 * h + j] + gh[2 * h + j]);
                        double o = sigmoid(gi[3 * h + j] + gh[3 * h + j]);
                        cell[j] = fg * cell[j] + i * g;
                        next[j] = o * Math.tanh(cell[j]);
                    }
                    default -> {
                        double r = sigmoid(gi[j] + gh[j]);
                        double z = sigmoid(gi[h + j] + gh[h + j]);
                        double n = Math.tanh(gi[2 * h + j] + r * gh[2 * h + j]);
                        next[j] = (1 - z) * n + z * state[j];
                    }
                }
            }
            state = next;
            System.arraycopy(state, 0, all, t * h, h);
        }
        return layer.returnSequences() ? all : state;
    }

    /**
     * A fixed-point layer by plain iteration in double until the state stops changing (at most
     * 100,000 iterations): {@code U [H][F]}, {@code W [H][H]}, {@code b [H]}.
     */
    static double[] relax(LayerSpec.FixedPointSpec layer, int f, double[] p, int offset, double[] x) {
        int h = layer.size();
        int u = offset;
        int w = u + h * f;
        int b = w + h * h;
        double[] state = new double[h];
        for (int k = 0; k < 100_000; k++) {
            double[] next = new double[h];
            double change = 0;
            for (int i = 0; i < h; i++) {
                double z = p[b + i];
                for (int j = 0; j < f; j++) {
                    z += p[u + i * f + j] * x[j];
                }
                for (int j = 0; j < h; j++) {
                    z += p[w + i * h + j] * state[j];
                }
                next[i] = activate(layer.activation(), new double[] {z})[0];
                change = Math.max(change, Math.abs(next[i] - state[i]));
            }
            state = next;
            if (change == 0) {
                break;
            }
        }
        return state;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** A direct convolution: every output value as the sum over its filter's kernel, zeros outside the input. */
    static double[] convolve(
            LayerSpec.Conv2DSpec conv, Shape.Image in, Shape.Image out, double[] p, int offset, double[] x) {
        int kh = conv.kernelHeight();
        int kw = conv.kernelWidth();
        int top = conv.rows(in).padBefore();
        int left = conv.columns(in).padBefore();
        int biases = offset + out.channels() * in.channels() * kh * kw;
        double[] z = new double[out.size()];
        for (int f = 0; f < out.channels(); f++) {
            for (int y = 0; y < out.height(); y++) {
                for (int xo = 0; xo < out.width(); xo++) {
                    double sum = p[biases + f];
                    for (int c = 0; c < in.channels(); c++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y * conv.strideHeight() + i - top;
                                int ix = xo * conv.strideWidth() + j - left;
                                if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                    double w = p[offset + ((f * in.channels() + c) * kh + i) * kw + j];
                                    sum += w * x[(c * in.height() + iy) * in.width() + ix];
                                }
                            }
                        }
                    }
                    z[(f * out.height() + y) * out.width() + xo] = sum;
                }
            }
        }
        return z;
    }

    /** Max or mean over each window. */
    static double[] pool(LayerSpec.Pool2DSpec pool, Shape.Image in, Shape.Image out, double[] x) {
        double[] a = new double[out.size()];
        for (int c = 0; c < out.channels(); c++) {
            for (int y = 0; y < out.height(); y++) {
                for (int xo = 0; xo < out.width(); xo++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (int i = 0; i < pool.windowHeight(); i++) {
                        for (int j = 0; j < pool.windowWidth(); j++) {
                            double v = x[
                                    (c * in.height() + y * pool.strideHeight() + i) * in.width()
                                            + xo * pool.strideWidth()
                                            + j];
                            max = Math.max(max, v);
                            sum += v;
                        }
                    }
                    a[(c * out.height() + y) * out.width() + xo] = pool.kind() == LayerSpec.Kind.MAX_POOL2D
                            ? max
                            : sum / (pool.windowHeight() * pool.windowWidth());
                }
            }
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
                // a sequence of distributions, one per step: the mean over the steps
                LayerSpec last = spec.layers().get(spec.layers().size() - 1);
                return last instanceof LayerSpec.StepDenseSpec step ? sum / (k / step.size()) : sum;
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
