package dev.chainrule.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.benchmarks.report.ResultsReport.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadScalingModelTest {
    private static final double EPS = 1e-9;

    /**
     * 1,000 parameters, shards of 32 rows taking 100 µs, a prepare round of 10 µs plus 2 ns per
     * value per added shard, a 20 µs update of 28 bytes per value, 5 µs on the caller, a 3 µs
     * round, and a socket of 1 GB/s (1,000 bytes per µs), slow enough that its floors bind.
     */
    private static final ThreadScalingModel SLOW_SOCKET =
            new ThreadScalingModel(1000, 32, 100, 10, 2, 20, ThreadScalingModel.ADAM_BYTES, 5, 3, 1);

    private static final ThreadScalingModel FAST_SOCKET =
            new ThreadScalingModel(1000, 32, 100, 10, 2, 20, ThreadScalingModel.ADAM_BYTES, 5, 3, 1e9);

    @Test
    void aBatchOf64OnFourCoresKeepsTwoThreadsAndMeetsTheSocketsFloors() {
        ThreadScalingModel.Step step = SLOW_SOCKET.step(4, 64, true);
        assertEquals(2, step.shards());
        assertEquals(2, step.threads());
        assertEquals(100, step.compute(), EPS); // one shard each; its floor 12 * 1000 * 2 bytes is 24 µs
        assertEquals(20, step.prepare(), EPS); // (10 + 2) / 2 = 6 µs, below (4 * 2 + 12) * 1000 bytes = 20 µs
        assertEquals(28, step.update(), EPS); // 20 / 2 = 10 µs, below 28 * 1000 bytes = 28 µs
        assertEquals(9, step.rounds(), EPS); // three rounds of 3 µs, one thread beyond the caller
        assertEquals(162, step.total(), EPS);
    }

    @Test
    void eightShardsOnThreeCoresTakeThreeShardTimesAndLinearRoundsGrowWithTheTeam() {
        ThreadScalingModel.Step linear = SLOW_SOCKET.step(3, 256, true);
        assertEquals(8, linear.shards());
        assertEquals(3, linear.threads());
        assertEquals(300, linear.compute(), EPS); // ceil(8 / 3) = 3 shards on the busiest thread
        assertEquals(44, linear.prepare(), EPS); // (10 + 7 * 2) / 3 = 8 µs, below (32 + 12) * 1000 bytes
        assertEquals(18, linear.rounds(), EPS); // 3 rounds * 3 µs * 2 threads beyond the caller
        assertEquals(395, linear.total(), EPS);
        assertEquals(9, SLOW_SOCKET.step(3, 256, false).rounds(), EPS);
    }

    @Test
    void oneCoreRunsEverythingOnTheCallerWithoutRounds() {
        ThreadScalingModel.Step step = FAST_SOCKET.step(1, 64, true);
        assertEquals(1, step.threads());
        assertEquals(200, step.compute(), EPS);
        assertEquals(12, step.prepare(), EPS);
        assertEquals(20, step.update(), EPS);
        assertEquals(0, step.rounds(), EPS);
        assertEquals(237, step.total(), EPS);
    }

    @Test
    void moreCoresThanShardsChangeNothing() {
        assertEquals(
                FAST_SOCKET.step(8, 256, true).total(),
                FAST_SOCKET.step(64, 256, true).total(),
                EPS);
        assertEquals(8, FAST_SOCKET.step(64, 256, true).threads());
        assertEquals(
                FAST_SOCKET.step(2, 64, true).total(),
                FAST_SOCKET.step(64, 64, true).total(),
                EPS);
    }

    @Test
    void noCoresIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FAST_SOCKET.step(0, 64, true));
    }

    /** A one-thread session's results: every figure the model takes, chosen by hand. */
    private static List<Result> results() {
        List<Result> results = new ArrayList<>();
        add(results, "accumulate", 400, "threads", "1", "batch", "64");
        add(results, "accumulate", 1600, "threads", "1", "batch", "256");
        add(results, "step", 2500, "threads", "1", "batch", "64");
        add(results, "step", 14000, "threads", "1", "batch", "256");
        add(results, "prepare", 2000, "threads", "1", "batch", "64", "optimizer", "adam");
        add(results, "prepare", 2000 + 6 * 535.818 * 3, "threads", "1", "batch", "256", "optimizer", "adam");
        add(results, "update", 50, "threads", "1", "optimizer", "adam");
        add(results, "nextBatch", 10, "batch", "64");
        add(results, "nextBatch", 40, "batch", "256");
        add(results, "emptyRound", 7, "threads", "2");
        return results;
    }

    private static void add(List<Result> results, String method, double median, String... params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int k = 0; k < params.length; k += 2) {
            map.put(params[k], params[k + 1]);
        }
        results.add(new Result("ThreadScalingBenchmark", method, map, median, 0, Map.of()));
    }

    @Test
    void theReportDerivesTheRoundCostsFromTheMeasurements() {
        ThreadScalingReport report = new ThreadScalingReport(results());
        // (prepare at 8 shards - at 2) / (6 shards * 535,818 values), in ns: 3 ns by construction
        assertEquals(3, report.reductionNanos("adam"), 1e-9);
        assertEquals(10, report.serial(64), EPS); // the batch's copy
        assertEquals(40, report.unaccounted(64), EPS); // 2500 - 10 - 400 - 2000 - 50
        ThreadScalingModel at64 = report.model(64, 300);
        assertEquals(200, at64.shardMicros(), EPS); // 400 µs over 2 shards
        assertEquals(2000 - 535.818 * 3, at64.prepareFixedMicros(), 1e-9); // less one added shard
        assertEquals(7, at64.roundMicros(), EPS);
        ThreadScalingModel at2048 = report.model(2048, 300);
        assertEquals(200, at2048.shardMicros(), EPS); // 1,600 µs over 8 shards
        assertEquals(8 * 40, at2048.serialMicros(), 1e-9); // batch 256's copy of 40 µs, for 8 times the rows
    }

    @Test
    void aMissingMeasurementIsNamed() {
        ThreadScalingReport report = new ThreadScalingReport(results());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report.step(2, 64));
        assertTrue(e.getMessage().contains("ThreadScalingBenchmark.step threads 2 batch 64"), e.getMessage());
    }

    @Test
    void aLoadAboveOneAndAHalfMarksTheFigures() {
        assertNull(ThreadScalingReport.loadNote("1.20 1.10 1.00", "1.45 1.2 1.1"));
        assertTrue(
                ThreadScalingReport.loadNote("1.20 1.10 1.00", "2.50 1.2 1.1").contains("loaded machine"));
    }
}
