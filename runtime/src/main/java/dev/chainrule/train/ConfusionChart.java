package dev.chainrule.train;

import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link ConfusionMatrix} as a standalone SVG picture: a grid of cells, actual classes
 * down, predicted classes across, each cell holding its count and shaded by its share of its row
 * (the rows of that actual class): blue on the diagonal, where the model is right, red off it. The
 * shade is the square root of the share, so that an error of a few percent still shows. Each row
 * ends with its class's recall, each column with its precision.
 */
final class ConfusionChart {
    private static final String RIGHT = "#08519c";
    private static final String WRONG = "#cb181d";

    private final ConfusionMatrix matrix;
    private final List<String> names;
    private final StringBuilder svg = new StringBuilder();

    ConfusionChart(ConfusionMatrix matrix, List<String> names) {
        this.matrix = matrix;
        this.names = names;
    }

    String render() {
        int k = matrix.classCount();
        int cell = Math.max(18, Math.min(56, 720 / k));
        int font = Math.max(8, Math.min(13, cell / 4));
        int longest = 1;
        for (String name : names) {
            longest = Math.max(longest, name.length());
        }
        int labelWidth = (int) Math.ceil(longest * font * 0.62) + 12;
        int left = labelWidth + 30;
        int top = 70 + labelWidth; // the column labels are turned up
        int grid = k * cell;
        int width = left + grid + 80;
        int height = top + grid + 60;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"%d\">%n",
                width,
                height,
                width,
                height,
                font));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(
                width / 2.0,
                24,
                "middle",
                "font-size=\"16\"",
                String.format(
                        Locale.ROOT, "Confusion matrix: %d rows, accuracy %.4f", matrix.total(), matrix.accuracy()));
        text(left + grid / 2.0, 48, "middle", "", "predicted class");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">actual class</text>%n",
                top + grid / 2.0,
                top + grid / 2.0));
        for (int c = 0; c < k; c++) {
            double x = left + c * cell + cell / 2.0 + font / 3.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"predicted-label\" x=\"%.1f\" y=\"%d\" transform=\"rotate(-90 %.1f %d)\">%s</text>%n",
                    x,
                    top - 6,
                    x,
                    top - 6,
                    escape(names.get(c))));
            text(left - 6, top + c * cell + cell / 2.0 + font / 3.0, "end", "class=\"actual-label\"", names.get(c));
        }
        for (int a = 0; a < k; a++) {
            long row = 0;
            for (int p = 0; p < k; p++) {
                row += matrix.count(a, p);
            }
            for (int p = 0; p < k; p++) {
                long count = matrix.count(a, p);
                double share = row == 0 ? 0 : (double) count / row;
                double shade = Math.sqrt(share);
                String fill = blend(a == p ? RIGHT : WRONG, shade);
                int x = left + p * cell;
                int y = top + a * cell;
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect class=\"cell\" data-actual=\"%d\" data-predicted=\"%d\" data-count=\"%d\" x=\"%d\" y=\"%d\""
                                + " width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#dddddd\"/>%n",
                        a,
                        p,
                        count,
                        x,
                        y,
                        cell,
                        cell,
                        fill));
                if (count > 0) {
                    text(
                            x + cell / 2.0,
                            y + cell / 2.0 + font / 3.0,
                            "middle",
                            "class=\"count\" fill=\"" + (shade > 0.6 ? "white" : "black") + "\"",
                            Long.toString(count));
                }
            }
            text(
                    left + grid + 8,
                    top + a * cell + cell / 2.0 + font / 3.0,
                    "start",
                    "class=\"recall\" fill=\"#555555\"",
                    String.format(Locale.ROOT, "%.3f", matrix.recall(a)));
        }
        text(left + grid + 8, top - 6, "start", "fill=\"#555555\"", "recall");
        for (int p = 0; p < k; p++) {
            text(
                    left + p * cell + cell / 2.0,
                    top + grid + 16,
                    "middle",
                    "class=\"precision\" fill=\"#555555\"",
                    String.format(Locale.ROOT, "%.2f", matrix.precision(p)));
        }
        text(left - 6, top + grid + 16, "end", "fill=\"#555555\"", "precision");
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** {@code color} blended with white: weight 0 is white, 1 the colour itself. */
    static String blend(String color, double weight) {
        int rgb = Integer.parseInt(color.substring(1), 16);
        int r = mix((rgb >> 16) & 0xff, weight);
        int g = mix((rgb >> 8) & 0xff, weight);
        int b = mix(rgb & 0xff, weight);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static int mix(int channel, double weight) {
        return (int) Math.round(255 - (255 - channel) * weight);
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
                x,
                y,
                anchor,
                attributes.isEmpty() ? "" : " " + attributes,
                escape(content)));
    }

    /** {@code text} with the characters XML gives a meaning escaped. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
