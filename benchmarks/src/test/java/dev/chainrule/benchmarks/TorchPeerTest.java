package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chainrule.benchmarks.report.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch peer ({@code src/python/torch_peer.py}) on the files {@link WorkloadExport}
 * writes: the format itself, the peer's agreement with Chainrule on every workload it times, that
 * its check catches a different step, and its one-line skip without torch. The tests that need
 * PyTorch are skipped where {@code /usr/bin/python3} cannot import it (Debian's {@code
 * python3-torch} provides it).
 */
class TorchPeerTest {
    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("src/python/torch_peer.py");
    static final List<String> WORKLOADS = List.of(
            "784-128-10",
            "4-16-3",
            "lenet5",
            "cnn32x64",
            "784-128-10:32",
            "784-512-512-10:64",
            "lenet5:64",
            "cnn32x64:64",
            "lstm28",
            "lstm28:64");

    @Test
    void exportHoldsTheNetworkTheWeightsAndChainrulesResults() throws IOException {
        Workload workload = Workload.parse("lenet5:64");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkloadExport.write(out, workload);
        byte[] bytes = out.toByteArray();
        Header header = header(bytes);
        assertEquals("trainingStep", header.json().get("benchmark"));
        assertEquals("step", header.json().get("param"));
        assertEquals(64.0, header.json().get("batch"));
        List<?> layers = (List<?>) header.json().get("layers");
        assertEquals(8, layers.size());
        Map<?, ?> conv = (Map<?, ?>) layers.get(1);
        assertEquals("conv2d", conv.get("kind"));
        assertEquals(List.of(2.0, 2.0, 2.0, 2.0), conv.get("pad"));
        assertEquals(List.of(0.0, 150.0), conv.get("weights"));
        Map<?, ?> dense = (Map<?, ?>) layers.get(5);
        assertEquals(List.of((double) LeNet5Model.F1_WEIGHTS, 400.0 * 120), dense.get("weights"));
        long floats = 0;
        for (Object array : (List<?>) header.json().get("arrays")) {
            floats += ((Double) ((List<?>) array).get(1)).longValue();
        }
        assertEquals(61_706 + 64 * 784 + 64 + 10 + 61_706, floats);
        assertEquals(header.start() + 4 * floats, bytes.length);
        float[] parameters = floats(bytes, header.start(), 61_706);
        assertEquals(
                workload.newChainruleModel().parameters()[LeNet5Model.C2_WEIGHTS + 7],
                parameters[LeNet5Model.C2_WEIGHTS + 7]);
    }

    @Test
    void exportDescribesAnLstmInPyTorchsLayout() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkloadExport.write(out, Workload.parse("lstm28"));
        List<?> layers = (List<?>) header(out.toByteArray()).json().get("layers");
        assertEquals(List.of(28.0, 28.0), ((Map<?, ?>) layers.get(0)).get("output"));
        Map<?, ?> lstm = (Map<?, ?>) layers.get(1);
        assertEquals("lstm", lstm.get("kind"));
        assertEquals(128.0, lstm.get("units"));
        assertEquals(List.of((double) Lstm28Model.MEMORY_WEIGHTS, 512.0 * 28), lstm.get("weights"));
        assertEquals(List.of((double) Lstm28Model.MEMORY_RECURRENT_WEIGHTS, 512.0 * 128), lstm.get("recurrentWeights"));
        assertEquals(List.of((double) Lstm28Model.MEMORY_BIASES, 512.0), lstm.get("biases"));
        assertEquals(List.of((double) Lstm28Model.MEMORY_RECURRENT_BIASES, 512.0), lstm.get("recurrentBiases"));
        assertEquals(List.of((double) Lstm28Model.CLASSES_WEIGHTS, 1280.0), ((Map<?, ?>) layers.get(2)).get("weights"));
    }

    @Test
    void torchComputesChainrulesOutputsAndStepOnEveryWorkload(@TempDir Path dir) throws Exception {
        assumeTorch();
        List<String> command = new ArrayList<>(List.of(
                PYTHON,
                SCRIPT.toString(),
                "--check-only",
                "--out",
                dir.resolve("check.json").toString()));
        for (String id : WORKLOADS) {
            command.add(WorkloadExport.write(dir, Workload.parse(id)).toString());
        }
        Run run = run(command);
        assertEquals(0, run.exit(), run.output());
        for (String id : WORKLOADS) {
            assertTrue(run.output().contains("PyTorch agrees with Chainrule on " + id + ":"), run.output());
        }
        assertTrue(
                run.output().contains("on lenet5:64: outputs within")
                        && run.output().contains("one SGD step within"),
                run.output());
        assertTrue(run.output().contains("PyTorch's streaming step agrees with Chainrule on lstm28:"), run.output());
    }

    @Test
    void aDifferentStepFailsTheRunNamingTheParameter(@TempDir Path dir) throws Exception {
        assumeTorch();
        Workload workload = Workload.parse("4-16-3:8");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkloadExport.write(out, workload);
        byte[] bytes = out.toByteArray();
        // The last array is Chainrule's parameters after the step; move its last bias a long way.
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int last = bytes.length - Float.BYTES;
        buffer.putFloat(last, buffer.getFloat(last) + 1);
        Path file = dir.resolve("tampered.workload");
        Files.write(file, bytes);
        Run run = run(List.of(
                PYTHON,
                SCRIPT.toString(),
                "--check-only",
                "--out",
                dir.resolve("r.json").toString(),
                file.toString()));
        assertEquals(1, run.exit(), run.output());
        assertTrue(
                run.output()
                        .contains("PyTorch takes a different training step on 4-16-3:8: parameter "
                                + (workload.parameterCount() - 1)),
                run.output());
    }

    @Test
    void timesInJmhsFormat(@TempDir Path dir) throws Exception {
        assumeTorch();
        Path json = dir.resolve("torch.json");
        Run run = run(List.of(
                PYTHON,
                SCRIPT.toString(),
                "--out",
                json.toString(),
                WorkloadExport.write(dir, Workload.parse("4-16-3")).toString(),
                WorkloadExport.write(dir, Workload.parse("4-16-3:8")).toString(),
                "--",
                "-wi",
                "1",
                "-i",
                "3",
                "-w",
                "20ms",
                "-r",
                "20ms",
                "-f",
                "1"));
        assertEquals(0, run.exit(), run.output());
        List<?> results = (List<?>) Json.parse(Files.readString(json));
        assertEquals(2, results.size());
        Map<?, ?> predict = (Map<?, ?>) results.get(0);
        assertEquals("dev.chainrule.benchmarks.torch.TorchBenchmark.predict", predict.get("benchmark"));
        assertEquals(Map.of("network", "4-16-3"), predict.get("params"));
        Map<?, ?> metric = (Map<?, ?>) ((Map<?, ?>) results.get(1)).get("primaryMetric");
        assertEquals("us/op", metric.get("scoreUnit"));
        assertEquals(3, ((List<?>) ((List<?>) metric.get("rawData")).get(0)).size());
        assertTrue((Double) ((Map<?, ?>) metric.get("scorePercentiles")).get("50.0") > 0);
        assertTrue((Double) metric.get("scoreError") >= 0);
    }

    @Test
    void withoutTorchThePeerSkipsInOneLine(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is not installed");
        // -S leaves out site and dist-packages, so this Python cannot import torch, installed or not.
        Path json = dir.resolve("torch.json");
        Run run = run(List.of(
                PYTHON,
                "-S",
                SCRIPT.toString(),
                "--out",
                json.toString(),
                WorkloadExport.write(dir, Workload.parse("4-16-3")).toString()));
        assertEquals(0, run.exit(), run.output());
        assertEquals(1, run.output().strip().lines().count(), run.output());
        assertTrue(run.output().startsWith("PyTorch peer skipped: "), run.output());
        Map<?, ?> skipped = (Map<?, ?>) Json.parse(Files.readString(json));
        assertEquals(run.output().strip(), skipped.get("skipped"));
    }

    record Header(Map<?, ?> json, int start) {}

    static Header header(byte[] bytes) {
        int first = indexOf(bytes, (byte) '\n', 0);
        assertEquals(WorkloadExport.MAGIC, new String(bytes, 0, first, StandardCharsets.UTF_8));
        int second = indexOf(bytes, (byte) '\n', first + 1);
        Map<?, ?> json =
                (Map<?, ?>) Json.parse(new String(bytes, first + 1, second - first - 1, StandardCharsets.UTF_8));
        return new Header(json, second + 1);
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int k = from; k < bytes.length; k++) {
            if (bytes[k] == value) {
                return k;
            }
        }
        throw new AssertionError("no newline after offset " + from);
    }

    private static float[] floats(byte[] bytes, int offset, int count) {
        float[] values = new float[count];
        ByteBuffer.wrap(bytes, offset, count * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(values);
        return values;
    }

    record Run(int exit, String output) {}

    static Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    static void assumeTorch() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is not installed");
        assumeTrue(
                run(List.of(PYTHON, "-c", "import torch")).exit() == 0,
                PYTHON + " cannot import torch (python3-torch)");
    }
}
