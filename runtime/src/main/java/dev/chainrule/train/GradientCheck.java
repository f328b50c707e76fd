package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.ParameterBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a generated model's backward pass against central finite differences of its own loss,
 * block by block of its parameter array ({@link dev.chainrule.NetworkSpec#parameterBlocks()}),
 * and reports the worst disagreement in each block: a tool for anyone who wants to see for
 * themselves that the gradients of their network are right.
 *
 * <pre>{@code
 * GradientCheck.Report report = GradientCheck.of(model).check(input, target);
 * if (!report.passed()) {
 *     System.err.println(report.describe());   // names the worst block and parameter
 * }
 * }</pre>
 *
 * <p>For each checked parameter {@code p} it compares the analytic derivative {@code a} (from
 * {@code accumulateGradients}) with {@code n = (L(p + h) - L(p - h)) / 2h}, {@code h = step x
 * max(1, |p|)}, by the relative error {@code |a - n| / max(|a|, |n|, floor)}. In double
 * precision a correct network's error is about 1e-8 to 1e-10, so the default tolerance 1e-6
 * catches a derivative that is wrong by far less than a percent. In float the loss itself is
 * rounded to about 1e-7, so the step must be larger and the comparison rougher (defaults: step
 * 1e-2, tolerance 2e-2): it finds a wrong formula, not a last-bit difference; use a double
 * version of the network for a precise check. Near a kink of an activation (ReLU at 0) a finite
 * difference straddles two slopes and may disagree with a correct gradient.
 *
 * <p>The check leaves the model as it found it: parameters, gradients and training mode are
 * restored (the check runs in inference mode, so that dropout does not change the loss). It
 * allocates, and is meant for tests and diagnosis, not a serving path.
 */
public final class GradientCheck {
    private final Model model;
    private int perBlock = 32;
    private double step;
    private double tolerance;
    private double floor = 1e-4;

    private GradientCheck(Model model) {
        this.model = model;
        boolean isDouble = model instanceof DoubleModel;
        this.step = isDouble ? 1e-6 : 1e-2;
        this.tolerance = isDouble ? 1e-6 : 2e-2;
    }

    /** A check of {@code model}, a {@link FloatModel} or a {@link DoubleModel}. */
    public static GradientCheck of(Model model) {
        if (!(model instanceof FloatModel) && !(model instanceof DoubleModel)) {
            throw new IllegalArgumentException(
                    "a gradient check needs a FloatModel or a DoubleModel, got " + model.getClass());
        }
        return new GradientCheck(model);
    }

    /** At most {@code count} parameters per block, spread evenly over it (the first and last among them); default 32. */
    public GradientCheck parametersPerBlock(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("parameters per block must be at least 1, got " + count);
        }
        this.perBlock = count;
        return this;
    }

    /** The relative step {@code h / max(1, |p|)}; default 1e-6 for double models, 1e-2 for float ones. */
    public GradientCheck step(double step) {
        if (!(step > 0 && step < 1)) {
            throw new IllegalArgumentException("the step must be in (0, 1), got " + step);
        }
        this.step = step;
        return this;
    }

    /** The largest relative error that passes; default 1e-6 for double models, 2e-2 for float ones. */
    public GradientCheck tolerance(double tolerance) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("the tolerance must be positive, got " + tolerance);
        }
        this.tolerance = tolerance;
        return this;
    }

    /** The smallest magnitude a relative error is measured against, so that near-zero derivatives compare absolutely; default 1e-4. */
    public GradientCheck floor(double floor) {
        if (!(floor > 0)) {
            throw new IllegalArgumentException("the floor must be positive, got " + floor);
        }
        this.floor = floor;
        return this;
    }

    /** The worst disagreement in one block. */
    public record BlockResult(
            ParameterBlock block, int checked, int worstIndex, double analytic, double numeric, double error) {}

    /**
     * The check's results.
     *
     * @param network the network's description
     * @param blocks one result per parameter block, in order
     * @param tolerance the largest relative error that passes
     */
    public record Report(String network, List<BlockResult> blocks, double tolerance) {
        public Report {
            blocks = List.copyOf(blocks);
        }

        /** Whether every block's worst error is within the tolerance. */
        public boolean passed() {
            return blocks.stream().allMatch(b -> b.error() <= tolerance);
        }

        /** The block with the largest error. */
        public BlockResult worst() {
            BlockResult worst = blocks.get(0);
            for (BlockResult b : blocks) {
                if (b.error() > worst.error()) {
                    worst = b;
                }
            }
            return worst;
        }

        /** A table of every block, then a verdict naming the worst block and parameter. */
        public String describe() {
            StringBuilder sb =
                    new StringBuilder("gradient check of ").append(network).append('\n');
            for (BlockResult b : blocks) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  %-40s %4d checked, worst %.3e at parameter %d (analytic %.9g, numeric %.9g)%n",
                        b.block().describe(),
                        b.checked(),
                        b.error(),
                        b.worstIndex(),
                        b.analytic(),
                        b.numeric()));
            }
            BlockResult worst = worst();
            return sb.append(passed() ? "passed" : "FAILED")
                    .append(String.format(
                            Locale.ROOT,
                            ": worst relative error %.3e in %s %s (parameter %d), tolerance %.1e",
                            worst.error(),
                            worst.block().layer(),
                            worst.block().role().name().toLowerCase(Locale.ROOT),
                            worst.worstIndex(),
                            tolerance))
                    .toString();
        }
    }

    /** Checks the gradient of the loss of one sample of a float model. */
    public Report check(float[] input, float[] target) {
        if (!(model instanceof FloatModel f)) {
            throw new IllegalArgumentException("the model computes in double: pass double[] arrays");
        }
        float[] p = f.parameters();
        return run(new Probe() {
            @Override
            public double loss() {
                return f.loss(input, target);
            }

            @Override
            public double analytic(int i) {
                return f.gradients()[i];
            }

            @Override
            public void accumulate() {
                f.accumulateGradients(input, target);
            }

            @Override
            public double get(int i) {
                return p[i];
            }

            @Override
            public void set(int i, double v) {
                p[i] = (float) v;
            }

            @Override
            public double[] saveGradients() {
                return widen(f.gradients());
            }

            @Override
            public void restoreGradients(double[] g) {
                for (int i = 0; i < g.length; i++) {
                    f.gradients()[i] = (float) g[i];
                }
            }
        });
    }

    /** Checks the gradient of the loss of one sample of a double model. */
    public Report check(double[] input, double[] target) {
        if (!(model instanceof DoubleModel d)) {
            throw new IllegalArgumentException("the model computes in float: pass float[] arrays");
        }
        double[] p = d.parameters();
        return run(new Probe() {
            @Override
            public double loss() {
                return d.loss(input, target);
            }

            @Override
            public double analytic(int i) {
                return d.gradients()[i];
            }

            @Override
            public void accumulate() {
                d.accumulateGradients(input, target);
            }

            @Override
            public double get(int i) {
                return p[i];
            }

            @Override
            public void set(int i, double v) {
                p[i] = v;
            }

            @Override
            public double[] saveGradients() {
                return d.gradients().clone();
            }

            @Override
            public void restoreGradients(double[] g) {
                System.arraycopy(g, 0, d.gradients(), 0, g.length);
            }
        });
    }

    /** What the check needs of a model, whatever its precision. */
    private interface Probe {
        double loss();

        double analytic(int i);

        void accumulate();

        double get(int i);

        void set(int i, double v);

        double[] saveGradients();

        void restoreGradients(double[] g);
    }

    private Report run(Probe probe) {
        boolean training = model.isTraining();
        double[] saved = probe.saveGradients();
        model.setTraining(false);
        try {
            model.zeroGradients();
            probe.accumulate();
            double[] analytic = new double[saved.length];
            for (int i = 0; i < analytic.length; i++) {
                analytic[i] = probe.analytic(i);
            }
            List<BlockResult> results = new ArrayList<>();
            for (ParameterBlock block : model.spec().parameterBlocks()) {
                results.add(checkBlock(probe, block, analytic));
            }
            return new Report(model.spec().describe(), results, tolerance);
        } finally {
            probe.restoreGradients(saved);
            model.setTraining(training);
        }
    }

    private BlockResult checkBlock(Probe probe, ParameterBlock block, double[] analytic) {
        int n = block.size();
        int count = Math.min(n, perBlock);
        BlockResult worst = null;
        for (int k = 0; k < count; k++) {
            int index = block.offset() + (count == 1 ? 0 : (int) ((long) k * (n - 1) / (count - 1)));
            double original = probe.get(index);
            double h = step * Math.max(1, Math.abs(original));
            probe.set(index, original + h);
            double plus = probe.loss();
            probe.set(index, original - h);
            double minus = probe.loss();
            probe.set(index, original);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic[index];
            double error = Math.abs(a - numeric) / Math.max(floor, Math.max(Math.abs(a), Math.abs(numeric)));
            if (Double.isNaN(error)) {
                error = Double.POSITIVE_INFINITY;
            }
            if (worst == null || error > worst.error()) {
                worst = new BlockResult(block, count, index, a, numeric, error);
            }
        }
        return worst;
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
