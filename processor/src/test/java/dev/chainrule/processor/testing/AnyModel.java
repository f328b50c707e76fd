package dev.chainrule.processor.testing;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.NetworkSpec;

/**
 * A generated model of either precision seen through double arrays, so one test body checks
 * both (float values are widened exactly; inputs are narrowed once, before use).
 */
public interface AnyModel {
    NetworkSpec spec();

    double[] parameters();

    void setParameters(double[] values);

    double[] predict(double[] x);

    /** Outputs of {@code rows} samples stored row after row, through {@code predictBatch}. */
    double[] predictBatch(double[] xs, int rows);

    double loss(double[] x, double[] y);

    double lossBatch(double[] xs, double[] ys, int rows);

    /** The gradient of one sample's loss, from zeroed gradients. */
    double[] gradient(double[] x, double[] y);

    /** The gradient of the mean loss of {@code rows} samples, from zeroed gradients. */
    double[] batchGradient(double[] xs, double[] ys, int rows);

    double[] jacobian(double[] x);

    static AnyModel of(Model model) {
        return model instanceof FloatModel f ? new OfFloat(f) : new OfDouble((DoubleModel) model);
    }

    static float[] narrow(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    record OfDouble(DoubleModel m) implements AnyModel {
        public NetworkSpec spec() {
            return m.spec();
        }

        public double[] parameters() {
            return m.parameters().clone();
        }

        public void setParameters(double[] values) {
            m.setParameters(values);
        }

        public double[] predict(double[] x) {
            double[] out = new double[m.outputSize()];
            m.predict(x, out);
            return out;
        }

        public double[] predictBatch(double[] xs, int rows) {
            double[] out = new double[rows * m.outputSize()];
            m.predictBatch(xs, out, rows);
            return out;
        }

        public double loss(double[] x, double[] y) {
            return m.loss(x, y);
        }

        public double lossBatch(double[] xs, double[] ys, int rows) {
            return m.lossBatch(xs, ys, rows);
        }

        public double[] gradient(double[] x, double[] y) {
            m.zeroGradients();
            m.accumulateGradients(x, y);
            return m.gradients().clone();
        }

        public double[] batchGradient(double[] xs, double[] ys, int rows) {
            m.zeroGradients();
            m.accumulateGradientsBatch(xs, ys, rows);
            return m.gradients().clone();
        }

        public double[] jacobian(double[] x) {
            double[] j = new double[m.outputSize() * m.parameterCount()];
            m.jacobian(x, j);
            return j;
        }
    }

    record OfFloat(FloatModel m) implements AnyModel {
        public NetworkSpec spec() {
            return m.spec();
        }

        public double[] parameters() {
            return widen(m.parameters());
        }

        public void setParameters(double[] values) {
            m.setParameters(narrow(values));
        }

        public double[] predict(double[] x) {
            float[] out = new float[m.outputSize()];
            m.predict(narrow(x), out);
            return widen(out);
        }

        public double[] predictBatch(double[] xs, int rows) {
            float[] out = new float[rows * m.outputSize()];
            m.predictBatch(narrow(xs), out, rows);
            return widen(out);
        }

        public double loss(double[] x, double[] y) {
            return m.loss(narrow(x), narrow(y));
        }

        public double lossBatch(double[] xs, double[] ys, int rows) {
            return m.lossBatch(narrow(xs), narrow(ys), rows);
        }

        public double[] gradient(double[] x, double[] y) {
            m.zeroGradients();
            m.accumulateGradients(narrow(x), narrow(y));
            return widen(m.gradients());
        }

        public double[] batchGradient(double[] xs, double[] ys, int rows) {
            m.zeroGradients();
            m.accumulateGradientsBatch(narrow(xs), narrow(ys), rows);
            return widen(m.gradients());
        }

        public double[] jacobian(double[] x) {
            float[] j = new float[m.outputSize() * m.parameterCount()];
            m.jacobian(narrow(x), j);
            return widen(j);
        }
    }
}
