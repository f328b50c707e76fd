package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, full-batch, on the linear regression {@code y = a + b x} over five fixed
 * points, whose least-squares optimum the normal equations give in closed form:
 * {@code b = sum (x - mx)(y - my) / sum (x - mx)^2}, {@code a = my - b mx}.
 */
class ConvergenceTest {

    private static final double[] X = {-1, 0, 1, 2, 3};
    private static final double[] Y = {-0.4, 1.1, 3.2, 4.7, 7.3};
    private static final double A;
    private static final double B;

    static {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < X.length; i++) {
            mx += X[i] / X.length;
            my += Y[i] / Y.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < X.length; i++) {
            sxy += (X[i] - mx) * (Y[i] - my);
            sxx += (X[i] - mx) * (X[i] - mx);
        }
        B = sxy / sxx;
        A = my - B * mx;
    }

    /** Mean squared error of {@code (a, b)}; its gradient goes to {@code grads}. */
    private static double lossAndGradient(double[] w, double[] grads) {
        double loss = 0;
        grads[0] = 0;
        grads[1] = 0;
        for (int i = 0; i < X.length; i++) {
            double r = w[0] + w[1] * X[i] - Y[i];
            loss += r * r / X.length;
            grads[0] += 2 * r / X.length;
            grads[1] += 2 * r * X[i] / X.length;
        }
        return loss;
    }

    /** The same in float arithmetic. */
    private static float lossAndGradient(float[] w, float[] grads) {
        float loss = 0;
        grads[0] = 0;
        grads[1] = 0;
        int n = X.length;
        for (int i = 0; i < n; i++) {
            float r = w[0] + w[1] * (float) X[i] - (float) Y[i];
            loss += r * r / n;
            grads[0] += 2 * r / n;
            grads[1] += 2 * r * (float) X[i] / n;
        }
        return loss;
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Supplier<Optimizer>) () -> Sgd.of(0.1), 400),
                Arguments.of(
                        "momentum", (Supplier<Optimizer>) () -> Sgd.of(0.05).momentum(0.8), 400),
                Arguments.of(
                        "nesterov",
                        (Supplier<Optimizer>) () -> Sgd.of(0.05).momentum(0.8).nesterov(),
                        400),
                Arguments.of("adagrad", (Supplier<Optimizer>) () -> Adagrad.of(0.5), 2000),
                Arguments.of(
                        "rmsprop",
                        (Supplier<Optimizer>) () -> RmsProp.of(LearningRateSchedule.exponentialDecay(0.05, 0.5, 200)),
                        4000),
                Arguments.of(
                        "adam",
                        (Supplier<Optimizer>) () -> Adam.of(LearningRateSchedule.exponentialDecay(0.1, 0.5, 200)),
                        4000),
                Arguments.of(
                        "adamw",
                        (Supplier<Optimizer>) () -> AdamW.of(LearningRateSchedule.exponentialDecay(0.1, 0.5, 200))
                                .weightDecay(1e-9),
                        4000),
                Arguments.of("rprop", (Supplier<Optimizer>) () -> Rprop.of().minStep(1e-12), 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void reachesTheLeastSquaresOptimumInDouble(String name, Supplier<Optimizer> optimizer, int steps) {
        Optimizer o = optimizer.get();
        double[] w = {0, 0};
        double[] grads = new double[2];
        for (int s = 0; s < steps; s++) {
            double loss = lossAndGradient(w, grads);
            o.step(w, grads, loss);
        }
        assertEquals(A, w[0], 1e-7, name + " intercept");
        assertEquals(B, w[1], 1e-7, name + " slope");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void reachesTheLeastSquaresOptimumInFloat(String name, Supplier<Optimizer> optimizer, int steps) {
        Optimizer o = optimizer.get();
        float[] w = {0, 0};
        float[] grads = new float[2];
        for (int s = 0; s < steps; s++) {
            float loss = lossAndGradient(w, grads);
            o.step(w, grads, loss);
        }
        assertEquals(A, w[0], 1e-5, name + " intercept");
        assertEquals(B, w[1], 1e-5, name + " slope");
    }
}
