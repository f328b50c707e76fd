package dev.chainrule.benchmarks.report;

import dev.chainrule.benchmarks.report.ResultsReport.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the thread-scaling report from {@code ThreadScalingBenchmark}'s JMH JSON: the measured
 * figures on one and two threads, the per-round costs derived from them, the model checked
 * against the two-thread step, and the modelled step on 1 to 64 cores ({@link
 * ThreadScalingModel}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.report.ThreadScalingReport \
 *     --out benchmarks/results/thread-scaling.md [--socket-gbs 300] [--date TEXT] [--machine TEXT]
 *     [--load-before TEXT] [--load-after TEXT] [--command TEXT] thread-scaling.json
 * </pre>
 */
public final class ThreadScalingReport {
    /** The Fashion-MNIST example's 784-512-256-10 network. */
    static final int PARAMETERS = 784 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10;

    static final int SHARD_ROWS = 32;

    /** The cores of the modelled table. */
    static final int[] CORES = {1, 2, 4, 8, 16, 32, 64};

    /** The measured batches, and one modelled only: a shard for each of 64 cores. */
    static final int[] BATCHES = {64, 256, 2048};

    /** The socket bandwidth assumed unless {@code --socket-gbs} says otherwise, GB/s. */
    static final double DEFAULT_SOCKET_GBS = 300;

    /** A load average above this marks the figures as taken on a loaded machine. */
    static final double QUIET_LOAD = 1.5;

    private final List<Result> results;

    ThreadScalingReport(List<Result> results) {
        this.results = results;
    }

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
        if (inputs.size() != 1 || !options.containsKey("out")) {
            throw new IllegalArgumentException(
                    "usage: ThreadScalingReport --out thread-scaling.md [--socket-gbs GB/s] [--load-before ...] thread-scaling.json");
        }
        ThreadScalingReport report = new ThreadScalingReport(ResultsReport.read(inputs.get(0)));
        Path out = Path.of(options.get("out"));
        Files.writeString(out, report.render(options), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** The median of {@code method} with these parameters, in microseconds. */
    double median(String method, String... params) {
        return find(method, params).median();
    }

    private Result find(String method, String... params) {
        for (Result result : results) {
            if (!result.className().equals("ThreadScalingBenchmark")
                    || !result.method().equals(method)) {
                continue;
            }
            boolean matches = true;
            for (int k = 0; k < params.length; k += 2) {
                matches &= params[k + 1].equals(result.params().get(params[k]));
            }
            if (matches) {
                return result;
            }
        }
        throw new IllegalArgumentException(
                "no ThreadScalingBenchmark." + method + " " + String.join(" ", params) + " in the results");
    }

    double accumulate(int threads, int batch) {
        return median("accumulate", "threads", "" + threads, "batch", "" + batch);
    }

    double step(int threads, int batch) {
        return median("step", "threads", "" + threads, "batch", "" + batch);
    }

    double prepare(int threads, int batch, String optimizer) {
        return median("prepare", "threads", "" + threads, "batch", "" + batch, "optimizer", optimizer);
    }

    double update(int threads, String optimizer) {
        return median("update", "threads", "" + threads, "optimizer", optimizer);
    }

    double nextBatch(int batch) {
        return median("nextBatch", "batch", "" + batch);
    }

    /** Nanoseconds per value per added shard: the prepare round's growth from 2 to 8 shards, on one thread. */
    double reductionNanos(String optimizer) {
        return (prepare(1, 256, optimizer) - prepare(1, 64, optimizer)) / ((8 - 2) * (double) PARAMETERS) * 1e3;
    }

    /**
     * The caller's own time per step of a measured batch: the batch's copy, {@code nextBatch}.
     * Everything else on the caller alone (the layers' norms, the optimizer's begin and end)
     * is inside the prepare and update rounds' figures.
     */
    double serial(int batch) {
        return nextBatch(batch);
    }

    /** The one-thread step less the sum of its four parts measured alone: a check on them. */
    double unaccounted(int batch) {
        return step(1, batch) - nextBatch(batch) - accumulate(1, batch) - prepare(1, batch, "adam") - update(1, "adam");
    }

    /** Triad bandwidth in GB/s (12 bytes per value, STREAM's count). */
    double triadGBs(int threads, String size) {
        int values = size.equals("step") ? PARAMETERS : 1 << 24;
        return 12.0 * values / (median("triad", "threads", "" + threads, "size", size) * 1e3);
    }

    /**
     * The model for a batch: the shard time and the caller's time of the batch where it was
     * measured, else those of 256 rows (the caller's batch copy grown with the rows).
     */
    ThreadScalingModel model(int batch, double socketGBs) {
        int measured = batch == 64 ? 64 : 256;
        int shards = (measured + SHARD_ROWS - 1) / SHARD_ROWS;
        double serial = batch == 64 ? serial(64) : serial(256) * batch / 256.0;
        double r = reductionNanos("adam");
        return new ThreadScalingModel(
                PARAMETERS,
                SHARD_ROWS,
                accumulate(1, measured) / shards,
                prepare(1, 64, "adam") - PARAMETERS * r * 1e-3,
                r,
                update(1, "adam"),
                ThreadScalingModel.ADAM_BYTES,
                serial,
                median("emptyRound", "threads", "2"),
                socketGBs);
    }

    String render(Map<String, String> options) {
        double socket = Double.parseDouble(options.getOrDefault("socket-gbs", "" + DEFAULT_SOCKET_GBS));
        StringBuilder md = new StringBuilder();
        md.append("# Thread scaling of a Trainer step\n\n");
        md.append("The Fashion-MNIST example's dense network (784-512-256-10, ")
                .append(String.format(Locale.ROOT, "%,d", PARAMETERS))
                .append(" float parameters) on synthetic Fashion-MNIST-shaped data, plain Java path, "
                        + "shards of 32 rows, through the Trainer's own session and thread team "
                        + "(`ThreadScalingBenchmark`). Rows for 1 and 2 threads are measured; every other "
                        + "row is modelled (`ThreadScalingModel`) from those measurements.\n\n");
        String loaded = loadNote(options.get("load-before"), options.get("load-after"));
        if (loaded != null) {
            md.append("**").append(loaded).append("**\n\n");
        }
        item(md, "Date", options.get("date"));
        item(md, "Machine", options.get("machine"));
        item(md, "Load average (1, 5, 15 min) before", options.get("load-before"));
        item(md, "Load average after", options.get("load-after"));
        if (options.containsKey("command")) {
            md.append("\n```sh\n").append(options.get("command")).append("\n```\n");
        }

        md.append("\n## Measured (medians of JMH's iterations, µs per operation)\n\n");
        md.append("| benchmark | batch | optimizer | size | threads | median µs | ± error |\n");
        md.append("| --- | --- | --- | --- | --- | ---: | ---: |\n");
        for (Result result : results) {
            if (!result.className().equals("ThreadScalingBenchmark")) {
                continue;
            }
            Map<String, String> p = result.params();
            md.append("| ").append(result.method());
            for (String key : List.of("batch", "optimizer", "size", "threads")) {
                md.append(" | ").append(p.getOrDefault(key, ""));
            }
            md.append(" | ")
                    .append(number(result.median()))
                    .append(" | ")
                    .append(number(result.error()))
                    .append(" |\n");
        }

        md.append("\n## Per-round costs derived from them\n\n");
        md.append("| cost | 1 thread | 2 threads | from |\n| --- | ---: | ---: | --- |\n");
        for (int batch : new int[] {64, 256}) {
            int shards = batch / SHARD_ROWS;
            md.append("| one shard of 32 rows (batch ")
                    .append(batch)
                    .append(")")
                    .append(" | ")
                    .append(number(accumulate(1, batch) / shards))
                    .append(" µs | ")
                    .append(" | `accumulate` / ")
                    .append(shards)
                    .append(" shards |\n");
        }
        for (String optimizer : List.of("adam", "sgd")) {
            md.append("| reduction, per value per added shard (")
                    .append(optimizer)
                    .append(" session)")
                    .append(" | ")
                    .append(number(reductionNanos(optimizer)))
                    .append(" ns | ")
                    .append(number((prepare(2, 256, optimizer) - prepare(2, 64, optimizer)) / (6.0 * PARAMETERS) * 1e3))
                    .append(" ns | (`prepare` at 8 shards − at 2) / (6 × P) |\n");
        }
        for (int batch : new int[] {64, 256}) {
            md.append("| caller alone per step: the batch's copy (batch ")
                    .append(batch)
                    .append(")")
                    .append(" | ")
                    .append(number(serial(batch)))
                    .append(" µs |  | `nextBatch` |\n");
        }
        for (int batch : new int[] {64, 256}) {
            md.append("| step less its four parts (batch ")
                    .append(batch)
                    .append(")")
                    .append(" | ")
                    .append(number(unaccounted(batch)))
                    .append(
                            " µs |  | `step` − `nextBatch` − `accumulate` − `prepare` − `update` (adam): a check, not in the model |\n");
        }
        md.append("| empty round of the team | ")
                .append(number(median("emptyRound", "threads", "1")))
                .append(" µs | ")
                .append(number(median("emptyRound", "threads", "2")))
                .append(" µs | `emptyRound` (1 thread: no team) |\n");
        for (String optimizer : List.of("adam", "sgd")) {
            double bytes = optimizer.equals("adam") ? ThreadScalingModel.ADAM_BYTES : ThreadScalingModel.SGD_BYTES;
            md.append("| ")
                    .append(optimizer)
                    .append(" update, and its bytes at that speed")
                    .append(" | ")
                    .append(number(update(1, optimizer)))
                    .append(" µs, ")
                    .append(number(bytes * PARAMETERS / (update(1, optimizer) * 1e3)))
                    .append(" GB/s | ")
                    .append(number(update(2, optimizer)))
                    .append(" µs, ")
                    .append(number(bytes * PARAMETERS / (update(2, optimizer) * 1e3)))
                    .append(" GB/s | `update`, ")
                    .append(number(bytes))
                    .append(" bytes per value |\n");
        }
        for (String size : List.of("step", "memory")) {
            md.append("| triad bandwidth, arrays of ")
                    .append(size.equals("step") ? "535,818 floats (in L3)" : "2^24 floats (192 MB in all)")
                    .append(" | ")
                    .append(number(triadGBs(1, size)))
                    .append(" GB/s | ")
                    .append(number(triadGBs(2, size)))
                    .append(" GB/s | `triad`, 12 bytes per value |\n");
        }

        md.append("\n## The model against the two-thread measurement\n\n");
        md.append(
                "| batch | measured step, 1 thread | measured, 2 threads | modelled, 2 threads | measured speed-up | modelled speed-up |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (int batch : new int[] {64, 256}) {
            ThreadScalingModel model = model(batch, socket);
            double modelled = model.step(2, batch, false).total();
            double one = model.step(1, batch, false).total();
            md.append("| ")
                    .append(batch)
                    .append(" | ")
                    .append(number(step(1, batch)))
                    .append(" µs | ")
                    .append(number(step(2, batch)))
                    .append(" µs | ")
                    .append(number(modelled))
                    .append(" µs | ")
                    .append(ratio(step(1, batch) / step(2, batch)))
                    .append(" | ")
                    .append(ratio(one / modelled))
                    .append(" |\n");
        }

        md.append("\n## Modelled step on more cores\n\n");
        md.append("Step time in µs with a round's hand-off flat (the two-thread round's cost) and linear "
                + "(that cost for each thread beyond the caller); speed-up over the modelled one-core "
                + "step with the linear rounds. 1 and 2 cores are the model's figures too; the measured "
                + "ones are above. Batch 2048 (64 shards) is modelled only, from the shard time and "
                + "per-value costs measured at batch 256.\n\n");
        md.append("| cores |");
        for (int batch : BATCHES) {
            md.append(" batch ").append(batch).append(": threads | step µs | speed-up | samples/s |");
        }
        md.append("\n| ---: |");
        for (int ignored : BATCHES) {
            md.append(" ---: | ---: | ---: | ---: |");
        }
        md.append("\n");
        for (int cores : CORES) {
            md.append("| ").append(cores).append(" |");
            for (int batch : BATCHES) {
                ThreadScalingModel model = model(batch, socket);
                ThreadScalingModel.Step flat = model.step(cores, batch, false);
                ThreadScalingModel.Step linear = model.step(cores, batch, true);
                double one = model.step(1, batch, true).total();
                md.append(' ')
                        .append(flat.threads())
                        .append(" | ")
                        .append(range(flat.total(), linear.total()))
                        .append(" | ")
                        .append(ratio(one / linear.total()))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%,.0f", batch / linear.total() * 1e6))
                        .append(" |");
            }
            md.append("\n");
        }

        md.append("\nWhere a modelled step's time goes (µs, linear rounds):\n\n");
        md.append("| batch | cores | compute | prepare | update | rounds | caller |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int batch : BATCHES) {
            for (int cores : new int[] {1, 2, 8, 64}) {
                ThreadScalingModel.Step s = model(batch, socket).step(cores, batch, true);
                md.append("| ")
                        .append(batch)
                        .append(" | ")
                        .append(cores)
                        .append(" | ")
                        .append(number(s.compute()))
                        .append(" | ")
                        .append(number(s.prepare()))
                        .append(" | ")
                        .append(number(s.update()))
                        .append(" | ")
                        .append(number(s.rounds()))
                        .append(" | ")
                        .append(number(s.serial()))
                        .append(" |\n");
            }
        }

        md.append("\n## Assumptions of the model\n\n");
        md.append("- A batch of b rows has ceil(b / 32) shards and the Trainer starts at most that many threads, "
                + "so batch 64 keeps 2 cores busy and batch 256 keeps 8, whatever the machine has.\n");
        md.append("- The shards' round lasts ceil(shards / threads) shard times (thread t takes shards t, t + n, ...), "
                + "the shard time as measured on one thread here: no cache or frequency effects of more cores.\n");
        md.append("- The reduction is not a tree: every block of 1024 values adds the shards' gradients in shard "
                + "order on one thread, and the blocks are spread over the threads, so it costs (shards − 1) × P × r "
                + "divided by the threads.\n");
        md.append("- The element-wise rounds (prepare, update) divide by the threads at the speed one core had here, "
                        + "until they reach the time to move their bytes at the socket's bandwidth: ")
                .append(number(socket))
                .append(" GB/s, an assumption, not measured here (about two thirds of the 460.8 GB/s peak of the "
                        + "twelve DDR5-4800 channels of an EPYC 9004 socket; `--socket-gbs` changes it). "
                        + "The same floor bounds the shards' round by their private gradient arrays (12 bytes per value "
                        + "per shard). Measured here for comparison: a core's triad bandwidth in the table above.\n");
        md.append("- Each of the three rounds of a step pays the hand-off of an empty round: the two-thread "
                + "measurement (flat), or that for every thread beyond the caller, since the caller unparks "
                + "them one by one (linear, an upper bound).\n");
        md.append(
                "- The caller's own time per step, the batch's copy, does not shrink; for batch 2048 it is batch "
                        + "256's grown with the rows. The layers' norms and the optimizer's begin and end, on the caller "
                        + "alone too, are inside the prepare and update figures and divided with them (they add 524 block sums).\n");
        return md.toString();
    }

    /** A note when either load average's first figure is above {@link #QUIET_LOAD}, else {@code null}. */
    static String loadNote(String before, String after) {
        double highest = Math.max(firstFigure(before), firstFigure(after));
        if (highest > QUIET_LOAD) {
            return "Taken on a loaded machine (load average up to " + number(highest)
                    + " on 2 cores): other processes shared the cores, so the figures are slower and noisier "
                    + "than on a quiet machine.";
        }
        return null;
    }

    private static double firstFigure(String load) {
        if (load == null || load.isBlank()) {
            return 0;
        }
        return Double.parseDouble(load.trim().split("[ ,]+")[0]);
    }

    private static void item(StringBuilder md, String name, String value) {
        if (value != null) {
            md.append("- ").append(name).append(": ").append(value).append('\n');
        }
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        String format = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    private static String range(double low, double high) {
        String a = number(low);
        String b = number(high);
        return a.equals(b) ? a : a + "–" + b;
    }
}
