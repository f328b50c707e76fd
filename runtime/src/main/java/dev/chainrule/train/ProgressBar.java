package dev.chainrule.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Formatter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The progress within an epoch, redrawn in place on a terminal: {@code epoch  3/20  [=====>
 * ]  412/860  loss 0.4124  5231 samples/s  ETA 0:41}, where the loss is the mean over the
 * epoch's rows so far and the ETA is the time the epoch's remaining batches take at the rate so
 * far. Each redraw starts with a carriage return; at the end of the epoch the bar is blanked, so
 * that the epoch's own line takes its place and a terminal shows one line per epoch, as a log
 * does.
 *
 * <p>Off a terminal (a file, a pipe, a CI log) the bar draws nothing, and the output is exactly
 * the epoch lines. {@link #inPlaceByDefault(PrintStream)} decides which: see there.
 *
 * <p>{@link #batch} is called after every batch. It allocates nothing and reads the clock once;
 * it redraws at most every {@link #REDRAW_NANOS} nanoseconds, into a reused buffer.
 */
final class ProgressBar {
    /** The least time between two redraws: 250 ms. */
    static final long REDRAW_NANOS = 250_000_000L;

    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean inPlace;
    private final LongSupplier clock;
    private final StringBuilder line = new StringBuilder(128);
    private final Formatter formatter = new Formatter(line, Locale.ROOT);
    private byte[] bytes = new byte[128];
    private int epoch;
    private int epochs;
    private int batchesPerEpoch;
    private int batches;
    private long rows;
    private double lossSum;
    private long started;
    private long drawn;
    private int drawnLength;

    /**
     * @param out where the bar goes; may be null when it does not draw
     * @param inPlace whether to draw it at all: true only on a terminal
     * @param clock nanoseconds, {@code System::nanoTime} outside tests
     */
    ProgressBar(PrintStream out, boolean inPlace, LongSupplier clock) {
        if (inPlace) {
            Objects.requireNonNull(out, "out");
        }
        this.out = out;
        this.inPlace = inPlace;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The bar of a training run printing to {@code out} (null: silent, no bar), in place if
     * {@code inPlace} says so or, when it is null, {@linkplain #inPlaceByDefault if out is a terminal}.
     */
    static ProgressBar of(PrintStream out, Boolean inPlace) {
        boolean draws = out != null && (inPlace != null ? inPlace : inPlaceByDefault(out));
        return new ProgressBar(out, draws, System::nanoTime);
    }

    /** Whether the bar draws. */
    boolean inPlace() {
        return inPlace;
    }

    /**
     * Whether a bar on {@code out} should redraw in place when nobody said: only when {@code out}
     * is the JVM's standard output and that is a terminal ({@link #standardOutputIsTerminal()}),
     * and the environment does not declare a terminal that cannot move the cursor ({@code
     * TERM=dumb}, as Emacs' shell and some CI runners set it).
     */
    static boolean inPlaceByDefault(PrintStream out) {
        return decide(out == System.out, standardOutputIsTerminal(), System.getenv("TERM"));
    }

    /** {@link #inPlaceByDefault}'s rule, given what it reads from the JVM and the environment. */
    static boolean decide(boolean toStandardOutput, boolean standardOutputIsTerminal, String term) {
        return toStandardOutput && standardOutputIsTerminal && !"dumb".equals(term);
    }

    /**
     * Whether the JVM's standard input and output are a terminal. Up to JDK 21, {@link
     * System#console()} returns a console only then. From JDK 22 it may return one even when the
     * output is redirected (the JLine-based console is the default), and {@code
     * Console.isTerminal()}, new in 22, tells; it is called reflectively, as this runtime is built
     * for Java 17.
     */
    // The null test is how JDK 17 to 21 say "no terminal"; from 22 on, isTerminal() below decides.
    @SuppressWarnings("SystemConsoleNull")
    static boolean standardOutputIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        Method isTerminal;
        try {
            isTerminal = Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return true; // before JDK 22 a console exists only on a terminal
        }
        try {
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Starts epoch {@code epoch} of {@code epochs}, of {@code batchesPerEpoch} batches. */
    void startEpoch(int epoch, int epochs, int batchesPerEpoch) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        batches = 0;
        rows = 0;
        lossSum = 0;
        started = clock.getAsLong();
        drawn = started;
    }

    /** One more batch of {@code batchRows} rows with mean loss {@code loss}; redraws if it is time. */
    void batch(int batchRows, double loss) {
        batches++;
        rows += batchRows;
        lossSum += loss * batchRows;
        if (!inPlace) {
            return;
        }
        long now = clock.getAsLong();
        if (now - drawn >= REDRAW_NANOS && batches < batchesPerEpoch) {
            drawn = now;
            draw(now);
        }
    }

    /** Blanks the bar, if one is drawn, so that the epoch's line can take its place. */
    void endEpoch() {
        if (drawnLength == 0) {
            return;
        }
        line.setLength(0);
        line.append('\r');
        for (int i = 0; i < drawnLength; i++) {
            line.append(' ');
        }
        line.append('\r');
        write();
        drawnLength = 0;
    }

    /** The bar as it would be drawn now; for tests. */
    String render(long now) {
        line.setLength(0);
        int width = Integer.toString(epochs).length();
        int total = Integer.toString(batchesPerEpoch).length();
        formatter.format("epoch %" + width + "d/%d  [", epoch, epochs);
        int filled = batchesPerEpoch == 0 ? 0 : (int) ((long) BAR_WIDTH * batches / batchesPerEpoch);
        for (int i = 0; i < BAR_WIDTH; i++) {
            line.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        double seconds = (now - started) / 1e9;
        double eta = batches == 0 ? 0 : seconds / batches * (batchesPerEpoch - batches);
        formatter.format(
                "]  %" + total + "d/%d  loss %.4g  %.0f samples/s  ETA %s",
                batches,
                batchesPerEpoch,
                rows == 0 ? Double.NaN : lossSum / rows,
                seconds > 0 ? rows / seconds : 0.0,
                Trainer.clock(eta));
        return line.toString();
    }

    private void draw(long now) {
        render(now);
        int length = line.length();
        while (line.length() < drawnLength) {
            line.append(' '); // cover the end of a longer previous bar
        }
        line.insert(0, '\r');
        write();
        drawnLength = length;
    }

    /** Writes {@link #line}, which is ASCII, through the reused byte buffer. */
    private void write() {
        int n = line.length();
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, 2 * bytes.length)];
        }
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            bytes[i] = c < 128 ? (byte) c : (byte) '?';
        }
        out.write(bytes, 0, n);
        out.flush();
    }
}
