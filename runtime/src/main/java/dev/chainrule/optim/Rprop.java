package dev.chainrule.optim;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * iRprop+ (Igel &amp; Hüsken, "Improving the Rprop Learning Algorithm", 2000): resilient
 * backpropagation with weight-backtracking, for full-batch training. Each parameter has its own
 * step size {@code delta} (initially {@code delta0}); only the sign of its gradient is used.
 * With {@code g} the effective gradient (see {@link GradientOptimizer}) and {@code gPrev} the one
 * remembered from the previous step:
 * <pre>
 *     if gPrev * g &gt; 0:  delta = min(delta * etaPlus, deltaMax);   dw = -sign(g) * delta;  w += dw
 *     if gPrev * g &lt; 0:  delta = max(delta * etaMinus, deltaMin)
 *                        if E(t) &gt; E(t-1): w -= dwPrev         (weight-backtracking)
 *                        g = 0                                  (remembered as gPrev)
 *     if gPrev * g = 0:  dw = -sign(g) * delta;  w += dw
 * </pre>
 * where {@code E(t)} is the loss at the parameters of this step. Steps must therefore be taken
 * with {@link #step(float[], float[], double) step(params, grads, loss)} ({@link
 * #requiresLoss()} is true), the loss being that of the whole training set (and including
 * {@link #penalty(float[])} if penalties are set); the first step never backtracks. Clipping
 * does not change signs, so it has no effect here.
 *
 * <p>Defaults: {@code etaPlus = 1.2}, {@code etaMinus = 0.5}, {@code delta0 = 0.1}, {@code
 * deltaMax = 50}, {@code deltaMin = 1e-6}.
 */
public final class Rprop extends GradientOptimizer<Rprop> {

    private final double etaPlus;
    private final double etaMinus;
    private final double initialStep;
    private final double maxStep;
    private final double minStep;
    private double[] stepSize;
    private double[] previousGradient;
    private double[] previousChange;
    private double previousLoss;
    private long backtracks;
    /** {@link #previousLoss} and {@link #backtracks} before a guarded update. */
    private double savedLoss;

    private long savedBacktracks;
    /** Whether this step's loss is above the last one's, from {@link #beginUpdate}. */
    private boolean lossIncreased;
    /** The backtracks of the ranges of this step so far, added by the threads that update them. */
    private final AtomicLong stepBacktracks = new AtomicLong();

    private Rprop(
            GradientOptions options,
            double etaPlus,
            double etaMinus,
            double initialStep,
            double maxStep,
            double minStep) {
        super(options);
        if (minStep > maxStep) {
            throw new IllegalArgumentException(
                    "Rprop deltaMin is " + minStep + " but deltaMax is " + maxStep + "; expected deltaMin <= deltaMax");
        }
        this.etaPlus = etaPlus;
        this.etaMinus = etaMinus;
        this.initialStep = initialStep;
        this.maxStep = maxStep;
        this.minStep = minStep;
    }

    /** iRprop+ with the defaults of Igel &amp; Hüsken. */
    public static Rprop of() {
        return new Rprop(GradientOptions.NONE, 1.2, 0.5, 0.1, 50, 1e-6);
    }

    /** This optimizer with step-size growth {@code etaPlus > 1}. */
    public Rprop etaPlus(double etaPlus) {
        if (!(etaPlus > 1 && etaPlus < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("etaPlus is " + etaPlus + ", expected a finite number > 1");
        }
        return new Rprop(options(), etaPlus, etaMinus, initialStep, maxStep, minStep);
    }

    /** This optimizer with step-size shrinkage {@code etaMinus} in {@code (0, 1)}. */
    public Rprop etaMinus(double etaMinus) {
        if (!(etaMinus > 0 && etaMinus < 1)) {
            throw new IllegalArgumentException("etaMinus is " + etaMinus + ", expected a value in (0, 1)");
        }
        return new Rprop(options(), etaPlus, etaMinus, initialStep, maxStep, minStep);
    }

    /** This optimizer with initial step size {@code delta0 > 0}. */
    public Rprop initialStep(double delta0) {
        return new Rprop(options(), etaPlus, etaMinus, Require.positive(delta0, "delta0"), maxStep, minStep);
    }

    /** This optimizer with largest step size {@code deltaMax > 0}. */
    public Rprop maxStep(double deltaMax) {
        return new Rprop(options(), etaPlus, etaMinus, initialStep, Require.positive(deltaMax, "deltaMax"), minStep);
    }

    /** This optimizer with smallest step size {@code deltaMin > 0}. */
    public Rprop minStep(double deltaMin) {
        return new Rprop(options(), etaPlus, etaMinus, initialStep, maxStep, Require.positive(deltaMin, "deltaMin"));
    }

    /** The factor by which a step size grows while its gradient keeps its sign. */
    public double etaPlus() {
        return etaPlus;
    }

    /** The factor by which a step size shrinks when its gradient changes sign. */
    public double etaMinus() {
        return etaMinus;
    }

    /** The step size of every parameter before the first step. */
    public double initialStep() {
        return initialStep;
    }

    /** The largest step size. */
    public double maxStep() {
        return maxStep;
    }

    /** The smallest step size. */
    public double minStep() {
        return minStep;
    }

    /**
     * The number of weight moves undone (backtracked) since the first step after construction or
     * {@link #reset()}: weights whose gradient changed sign at a step where the loss had increased.
     */
    public long backtracks() {
        return backtracks;
    }

    @Override
    public boolean requiresLoss() {
        return true;
    }

    @Override
    Rprop with(GradientOptions options) {
        return new Rprop(options, etaPlus, etaMinus, initialStep, maxStep, minStep);
    }

    @Override
    void allocateState(int length, boolean floats) {
        // double for both: the sign logic gains nothing from float state
        stepSize = new double[length];
        previousGradient = new double[length];
        previousChange = new double[length];
    }

    @Override
    Object[] stateArrays() {
        return new Object[] {stepSize, previousGradient, previousChange};
    }

    @Override
    String stateName(int k) {
        return k == 0 ? "step size" : k == 1 ? "remembered gradient" : "last change";
    }

    @Override
    void initializeState() {
        Arrays.fill(stepSize, initialStep);
        Arrays.fill(previousGradient, 0);
        Arrays.fill(previousChange, 0);
        previousLoss = Double.NaN;
        backtracks = 0;
        stepBacktracks.set(0);
    }

    /**
     * A weight moves by a step size at most {@code max(delta0, deltaMax)}, or back by its last
     * move; the remembered gradient is the effective gradient, finite with a finite bound.
     */
    @Override
    boolean provablyFinite(double gradientBound, boolean floats) {
        return gradientBound < Double.POSITIVE_INFINITY && Math.max(initialStep, maxStep) < reach(floats) / 2;
    }

    @Override
    void stepTaken(boolean proved, double[] stateMaxima) {}

    @Override
    void saveScalars() {
        savedLoss = previousLoss;
        savedBacktracks = backtracks;
    }

    @Override
    void restoreScalars() {
        previousLoss = savedLoss;
        backtracks = savedBacktracks;
    }

    @Override
    void beginUpdate(double loss) {
        lossIncreased = loss > previousLoss;
    }

    @Override
    void endUpdate(double loss) {
        previousLoss = loss;
        backtracks += stepBacktracks.getAndSet(0);
    }

    @Override
    void update(float[] params, float[] grads, int from, int to, double gradScale, double loss) {
        long undone = 0;
        for (int i = from; i < to; i++) {
            double g = gradient(params[i], grads[i], gradScale);
            if (lossIncreased && previousGradient[i] * g < 0) {
                undone++;
            }
            params[i] = (float) (params[i] + change(i, g, lossIncreased));
        }
        stepBacktracks.addAndGet(undone);
    }

    @Override
    void update(double[] params, double[] grads, int from, int to, double gradScale, double loss) {
        long undone = 0;
        for (int i = from; i < to; i++) {
            double g = gradient(params[i], grads[i], gradScale);
            if (lossIncreased && previousGradient[i] * g < 0) {
                undone++;
            }
            params[i] += change(i, g, lossIncreased);
        }
        stepBacktracks.addAndGet(undone);
    }

    /** The iRprop+ rule for parameter {@code i} with gradient {@code g}: returns the change of the weight. */
    private double change(int i, double g, boolean lossIncreased) {
        double signChange = previousGradient[i] * g;
        if (signChange < 0) {
            stepSize[i] = Math.max(stepSize[i] * etaMinus, minStep);
            previousGradient[i] = 0;
            double undo = 0;
            if (lossIncreased) {
                undo = -previousChange[i];
            }
            previousChange[i] = undo;
            return undo;
        }
        if (signChange > 0) {
            stepSize[i] = Math.min(stepSize[i] * etaPlus, maxStep);
        }
        double dw = -Math.signum(g) * stepSize[i];
        previousGradient[i] = g;
        previousChange[i] = dw;
        return dw;
    }

    @Override
    public String toString() {
        return "Rprop(etaPlus=" + etaPlus + ", etaMinus=" + etaMinus + ", delta0=" + initialStep + ", deltaMax="
                + maxStep + ", deltaMin=" + minStep + describeOptions() + ")";
    }
}
