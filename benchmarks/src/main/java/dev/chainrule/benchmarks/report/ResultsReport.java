package dev.chainrule.benchmarks.report;

import dev.chainrule.benchmarks.PeakBenchmark;
import dev.chainrule.benchmarks.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns JMH's JSON results of the benchmark suite into {@code RESULTS.md}: one table per workload
 * with its compute floor and every implementation's median time, error, GFLOP/s, share of one
 * core's float peak and time relative to Chainrule's, then Chainrule's scaling with width and
 * batch, then where Chainrule is slower. The PyTorch peer's results ({@code torch_peer.py})
 * come in the same JSON format and join the same tables; a results file that is the object
 * {@code {"skipped": REASON}} instead says in one line of the report that a suite did not run.
 * {@code run-benchmarks.sh} calls it; by hand:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.report.ResultsReport \
 *     --out benchmarks/RESULTS.md [--machine TEXT] [--command TEXT] [--date TEXT] \
 *     [--load-before TEXT] [--load-after TEXT] [--note TEXT] results.json...
 * </pre>
 */
public final class ResultsReport {
    /**
     * One core's nominal float peak, 32 FLOP per cycle (two 8-lane FMA units) at the nominal 2.45
     * GHz: the peak of a report whose run has no {@code PeakBenchmark} result.
     */
    static final double PEAK_GFLOPS = 32 * 2.45;

    /**
     * Display name and precision of each implementation, by benchmark class (or method for
     * Chainrule's own). A result that names its own {@code implementation} and {@code precision}
     * (the PyTorch peer's) is shown by those.
     */
    private static final Map<String, String[]> IMPLEMENTATIONS = Map.of(
            "chainrule", new String[] {"Chainrule (generated)", "float"},
            "plainJava", new String[] {"plain Java, hand-written", "float"},
            "EncogBenchmark", new String[] {"Encog 3.4", "double"},
            "SmileBenchmark", new String[] {"Smile 3.1.1", "double"},
            "WekaBenchmark", new String[] {"Weka 3.8.7", "double"},
            "OnnxRuntimeBenchmark", new String[] {"ONNX Runtime 1.29.0", "float"},
            "Dl4jBenchmark", new String[] {"DL4J 1.0.0-M2.1", "float"});

    private ResultsReport() {}

    /** One benchmark's result. */
    record Result(
            String className,
            String method,
            Map<String, String> params,
            double median,
            double error,
            Map<String, Object> raw) {

        String implementation() {
            return label(0);
        }

        String precision() {
            return label(1);
        }

        private String label(int k) {
            Object own = raw.get(k == 0 ? "implementation" : "precision");
            if (own instanceof String text) {
                return text;
            }
            String[] known = IMPLEMENTATIONS.get(isChainruleOwn() ? method : className);
            if (known != null) {
                return known[k];
            }
            return k == 0 ? className.replace("Benchmark", "") + "." + method : "?";
        }

        boolean isChainrule() {
            return method.equals("chainrule");
        }

        private boolean isChainruleOwn() {
            return method.equals("chainrule") || method.equals("plainJava");
        }
    }

    /** A table's worth of results: one workload, every implementation. */
    record Table(String title, long flop, List<Result> rows) {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        List<Path> inputs = new ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            if (args[k].startsWith("--")) {
                if (k + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[k] + " needs a value");
                }
                options.put(args[k].substring(2), args[++k]);
            } else {
                inputs.add(Path.of(args[k]));
            }
        }
        if (inputs.isEmpty() || !options.containsKey("out")) {
            throw new IllegalArgumentException(
                    "usage: ResultsReport --out RESULTS.md [--machine ...] [--command ...] results.json...");
        }
        List<Result> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path input : inputs) {
            results.addAll(read(input, skipped));
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results to report: " + String.join("; ", skipped));
        }
        Path out = Path.of(options.get("out"));
        Files.writeString(out, render(results, skipped, options), StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " from " + results.size() + " results");
    }

    /** The results in one JMH JSON file. */
    static List<Result> read(Path file) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Result> results = read(file, skipped);
        if (!skipped.isEmpty()) {
            throw new IllegalArgumentException(file + ": a suite that did not run: " + skipped.get(0));
        }
        return results;
    }

    /**
     * The results in one JMH JSON file; a file {@code {"skipped": REASON}} has none, and adds
     * its reason to {@code skipped}.
     */
    @SuppressWarnings("unchecked")
    static List<Result> read(Path file, List<String> skipped) throws IOException {
        Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (parsed instanceof Map<?, ?> object && object.get("skipped") instanceof String reason) {
            skipped.add(reason);
            return List.of();
        }
        if (!(parsed instanceof List<?> entries)) {
            throw new IllegalArgumentException(file + ": expected a JSON array of JMH results");
        }
        List<Result> results = new ArrayList<>();
        for (Object entry : entries) {
            Map<String, Object> run = (Map<String, Object>) entry;
            String benchmark = (String) run.get("benchmark");
            int dot = benchmark.lastIndexOf('.');
            String className = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            Map<String, String> params = new LinkedHashMap<>();
            Object rawParams = run.get("params");
            if (rawParams instanceof Map<?, ?> map) {
                map.forEach((key, value) -> params.put((String) key, String.valueOf(value)));
            }
            Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
            double scale = microsecondsPer((String) metric.get("scoreUnit"), file, benchmark);
            Map<String, Object> percentiles = (Map<String, Object>) metric.get("scorePercentiles");
            double median = number(percentiles.get("50.0")) * scale;
            double error = number(metric.get("scoreError")) * scale;
            results.add(new Result(className, benchmark.substring(dot + 1), params, median, error, run));
        }
        return results;
    }

    private static double microsecondsPer(String unit, Path file, String benchmark) {
        return switch (unit) {
            case "ns/op" -> 1e-3;
            case "us/op" -> 1;
            case "ms/op" -> 1e3;
            case "s/op" -> 1e6;
            default ->
                throw new IllegalArgumentException(file + ": " + benchmark + " reports '" + unit
                        + "'; run the suite in AverageTime mode (time per operation)");
        };
    }

    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        return Double.NaN; // JMH writes "NaN" as a string when it has too few samples for an error
    }

    static String render(List<Result> results, Map<String, String> options) {
        return render(results, List.of(), options);
    }

    /** The report; {@code skipped} gives, one line each, the suites that did not run and why. */
    static String render(List<Result> results, List<String> skipped, Map<String, String> options) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results\n\n");
        md.append("Chainrule's generated networks, dense and convolutional, beside a hand-written Java MLP, five JVM\n"
                + "peers and PyTorch, on the same weights and inputs. Generated by `benchmarks/run-benchmarks.sh` from\n"
                + "JMH's JSON output (and the PyTorch peer's, in the same format); rerun it to refresh this file.\n\n");
        if (options.containsKey("note")) {
            md.append("> **").append(options.get("note")).append("**\n\n");
        }
        md.append("## How these were measured\n\n");
        setup(md, results, skipped, options, peak(results));
        List<Table> tables = tables(results);
        double peak = peak(results);
        for (Table table : tables) {
            table(md, table, peak);
        }
        products(md, results, peak);
        floor(md, results, peak);
        scaling(md, results);
        losses(md, tables);
        implementations(md);
        return md.toString();
    }

    /**
     * The float peak the report's shares are of: {@code PeakBenchmark}'s, measured in the same
     * run, else the nominal {@link #PEAK_GFLOPS}.
     */
    static double peak(List<Result> results) {
        return results.stream()
                .filter(r -> r.className().equals("PeakBenchmark"))
                .mapToDouble(r -> PeakBenchmark.FLOP_PER_CALL / (r.median() * 1e3))
                .findFirst()
                .orElse(PEAK_GFLOPS);
    }

    private static void setup(
            StringBuilder md, List<Result> results, List<String> skipped, Map<String, String> options, double peak) {
        // The JVM and JMH are those of the JMH suites; the PyTorch peer's results only mimic their format.
        Map<String, Object> first = results.stream()
                .map(Result::raw)
                .filter(raw -> raw.containsKey("jmhVersion"))
                .findFirst()
                .orElse(results.get(0).raw());
        item(md, "Date", options.getOrDefault("date", "not recorded"));
        item(md, "Machine", options.getOrDefault("machine", "not recorded"));
        if (options.containsKey("load-before")) {
            item(
                    md,
                    "Load average (1, 5, 15 min) before / after the run",
                    options.get("load-before") + " / " + options.getOrDefault("load-after", "not recorded"));
        }
        item(md, "JVM", first.get("vmName") + " " + first.get("vmVersion") + " (JDK " + first.get("jdkVersion") + ")");
        item(
                md,
                "JMH",
                first.get("jmhVersion") + ", mode " + first.get("mode") + ", " + integer(first.get("threads"))
                        + " thread, " + integer(first.get("forks")) + " fork, " + integer(first.get("warmupIterations"))
                        + " warm-up iterations of " + first.get("warmupTime") + ", "
                        + integer(first.get("measurementIterations"))
                        + " measurement iterations of " + first.get("measurementTime"));
        item(
                md,
                "Native libraries",
                "OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1, MKL_NUM_THREADS=1 (the peers' "
                        + "benchmarks refuse to run otherwise); ONNX Runtime with one intra-op and one inter-op thread");
        results.stream()
                .map(r -> r.raw().get("runtime"))
                .filter(String.class::isInstance)
                .findFirst()
                .ifPresent(
                        runtime -> item(
                                md,
                                "PyTorch",
                                runtime + "; timed by `benchmarks/src/python/torch_peer.py` "
                                        + "with the same warm-up and measurement iterations as JMH's, each the mean of as many calls as fit in it"));
        for (String reason : skipped) {
            md.append("- **").append(reason).append("**\n");
        }
        if (options.containsKey("command")) {
            md.append("- Command:\n\n```sh\n").append(options.get("command")).append("\n```\n");
        }
        md.append(
                "\nEach time is the **median** of the measurement iterations' averages, in microseconds per call; ± is\n"
                        + "JMH's 99.9% confidence half-width of their mean (– when there were too few iterations).\n"
                        + "GFLOP/s counts a multiply-add as 2 FLOP, over the weights only (biases, activations, pooling and\n"
                        + "softmax are left out): a forward pass is, per sample, 2 × inputs × units for a dense layer and\n"
                        + "2 × filters × channels × kh × kw × out_h × out_w for a convolution; a training step is, per\n"
                        + "sample, the forward pass, as much again for the weight gradients and as much again for the deltas\n"
                        + "sent back through every layer with weights but the first (for a dense network: 2 × weights, 2 ×\n"
                        + "weights and 2 × (weights − first layer's weights); for a convolutional one about three forward\n"
                        + "passes), plus 2 × parameters for the SGD update. \"% of peak\" is against one\n"
                        + (peak == PEAK_GFLOPS
                                ? String.format(
                                        Locale.ROOT,
                                        "core's float peak, a nominal %.0f GFLOP/s (32 FLOP per cycle: two 8-lane FMA units at 2.45 GHz; not measured in this run);\n",
                                        PEAK_GFLOPS)
                                : String.format(
                                        Locale.ROOT,
                                        "core's float peak as measured in this run, %.1f GFLOP/s (`PeakBenchmark`: twelve independent chains\n"
                                                + "of vector multiply-adds at the JVM's preferred width);\n",
                                        peak))
                        + "each table's compute floor is its FLOP per call at that peak, the least time a call could take.\n"
                        + "Double-precision peers can reach at most half of it. \"× Chainrule\" is the implementation's time\n"
                        + "divided by Chainrule's on the same workload: above 1 Chainrule is faster, below 1 it is slower.\n"
                        + "Before timing, every benchmark checks that the implementation computes Chainrule's outputs for\n"
                        + "the same weights and input (within 2e-5), and for training that one step moves every parameter\n"
                        + "as Chainrule's step does (within 0.1% of the largest change).\n\n");
    }

    private static void item(StringBuilder md, String name, String value) {
        md.append("- ").append(name).append(": ").append(value).append('\n');
    }

    private static String integer(Object value) {
        return value instanceof Double d ? Long.toString(Math.round(d)) : String.valueOf(value);
    }

    /** Groups the non-scaling results into one table per workload, in a fixed order. */
    static List<Table> tables(List<Result> results) {
        Map<String, List<Result>> byKey = new LinkedHashMap<>();
        for (Result result : results) {
            String key = key(result);
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
            }
        }
        List<Table> tables = new ArrayList<>();
        byKey.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ResultsReport::compareKeys))
                .forEach(entry -> {
                    String[] parts = entry.getKey().split(" ", 3);
                    Workload workload = Workload.parse(parts[2]);
                    String network = workload.network();
                    String layers = workload.isDense() ? "relu, softmax" : workload.describe();
                    String title = switch (parts[1]) {
                        case "predict" -> "Single-sample prediction, " + network + " (" + layers + ")";
                        case "stream" ->
                            "Streaming step, " + network + " (" + layers + "; one step at a time, the state carried)";
                        case "train" ->
                            "Training step, batch " + workload.batch() + ", " + network + " (" + layers
                                    + ", cross-entropy, plain SGD)";
                        case "epoch" ->
                            "Fashion-MNIST epoch, 60,000 images in batches of " + workload.batch() + ", " + network
                                    + " (" + layers + ", cross-entropy, Adam at 0.001)";
                        default ->
                            "Weka on its own terms: single-sample prediction, " + network
                                    + " with sigmoid hidden and output units";
                    };
                    long flop = switch (parts[1]) {
                        case "train" -> workload.trainingStepFlop();
                        case "epoch" -> workload.trainingStepFlop() * EPOCH_ROWS / workload.batch();
                        case "stream" -> workload.streamingStepFlop();
                        default -> workload.predictionFlop();
                    };
                    tables.add(new Table(title, flop, entry.getValue()));
                });
        return tables;
    }

    /** Fashion-MNIST's training images, the rows of an epoch table's epoch. */
    static final long EPOCH_ROWS = 60_000;

    /** The suite's own workloads, in the order their tables appear; others follow by name. */
    private static final List<String> WORKLOAD_ORDER = List.of(
            "784-128-10",
            "4-16-3",
            "lenet5",
            "cnn32x64",
            "lstm28",
            "784-128-10:32",
            "784-512-512-10:64",
            "lenet5:64",
            "cnn32x64:64",
            "lstm28:64");

    private static int compareKeys(String a, String b) {
        return Comparator.comparing((String key) -> key.substring(0, 1))
                .thenComparingInt(key -> {
                    int k = WORKLOAD_ORDER.indexOf(key.split(" ", 3)[2]);
                    return k < 0 ? WORKLOAD_ORDER.size() : k;
                })
                .thenComparing(Comparator.naturalOrder())
                .compare(a, b);
    }

    /** Table key "order kind workload" of a result, or null for the scaling sweep. */
    private static String key(Result result) {
        if (result.params().containsKey("network")) {
            return "1 predict " + result.params().get("network");
        }
        if (result.params().containsKey("step")) {
            return "2 train " + result.params().get("step");
        }
        if (result.params().containsKey("epoch")) {
            return "2 epoch " + result.params().get("epoch");
        }
        if (result.params().containsKey("stream")) {
            return "1 stream " + result.params().get("stream");
        }
        if (result.params().containsKey("sigmoidNetwork")) {
            return "3 sigmoid " + result.params().get("sigmoidNetwork");
        }
        return null;
    }

    private static void table(StringBuilder md, Table table, double peak) {
        md.append("## ").append(table.title()).append("\n\n");
        double floor = table.flop() / (peak * 1e3);
        md.append(String.format(
                Locale.ROOT,
                "%,d FLOP per call; compute floor %s µs (that work at one core's float peak).%n%n",
                table.flop(),
                time(floor)));
        md.append("| Implementation | Precision | Median (µs) | ± (µs) | GFLOP/s | % of peak | × Chainrule |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        double chainrule = chainruleTime(table);
        List<Result> rows = new ArrayList<>(table.rows());
        rows.sort(Comparator.comparing((Result r) -> !r.isChainrule()).thenComparingDouble(Result::median));
        for (Result row : rows) {
            double gflops = table.flop() / (row.median() * 1e3);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %.1f%% | %s |%n",
                    row.implementation(),
                    row.precision(),
                    time(row.median()),
                    time(row.error()),
                    gflops(gflops),
                    100 * gflops / peak,
                    Double.isNaN(chainrule) ? "–" : String.format(Locale.ROOT, "%.2f", row.median() / chainrule)));
        }
        md.append('\n');
    }

    private static double chainruleTime(Table table) {
        return table.rows().stream()
                .filter(Result::isChainrule)
                .mapToDouble(Result::median)
                .findFirst()
                .orElse(Double.NaN);
    }

    private static String time(double micros) {
        if (Double.isNaN(micros)) {
            return "–";
        }
        if (micros >= 100) {
            return String.format(Locale.ROOT, "%,.0f", micros);
        }
        return micros >= 1 ? String.format(Locale.ROOT, "%.2f", micros) : String.format(Locale.ROOT, "%.3f", micros);
    }

    private static String gflops(double gflops) {
        return gflops >= 10 ? String.format(Locale.ROOT, "%.1f", gflops) : String.format(Locale.ROOT, "%.2f", gflops);
    }

    /** The three matrix products of a dense layer's training step, each alone. */
    private static void products(StringBuilder md, List<Result> results, double peak) {
        List<Result> products = results.stream()
                .filter(r -> r.className().equals("MatrixProductBenchmark"))
                .toList();
        if (products.isEmpty()) {
            return;
        }
        md.append("## The matrix products alone\n\n");
        md.append(
                "`MatrixProductBenchmark` times each product of a dense layer's batched training step on its own, at\n"
                        + "the shapes the training-step workloads give it (a generated model takes a batch 32 rows at a time):\n"
                        + "`Z += X W` forward, `G += X^T D` for the weight gradients, `P = D W^T` for the deltas sent back.\n"
                        + "Each is 2 × rows × in × out FLOP.\n\n");
        md.append("| Product | rows × in × out | Median (µs) | ± (µs) | GFLOP/s | % of peak |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (Result product : products) {
            String shape = product.params().get("shape");
            String[] sizes = shape.split("x", -1);
            double flop = 2.0 * Long.parseLong(sizes[0]) * Long.parseLong(sizes[1]) * Long.parseLong(sizes[2]);
            double gflops = flop / (product.median() * 1e3);
            String name = switch (product.method()) {
                case "forward" -> "`Z += X W`";
                case "weightGradients" -> "`G += X^T D`";
                case "deltasBack" -> "`P = D W^T`";
                default -> product.method();
            };
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %.1f%% |%n",
                    name,
                    shape.replace("x", " × "),
                    time(product.median()),
                    time(product.error()),
                    gflops(gflops),
                    100 * gflops / peak));
        }
        md.append('\n');
    }

    private static void floor(StringBuilder md, List<Result> results, double peak) {
        List<Result> floors = results.stream()
                .filter(r -> r.className().equals("MemoryFloorBenchmark"))
                .toList();
        if (floors.isEmpty()) {
            return;
        }
        md.append("## The memory floor of single-sample prediction\n\n");
        md.append("`MemoryFloorBenchmark` reads a network's parameters once, in order, with vector loads and eight\n"
                + "independent sums: the least a prediction that uses every weight must do. No prediction can beat\n"
                + "it while the parameters stay in the same cache level. It reads them at the fastest of sixteen\n"
                + "offsets in an array of its own, where its loads fall on cache lines' starts as nearly as the\n"
                + "JVM's placement allows; a prediction reads them wherever its JVM put the model's array, so\n"
                + "its ratio to the floor also says how well placed that was. \"% of peak at the floor\" is the\n"
                + "network's prediction FLOP over the floor's time: the most a prediction could reach.\n\n");
        md.append(
                "| Parameters of | KiB | Floor (µs) | ± (µs) | GB/s | % of peak at the floor | Chainrule's prediction (µs) | × the floor |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result floor : floors) {
            String network = floor.params().get("parametersOf");
            Workload workload = Workload.parse(network);
            long bytes = 4L * workload.parameterCount();
            double gflops = workload.predictionFlop() / (floor.median() * 1e3);
            double prediction = results.stream()
                    .filter(r -> r.className().equals("PredictBenchmark")
                            && r.isChainrule()
                            && network.equals(r.params().get("network")))
                    .mapToDouble(Result::median)
                    .findFirst()
                    .orElse(Double.NaN);
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %s | %s | %.1f | %.1f%% | %s | %s |%n",
                    network,
                    bytes / 1024.0,
                    time(floor.median()),
                    time(floor.error()),
                    bytes / (floor.median() * 1e3),
                    100 * gflops / peak,
                    time(prediction),
                    Double.isNaN(prediction) ? "–" : String.format(Locale.ROOT, "%.2f", prediction / floor.median())));
        }
        md.append('\n');
    }

    private static void scaling(StringBuilder md, List<Result> results) {
        List<Result> sweep = results.stream()
                .filter(r -> r.className().equals("ScalingBenchmark"))
                .toList();
        if (sweep.isEmpty()) {
            return;
        }
        md.append("## Scaling: Chainrule on 784-H-10 by hidden width H and batch size\n\n");
        md.append("Microseconds per call (GFLOP/s in brackets). Prediction is `predictBatch` over the whole batch;\n"
                + "the training step is the same step as above (zero, backpropagate the batch, SGD).\n\n");
        for (String method : List.of("predict", "trainingStep")) {
            List<Result> rows =
                    sweep.stream().filter(r -> r.method().equals(method)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            TreeSet<Integer> widths = new TreeSet<>();
            TreeSet<Integer> batches = new TreeSet<>();
            for (Result r : rows) {
                widths.add(Integer.parseInt(r.params().get("hidden")));
                batches.add(Integer.parseInt(r.params().get("batch")));
            }
            md.append("### ")
                    .append(method.equals("predict") ? "Prediction" : "Training step")
                    .append("\n\n");
            md.append("| H | ")
                    .append(batches.stream().map(b -> "batch " + b).collect(Collectors.joining(" | ")))
                    .append(" |\n");
            md.append("| ---: |").append(" ---: |".repeat(batches.size())).append('\n');
            for (int width : widths) {
                md.append("| ").append(width).append(" |");
                for (int batch : batches) {
                    Workload workload = Workload.parse("784-" + width + "-10:" + batch);
                    long flop = method.equals("predict") ? workload.predictionFlop() : workload.trainingStepFlop();
                    String cell = rows.stream()
                            .filter(r -> r.params().get("hidden").equals(Integer.toString(width))
                                    && r.params().get("batch").equals(Integer.toString(batch)))
                            .findFirst()
                            .map(r -> time(r.median()) + " (" + gflops(flop / (r.median() * 1e3)) + ")")
                            .orElse("–");
                    md.append(' ').append(cell).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private static void losses(StringBuilder md, List<Table> tables) {
        md.append("## Where Chainrule is slower\n\n");
        List<String> lines = new ArrayList<>();
        for (Table table : tables) {
            double chainrule = chainruleTime(table);
            for (Result row : table.rows()) {
                if (!row.isChainrule() && row.median() < chainrule) {
                    lines.add(String.format(
                            Locale.ROOT,
                            "- %s: %s takes %s µs against Chainrule's %s µs (%.2f× Chainrule's time).",
                            table.title(),
                            row.implementation(),
                            time(row.median()),
                            time(chainrule),
                            row.median() / chainrule));
                }
            }
        }
        if (lines.isEmpty()) {
            md.append("Nowhere in this run.\n\n");
        } else {
            md.append(String.join("\n", lines)).append("\n\n");
        }
    }

    private static void implementations(StringBuilder md) {
        md.append("## What each implementation runs\n\n");
        md.append("""
                - **Chainrule**: the class generated from the `@Network` interface (`Mnist`, `Iris`,
                  `MnistDeep`, `HiddenWidths`; `LeNet5` and `Cnn32x64` for the convolutional workloads,
                  timed by `ShapedPredictBenchmark` and `ShapedTrainingStepBenchmark`; `Lstm28` for the recurrent
                  one, timed by those two and by `RecurrentStepBenchmark`, whose streaming step is `step(float[],
                  RecurrentState, float[])`): `predict(float[], float[])`; the training step is `zeroGradients()`, `accumulateGradientsBatch(...)` and
                  `Sgd.step(...)`.
                - **plain Java**: `PlainJavaMlp`, what a user writes by hand: `float[units][inputs]` weight
                  rows, a dot product per unit, textbook backpropagation and SGD.
                - **Encog 3.4** (double): `BasicNetwork.compute(double[], double[])`; training is
                  `Backpropagation.iteration()` over a data set of one batch, one thread, learning rate divided
                  by the batch (Encog sums gradients). Encog 3.4 differentiates each hidden layer with the
                  activation function of the layer above it; under a softmax output that passes every delta
                  through the last relu layer, which is a different gradient. The benchmark's output layer
                  is Encog's softmax with a derivative that is right for both (`SoftMaxOverRelu`), so Encog runs
                  its own code on the true gradient.
                - **Smile 3.1.1** (double, OpenBLAS matrix-vector products): `MLP.predict(double[], double[])`
                  and `MLP.update(double[][], int[])`. Weights are written into its layers by reflection, as
                  Smile has no public setter.
                - **ONNX Runtime 1.29.0** (float): inference only. The network is written as an ONNX model
                  (Gemm, Relu, Softmax; for the convolutional networks Reshape, Conv, MaxPool and Flatten
                  first; for the recurrent one Reshape, Transpose and LSTM, the gates restacked to ONNX's
                  order; opset 17) by a small hand-written protobuf encoder; one intra-op thread, all graph
                  optimisations, input and pinned output tensors over direct buffers made once. Its
                  streaming step is a one-step graph with the state and cell as inputs and outputs, copied
                  back into the inputs after each call.
                - **DL4J 1.0.0-M2.1** (float, native CPU backend with OpenBLAS, in its own jar because its
                  javacpp clashes with Smile's): `MultiLayerNetwork.output(INDArray)` and `fit(DataSet)`;
                  the convolutional networks as `ConvolutionLayer`, `SubsamplingLayer`, `DenseLayer` and
                  `OutputLayer` in NCHW on a `convolutionalFlat` input; the recurrent one as
                  `LastTimeStep(LSTM)` in NWC, its gates restacked and transposed and its one bias the sum
                  of Chainrule's two (whose gradient it takes once, where Chainrule steps both biases).
                - **PyTorch** (float, Debian's `python3-torch` on `/usr/bin/python3`, `torch.set_num_threads(1)`):
                  `torch_peer.py` builds `nn.Sequential` (Conv2d, ReLU, MaxPool2d, Flatten, `nn.LSTM`'s last
                  state, Linear) from the weights `WorkloadExport` writes; its streaming step is `nn.LSTM`
                  on one step with `(h, c)` carried from the call before. Prediction is `softmax(model(x))` under
                  `torch.inference_mode()`; the training step `zero_grad()`, `cross_entropy(...)`,
                  `backward()` and `optim.SGD.step()`. Its times include the Python interpreter's dispatch.
                - **Weka 3.8.7** (double): its `MultilayerPerceptron` has only sigmoid units and updates after
                  every instance, so it cannot compute the relu/softmax networks or a mini-batch step. It is
                  measured on its own terms, predicting with a 784-128-10 sigmoid network (its distribution is
                  the sigmoid outputs divided by their sum, which includes its per-instance missing-value
                  filter), beside Chainrule computing the same function. No training step.
                """);
    }
}
