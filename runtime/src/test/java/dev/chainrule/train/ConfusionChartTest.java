package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ConfusionChartTest {

    /**
     * Three classes: class 0's 10 rows are 7 right, 2 as 1, 1 as 2; class 1's 4 are 4 right; class
     * 2's 6 are 3 right and 3 as 0.
     */
    private static ConfusionMatrix matrix() {
        List<Integer> actual = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        int[][] counts = {{7, 2, 1}, {0, 4, 0}, {3, 0, 3}};
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                for (int n = 0; n < counts[a][p]; n++) {
                    actual.add(a);
                    predicted.add(p);
                }
            }
        }
        return ConfusionMatrix.of(
                actual.stream().mapToInt(Integer::intValue).toArray(),
                predicted.stream().mapToInt(Integer::intValue).toArray(),
                3);
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass == null || cssClass.equals(e.getAttribute("class"))) {
                found.add(e);
            }
        }
        return found;
    }

    private static int[] rgb(String fill) {
        int v = Integer.parseInt(fill.substring(1), 16);
        return new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
    }

    private static int brightness(String fill) {
        int[] c = rgb(fill);
        return c[0] + c[1] + c[2];
    }

    @Test
    void everyCellHoldsItsCountAndIsShadedByItsShareOfTheRow() throws Exception {
        Document doc = parse(matrix().toSvg(List.of("cat", "dog", "A&B <bird>")));
        List<Element> cells = elements(doc, "rect", "cell");
        assertEquals(9, cells.size());
        Map<String, Element> byPosition = new HashMap<>();
        for (Element cell : cells) {
            byPosition.put(cell.getAttribute("data-actual") + "," + cell.getAttribute("data-predicted"), cell);
        }
        int[][] counts = {{7, 2, 1}, {0, 4, 0}, {3, 0, 3}};
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(
                        Integer.toString(counts[a][p]),
                        byPosition.get(a + "," + p).getAttribute("data-count"));
            }
        }
        List<String> shown = elements(doc, "text", "count").stream()
                .map(Element::getTextContent)
                .toList();
        assertEquals(List.of("7", "2", "1", "4", "3", "3"), shown, "every count but the zeros, row by row");

        String right = byPosition.get("0,0").getAttribute("fill");
        String twoWrong = byPosition.get("0,1").getAttribute("fill");
        String oneWrong = byPosition.get("0,2").getAttribute("fill");
        assertTrue(rgb(right)[2] > rgb(right)[0], "the diagonal is blue: " + right);
        assertTrue(rgb(twoWrong)[0] > rgb(twoWrong)[2], "errors are red: " + twoWrong);
        assertTrue(brightness(twoWrong) < brightness(oneWrong), "2 of 10 is darker than 1 of 10");
        assertEquals("#ffffff", byPosition.get("1,0").getAttribute("fill"), "an empty cell is white");
        assertEquals(
                byPosition.get("1,1").getAttribute("fill"),
                ConfusionChart.blend("#08519c", 1.0),
                "all of a row right: the full blue");
        // 3 of 6 wrong is a larger share than 2 of 10, though a smaller count than class 0's 7
        assertTrue(brightness(byPosition.get("2,0").getAttribute("fill")) < brightness(twoWrong));
        assertTrue(
                brightness(byPosition.get("2,2").getAttribute("fill")) > brightness(right),
                "3 right of 6 is lighter than 7 right of 10");
    }

    @Test
    void namesTheClassesOnBothAxesWithRecallAndPrecision() throws Exception {
        ConfusionMatrix matrix = matrix();
        Document doc = parse(matrix.toSvg(List.of("cat", "dog", "A&B <bird>")));
        assertEquals(
                List.of("cat", "dog", "A&B <bird>"),
                elements(doc, "text", "actual-label").stream()
                        .map(Element::getTextContent)
                        .toList());
        assertEquals(
                List.of("cat", "dog", "A&B <bird>"),
                elements(doc, "text", "predicted-label").stream()
                        .map(Element::getTextContent)
                        .toList());
        assertEquals(
                List.of("0.700", "1.000", "0.500"),
                elements(doc, "text", "recall").stream()
                        .map(Element::getTextContent)
                        .toList());
        // precision: 7 of 10 predicted 0, 4 of 6 predicted 1, 3 of 4 predicted 2
        assertEquals(
                List.of("0.70", "0.67", "0.75"),
                elements(doc, "text", "precision").stream()
                        .map(Element::getTextContent)
                        .toList());
        String title = elements(doc, "text", null).get(0).getTextContent();
        assertEquals("Confusion matrix: 20 rows, accuracy 0.7000", title);

        List<String> indices = elements(parse(matrix.toSvg()), "text", "actual-label").stream()
                .map(Element::getTextContent)
                .toList();
        assertEquals(List.of("0", "1", "2"), indices, "without names, the indices");
    }

    @Test
    void refusesTheWrongNumberOfNamesAndWritesTheFile(@TempDir Path dir) throws Exception {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> matrix().toSvg(List.of("cat", "dog")));
        assertEquals("the confusion matrix has 3 classes, but 2 class names were given", e.getMessage());
        Path file = dir.resolve("confusion.svg");
        matrix().writeSvg(file, List.of("a", "b", "c"));
        assertEquals(9, elements(parse(Files.readString(file)), "rect", "cell").size());
    }

    @Test
    void aLargeMatrixKeepsItsPictureBounded() throws Exception {
        int k = 100;
        int[] labels = new int[k];
        for (int i = 0; i < k; i++) {
            labels[i] = i;
        }
        Element svg = parse(ConfusionMatrix.of(labels, labels, k).toSvg()).getDocumentElement();
        assertTrue(Integer.parseInt(svg.getAttribute("width")) <= 2100, svg.getAttribute("width"));
        assertEquals(k * k, elements(svg.getOwnerDocument(), "rect", "cell").size());
    }
}
