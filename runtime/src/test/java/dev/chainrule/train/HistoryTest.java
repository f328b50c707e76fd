package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HistoryTest {

    private static Evaluation validation(double loss, double accuracyOfFour) {
        long correct = Math.round(accuracyOfFour * 4);
        ConfusionMatrix m = new ConfusionMatrix(2, new long[] {correct, 0, 4 - correct, 0});
        return new Evaluation(4, loss, loss, loss, 0, m);
    }

    private static History withValidation(double... losses) {
        List<Epoch> epochs = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            epochs.add(new Epoch(
                    i + 1,
                    losses.length,
                    losses[i],
                    validation(losses[i] * 1.5, i % 2 == 0 ? 0.5 : 0.75),
                    Metric.ACCURACY,
                    100,
                    0.5));
        }
        return new History(epochs, History.StopReason.EPOCHS_COMPLETED, 1, false);
    }

    private static History withoutValidation(double... losses) {
        List<Epoch> epochs = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            epochs.add(new Epoch(i + 1, losses.length, losses[i], null, Metric.R2, 10, 0.25));
        }
        return new History(epochs, History.StopReason.TARGET_LOSS, 0, false);
    }

    /** Epochs with gradient norms of two layers: {@code H} falls a decade an epoch, {@code OUT} stays at 0.5. */
    private static History withNorms(int epochs, List<String> warnings) {
        List<Epoch> list = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            Map<String, Double> norms = new LinkedHashMap<>();
            norms.put("H", Math.pow(10, -i));
            norms.put("OUT", 0.5);
            list.add(new Epoch(i + 1, epochs, 1.0 / (i + 1), null, Metric.R2, 10, 0.25, norms));
        }
        return new History(list, History.StopReason.EPOCHS_COMPLETED, 0, false, Monitor.trainingLoss(), warnings);
    }

    @Test
    void csvHasAColumnOfGradientNormsPerLayer() {
        assertEquals("""
                epoch,loss,val_loss,val_r2,samples_per_second,seconds,grad_norm_H,grad_norm_OUT
                1,1.0,,,40.0,0.25,1.0,0.5
                2,0.5,,,40.0,0.25,0.1,0.5
                """, withNorms(2, List.of()).toCsv());
        assertEquals(List.of("H", "OUT"), withNorms(2, List.of()).gradientLayers());
        assertArrayEquals(new double[] {1, 0.1, 0.01}, withNorms(3, List.of()).gradientNorms("H"));
    }

    @Test
    void svgDrawsTheGradientNormsOnALogAxisBelowTheLosses() throws Exception {
        Document svg = parse(withNorms(5, List.of()).toSvg());
        assertEquals("1000", svg.getDocumentElement().getAttribute("height"));
        NodeList lines = svg.getElementsByTagName("polyline");
        assertEquals(3, lines.getLength(), "training loss, then one line per layer");
        assertEquals(
                "training loss",
                ((Element) lines.item(0)).getElementsByTagName("title").item(0).getTextContent());
        Element h = (Element) lines.item(1);
        assertEquals("H", h.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(
                "OUT",
                ((Element) lines.item(2)).getElementsByTagName("title").item(0).getTextContent());
        Element group = (Element) h.getParentNode();
        assertEquals("g", group.getTagName());
        assertEquals("translate(0 500)", group.getAttribute("transform"));
        double[][] p = points(h);
        assertEquals(5, p.length);
        // a decade per epoch is the same distance each epoch on the log axis, downwards
        for (int i = 1; i < p.length; i++) {
            assertEquals(p[1][1] - p[0][1], p[i][1] - p[i - 1][1], 0.02);
            assertTrue(p[i][1] > p[i - 1][1]);
        }
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("gradient norm (log scale)"));
        for (String tick : List.of("1e-4", "1e-3", "1e0")) {
            assertTrue(text.contains(tick), tick);
        }
        // without norms the chart is as it was: one panel of 500
        assertEquals(
                "500",
                parse(withValidation(1, 0.5).toSvg()).getDocumentElement().getAttribute("height"));
    }

    @Test
    void warningsAreKeptAndListedAfterTheTable() {
        History history = withNorms(2, List.of("warning: layer H's gradients vanish"));
        assertEquals(List.of("warning: layer H's gradients vanish"), history.warnings());
        assertTrue(
                history.toString().endsWith("stopped: epochs completed\nwarning: layer H's gradients vanish\n"),
                history.toString());
        assertEquals(List.of(), withValidation(1).warnings());
    }

    @Test
    void csvHasAHeaderAndOneExactLinePerEpoch() {
        String csv = withValidation(0.5, 0.25).toCsv();
        assertEquals("""
                epoch,loss,val_loss,val_accuracy,samples_per_second,seconds
                1,0.5,0.75,0.5,200.0,0.5
                2,0.25,0.375,0.75,200.0,0.5
                """, csv);
        assertEquals("""
                epoch,loss,val_loss,val_r2,samples_per_second,seconds
                1,0.125,,,40.0,0.25
                """, withoutValidation(0.125).toCsv());
    }

    @Test
    void writesCsvAndSvgFiles(@TempDir Path dir) throws Exception {
        History history = withValidation(1, 0.5, 0.2);
        history.writeCsv(dir.resolve("h.csv"));
        history.writeSvg(dir.resolve("h.svg"));
        assertEquals(history.toCsv(), Files.readString(dir.resolve("h.csv")));
        assertEquals(history.toSvg(), Files.readString(dir.resolve("h.svg")));
    }

    @Test
    void svgIsWellFormedWithOnePolylinePerSeriesAndAPointPerEpoch() throws Exception {
        History history = withValidation(1.0, 0.6, 0.45, 0.4, 0.38, 0.37, 0.365);
        Document svg = parse(history.toSvg());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        NodeList lines = svg.getElementsByTagName("polyline");
        assertEquals(3, lines.getLength());
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            double[][] points = points(line);
            assertEquals(7, points.length);
            for (int p = 1; p < points.length; p++) {
                assertTrue(points[p][0] > points[p - 1][0], "epochs go left to right");
            }
            for (double[] point : points) {
                assertTrue(point[0] >= 0 && point[0] <= 820 && point[1] >= 0 && point[1] <= 500);
            }
            titles.add(line.getElementsByTagName("title").item(0).getTextContent());
        }
        assertEquals(List.of("training loss", "validation loss", "validation accuracy"), titles);
        double[][] train = points((Element) lines.item(0));
        assertTrue(train[0][1] < train[6][1], "a falling loss is drawn from high (small y) to low");
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("epoch"));
        assertTrue(text.contains("validation accuracy"));
        assertFalse(text.contains("log scale"), "losses within two decades use a linear axis");
    }

    @Test
    void lossesSpanningDecadesUseALogAxisAndNoValidationMeansOneLine() throws Exception {
        Document svg = parse(withoutValidation(1, 0.1, 0.01, 0.001).toSvg());
        assertEquals(1, svg.getElementsByTagName("polyline").getLength());
        assertEquals(4, points((Element) svg.getElementsByTagName("polyline").item(0)).length);
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("loss (log scale)"));
        for (String tick : List.of("1e-3", "1e-2", "1e-1", "1e0")) {
            assertTrue(text.contains(tick), tick);
        }
        double[][] p = points((Element) svg.getElementsByTagName("polyline").item(0));
        // equal ratios are equal distances on a log axis
        assertEquals(p[1][1] - p[0][1], p[2][1] - p[1][1], 0.02);
    }

    @Test
    void aSingleEpochDrawsToo() throws Exception {
        Document svg = parse(withValidation(0.3).toSvg());
        assertEquals(1, points((Element) svg.getElementsByTagName("polyline").item(0)).length);
    }

    @Test
    void tableShowsEveryEpochAndWhyItStopped() {
        String table = withValidation(0.5, 0.25).toString();
        String[] lines = table.split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].matches(" *epoch +loss +val_loss +val_accuracy +samples/s"), lines[0]);
        assertTrue(lines[2].matches(" +2 +0\\.250000 +0\\.375000 +0\\.750000 +200"), lines[2]);
        assertEquals("stopped: epochs completed; best validation loss in epoch 1", lines[3]);
    }

    @Test
    void anEmptyHistoryIsRejected() {
        assertEquals(
                "a history holds at least one epoch",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new History(List.of(), History.StopReason.LISTENER, 0, false))
                        .getMessage());
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static double[][] points(Element polyline) {
        String[] pairs = polyline.getAttribute("points").trim().split(" ");
        double[][] points = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] xy = pairs[i].split(",");
            points[i] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
        }
        return points;
    }
}
