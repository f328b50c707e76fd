package dev.chainrule.onnx;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/** Every test network as a fresh model from a seed, and what to feed it. */
final class ModelCases {
    private ModelCases() {}

    /** One network: a name for test reports and a way to make a model of it. */
    record Case(String name, LongFunction<Model> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> all() {
        return List.of(
                new Case("Mlp", Networks_MlpModel::new),
                new Case("DoubleMlp", Networks_DoubleMlpModel::new),
                new Case("Activations", Networks_ActivationsModel::new),
                new Case("DoubleActivations", Networks_DoubleActivationsModel::new),
                new Case("Cnn", Networks_CnnModel::new),
                new Case("DoubleCnn", Networks_DoubleCnnModel::new),
                new Case("GlobalPool", Networks_GlobalPoolModel::new),
                new Case("DoubleGlobalPool", Networks_DoubleGlobalPoolModel::new),
                new Case("ImageOut", Networks_ImageOutModel::new),
                new Case("DoubleImageOut", Networks_DoubleImageOutModel::new));
    }

    /** The recurrent networks: simple, LSTM and GRU layers, stacked, with dense layers per step and flat. */
    static List<Case> recurrent() {
        return List.of(
                new Case("Recurrent", Networks_RecurrentModel::new),
                new Case("DoubleRecurrent", Networks_DoubleRecurrentModel::new),
                new Case("Tagger", Networks_TaggerModel::new),
                new Case("Flattened", Networks_FlattenedModel::new));
    }

    /** {@code rows} samples of Gaussian values, seeded. */
    static double[] inputs(Model model, int rows, long seed) {
        Random random = new Random(seed);
        double[] x = new double[rows * model.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    /** What {@code predict} gives for each of the {@code rows} samples in {@code x}, row after row. */
    static double[] predict(Model model, double[] x, int rows) {
        int in = model.inputSize();
        int out = model.outputSize();
        double[] y = new double[rows * out];
        if (model instanceof FloatModel f) {
            float[] input = new float[in];
            float[] output = new float[out];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < in; i++) {
                    input[i] = (float) x[r * in + i];
                }
                f.predict(input, output);
                for (int j = 0; j < out; j++) {
                    y[r * out + j] = output[j];
                }
            }
        } else {
            DoubleModel d = (DoubleModel) model;
            double[] input = new double[in];
            double[] output = new double[out];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * in, input, 0, in);
                d.predict(input, output);
                System.arraycopy(output, 0, y, r * out, out);
            }
        }
        return y;
    }

    /** The model's parameters as doubles. */
    static double[] parameters(Model model) {
        if (model instanceof FloatModel f) {
            float[] p = f.parameters();
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                d[i] = p[i];
            }
            return d;
        }
        return ((DoubleModel) model).parameters().clone();
    }
}
