package dev.chainrule.examples;

import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.LevenbergMarquardt;
import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;
import dev.chainrule.train.History;
import dev.chainrule.train.Metric;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingListener.Decision;
import java.util.Locale;

/**
 * Fits {@link Sine} to {@code y = sin(x)} at 64 evenly spaced points of {@code [-pi, pi]} with
 * Levenberg-Marquardt and with first-order methods, and counts the passes over the data each
 * needs to bring the mean squared error below {@code 1e-4}. The figures in {@code
 * docs/training-evidence.md} come from {@link #main}.
 */
public final class SineComparison {
    /** Sample points. */
    public static final int POINTS = 64;
    /** The mean squared error to reach. */
    public static final double TARGET_MSE = 1e-4;

    private SineComparison() {}

    /**
     * How one method did from one seed.
     *
     * @param method a short description of the method and its settings
     * @param epochs passes over the data: accepted iterations for Levenberg-Marquardt, epochs otherwise
     * @param mse the mean squared error at the end
     * @param reached whether it got below {@link #TARGET_MSE}
     * @param rejectedSteps Levenberg-Marquardt's tried and rejected steps, each one more forward
     *     pass over the data; 0 for the others
     * @param seconds wall-clock time
     */
    public record Outcome(String method, int epochs, double mse, boolean reached, int rejectedSteps, double seconds) {}

    /** The 64 points {@code (x, sin x)}, {@code x} from {@code -pi} to {@code pi}. */
    public static DoubleDataset data() {
        double[] x = new double[POINTS];
        double[] y = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = -Math.PI + 2 * Math.PI * i / (POINTS - 1);
            y[i] = Math.sin(x[i]);
        }
        return DoubleDataset.of(x, 1, y, 1);
    }

    /** Levenberg-Marquardt from the initialisation of {@code seed}, at most {@code maxIterations} iterations. */
    public static Outcome levenbergMarquardt(long seed, int maxIterations) {
        DoubleDataset data = data();
        long started = System.nanoTime();
        LevenbergMarquardt.Result result = LevenbergMarquardt.of(new SineModel(seed))
                .targetMse(TARGET_MSE)
                .maxIterations(maxIterations)
                .fit(data.features(), data.targets(), data.rows());
        return new Outcome(
                "Levenberg-Marquardt",
                result.iterations(),
                result.mse(),
                result.mse() < TARGET_MSE,
                result.rejectedSteps(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Trains with {@code optimizer} in mini-batches of {@code batchSize} from the initialisation
     * of {@code seed} until the mean squared error over the 64 points is below the target, or
     * for {@code maxEpochs}.
     */
    public static Outcome gradientDescent(String method, Optimizer optimizer, int batchSize, long seed, int maxEpochs) {
        DoubleDataset data = data();
        long started = System.nanoTime();
        History history = Trainer.of(new SineModel(seed))
                .optimizer(optimizer)
                .batchSize(batchSize)
                .epochs(maxEpochs)
                .seed(seed)
                .validation(data)
                .metric(Metric.MSE)
                .listener(epoch -> epoch.validationMetric() < TARGET_MSE ? Decision.STOP : Decision.CONTINUE)
                .silent()
                .fit(data);
        double mse = history.last().validationMetric();
        return new Outcome(method, history.epochCount(), mse, mse < TARGET_MSE, 0, (System.nanoTime() - started) / 1e9);
    }

    /** The methods compared, from one seed, first-order ones with at most {@code maxEpochs}. */
    public static Outcome[] compare(long seed, int maxEpochs) {
        return new Outcome[] {
            levenbergMarquardt(seed, 1000),
            gradientDescent(
                    "SGD, rate 0.05, momentum 0.9, batch 8", Sgd.of(0.05).momentum(0.9), 8, seed, maxEpochs),
            gradientDescent("SGD, rate 0.1, batch 8", Sgd.of(0.1), 8, seed, maxEpochs),
            gradientDescent("Adam, rate 0.01, batch 8", Adam.of(0.01), 8, seed, maxEpochs),
        };
    }

    /** Prints a markdown table of {@link #compare} for seeds 1 to 5 with a budget of 20,000 epochs. */
    public static void main(String[] args) {
        int maxEpochs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        System.out.println("| seed | method | epochs | rejected LM steps | final MSE | reached 1e-4 | seconds |");
        System.out.println("| ---: | --- | ---: | ---: | ---: | :---: | ---: |");
        for (long seed = 1; seed <= 5; seed++) {
            for (Outcome o : compare(seed, maxEpochs)) {
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %s | %d | %d | %.2e | %s | %.2f |%n",
                        seed,
                        o.method(),
                        o.epochs(),
                        o.rejectedSteps(),
                        o.mse(),
                        o.reached() ? "yes" : "no",
                        o.seconds());
            }
        }
    }
}
