package dev.chainrule.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsReportTest {

    @Test
    void jsonReadsWhatJmhWrites() {
        Object parsed = Json.parse("[{\"a\": 1.5e3, \"b\": [true, false, null], \"c\": \"x\\\"y\\u0041\", \"d\": {}}]");
        Map<?, ?> object = (Map<?, ?>) ((List<?>) parsed).get(0);
        assertEquals(1500.0, object.get("a"));
        assertEquals(java.util.Arrays.asList(true, false, null), object.get("b"));
        assertEquals("x\"yA", object.get("c"));
        assertEquals(Map.of(), object.get("d"));
    }

    @Test
    void jsonErrorsGiveTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, }"));
        assertEquals("JSON: expected a value at offset 4, found '}'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] 2"));
    }

    @Test
    void tableGivesGflopsPeakShareAndRatio(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json,
                "[" + run("dev.chainrule.benchmarks.PredictBenchmark.chainrule", 100, 4) + ","
                        + run("dev.chainrule.benchmarks.peers.SmileBenchmark.predict", 50, "NaN") + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of("machine", "test box"));
        // 203,264 FLOP in 100 us = 2.03 GFLOP/s = 2.6% of 78.4; in 50 us twice that, and half the time.
        assertTrue(md.contains("| Chainrule (generated) | float | 100 | 4.00 | 2.03 | 2.6% | 1.00 |"), md);
        assertTrue(md.contains("| Smile 3.1.1 | double | 50.00 | – | 4.07 | 5.2% | 0.50 |"), md);
        assertTrue(md.contains("Smile 3.1.1 takes 50.00 µs against Chainrule's 100 µs (0.50×"), md);
        assertTrue(md.contains("- Machine: test box"), md);
    }

    @Test
    void floorSectionComparesPredictionWithReadingTheParameters(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json,
                "[" + run("dev.chainrule.benchmarks.PredictBenchmark.chainrule", 10, 1)
                        + ","
                        + run(
                                "dev.chainrule.benchmarks.MemoryFloorBenchmark.readParameters",
                                5,
                                0.5,
                                "{\"parametersOf\": \"784-128-10\"}")
                        + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of());
        // 101,770 parameters = 407,080 bytes = 397.5 KiB, read in 5 us = 81.4 GB/s; 203,264 FLOP in
        // 5 us = 40.7 GFLOP/s = 51.9% of 78.4; the prediction takes twice the floor.
        assertTrue(md.contains("| 784-128-10 | 398 | 5.00 | 0.500 | 81.4 | 51.9% | 10.00 | 2.00 |"), md);
        // the floor is no implementation: it has no row in the prediction table, nor among the losses
        assertTrue(md.contains("Nowhere in this run."), md);
        assertEquals(1, md.split("\\| 5\\.00 \\|", -1).length - 1, md);
    }

    @Test
    void aMeasuredPeakReplacesTheNominalOneAndTheProductsGetTheirSection(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json,
                "[" + run("dev.chainrule.benchmarks.PredictBenchmark.chainrule", 100, 4) + ","
                        // 3,840,000 FLOP in 38.4 us: a peak of 100 GFLOP/s
                        + run("dev.chainrule.benchmarks.PeakBenchmark.fusedMultiplyAdds", 38.4, 0.1, "{}") + ","
                        + run(
                                "dev.chainrule.benchmarks.MatrixProductBenchmark.weightGradients",
                                250,
                                5,
                                "{\"shape\": \"32x784x512\"}")
                        + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of());
        assertTrue(md.contains("as measured in this run, 100.0 GFLOP/s"), md);
        // the nominal figure is one machine's, so a report of a measured peak does not quote it
        assertFalse(md.contains("nominal"), md);
        // 203,264 FLOP in 100 us = 2.03 GFLOP/s = 2.0% of 100; floor 2.03 us
        assertTrue(md.contains("| Chainrule (generated) | float | 100 | 4.00 | 2.03 | 2.0% | 1.00 |"), md);
        assertTrue(md.contains("compute floor 2.03 µs"), md);
        // 2 x 32 x 784 x 512 = 25,690,112 FLOP in 250 us = 102.8 GFLOP/s = 102.8% of 100
        assertTrue(md.contains("| `G += X^T D` | 32 × 784 × 512 | 250 | 5.00 | 102.8 | 102.8% |"), md);
        // neither benchmark is an implementation with a table of its own
        assertFalse(md.contains("PeakBenchmark.fusedMultiplyAdds |"), md);
    }

    @Test
    void anEpochGetsItsOwnTableAfterTheTrainingSteps(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json,
                "["
                        + run(
                                "dev.chainrule.benchmarks.EpochBenchmark.chainrule",
                                500_000,
                                1000,
                                "{\"epoch\": \"784-128-10:64\"}")
                        + ","
                        + run(
                                "dev.chainrule.benchmarks.TrainingStepBenchmark.chainrule",
                                200,
                                1,
                                "{\"step\": \"784-128-10:32\"}")
                        + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of());
        String title = "## Fashion-MNIST epoch, 60,000 images in batches of 64, 784-128-10";
        assertTrue(md.contains(title), md);
        assertTrue(md.indexOf("## Training step, batch 32") < md.indexOf(title), md);
        assertTrue(md.contains("| Chainrule (generated) | float | 500,000 | 1,000 |"), md);
    }

    @Test
    void noFloorSectionWithoutItsBenchmark(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "[" + run("dev.chainrule.benchmarks.PredictBenchmark.chainrule", 10, 1) + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of());
        assertTrue(md.contains("## Single-sample prediction, 784-128-10"), md);
        assertFalse(md.contains("memory floor"), md);
    }

    @Test
    void convolutionalTablesGiveTheirLayersFlopAndComputeFloor(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json,
                "["
                        + run(
                                "dev.chainrule.benchmarks.ShapedPredictBenchmark.chainrule",
                                100,
                                1,
                                "{\"network\": \"lenet5\"}")
                        + "]");
        String md = ResultsReport.render(ResultsReport.read(json), Map.of());
        assertTrue(
                md.contains("## Single-sample prediction, lenet5 (1x28x28, conv 6@5x5 pad 2 relu, max pool 2, "
                        + "conv 16@5x5 relu, max pool 2, 120 relu, 84 relu, 10 softmax)"),
                md);
        // 833,040 FLOP at 78.4 GFLOP/s take 10.6 us; in 100 us that is 8.33 GFLOP/s, 10.6% of peak.
        assertTrue(md.contains("833,040 FLOP per call; compute floor 10.63 µs"), md);
        assertTrue(md.contains("| Chainrule (generated) | float | 100 | 1.00 | 8.33 | 10.6% | 1.00 |"), md);
    }

    @Test
    void thePyTorchPeerJoinsTheSameTableUnderItsOwnName(@TempDir Path dir) throws IOException {
        Path jvm = dir.resolve("chainrule.json");
        Files.writeString(
                jvm,
                "["
                        + run(
                                "dev.chainrule.benchmarks.ShapedTrainingStepBenchmark.chainrule",
                                1000,
                                10,
                                "{\"step\": \"lenet5:64\"}")
                        + "]");
        Path torch = dir.resolve("torch.json");
        Files.writeString(
                torch,
                "["
                        + run(
                                        "dev.chainrule.benchmarks.torch.TorchBenchmark.trainingStep",
                                        2000,
                                        20,
                                        "{\"step\": \"lenet5:64\"}")
                                .replace(
                                        "\"secondaryMetrics\": {}",
                                        "\"secondaryMetrics\": {}, \"implementation\": \"PyTorch 9.9\", \"precision\": \"float\","
                                                + " \"runtime\": \"PyTorch 9.9 on Python 3\"")
                        + "]");
        List<ResultsReport.Result> results = new java.util.ArrayList<>(ResultsReport.read(jvm));
        results.addAll(ResultsReport.read(torch));
        String md = ResultsReport.render(results, Map.of());
        assertEquals(1, md.split("## Training step, batch 64, lenet5", -1).length - 1, md);
        assertTrue(md.contains("| PyTorch 9.9 | float | 2,000 | 20.00 |"), md);
        assertTrue(md.contains("| 2.00 |\n"), md);
        assertTrue(md.contains("- PyTorch: PyTorch 9.9 on Python 3;"), md);
    }

    @Test
    void aSkippedSuiteIsOneLineOfTheReport(@TempDir Path dir) throws IOException {
        Path jvm = dir.resolve("chainrule.json");
        Files.writeString(jvm, "[" + run("dev.chainrule.benchmarks.PredictBenchmark.chainrule", 10, 1) + "]");
        Path torch = dir.resolve("torch.json");
        Files.writeString(torch, "{\"skipped\": \"PyTorch peer skipped: no torch here\"}");
        List<String> skipped = new java.util.ArrayList<>();
        List<ResultsReport.Result> results = new java.util.ArrayList<>(ResultsReport.read(jvm, skipped));
        results.addAll(ResultsReport.read(torch, skipped));
        String md = ResultsReport.render(results, skipped, Map.of());
        assertEquals(1, md.split("PyTorch peer skipped", -1).length - 1, md);
        assertTrue(md.contains("- **PyTorch peer skipped: no torch here**\n"), md);
        assertThrows(IllegalArgumentException.class, () -> ResultsReport.read(torch));
    }

    @Test
    void rejectsThroughputResults(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(
                json, "[" + run("x.PredictBenchmark.chainrule", 100, 1).replace("us/op", "ops/us") + "]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsReport.read(json));
        assertTrue(e.getMessage().contains("reports 'ops/us'"), e.getMessage());
    }

    private static String run(String benchmark, double median, Object error) {
        return run(benchmark, median, error, "{\"network\": \"784-128-10\"}");
    }

    private static String run(String benchmark, double median, Object error, String params) {
        String err = error instanceof String ? "\"" + error + "\"" : error.toString();
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"" + benchmark + "\", \"mode\": \"avgt\", \"threads\": 1,"
                + " \"forks\": 1, \"jdkVersion\": \"17\", \"vmName\": \"VM\", \"vmVersion\": \"17\","
                + " \"warmupIterations\": 3, \"warmupTime\": \"1 s\", \"measurementIterations\": 5,"
                + " \"measurementTime\": \"1 s\", \"params\": " + params + ","
                + " \"primaryMetric\": {\"score\": " + median + ", \"scoreError\": " + err + ","
                + " \"scorePercentiles\": {\"0.0\": " + median + ", \"50.0\": " + median + "},"
                + " \"scoreUnit\": \"us/op\", \"rawData\": [[" + median + "]]}, \"secondaryMetrics\": {}}";
    }
}
