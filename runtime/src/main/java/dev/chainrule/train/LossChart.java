package dev.chainrule.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link History} as a standalone SVG line chart: epochs across, losses on the left axis,
 * the validation metric on the right axis. When the history has gradient norms, a second chart of
 * the same size below it draws each layer's norm on a logarithmic axis.
 */
final class LossChart {
    private static final int WIDTH = 820;
    private static final int HEIGHT = 500;
    private static final int LEFT = 90;
    private static final int RIGHT = 90;
    private static final int TOP = 70;
    private static final int BOTTOM = 60;
    private static final String TRAIN_COLOR = "#1f77b4";
    private static final String VALIDATION_COLOR = "#d62728";
    private static final String METRIC_COLOR = "#2ca02c";
    /** The layers' colours in the gradient chart, in turn. */
    private static final String[] LAYER_COLORS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
    };

    private final History history;
    private final StringBuilder svg = new StringBuilder();

    LossChart(History history) {
        this.history = history;
    }

    /** One line of the chart: values per epoch, the axis they belong to, and how it is drawn. */
    @SuppressWarnings("ArrayRecordComponent") // a value in passing, never compared
    private record Series(String name, double[] values, Axis axis, String color, String dash) {}

    /** A vertical scale mapping values to pixel rows, with its tick values. */
    private record Axis(double min, double max, boolean log, List<Double> ticks) {
        double y(double value) {
            double low = log ? Math.log10(min) : min;
            double high = log ? Math.log10(max) : max;
            double v = log ? Math.log10(value) : value;
            double plotHeight = HEIGHT - TOP - BOTTOM;
            return TOP + plotHeight * (1 - (v - low) / (high - low));
        }

        String label(double tick) {
            if (log) {
                return String.format(Locale.ROOT, "1e%d", Math.round(Math.log10(tick)));
            }
            double step = ticks.size() > 1 ? ticks.get(1) - ticks.get(0) : 1;
            int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", tick);
        }
    }

    String render() {
        List<Epoch> epochs = history.epochs();
        int n = epochs.size();
        double[] train = new double[n];
        double[] validation = new double[n];
        double[] metric = new double[n];
        for (int i = 0; i < n; i++) {
            train[i] = epochs.get(i).loss();
            validation[i] = epochs.get(i).validationLoss();
            metric[i] = epochs.get(i).validationMetric();
        }
        boolean hasValidation = history.hasValidation();
        Axis lossAxis = hasValidation ? lossAxis(train, validation) : lossAxis(train);
        List<Series> series = new ArrayList<>();
        series.add(new Series("training loss", train, lossAxis, TRAIN_COLOR, null));
        Axis metricAxis = null;
        if (hasValidation) {
            metricAxis = metricAxis(metric, history.metric());
            series.add(new Series("validation loss", validation, lossAxis, VALIDATION_COLOR, null));
            series.add(new Series("validation " + history.metric().label(), metric, metricAxis, METRIC_COLOR, "6 4"));
        }

        List<String> layers = history.gradientLayers();
        int height = layers.isEmpty() ? HEIGHT : 2 * HEIGHT;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(
                WIDTH / 2.0,
                24,
                "middle",
                "font-size=\"16\"",
                "Training history (" + n + (n == 1 ? " epoch)" : " epochs)"));
        drawFrame(n);
        drawLeftAxis(lossAxis, lossAxis.log() ? "loss (log scale)" : "loss");
        if (metricAxis != null) {
            drawRightAxis(metricAxis, "validation " + history.metric().label());
        }
        for (Series s : series) {
            drawSeries(s, n);
        }
        drawLegend(series);
        if (!layers.isEmpty()) {
            drawGradientNorms(layers, n);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The second chart, each layer's gradient norm on a log axis, drawn below the first. */
    private void drawGradientNorms(List<String> layers, int n) {
        List<Series> series = new ArrayList<>();
        double[][] values = new double[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            values[l] = history.gradientNorms(layers.get(l));
        }
        Axis axis = logAxis(values);
        for (int l = 0; l < layers.size(); l++) {
            series.add(new Series(layers.get(l), values[l], axis, LAYER_COLORS[l % LAYER_COLORS.length], null));
        }
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(0 %d)\">%n", HEIGHT));
        text(WIDTH / 2.0, 24, "middle", "font-size=\"16\"", "Gradient norm per layer (mean over each epoch's batches)");
        drawFrame(n);
        drawLeftAxis(axis, "gradient norm (log scale)");
        for (Series s : series) {
            drawSeries(s, n);
        }
        drawLegend(series);
        svg.append("</g>\n");
    }

    /** A logarithmic axis from the power of ten at or below the smallest positive value to the one at or above the largest. */
    private static Axis logAxis(double[][] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (max == 0) {
            min = 0.1;
            max = 1;
        }
        long low = (long) Math.floor(Math.log10(min));
        long high = Math.max(low + 1, (long) Math.ceil(Math.log10(max)));
        long step = Math.max(1, (high - low + 9) / 10);
        List<Double> ticks = new ArrayList<>();
        for (long e = low; e <= high; e += step) {
            ticks.add(Math.pow(10, (double) e));
        }
        return new Axis(Math.pow(10, (double) low), Math.pow(10, (double) high), true, ticks);
    }

    private static Axis lossAxis(double[]... values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > 0 && max / min >= 100) {
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            List<Double> ticks = new ArrayList<>();
            for (long e = Math.round(Math.log10(low)); e <= Math.round(Math.log10(high)); e++) {
                ticks.add(Math.pow(10, (double) e));
            }
            return new Axis(low, high, true, ticks);
        }
        return linear(Math.min(0, min), max);
    }

    private static Axis metricAxis(double[] values, Metric metric) {
        if (metric == Metric.ACCURACY) {
            return linear(0, 1);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return metric == Metric.R2 ? linear(Math.min(min, 0), Math.max(max, 1)) : linear(Math.min(min, 0), max);
    }

    /** A linear axis over {@code [min, max]} widened to whole ticks of 1, 2 or 5 times a power of ten. */
    private static Axis linear(double min, double max) {
        if (!(min < max)) {
            double pad = Double.isFinite(min) && min != 0 ? Math.abs(min) * 0.1 : 1;
            min = Double.isFinite(min) ? min - pad : 0;
            max = Double.isFinite(max) ? max + pad : 1;
        }
        double rough = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
        long first = (long) Math.floor(min / step + 1e-9);
        long last = (long) Math.ceil(max / step - 1e-9);
        List<Double> ticks = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            ticks.add(i * step);
        }
        return new Axis(first * step, last * step, false, ticks);
    }

    private double x(int epoch, int n) {
        double plotWidth = WIDTH - LEFT - RIGHT;
        return n == 1 ? LEFT + plotWidth / 2 : LEFT + plotWidth * (epoch - 1) / (n - 1);
    }

    private void drawFrame(int n) {
        int bottom = HEIGHT - BOTTOM;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT,
                TOP,
                WIDTH - LEFT - RIGHT,
                HEIGHT - TOP - BOTTOM));
        int step = epochTickStep(n);
        for (int epoch = 1; epoch <= n; epoch = epoch == 1 && step > 1 ? step : epoch + step) {
            double x = x(epoch, n);
            line(x, bottom, x, bottom + 5, "#444");
            text(x, bottom + 18, "middle", null, Integer.toString(epoch));
        }
        text(LEFT + (WIDTH - LEFT - RIGHT) / 2.0, HEIGHT - 18, "middle", null, "epoch");
    }

    /** The step between epoch ticks, 1, 2 or 5 times a power of ten, that gives at most ten of them. */
    private static int epochTickStep(int n) {
        for (int magnitude = 1; ; magnitude *= 10) {
            for (int factor : new int[] {1, 2, 5}) {
                if (n / (factor * magnitude) <= 10) {
                    return factor * magnitude;
                }
            }
        }
    }

    private void drawLeftAxis(Axis axis, String title) {
        for (double tick : axis.ticks()) {
            double y = axis.y(tick);
            line(LEFT - 5, y, LEFT, y, "#444");
            line(LEFT, y, WIDTH - RIGHT, y, "#e5e5e5");
            text(LEFT - 8, y + 4, "end", null, axis.label(tick));
        }
        double middle = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"22\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 22 %.1f)\">%s</text>%n",
                middle,
                middle,
                escape(title)));
    }

    private void drawRightAxis(Axis axis, String title) {
        int x = WIDTH - RIGHT;
        for (double tick : axis.ticks()) {
            double y = axis.y(tick);
            line(x, y, x + 5, y, METRIC_COLOR);
            text(x + 8, y + 4, "start", "fill=\"" + METRIC_COLOR + "\"", axis.label(tick));
        }
        double middle = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" transform=\"rotate(90 %d %.1f)\">%s</text>%n",
                WIDTH - 22,
                middle,
                METRIC_COLOR,
                WIDTH - 22,
                middle,
                escape(title)));
    }

    private void drawSeries(Series s, int n) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double v = s.values()[i];
            if (!Double.isFinite(v) || (s.axis().log() && v <= 0)) {
                continue;
            }
            double y = Math.max(TOP, Math.min(HEIGHT - BOTTOM, s.axis().y(v)));
            if (points.length() > 0) {
                points.append(' ');
            }
            points.append(String.format(Locale.ROOT, "%.2f,%.2f", x(i + 1, n), y));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title></polyline>%n",
                s.color(),
                s.dash() == null ? "" : " stroke-dasharray=\"" + s.dash() + "\"",
                points,
                escape(s.name())));
    }

    private void drawLegend(List<Series> series) {
        double x = LEFT;
        double y = TOP - 22;
        for (Series s : series) {
            if (x > LEFT && x + 40 + 7 * s.name().length() > WIDTH - RIGHT) {
                x = LEFT; // the next row, below the first, inside the frame's top
                y += 16;
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    x,
                    y,
                    x + 28,
                    y,
                    s.color(),
                    s.dash() == null ? "" : " stroke-dasharray=\"" + s.dash() + "\""));
            text(x + 34, y + 4, "start", null, s.name());
            x += 60 + 7 * s.name().length();
        }
    }

    private void line(double x1, double y1, double x2, double y2, String color) {
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1,
                y1,
                x2,
                y2,
                color));
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
                x,
                y,
                anchor,
                attributes == null ? "" : " " + attributes,
                escape(content)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
