package dev.chainrule.examples;

import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real time series: the yearly sunspot numbers of 1700-2008 (bundled, public domain), a
 * forecast of each year from the twelve before it by {@link Sunspots}, a GRU. The split follows
 * time, as a forecast must: windows whose target year is up to 1920 train, 1921-1955 validate
 * (early stopping), 1956-2008 test. The series is standardised with the training years' mean and
 * deviation. The test error is compared with the persistence forecast (next year as this year),
 * the baseline a forecast has to beat, and with the training years' mean.
 *
 * <p>Run from the repository root: {@code java -cp ... dev.chainrule.examples.SunspotsExample
 * [examples/data/sunspots.csv]}.
 */
public final class SunspotsExample {
    static final int WINDOW = Sunspots.YEARS;
    static final int FIRST_YEAR = 1700;
    static final int LAST_TRAIN_YEAR = 1920;
    static final int LAST_VALIDATION_YEAR = 1955;

    private SunspotsExample() {}

    /** Test errors, in sunspots, of the model and of the two baselines, over {@code testYears} forecasts. */
    public record Result(
            SunspotsModel model,
            int trainWindows,
            int testYears,
            double modelRmse,
            double persistenceRmse,
            double meanRmse,
            int epochs) {}

    /** The yearly sunspot numbers, in order from 1700. */
    static float[] series(Path csv) throws IOException {
        Dataset years = Csv.from(csv).header().targetColumns(1).load();
        return years.targets();
    }

    /** The windows whose target year lies in {@code [fromYear, toYear]}: twelve standardised years, then the next. */
    static Dataset windows(float[] series, int fromYear, int toYear, double mean, double deviation) {
        int from = Math.max(WINDOW, fromYear - FIRST_YEAR);
        int to = Math.min(series.length - 1, toYear - FIRST_YEAR);
        int rows = to - from + 1;
        float[] x = new float[rows * WINDOW];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            int t = from + r;
            for (int k = 0; k < WINDOW; k++) {
                x[r * WINDOW + k] = (float) ((series[t - WINDOW + k] - mean) / deviation);
            }
            y[r] = (float) ((series[t] - mean) / deviation);
        }
        return Dataset.of(x, WINDOW, y, 1);
    }

    public static Result run(Path csv, long seed) throws IOException {
        float[] series = series(csv);
        int trainEnd = LAST_TRAIN_YEAR - FIRST_YEAR;
        double mean = 0;
        for (int t = 0; t <= trainEnd; t++) {
            mean += series[t];
        }
        mean /= trainEnd + 1;
        double variance = 0;
        for (int t = 0; t <= trainEnd; t++) {
            variance += (series[t] - mean) * (series[t] - mean);
        }
        double deviation = Math.sqrt(variance / trainEnd);
        Dataset train = windows(series, FIRST_YEAR, LAST_TRAIN_YEAR, mean, deviation);
        Dataset validation = windows(series, LAST_TRAIN_YEAR + 1, LAST_VALIDATION_YEAR, mean, deviation);
        Dataset test = windows(series, LAST_VALIDATION_YEAR + 1, Integer.MAX_VALUE, mean, deviation);

        SunspotsModel model = new SunspotsModel(seed);
        var history = Trainer.of(model)
                .optimizer(Adam.of(0.003))
                .batchSize(16)
                .epochs(400)
                .seed(seed)
                .validation(validation)
                .earlyStopping(40)
                .silent()
                .fit(train);

        double model2 = 0;
        double persistence2 = 0;
        double mean2 = 0;
        float[] out = new float[1];
        int first = LAST_VALIDATION_YEAR + 1 - FIRST_YEAR;
        for (int r = 0; r < test.rows(); r++) {
            model.predict(test.features(), r * WINDOW, out, 0);
            double forecast = out[0] * deviation + mean;
            double actual = series[first + r];
            model2 += (forecast - actual) * (forecast - actual);
            persistence2 += (series[first + r - 1] - actual) * (series[first + r - 1] - actual);
            mean2 += (mean - actual) * (mean - actual);
        }
        int n = test.rows();
        return new Result(
                model,
                train.rows(),
                n,
                Math.sqrt(model2 / n),
                Math.sqrt(persistence2 / n),
                Math.sqrt(mean2 / n),
                history.epochCount());
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "examples/data/sunspots.csv");
        Result result = run(csv, 7L);
        System.out.printf(
                "trained on %d windows (%d epochs); test %d-%d, %d forecasts:%n",
                result.trainWindows(),
                result.epochs(),
                LAST_VALIDATION_YEAR + 1,
                LAST_VALIDATION_YEAR + result.testYears(),
                result.testYears());
        System.out.printf("  GRU forecast      RMSE %6.2f sunspots%n", result.modelRmse());
        System.out.printf("  persistence       RMSE %6.2f%n", result.persistenceRmse());
        System.out.printf("  training mean     RMSE %6.2f%n", result.meanRmse());
    }
}
