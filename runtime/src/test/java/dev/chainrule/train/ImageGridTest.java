package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Shape;
import dev.chainrule.data.Dataset;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ImageGridTest {

    /** 2x2 images, two classes: predicts class 0 from pixel (0, 0) and class 1 from pixel (1, 1). */
    private static FloatLinear model() {
        FloatLinear model = new FloatLinear(4, 2);
        model.params[0 * 2 + 0] = 1; // W[0][0]: pixel 0 to output 0
        model.params[3 * 2 + 1] = 1; // W[3][1]: pixel 3 to output 1
        return model;
    }

    /** Five images; rows 1, 3 and 4 are predicted wrong. */
    private static Dataset images() {
        float[] pixels = {
            1, 0, 0, 0, // class 0, predicted 0
            0, 0, 0.5f, 1, // class 0, predicted 1
            0, 0, 0, 1, // class 1, predicted 1
            1, 0.25f, 0.25f, 0.5f, // class 1, predicted 0
            0.9f, 0, 0, 0.1f, // class 1, predicted 0
        };
        return Dataset.classification(pixels, 4, new int[] {0, 0, 1, 1, 1}, 2);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element parent, String tag, String cssClass) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass.equals(e.getAttribute("class"))) {
                found.add(e);
            }
        }
        return found;
    }

    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");

    /** Each run of pixels of an example as {@code x,y,width,fill} in image pixels, row by row. */
    private static List<String> rects(Element example) {
        List<int[]> runs = new ArrayList<>();
        List<String> fills = new ArrayList<>();
        for (Element path : children(example, "path", "pixels")) {
            String d = path.getAttribute("d");
            Matcher m = RUN.matcher(d);
            int end = 0;
            while (m.find()) {
                assertEquals(end, m.start(), "only runs in " + d);
                assertEquals(m.group(3), m.group(4), "a run closes where it started: " + d);
                runs.add(new int[] {
                    Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    fills.size()
                });
                end = m.end();
            }
            assertEquals(d.length(), end, d);
            fills.add(path.getAttribute("fill"));
        }
        runs.sort(Comparator.<int[]>comparingInt(r -> r[1]).thenComparingInt(r -> r[0]));
        return runs.stream()
                .map(r -> r[0] + "," + r[1] + "," + r[2] + "," + fills.get(r[3]))
                .toList();
    }

    private static String scale(Element example) {
        return children(example, "g", "image").get(0).getAttribute("transform");
    }

    @Test
    void drawsTheFirstMisclassifiedRowsWithTheirClasses() throws Exception {
        Document doc =
                parse(ImageGrid.misclassified(model(), images(), Shape.image(1, 2, 2), List.of("cat", "dog"), 2));
        List<Element> examples = children(doc.getDocumentElement(), "g", "example");
        assertEquals(2, examples.size());
        assertEquals("1", examples.get(0).getAttribute("data-row"));
        assertEquals("3", examples.get(1).getAttribute("data-row"));
        assertEquals("0", examples.get(0).getAttribute("data-actual"));
        assertEquals("1", examples.get(0).getAttribute("data-predicted"));
        assertEquals("cat", children(examples.get(0), "text", "actual").get(0).getTextContent());
        assertEquals(
                "as dog", children(examples.get(0), "text", "predicted").get(0).getTextContent());
        assertEquals("dog", children(examples.get(1), "text", "actual").get(0).getTextContent());
        assertEquals(
                "as cat", children(examples.get(1), "text", "predicted").get(0).getTextContent());
        String title = doc.getElementsByTagName("text").item(0).getTextContent();
        assertEquals("Misclassified: 3 of 5 rows (2 shown)", title);
    }

    @Test
    void drawsEachImagesPixelsFromBlackToWhite() throws Exception {
        Document doc = parse(ImageGrid.misclassified(model(), images(), Shape.image(1, 2, 2), List.of(), 10));
        List<Element> examples = children(doc.getDocumentElement(), "g", "example");
        assertEquals(3, examples.size());
        // 42 screen pixels per image pixel; zeros are the black background, 0.5 of 0 .. 1 is
        // level 32 of 63 (130 of 255), 1 is white
        assertEquals("scale(42)", scale(examples.get(0)));
        assertEquals(List.of("0,1,1,#828282", "1,1,1,#ffffff"), rects(examples.get(0)));
        // scaled per image: 0.25 .. 1 to black .. white, so 0.5 is a third: level 21 of 63 (85)
        assertEquals(List.of("0,0,1,#ffffff", "1,1,1,#555555"), rects(examples.get(1)));
        assertEquals("1", children(examples.get(1), "text", "actual").get(0).getTextContent(), "unnamed: indices");
        assertEquals(1, children(examples.get(0), "rect", "background").size());
    }

    @Test
    void mergesEqualNeighboursOfARowAndDrawsThreeChannelsInColour() throws Exception {
        FloatLinear row = new FloatLinear(4, 2); // all outputs 0: predicts class 0
        Dataset strip = Dataset.classification(new float[] {1, 1, 0, 1}, 4, new int[] {1}, 2);
        Element one = children(
                        parse(ImageGrid.misclassified(row, strip, Shape.image(1, 1, 4), List.of(), 1))
                                .getDocumentElement(),
                        "g",
                        "example")
                .get(0);
        assertEquals(List.of("0,0,2,#ffffff", "3,0,1,#ffffff"), rects(one));
        assertEquals("scale(21)", scale(one), "84 screen pixels across the widest side");
        assertEquals(1, children(one, "path", "pixels").size(), "one path per colour");

        FloatLinear rgb = new FloatLinear(6, 2);
        Dataset colour = Dataset.classification(new float[] {1, 0, 0, 0, 0, 1}, 6, new int[] {1}, 2);
        Element two = children(
                        parse(ImageGrid.misclassified(rgb, colour, Shape.image(3, 1, 2), List.of(), 1))
                                .getDocumentElement(),
                        "g",
                        "example")
                .get(0);
        assertEquals(List.of("0,0,1,#ff0000", "1,0,1,#0000ff"), rects(two), "red in pixel 0, blue in pixel 1");
    }

    @Test
    void refusesWhatCannotBeDrawnWithAMessage(@TempDir Path dir) throws Exception {
        Shape.Image square = Shape.image(1, 2, 2);
        assertEquals(
                "an image of 1x3x3 holds 9 values, but the dataset's rows have 4 features",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageGrid.misclassified(model(), images(), Shape.image(1, 3, 3), List.of(), 1))
                        .getMessage());
        assertEquals(
                "the dataset has 2 classes, but 3 class names were given",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageGrid.misclassified(model(), images(), square, List.of("a", "b", "c"), 1))
                        .getMessage());
        assertEquals(
                "limit is 0, expected at least 1 image",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageGrid.misclassified(model(), images(), square, List.of(), 0))
                        .getMessage());
        Dataset unlabelled = Dataset.of(new float[4], 4, new float[2], 2);
        assertEquals(
                "the dataset has no class labels, so no row can be misclassified",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageGrid.misclassified(model(), unlabelled, square, List.of(), 1))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageGrid.misclassified(new FloatLinear(3, 2), images(), square, List.of(), 1))
                .getMessage()
                .startsWith("the dataset's rows have 4 features, but the model takes 3"));

        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ImageGrid.misclassified(new FloatLinear(4, 3), images(), square, List.of(), 1))
                .getMessage()
                .startsWith("the dataset has 2 classes, but the model gives 3 outputs"));

        Path file = dir.resolve("wrong.svg");
        ImageGrid.writeMisclassified(file, model(), images(), square, List.of("cat", "dog"), 5);
        assertEquals(
                3,
                children(parse(Files.readString(file)).getDocumentElement(), "g", "example")
                        .size());
    }
}
