package dev.chainrule.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every activation in float and double against its textbook definition in double, and every
 * derivative against a central difference of that definition, on a grid through both signs and
 * out to where exponentials overflow; softmax and its backward pass against the full Jacobian.
 */
class ActivationReferenceTest {

    private static final double[] GRID = grid();

    private static double[] grid() {
        double[] g = new double[161 + 8];
        for (int i = 0; i <= 160; i++) {
            g[i] = (i - 80) / 10.0; // -8 .. 8 by 0.1, with 0 exactly
        }
        double[] far = {-40, -20, -12.5, 12.5, 20, 40, 0.03125, -0.03125};
        System.arraycopy(far, 0, g, 161, far.length);
        return g;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    private static double derivative(DoubleUnaryOperator f, double x) {
        double h = 1e-5;
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }

    /** {@code actual} within {@code relative * max(1, |expected|)} of {@code expected}. */
    private static void near(double expected, double actual, double relative, String what) {
        double tolerance = relative * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tolerance, what + ": expected " + expected + " but was " + actual);
    }

    @Test
    void sigmoidAndItsDerivative() {
        for (double x : GRID) {
            double s = sigmoid(x);
            near(s, ActivationMathD.sigmoid(x), 1e-15, "double sigmoid(" + x + ")");
            near(s, ActivationMathF.sigmoid((float) x), 1e-7, "float sigmoid(" + x + ")");
            double slope = derivative(ActivationReferenceTest::sigmoid, x);
            near(
                    slope,
                    ActivationMathD.sigmoidDerivative(ActivationMathD.sigmoid(x)),
                    1e-9,
                    "double sigmoid'(" + x + ")");
            near(
                    slope,
                    ActivationMathF.sigmoidDerivative(ActivationMathF.sigmoid((float) x)),
                    1e-6,
                    "float sigmoid'(" + x + ")");
        }
        // where e^|z| overflows the sigmoid is 0 or 1, not NaN
        assertEquals(1.0, ActivationMathD.sigmoid(1000));
        assertEquals(0.0, ActivationMathD.sigmoid(-1000));
        assertEquals(1f, ActivationMathF.sigmoid(1000f));
        assertEquals(0f, ActivationMathF.sigmoid(-1000f));
        // in the far left tail the value keeps its relative precision
        near(Math.exp(-30), ActivationMathD.sigmoid(-30), 1e-12 * Math.exp(-30), "sigmoid(-30)");
    }

    @Test
    void tanhAndItsDerivative() {
        for (double x : GRID) {
            near(Math.tanh(x), ActivationMathD.tanh(x), 1e-15, "double tanh(" + x + ")");
            near(Math.tanh(x), ActivationMathF.tanh((float) x), 1e-7, "float tanh(" + x + ")");
            double slope = derivative(Math::tanh, x);
            near(slope, ActivationMathD.tanhDerivative(ActivationMathD.tanh(x)), 1e-9, "double tanh'(" + x + ")");
            near(
                    slope,
                    ActivationMathF.tanhDerivative(ActivationMathF.tanh((float) x)),
                    1e-6,
                    "float tanh'(" + x + ")");
        }
    }

    @Test
    void rectifiersAndTheirDerivatives() {
        for (double x : GRID) {
            double relu = Math.max(x, 0);
            double leaky = x > 0 ? x : 0.01 * x;
            double elu = x > 0 ? x : Math.exp(x) - 1;
            near(relu, ActivationMathD.relu(x), 0, "double relu(" + x + ")");
            near(relu, ActivationMathF.relu((float) x), 1e-7, "float relu(" + x + ")");
            near(leaky, ActivationMathD.leakyRelu(x), 1e-15, "double leaky relu(" + x + ")");
            near(leaky, ActivationMathF.leakyRelu((float) x), 1e-7, "float leaky relu(" + x + ")");
            near(elu, ActivationMathD.elu(x), 1e-15, "double elu(" + x + ")");
            near(elu, ActivationMathF.elu((float) x), 1e-7, "float elu(" + x + ")");
            if (x != 0) {
                // the kinks aside, the derivatives are the slopes
                DoubleUnaryOperator eluOf = v -> v > 0 ? v : Math.exp(v) - 1;
                near(x > 0 ? 1 : 0, ActivationMathD.reluDerivative(x), 0, "double relu'(" + x + ")");
                near(x > 0 ? 1 : 0, ActivationMathF.reluDerivative((float) x), 0, "float relu'(" + x + ")");
                near(x > 0 ? 1 : 0.01, ActivationMathD.leakyReluDerivative(x), 1e-15, "double leaky relu'(" + x + ")");
                near(
                        x > 0 ? 1 : 0.01,
                        ActivationMathF.leakyReluDerivative((float) x),
                        1e-7,
                        "float leaky relu'(" + x + ")");
                near(
                        derivative(eluOf, x),
                        ActivationMathD.eluDerivative(x, ActivationMathD.elu(x)),
                        1e-9,
                        "double elu'(" + x + ")");
                near(
                        derivative(eluOf, x),
                        ActivationMathF.eluDerivative((float) x, ActivationMathF.elu((float) x)),
                        1e-6,
                        "float elu'(" + x + ")");
            }
        }
        // at the kink, the slope of the left side, as PyTorch takes it
        assertEquals(0.0, ActivationMathD.reluDerivative(0));
        assertEquals(0f, ActivationMathF.reluDerivative(0f));
        assertEquals(0.01, ActivationMathD.leakyReluDerivative(0));
        assertEquals(0.01f, ActivationMathF.leakyReluDerivative(0f));
        assertEquals(0.01, ActivationMathD.LEAKY_SLOPE);
        assertEquals(0.01f, ActivationMathF.LEAKY_SLOPE);
    }

    @Test
    void softplusAndItsDerivative() {
        DoubleUnaryOperator softplus = v -> Math.log(1 + Math.exp(v));
        for (double x : GRID) {
            near(softplus.applyAsDouble(x), ActivationMathD.softplus(x), 1e-14, "double softplus(" + x + ")");
            near(softplus.applyAsDouble(x), ActivationMathF.softplus((float) x), 1e-7, "float softplus(" + x + ")");
            double slope = derivative(softplus, x);
            near(slope, ActivationMathD.softplusDerivative(x), 1e-9, "double softplus'(" + x + ")");
            near(slope, ActivationMathF.softplusDerivative((float) x), 1e-6, "float softplus'(" + x + ")");
        }
        // beyond e^z's range: z itself on the right, e^z on the left
        assertEquals(800.0, ActivationMathD.softplus(800));
        assertEquals(100f, ActivationMathF.softplus(100f));
        near(Math.exp(-50), ActivationMathD.softplus(-50), 1e-12 * Math.exp(-50), "softplus(-50)");
    }

    @Test
    void geluAndItsDerivative() {
        for (double x : GRID) {
            near(gelu(x), ActivationMathD.gelu(x), 1e-14, "double gelu(" + x + ")");
            near(gelu(x), ActivationMathF.gelu((float) x), 1e-7, "float gelu(" + x + ")");
            double slope = derivative(ActivationReferenceTest::gelu, x);
            near(slope, ActivationMathD.geluDerivative(x), 1e-9, "double gelu'(" + x + ")");
            near(slope, ActivationMathF.geluDerivative((float) x), 1e-6, "float gelu'(" + x + ")");
        }
    }

    @Test
    void softmaxIsTheNormalisedExponentialOfItsRowOnly() {
        for (int n = 1; n <= 12; n++) {
            int o = 3;
            double[] z = new double[o + n + 2];
            java.util.Arrays.fill(z, Double.NaN);
            for (int j = 0; j < n; j++) {
                z[o + j] = (float) (Math.sin(7.0 * j + n) * 6); // the largest anywhere in the row
            }
            double[] expected = new double[n];
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(z[o + j]);
            }
            for (int j = 0; j < n; j++) {
                expected[j] = Math.exp(z[o + j]) / sum;
            }
            double[] a = new double[z.length];
            java.util.Arrays.fill(a, Double.NaN);
            float[] zf = new float[z.length];
            float[] af = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                zf[i] = (float) z[i];
                af[i] = Float.NaN;
            }
            ActivationMathD.softmax(z, a, o, n);
            ActivationMathF.softmax(zf, af, o, n);
            for (int j = 0; j < n; j++) {
                near(expected[j], a[o + j], 1e-14, "double softmax n=" + n + " j=" + j);
                near(expected[j], af[o + j], 3e-7, "float softmax n=" + n + " j=" + j);
            }
            for (int i = 0; i < z.length; i++) {
                if (i < o || i >= o + n) {
                    assertTrue(Double.isNaN(a[i]) && Float.isNaN(af[i]), "written outside the row at " + i);
                }
            }
        }
        // logits whose exponentials overflow
        double[] a = new double[3];
        ActivationMathD.softmax(new double[] {1000, 1000, 0}, a, 0, 3);
        near(0.5, a[0], 1e-15, "softmax of large logits");
        near(0.5, a[1], 1e-15, "softmax of large logits");
        float[] af = new float[3];
        ActivationMathF.softmax(new float[] {-5, 100, 100}, af, 0, 3);
        near(0.5, af[1], 1e-7, "float softmax of large logits");
        near(0.5, af[2], 1e-7, "float softmax of large logits");
    }

    @Test
    void softmaxBackwardIsTheJacobianTimesTheGradient() {
        for (int n = 1; n <= 9; n++) {
            int o = 2;
            double[] a = new double[o + n + 1];
            double[] g = new double[o + n + 1];
            java.util.Arrays.fill(a, Double.NaN);
            java.util.Arrays.fill(g, Double.NaN);
            double[] z = new double[o + n + 1];
            for (int j = 0; j < n; j++) {
                z[o + j] = (float) Math.cos(3.0 * j + n);
                g[o + j] = (float) Math.sin(5.0 * j - n);
            }
            ActivationMathD.softmax(z, a, o, n);
            for (int j = 0; j < n; j++) {
                a[o + j] = (float) a[o + j];
            }
            // dL/dz_j = sum_k da_k/dz_j g_k with da_k/dz_j = a_k (delta_jk - a_j)
            double[] expected = new double[n];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    expected[j] += a[o + k] * ((j == k ? 1 : 0) - a[o + j]) * g[o + k];
                }
            }
            // outside the row, a sentinel that must stay
            for (int i = 0; i < g.length; i++) {
                if (i < o || i >= o + n) {
                    g[i] = 7.25;
                }
            }
            double[] delta = g.clone();
            float[] af = new float[a.length];
            float[] deltaF = new float[g.length];
            for (int i = 0; i < a.length; i++) {
                af[i] = (float) a[i];
                deltaF[i] = (float) g[i];
            }
            ActivationMathD.softmaxBackward(a, delta, o, n);
            ActivationMathF.softmaxBackward(af, deltaF, o, n);
            for (int j = 0; j < n; j++) {
                near(expected[j], delta[o + j], 1e-15, "double n=" + n + " j=" + j);
                near(expected[j], deltaF[o + j], 1e-6, "float n=" + n + " j=" + j);
            }
            for (int i = 0; i < delta.length; i++) {
                if (i < o || i >= o + n) {
                    assertTrue(delta[i] == 7.25 && deltaF[i] == 7.25f, "written outside the row at " + i);
                }
            }
        }
    }

    @Test
    void theKernelsNameThemselvesForReports() {
        assertEquals("scalar", new ScalarLinearAlgebra().name());
        assertTrue(
                new dev.chainrule.kernel.vector.VectorLinearAlgebra().name().startsWith("vector ("),
                new dev.chainrule.kernel.vector.VectorLinearAlgebra().name());
    }
}
