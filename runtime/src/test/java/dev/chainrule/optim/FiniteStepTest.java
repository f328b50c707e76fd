package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step never leaves a parameter or a value of the optimizer's state NaN or infinite: with
 * finite parameters, gradients and loss, a step whose arithmetic would overflow throws {@link
 * ArithmeticException} naming the value, and leaves the parameters, the state and the step count
 * as they were, so that the next steps go on as if it had not been tried.
 */
class FiniteStepTest {

    /** An optimizer, and a learning rate or step large enough to carry a parameter past the largest value. */
    record Kind(
            String name,
            Supplier<GradientOptimizer<?>> plain,
            java.util.function.DoubleFunction<GradientOptimizer<?>> huge) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                        new Kind("sgd", () -> Sgd.of(0.1), lr -> Sgd.of(lr)),
                        new Kind(
                                "momentum",
                                () -> Sgd.of(0.1).momentum(0.9),
                                lr -> Sgd.of(lr).momentum(0.9)),
                        new Kind(
                                "nesterov",
                                () -> Sgd.of(0.1).momentum(0.9).nesterov(),
                                lr -> Sgd.of(lr).momentum(0.5).nesterov()),
                        new Kind(
                                "sgd l2",
                                () -> Sgd.of(0.1).l2(1e-3),
                                lr -> Sgd.of(lr).l2(1e-80)),
                        new Kind("adagrad", () -> Adagrad.of(0.1), lr -> Adagrad.of(lr)),
                        new Kind("rmsprop", () -> RmsProp.of(0.1), lr -> RmsProp.of(lr)),
                        new Kind("adam", () -> Adam.of(0.1), lr -> Adam.of(lr)),
                        new Kind(
                                "adamw", () -> AdamW.of(0.1), lr -> AdamW.of(lr).weightDecay(1e-40)),
                        new Kind(
                                "rprop",
                                () -> Rprop.of(),
                                step -> Rprop.of()
                                        .minStep(Math.min(1e-6, step))
                                        .maxStep(step)
                                        .initialStep(step)))
                .map(Arguments::of);
    }

    private static final float[] GOOD_F = {0.25f, -0.5f, 1f};

    /**
     * A step that would carry parameter 1, near the most negative float, past it: refused, with
     * everything as before, and the next steps equal to those of a twin that never tried it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aFloatStepThatWouldOverflowAParameterIsRefusedAndUndone(Kind kind) {
        GradientOptimizer<?> o = kind.huge().apply(2e38);
        GradientOptimizer<?> twin = kind.huge().apply(2e38);
        float[] w = {1, -3e38f, 0.5f};
        float[] v = w.clone();
        // a first, harmless step, so that the state is not the initial one
        o.step(w, new float[] {1e-30f, 0, -1e-30f}, 1.0);
        twin.step(v, new float[] {1e-30f, 0, -1e-30f}, 1.0);
        assertArrayEquals(v, w);
        float[] before = w.clone();
        ArithmeticException e =
                assertThrows(ArithmeticException.class, () -> o.step(w, new float[] {0, 3e38f, 0}, 0.5));
        assertTrue(e.getMessage().contains("parameters[1]"), e.getMessage());
        assertTrue(e.getMessage().contains("the parameters and the state are as they were"), e.getMessage());
        assertArrayEquals(before, w, "the parameters are restored bit for bit");
        assertEquals(1, o.steps());
        for (int s = 0; s < 4; s++) {
            float[] g = {GOOD_F[s % 3] * 1e-30f, -GOOD_F[s % 3] * 1e-30f, GOOD_F[s % 3] * 1e-30f};
            double loss = 1.0 - s * 0.1;
            String outcome = outcome(() -> o.step(w, g, loss));
            assertEquals(outcome(() -> twin.step(v, g, loss)), outcome, "step " + (s + 2));
            assertArrayEquals(v, w, "step " + (s + 2) + " as if the refused one had not been tried");
        }
        assertEquals(twin.steps(), o.steps());
        assertStateFinite(o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aDoubleStepThatWouldOverflowAParameterIsRefusedAndUndone(Kind kind) {
        GradientOptimizer<?> o = kind.huge().apply(1e308);
        double[] w = {1, -1.5e308, 0.5};
        double[] before = w.clone();
        ArithmeticException e =
                assertThrows(ArithmeticException.class, () -> o.step(w, new double[] {0, 1e150, 0}, 1.0));
        assertTrue(e.getMessage().contains("parameters[1]") && e.getMessage().contains("Infinity"), e.getMessage());
        assertArrayEquals(before, w);
        assertEquals(0, o.steps());
        assertStateFinite(o);
    }

    /** Gradients near float's limit, with the optimizers' usual rates: SGD's parameter, or the squares adaptive methods keep, overflow. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aGradientNearTheLargestFloatIsRefusedWhereItWouldOverflowAndTakenWhereNot(Kind kind) {
        GradientOptimizer<?> o = kind.plain().get();
        float[] w = {1, -3.3e38f};
        float[] before = w.clone();
        float[] g = {0.5f, Float.MAX_VALUE};
        if (kind.name().equals("rprop")) {
            // only signs count: the step is an ordinary one
            o.step(w, g, 1.0);
            assertArrayEquals(new float[] {0.9f, -3.3e38f}, w);
            return;
        }
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> o.step(w, g, 1.0));
        assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
        assertArrayEquals(before, w);
        assertEquals(0, o.steps());
        assertStateFinite(o);
    }

    /**
     * Soundness of the bounds that let a step skip the guard: random parameters, gradients and
     * rates from tiny to near the limits, step after step. Every step either leaves everything
     * finite or is refused with everything as before.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyStepEndsFiniteOrIsRefusedUnchanged(Kind kind) {
        Random random = new Random(kind.name().hashCode());
        double[] magnitudes = {1e-40, 1e-8, 1, 1e3, 1e15, 1e30, 1e36, 3e38};
        int refused = 0;
        int taken = 0;
        for (int trial = 0; trial < 100; trial++) {
            double rate = Math.max(1e-30, magnitudes[random.nextInt(magnitudes.length)] * random.nextDouble());
            GradientOptimizer<?> floats = kind.huge().apply(rate);
            GradientOptimizer<?> doubles = kind.huge().apply(rate * 5e269);
            float[] w = new float[5];
            double[] wd = new double[5];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) signed(random, magnitudes);
                wd[i] = signed(random, magnitudes) * 5e269;
            }
            for (int s = 0; s < 30; s++) {
                float[] g = new float[5];
                double[] gd = new double[5];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) signed(random, magnitudes);
                    gd[i] = signed(random, magnitudes) * 5e269;
                }
                float[] before = w.clone();
                try {
                    floats.step(w, g, 1.0 + s % 3);
                    taken++;
                    for (float x : w) {
                        if (!Float.isFinite(x)) {
                            fail(floats + " left " + x + " after step " + s + " of trial " + trial);
                        }
                    }
                } catch (ArithmeticException e) {
                    assertArrayEquals(before, w);
                    refused++;
                }
                assertStateFinite(floats);
                double[] beforeD = wd.clone();
                try {
                    doubles.step(wd, gd, 1.0 + s % 3);
                    for (double x : wd) {
                        if (!Double.isFinite(x)) {
                            fail(doubles + " left " + x + " after step " + s + " of trial " + trial);
                        }
                    }
                } catch (ArithmeticException e) {
                    assertArrayEquals(beforeD, wd);
                }
                assertStateFinite(doubles);
            }
        }
        assertTrue(refused > 0 && taken > 0, "refused " + refused + ", taken " + taken);
    }

    /**
     * The guard costs nothing in ordinary training because the bounds clear every step there: no
     * step of these runs, with every option on and gradients up to a million, is guarded.
     */
    @Test
    void ordinaryStepsAreProvedFiniteAndNeverGuarded() {
        LearningRateSchedule schedule =
                LearningRateSchedule.cosine(0.01, 0.001, 1000).withWarmup(10);
        List<Supplier<GradientOptimizer<?>>> optimizers = List.of(
                () -> Sgd.of(schedule).clipNorm(1).l1(1e-4).l2(1e-4),
                () -> Sgd.of(0.01),
                () -> Sgd.of(0.01).momentum(0.9),
                () -> Sgd.of(0.01).momentum(0.99).nesterov().l2(1e-3),
                () -> Adagrad.of(),
                () -> Adagrad.of(schedule).l2(1e-4),
                () -> RmsProp.of(),
                () -> RmsProp.of(schedule).clipNorm(1).l1(1e-4),
                () -> Adam.of(),
                () -> Adam.of(0.1).l2(1e-4),
                () -> AdamW.of(),
                () -> AdamW.of(schedule).clipNorm(1),
                () -> Rprop.of(),
                () -> Rprop.of().l2(1e-4));
        Random random = new Random(1);
        for (double size : new double[] {1e-3, 1, 1e6}) {
            for (Supplier<GradientOptimizer<?>> supplier : optimizers) {
                GradientOptimizer<?> floats = supplier.get();
                GradientOptimizer<?> doubles = supplier.get();
                float[] w = new float[257];
                double[] wd = new double[257];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) Math.sin(i);
                    wd[i] = Math.sin(i);
                }
                float[] g = new float[257];
                double[] gd = new double[257];
                for (int s = 0; s < 3000; s++) {
                    for (int i = 0; i < g.length; i++) {
                        gd[i] = size * random.nextGaussian();
                        g[i] = (float) gd[i];
                    }
                    floats.step(w, g, 1.0 + (s % 2));
                    doubles.step(wd, gd, 1.0 + (s % 2));
                }
                assertEquals(0, floats.guardedSteps(), floats + " in float, gradients of " + size);
                assertEquals(0, doubles.guardedSteps(), doubles + " in double, gradients of " + size);
            }
        }
    }

    /** "taken", or the message of the ArithmeticException the step threw. */
    private static String outcome(Runnable step) {
        try {
            step.run();
            return "taken";
        } catch (ArithmeticException e) {
            return e.getMessage();
        }
    }

    private static double signed(Random random, double[] magnitudes) {
        double m = magnitudes[random.nextInt(magnitudes.length)] * (0.5 + 0.6 * random.nextDouble());
        return random.nextBoolean() ? m : -m;
    }

    private static void assertStateFinite(GradientOptimizer<?> o) {
        for (Object state : o.stateArrays()) {
            if (state instanceof float[] f) {
                for (float x : f) {
                    assertTrue(Float.isFinite(x), o + " state " + x);
                }
            } else {
                for (double x : (double[]) state) {
                    assertTrue(Double.isFinite(x), o + " state " + x);
                }
            }
        }
    }

    /** Levenberg-Marquardt already counts a step to a parameter that is not finite as rejected, and restores the parameters. */
    @Test
    void levenbergMarquardtNeverLeavesAParameterNotFinite() {
        // y = a x fitted to points whose least-squares slope, 1e39, is beyond float
        FloatStub model = new FloatStub(0f) {
            @Override
            public int inputSize() {
                return 1;
            }

            @Override
            public int outputSize() {
                return 1;
            }

            @Override
            public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
                output[outputOffset] = params[0] * input[inputOffset];
            }

            @Override
            public void jacobian(float[] input, float[] jacobian) {
                jacobian[0] = input[0];
            }
        };
        List<Double> trials = new ArrayList<>();
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(model)
                .maxIterations(20)
                .listener((iteration, lambda, mse, trialMse, accepted) -> trials.add(trialMse))
                .fit(new float[] {0.1f, 0.2f}, new float[] {1e38f, 2e38f}, 2);
        assertTrue(Float.isFinite(model.params[0]), "a = " + model.params[0]);
        assertTrue(
                trials.contains(Double.POSITIVE_INFINITY),
                "a step to a slope beyond float was tried and refused: " + trials);
        assertTrue(result.iterations() > 0, result.toString());
    }
}
