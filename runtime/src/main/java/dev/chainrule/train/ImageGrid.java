package dev.chainrule.train;

import dev.chainrule.FloatModel;
import dev.chainrule.Shape;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.OneHot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Pictures of image data as SVG documents: the examples a classifier gets wrong, each drawn with
 * its actual and predicted class, to see at a glance what it confuses.
 *
 * <pre>{@code
 * ImageGrid.writeMisclassified(Path.of("misclassified.svg"), model, test,
 *         Shape.image(1, 28, 28), classNames, 48);
 * }</pre>
 *
 * <p>Each image is drawn with its pixels as rectangles, scaled so that its darkest value is black
 * and its brightest white (per image, so standardised pixels draw as well as pixels in [0, 1]):
 * one channel as grey, three as red, green and blue, and of other counts the first channel as
 * grey. Each channel is rounded to one of 64 levels; neighbouring pixels of a row of the same
 * colour share one rectangle, and the rectangles of one colour one {@code path}.
 */
public final class ImageGrid {
    private static final int COLUMNS = 8;
    private static final int LEVELS = 63;

    private ImageGrid() {}

    /**
     * The first {@code limit} rows of {@code data}, in row order, whose class {@code model}
     * predicts wrong (the largest output, as {@link FloatModel#predictClass} reads it), as an SVG
     * grid titled with how many rows of all were wrong.
     *
     * @param shape how a row's features form an image: {@code channels x height x width}, channel
     *     by channel and row by row
     * @param classNames the name of each class in index order, or an empty list for the indices
     * @param limit the most images to draw, at least 1
     * @throws IllegalArgumentException if the data has no class labels, its rows do not hold the
     *     model's inputs or the image's values, the names are not one per class, or {@code limit}
     *     is below 1
     */
    public static String misclassified(
            FloatModel model, Dataset data, Shape.Image shape, List<String> classNames, int limit) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(classNames, "classNames");
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("the dataset has no class labels, so no row can be misclassified");
        }
        if (data.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException(
                    "the dataset's rows have " + data.featureCount() + " features, but the model takes "
                            + model.inputSize() + " (" + model.spec().describe() + ")");
        }
        if (model.outputSize() != data.classCount() && !(model.outputSize() == 1 && data.classCount() == 2)) {
            throw new IllegalArgumentException("the dataset has " + data.classCount() + " classes, but the model gives "
                    + model.outputSize() + " outputs (" + model.spec().describe() + ")");
        }
        if (shape.size() != data.featureCount()) {
            throw new IllegalArgumentException("an image of " + shape.describe() + " holds " + shape.size()
                    + " values, but the dataset's rows have " + data.featureCount() + " features");
        }
        if (!classNames.isEmpty() && classNames.size() != data.classCount()) {
            throw new IllegalArgumentException("the dataset has " + data.classCount() + " classes, but "
                    + classNames.size() + " class names were given");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit is " + limit + ", expected at least 1 image");
        }
        float[] features = data.features();
        float[] outputs = new float[model.outputSize()];
        int width = data.featureCount();
        List<int[]> wrong = new ArrayList<>(); // row, actual, predicted
        int wrongCount = 0;
        for (int r = 0; r < data.rows(); r++) {
            model.predict(features, r * width, outputs, 0);
            int predicted = OneHot.classOf(outputs, 0, outputs.length);
            int actual = data.label(r);
            if (predicted != actual) {
                wrongCount++;
                if (wrong.size() < limit) {
                    wrong.add(new int[] {r, actual, predicted});
                }
            }
        }
        return render(features, width, shape, wrong, wrongCount, data.rows(), classNames);
    }

    /** Writes {@link #misclassified} to {@code file} in UTF-8, replacing it. */
    public static void writeMisclassified(
            Path file, FloatModel model, Dataset data, Shape.Image shape, List<String> classNames, int limit) {
        Objects.requireNonNull(file, "file");
        String svg = misclassified(model, data, shape, classNames, limit);
        try {
            Files.writeString(file, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.toAbsolutePath(), e);
        }
    }

    private static String render(
            float[] features,
            int width,
            Shape.Image shape,
            List<int[]> shown,
            int wrongCount,
            int rows,
            List<String> names) {
        int scale = Math.max(1, 84 / Math.max(shape.height(), shape.width()));
        int imageWidth = shape.width() * scale;
        int imageHeight = shape.height() * scale;
        int tileWidth = Math.max(imageWidth, 96) + 12;
        int tileHeight = imageHeight + 40;
        int columns = Math.max(1, Math.min(COLUMNS, shown.size()));
        int gridRows = (shown.size() + columns - 1) / columns;
        int svgWidth = Math.max(360, columns * tileWidth + 20);
        int svgHeight = 50 + Math.max(1, gridRows) * tileHeight + 10;
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"10\" shape-rendering=\"crispEdges\">%n",
                svgWidth,
                svgHeight,
                svgWidth,
                svgHeight));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"26\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
                svgWidth / 2.0,
                ConfusionChart.escape(String.format(
                        Locale.ROOT, "Misclassified: %d of %d rows (%d shown)", wrongCount, rows, shown.size()))));
        for (int i = 0; i < shown.size(); i++) {
            int[] example = shown.get(i);
            int x = 10 + (i % columns) * tileWidth + (tileWidth - imageWidth) / 2;
            int y = 44 + (i / columns) * tileHeight;
            svg.append(String.format(
                    Locale.ROOT,
                    "<g class=\"example\" data-row=\"%d\" data-actual=\"%d\" data-predicted=\"%d\""
                            + " transform=\"translate(%d %d)\">%n",
                    example[0],
                    example[1],
                    example[2],
                    x,
                    y));
            svg.append(String.format(Locale.ROOT, "<g class=\"image\" transform=\"scale(%d)\">%n", scale));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"background\" width=\"%d\" height=\"%d\" fill=\"#000000\"/>%n",
                    shape.width(),
                    shape.height()));
            pixels(svg, features, example[0] * width, shape);
            svg.append("</g>\n");
            double centre = imageWidth / 2.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"actual\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    centre,
                    imageHeight + 13,
                    ConfusionChart.escape(name(names, example[1]))));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"predicted\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#cb181d\">%s</text>%n",
                    centre,
                    imageHeight + 26,
                    ConfusionChart.escape("as " + name(names, example[2]))));
            svg.append("</g>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String name(List<String> names, int c) {
        return names.isEmpty() ? Integer.toString(c) : names.get(c);
    }

    /**
     * The image at {@code features[offset ..]}, in image pixels, over the black background: one
     * path per colour, each run of equal pixels in a row one rectangle of it.
     */
    private static void pixels(StringBuilder svg, float[] features, int offset, Shape.Image shape) {
        int plane = shape.height() * shape.width();
        boolean rgb = shape.channels() == 3;
        int values = rgb ? 3 * plane : plane;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < values; i++) {
            float v = features[offset + i];
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float range = max > min ? max - min : 1;
        Map<Integer, StringBuilder> runs = new LinkedHashMap<>(); // by colour, in order of first appearance
        for (int row = 0; row < shape.height(); row++) {
            int column = 0;
            while (column < shape.width()) {
                int colour = colour(features, offset, plane, rgb, row * shape.width() + column, min, range);
                int end = column + 1;
                while (end < shape.width()
                        && colour(features, offset, plane, rgb, row * shape.width() + end, min, range) == colour) {
                    end++;
                }
                if (colour != 0) {
                    runs.computeIfAbsent(colour, c -> new StringBuilder())
                            .append('M')
                            .append(column)
                            .append(' ')
                            .append(row)
                            .append('h')
                            .append(end - column)
                            .append("v1h-")
                            .append(end - column)
                            .append('z');
                }
                column = end;
            }
        }
        runs.forEach((colour, d) -> svg.append(
                String.format(Locale.ROOT, "<path class=\"pixels\" fill=\"#%06x\" d=\"%s\"/>%n", colour, d)));
    }

    /** The pixel's colour as 0xRRGGBB, each channel rounded to one of 64 levels. */
    private static int colour(float[] features, int offset, int plane, boolean rgb, int pixel, float min, float range) {
        if (!rgb) {
            int g = level(features[offset + pixel], min, range);
            return g << 16 | g << 8 | g;
        }
        return level(features[offset + pixel], min, range) << 16
                | level(features[offset + plane + pixel], min, range) << 8
                | level(features[offset + 2 * plane + pixel], min, range);
    }

    private static int level(float value, float min, float range) {
        if (!Float.isFinite(value)) {
            return 0;
        }
        double t = Math.max(0, Math.min(1, (value - min) / range));
        return (int) Math.round(Math.round(t * LEVELS) * 255.0 / LEVELS);
    }
}
