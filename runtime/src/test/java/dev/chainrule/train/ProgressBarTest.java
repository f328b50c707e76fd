package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.optim.Optimizer;
import dev.chainrule.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long MS = 1_000_000L;

    /** A clock the test moves by hand. */
    private static final class Clock {
        long now;

        long read() {
            return now;
        }
    }

    private static PrintStream stream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void theBarRedrawsInPlaceOnlyOnATerminalThatCanMoveTheCursor() {
        assertTrue(ProgressBar.decide(true, true, "xterm-256color"));
        assertTrue(ProgressBar.decide(true, true, null), "no TERM at all, as on Windows");
        assertFalse(ProgressBar.decide(true, true, "dumb"));
        assertFalse(ProgressBar.decide(true, false, "xterm"), "standard output redirected to a file or pipe");
        assertFalse(ProgressBar.decide(false, true, "xterm"), "another stream than the standard output");
    }

    @Test
    void underTheTestRunnerTheStandardOutputIsNoTerminal() {
        // surefire pipes the forked JVM's output: on JDK 17 System.console() is null, and on JDK 22
        // and later it may be a console whose isTerminal() is false; either way, no bar
        assertFalse(ProgressBar.standardOutputIsTerminal());
        assertFalse(ProgressBar.inPlaceByDefault(System.out));
        assertFalse(ProgressBar.inPlaceByDefault(stream(new ByteArrayOutputStream())));
    }

    @Test
    void rendersBatchesLossRateAndTheEpochsEta() {
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(stream(new ByteArrayOutputStream()), true, clock::read);
        clock.now = 5_000 * MS;
        bar.startEpoch(3, 20, 10);
        clock.now += 100 * MS;
        bar.batch(32, 0.5);
        clock.now += 100 * MS;
        bar.batch(32, 0.25);
        clock.now += 200 * MS;
        bar.batch(16, 1.0);
        // 3 of 10 batches: 7 of 24 cells; loss (32 * 0.5 + 32 * 0.25 + 16) / 80 = 0.5; 80 rows in
        // 0.4 s; 7 more batches at 0.4 / 3 s each take 0.93 s
        assertEquals(
                "epoch  3/20  [=======>                ]   3/10  loss 0.5000  200 samples/s  ETA 0:01",
                bar.render(clock.now));
    }

    @Test
    void redrawsAtMostEveryQuarterSecondAndBlanksTheBarAtTheEnd() {
        Clock clock = new Clock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(stream(bytes), true, clock::read);
        bar.startEpoch(1, 2, 10);
        for (int b = 0; b < 10; b++) {
            clock.now += 100 * MS;
            bar.batch(8, 1.0);
        }
        String drawn = bytes.toString(StandardCharsets.US_ASCII);
        // at 300, 600 and 900 ms; the tenth batch ends the epoch and is not drawn
        assertEquals(3, drawn.split("\r", -1).length - 1, drawn);
        assertTrue(drawn.startsWith("\repoch 1/2  [=======>"), drawn);
        assertTrue(drawn.contains("\repoch 1/2  [=====================>  ]   9/10  loss 1.000"), drawn);
        assertFalse(drawn.contains("\n"), "a bar never ends a line");

        bytes.reset();
        bar.endEpoch();
        String blank = bytes.toString(StandardCharsets.US_ASCII);
        assertTrue(blank.matches("\r +\r"), blank);
        assertEquals(
                drawn.substring(drawn.lastIndexOf('\r') + 1).length(),
                blank.length() - 2,
                "the blank covers the whole last bar");
        bytes.reset();
        bar.endEpoch();
        assertEquals(0, bytes.size(), "nothing left to blank");
    }

    @Test
    void offATerminalItWritesNothing() {
        Clock clock = new Clock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(stream(bytes), false, clock::read);
        bar.startEpoch(1, 1, 100);
        for (int b = 0; b < 100; b++) {
            clock.now += 1_000 * MS;
            bar.batch(8, 1.0);
        }
        bar.endEpoch();
        assertEquals(0, bytes.size());
    }

    @Test
    void aBatchBetweenRedrawsAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Clock clock = new Clock();
        ProgressBar drawing = new ProgressBar(stream(new ByteArrayOutputStream()), true, clock::read);
        ProgressBar plain = new ProgressBar(null, false, clock::read);
        drawing.startEpoch(1, 1, 1_000_000);
        plain.startEpoch(1, 1, 1_000_000);
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int b = 0; b < 10_000; b++) {
                drawing.batch(32, 0.5); // the clock stands still: never time to redraw
                plain.batch(32, 0.5);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, least, "bytes allocated by 20,000 batches");
    }

    /** Sgd that takes a while per step, so that an epoch lasts long enough to draw its bar. */
    private static Optimizer slow() {
        Sgd sgd = Sgd.of(0.01);
        return new Optimizer() {
            @Override
            public void step(float[] params, float[] grads) {
                try {
                    Thread.sleep(120);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sgd.step(params, grads);
            }

            @Override
            public void step(double[] params, double[] grads) {
                sgd.step(params, grads);
            }

            @Override
            public void reset() {
                sgd.reset();
            }

            @Override
            public long steps() {
                return sgd.steps();
            }
        };
    }

    @Test
    void theTrainerDrawsTheBarInPlaceAndLeavesTheSameEpochLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History history = Trainer.of(TrainerTest.model(1, 1))
                .optimizer(slow())
                .batchSize(2)
                .epochs(2)
                .threads(1)
                .progress(stream(bytes), true)
                .fit(TrainerTest.line(10, 1f, 0f));
        assertEquals(2, history.epochCount());
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\repoch 1/2  ["), "five batches of 120 ms draw the bar: " + out);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length);
        Pattern epochLine = Pattern.compile("epoch [12]/2  loss \\S+  grad_norm \\S+  \\d+ samples/s  ETA \\d+:\\d\\d");
        for (String line : lines) {
            String shown = line.substring(line.lastIndexOf('\r') + 1); // what the terminal shows
            assertTrue(epochLine.matcher(shown).matches(), shown);
        }

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Trainer.of(TrainerTest.model(1, 1))
                .optimizer(slow())
                .batchSize(2)
                .epochs(2)
                .threads(1)
                .progress(stream(plain), false)
                .fit(TrainerTest.line(10, 1f, 0f));
        String log = plain.toString(StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), log);
        assertEquals(2, log.split("\n").length);
    }
}
