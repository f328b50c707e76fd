package dev.chainrule.train;

import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.data.AbstractDataset;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.DoubleDataset;
import dev.chainrule.optim.Adam;
import dev.chainrule.optim.Optimizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The training loop: mini-batches, optimizer steps, validation, early stopping and progress,
 * configured in one fluent statement.
 *
 * <pre>{@code
 * History history = Trainer.of(model)
 *         .optimizer(Adam.of(1e-3))
 *         .batchSize(64)
 *         .epochs(20)
 *         .seed(7)
 *         .validation(validationData)
 *         .earlyStopping(5)
 *         .targetLoss(1e-4)
 *         .fit(trainData);
 * }</pre>
 *
 * <h2>An epoch</h2>
 * The training rows are split into mini-batches in a new order each epoch ({@link
 * Dataset#batches(int, long) seeded by} {@link #seed(long)}). For each batch the loop
 * zeroes the gradients, accumulates the batch's mean gradient and takes one optimizer step with
 * {@link Optimizer#step(float[], float[], double) step(params, grads, loss)}, so optimizers that
 * need the loss, such as {@code Rprop}, work too (give them {@code batchSize} of at least the
 * number of rows: full-batch training). The model is put in training mode ({@link
 * Model#setTraining}) for the steps and in inference mode to be evaluated, and is left in
 * inference mode. After the steps the validation data, if any, is evaluated and the epoch's
 * figures ({@link Epoch}) go to the progress line and to the listeners.
 *
 * <h2>When it stops</h2>
 * After {@link #epochs(int)} epochs; earlier when the training loss is at or below {@link
 * #targetLoss(double)}, when the {@link #monitor(Monitor) monitored} figure (the validation loss
 * unless set) has not improved for {@link #earlyStopping(int, double) earlyStopping} epochs (the
 * model then gets back the parameters of its best epoch), or when a {@link TrainingListener} says
 * so. {@link History#stopReason()} tells which.
 *
 * <h2>Learning-rate schedules that adapt</h2>
 * After every epoch the optimizer is told the monitored figure ({@link Optimizer#observe(double)},
 * negated where higher is better), or the training loss when nothing is monitored: a {@link
 * dev.chainrule.optim.LearningRateSchedule#reduceOnPlateau reduce-on-plateau} schedule lowers the
 * rate from it. The reset at the start of each {@code fit} starts the schedule over.
 *
 * <h2>Gradient norms</h2>
 * For every mini-batch, once its mean gradient is complete (every shard's added in) and before the
 * optimizer steps, the trainer takes the L2 norm of each layer's part of that gradient: every
 * {@link dev.chainrule.ParameterBlock} of the layer in {@code model.spec().parameterBlocks()},
 * weights and biases together. {@link Epoch#gradientNorms()} holds each layer's mean over the
 * epoch's batches, each batch counted once; the progress line shows the smallest layer's norm
 * over the largest's, and {@link History} keeps them for its CSV and chart. A layer whose norm
 * stays far below the largest layer's is likely not learning, the vanishing gradients of deep
 * sigmoid stacks and of simple recurrent layers over long sequences: see {@link
 * #gradientWarning(double, int)}. The norms are summed from the reduced gradient in fixed pieces
 * (each parameter block cut at the multiples of {@link dev.chainrule.optim.RangeOptimizer#BLOCK})
 * and the pieces added in a fixed order, so they too are the same bits on any number of threads.
 *
 * <h2>Divergence</h2>
 * A batch whose loss is NaN or infinite, a gradient the optimizer rejects as not finite, a step
 * the optimizer refuses because it would overflow ({@link ArithmeticException}), or an epoch that
 * ends with a parameter that is not finite stops training with a {@link DivergenceException}
 * naming the epoch and batch. The parameters are backed up before every
 * step, and the model is given back those from before the step that led there.
 *
 * <h2>Threads</h2>
 * Each batch is cut into shards of {@link #shardRows(int)} rows at fixed boundaries; each shard
 * goes through its own {@code withSharedParameters()} sibling of the model, and the shards'
 * gradients are added in shard order. The rest of the step runs on the same threads, each taking
 * a run of whole blocks of {@link dev.chainrule.optim.RangeOptimizer#BLOCK} parameters: adding
 * the shards' gradients, the backup, the sums of squares of the norms (each block's on its own,
 * the blocks' added in block order), and the optimizer's update when it is a {@link
 * dev.chainrule.optim.RangeOptimizer}, as every optimizer of {@code dev.chainrule.optim} is
 * (others step on the caller's thread). The threads ({@link #threads(int)}) only decide who
 * computes which shard and which block, so the same seed gives the same bits with 1, 2 or 64
 * threads; a failure in the middle of an update puts the parameters back before it is thrown. The
 * threads are started when {@code fit} starts and stopped before it returns or throws; a
 * failure in one (a row the model rejects) is thrown by {@code fit} before the step it belongs
 * to is taken.
 *
 * <h2>Determinism and cost</h2>
 * The same model, data, optimizer settings and seed give bit-for-bit the same parameters: each
 * {@code fit} {@link Optimizer#reset() resets} the optimizer first. Buffers are allocated when
 * {@code fit} starts; a step allocates nothing beyond what the model and optimizer do (nothing,
 * for generated models and the optimizers of {@code dev.chainrule.optim}), and each epoch
 * allocates only its evaluation and figures. A trainer holds configuration and may fit again;
 * it is not safe for concurrent use, and neither is the model while it trains.
 *
 * @param <D> the dataset type of the model's precision: {@link Dataset} for a {@link
 *     FloatModel}, {@link DoubleDataset} for a {@link DoubleModel}
 */
public final class Trainer<D extends AbstractDataset<D>> {

    /** Makes the precision-specific parts for one kind of model. */
    private interface Binder<T> {
        Session session(T train, int batchSize, long seed, int threads, int shardRows);

        /** A session whose batch gradients {@code source} computes. */
        Session session(GradientSource source, int batchSize, long seed, int shardRows);

        /** The evaluation of {@code data} through {@code session}'s models and threads. */
        Predictions predictions(Session session, T data, String role);
    }

    private final Model model;
    private final Binder<D> binder;
    private Optimizer optimizer = Adam.of();
    private int batchSize = 32;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int shardRows = 32;
    private int epochs = 10;
    private long seed;
    private D validation;
    private int patience;
    private double minDelta;
    private Monitor monitor;
    private double targetLoss = Double.NEGATIVE_INFINITY;
    private Metric metric;
    private PrintStream progress = System.out;
    private Boolean progressInPlace; // null: in place when the output is a terminal
    private double warningRatio = 1e-3;
    private int warningEpochs = 3;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private double[] classWeights;
    private boolean balancedClassWeights;

    private Trainer(Model model, Binder<D> binder) {
        this.model = model;
        this.binder = binder;
    }

    /** A trainer for a {@code float} model, which trains on a {@link Dataset}. */
    public static Trainer<Dataset> of(FloatModel model) {
        Objects.requireNonNull(model, "model");
        return new Trainer<Dataset>(model, new Binder<Dataset>() {
            @Override
            public Session session(Dataset train, int batchSize, long seed, int threads, int shardRows) {
                return FloatSession.of(model, train, batchSize, seed, threads, shardRows);
            }

            @Override
            public Session session(GradientSource source, int batchSize, long seed, int shardRows) {
                return FloatSession.of(model, source, batchSize, seed, shardRows);
            }

            @Override
            public Predictions predictions(Session session, Dataset data, String role) {
                return ((FloatSession) session).predictions(data, role);
            }
        });
    }

    /** A trainer for a {@code double} model, which trains on a {@link DoubleDataset}. */
    public static Trainer<DoubleDataset> of(DoubleModel model) {
        Objects.requireNonNull(model, "model");
        return new Trainer<DoubleDataset>(model, new Binder<DoubleDataset>() {
            @Override
            public Session session(DoubleDataset train, int batchSize, long seed, int threads, int shardRows) {
                return DoubleSession.of(model, train, batchSize, seed, threads, shardRows);
            }

            @Override
            public Session session(GradientSource source, int batchSize, long seed, int shardRows) {
                return DoubleSession.of(model, source, batchSize, seed, shardRows);
            }

            @Override
            public Predictions predictions(Session session, DoubleDataset data, String role) {
                return ((DoubleSession) session).predictions(data, role);
            }
        });
    }

    /** The optimizer that takes the steps; {@code Adam.of()} (rate 0.001) by default. */
    public Trainer<D> optimizer(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /** Rows per mini-batch, at least 1; 32 by default. The number of training rows or more gives full-batch training. */
    public Trainer<D> batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size is " + batchSize + ", expected at least 1");
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * How many threads compute a batch's gradient, at least 1; by default every processor the JVM
     * sees ({@link Runtime#availableProcessors()}), as PyTorch does. The trained parameters do not
     * depend on it: see "Threads" above. At most one thread per shard of a batch does work.
     */
    public Trainer<D> threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        this.threads = threads;
        return this;
    }

    /**
     * Rows per shard of a mini-batch, at least 1; 32 by default, the block generated models carry
     * through their layers at once. A batch of {@code b} rows has {@code ceil(b / shardRows)}
     * shards, the most threads it can use. Unlike the thread count this changes the order of
     * additions, so the last bits of the parameters.
     */
    public Trainer<D> shardRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("shard rows is " + rows + ", expected at least 1");
        }
        this.shardRows = rows;
        return this;
    }

    /** The most epochs to run, at least 1; 10 by default. */
    public Trainer<D> epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", expected at least 1");
        }
        this.epochs = epochs;
        return this;
    }

    /** The seed of the order of the rows in each epoch; 0 by default. */
    public Trainer<D> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Weighs each training row by the weight of its class, as PyTorch's {@code
     * CrossEntropyLoss(weight=...)} and Keras' {@code class_weight}: each step minimises the
     * weighted mean loss {@code sum_r w_r l_r / sum_r w_r} of its batch, where {@code w_r} is
     * {@code perClass[c]} for row {@code r}'s class {@code c} (times the row's sample weight if
     * the data has them, {@link AbstractDataset#withSampleWeights}). A row's class is read from
     * its targets ({@link AbstractDataset#targetClasses()}): the largest of a one-hot row, or for a
     * single 0/1 target, 0 or 1. A whole class of weight 2 trains as if its rows were there twice.
     * Validation losses and metrics stay unweighted. None by default; a batch whose rows all weigh
     * 0 stops training with an {@link IllegalArgumentException}.
     *
     * @param perClass one weight per class (the model's outputs, or 2 for a single output),
     *     finite and at least 0, not all 0; copied
     * @throws IllegalArgumentException if a weight is NaN, infinite or negative, or every one is 0
     */
    public Trainer<D> classWeights(double... perClass) {
        if (perClass.length == 0) {
            throw new IllegalArgumentException("class weights are empty, expected one per class");
        }
        dev.chainrule.kernel.Checks.weights(perClass, 0, perClass.length, "class weights");
        if (sum(perClass) == 0) {
            throw new IllegalArgumentException("every class weight is 0, so no row would count in training");
        }
        this.classWeights = perClass.clone();
        this.balancedClassWeights = false;
        return this;
    }

    /**
     * Class weights that balance the classes of the training data, as scikit-learn's {@code
     * class_weight="balanced"}: class {@code c} weighs {@code n / (classes * count_c)}, for {@code
     * n} training rows of which {@code count_c} are of class {@code c}, computed when {@link
     * #fit(AbstractDataset)} starts. See {@link #classWeights(double...)}.
     */
    public Trainer<D> balancedClassWeights() {
        this.classWeights = null;
        this.balancedClassWeights = true;
        return this;
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /**
     * The class weights of training on {@code train}, or {@code null} for none.
     *
     * @throws IllegalArgumentException if their number is not the model's classes, a balanced
     *     class has no rows, or every training row weighs 0
     */
    private double[] classWeightsFor(D train) {
        if (classWeights == null && !balancedClassWeights) {
            if (train.hasSampleWeights() && sum(train.sampleWeights()) == 0) {
                throw new IllegalArgumentException("every sample weight of the training data is 0");
            }
            return null;
        }
        int classes = model.outputSize() == 1 ? 2 : model.outputSize();
        int[] classOf = train.targetClasses();
        double[] perClass;
        if (balancedClassWeights) {
            int[] counts = new int[classes];
            for (int c : classOf) {
                counts[c]++;
            }
            perClass = new double[classes];
            for (int c = 0; c < classes; c++) {
                if (counts[c] == 0) {
                    throw new IllegalArgumentException("class " + c + " has no training rows, so balanced class"
                            + " weights n / (classes * count) cannot weigh it: give classWeights(...) instead");
                }
                perClass[c] = (double) train.rows() / ((double) classes * counts[c]);
            }
        } else {
            if (classWeights.length != classes) {
                throw new IllegalArgumentException(classWeights.length + " class weights given, but the model has "
                        + classes + " classes" + (model.outputSize() == 1 ? " (0 and 1 of its single output)" : ""));
            }
            perClass = classWeights;
        }
        double[] sample = train.hasSampleWeights() ? train.sampleWeights() : null;
        double total = 0;
        for (int r = 0; r < classOf.length; r++) {
            total += (sample != null ? sample[r] : 1) * perClass[classOf[r]];
        }
        if (total == 0) {
            throw new IllegalArgumentException("every training row weighs 0 with these class weights");
        }
        return perClass;
    }

    /** Data to evaluate the model on after every epoch; none by default. */
    public Trainer<D> validation(D validation) {
        this.validation = Objects.requireNonNull(validation, "validation");
        return this;
    }

    /**
     * Stops when the monitored figure has not improved for {@code patience} epochs in a row, and
     * gives the model back the parameters of the epoch with the best figure, whether or not it
     * stopped early: {@code earlyStopping(patience, 0)}. The figure is the validation loss unless
     * {@link #monitor(Monitor)} chose another, and then needs {@link #validation(AbstractDataset)}.
     *
     * @param patience at least 1
     */
    public Trainer<D> earlyStopping(int patience) {
        return earlyStopping(patience, 0);
    }

    /**
     * Early stopping that counts only a gain of more than {@code minDelta} as an improvement: it
     * stops once {@code patience} epochs in a row have not bettered the figure of the last epoch
     * that did by more than {@code minDelta}. On a small validation set the loss keeps creeping
     * down by tiny amounts, and with {@code minDelta} 0 every creep restarts the count. The model
     * still gets back the parameters of the epoch with the best figure, however small its lead.
     *
     * @param patience at least 1
     * @param minDelta at least 0, in the units of the figure (a loss, or a fraction for accuracy)
     */
    public Trainer<D> earlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience is " + patience + ", expected at least 1 epoch");
        }
        if (!(minDelta >= 0 && minDelta < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("minDelta is " + minDelta + ", expected a finite number at least 0");
        }
        this.patience = patience;
        this.minDelta = minDelta;
        return this;
    }

    /**
     * What the trainer watches after each epoch to choose the best epoch ({@link
     * History#bestEpoch()}), to stop early and to tell the optimizer ({@link
     * Optimizer#observe(double)}): by default the validation loss when there is validation data,
     * and otherwise nothing (the optimizer is then told the training loss). {@code
     * Monitor.validation(Metric.ACCURACY)} watches the accuracy, better higher; {@link
     * Monitor#trainingLoss()} needs no validation data.
     */
    public Trainer<D> monitor(Monitor monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return this;
    }

    /** Stops once an epoch's training loss ({@link Epoch#loss()}) is at or below {@code loss}. */
    public Trainer<D> targetLoss(double loss) {
        if (Double.isNaN(loss)) {
            throw new IllegalArgumentException("target loss is NaN, expected a number");
        }
        this.targetLoss = loss;
        return this;
    }

    /**
     * The metric reported for the validation data. By default {@link Metric#ACCURACY} if the
     * validation data has class labels or the model's loss is a cross-entropy, else {@link
     * Metric#R2}.
     */
    public Trainer<D> metric(Metric metric) {
        this.metric = Objects.requireNonNull(metric, "metric");
        return this;
    }

    /**
     * Where the progress line of each epoch goes; {@code System.out} by default. When it is the
     * standard output and that is a terminal, a bar within each epoch (batches done, loss so far,
     * samples per second, the epoch's ETA) is redrawn in place a few times a second and gives way
     * to the epoch's line; anywhere else (a file, a pipe, a CI log) only the epoch lines appear.
     */
    public Trainer<D> progress(PrintStream out) {
        this.progress = Objects.requireNonNull(out, "out");
        this.progressInPlace = null;
        return this;
    }

    /**
     * Like {@link #progress(PrintStream)}, drawing the bar within each epoch on {@code out} if
     * {@code inPlace} (it writes carriage returns: for a terminal) and never if not.
     */
    public Trainer<D> progress(PrintStream out, boolean inPlace) {
        this.progress = Objects.requireNonNull(out, "out");
        this.progressInPlace = inPlace;
        return this;
    }

    /** Prints no progress lines. */
    public Trainer<D> silent() {
        this.progress = null;
        return this;
    }

    /**
     * When to warn that a layer's gradients vanish: when its gradient norm ({@link
     * Epoch#gradientNorm(String)}) is below {@code ratio} times the largest layer's norm of the
     * same epoch for {@code epochs} epochs in a row. The warning names the layer and the figures;
     * it is printed once per layer and run on the progress output (unless {@link #silent()}) and
     * kept in {@link History#warnings()}. Networks with fewer than two layers that hold
     * parameters are never warned of. By default {@code gradientWarning(1e-3, 3)}.
     *
     * @param ratio in {@code [0, 1)}; 0 turns the warning off
     * @param epochs at least 1
     */
    public Trainer<D> gradientWarning(double ratio, int epochs) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException(
                    "gradient warning ratio is " + ratio + ", expected a number in [0, 1) (0 turns the warning off)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("gradient warning epochs is " + epochs + ", expected at least 1");
        }
        this.warningRatio = ratio;
        this.warningEpochs = epochs;
        return this;
    }

    /** Adds a listener told of every epoch, in the order added. */
    public Trainer<D> listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Trains the model on {@code train}.
     *
     * @return the figures of every epoch run, and why training stopped
     * @throws IllegalArgumentException if the data's rows do not fit the model or it has no rows
     * @throws IllegalStateException if early stopping or the monitor watches validation figures
     *     and there is no validation data, or the
     *     optimizer needs the loss of the whole training set and the batches are smaller
     * @throws DivergenceException if the loss, a gradient or a parameter becomes NaN or infinite
     */
    public History fit(D train) {
        Objects.requireNonNull(train, "train");
        Shapes.check(model, train, "training");
        if (train.rows() == 0) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        checkValidation();
        if (optimizer.requiresLoss() && batchSize < train.rows()) {
            throw new IllegalStateException(optimizer
                    + " needs the loss of the whole training set, but the batch size is " + batchSize + " for "
                    + train.rows() + " rows: set batchSize(" + train.rows() + ") for full-batch training");
        }
        Metric reported = metric != null ? metric : defaultMetric();
        double[] perClass = classWeightsFor(train);
        Session session = binder.session(train, batchSize, seed, threads, shardRows);
        try {
            if (perClass != null) {
                session.weighClasses(perClass);
            }
            return fit(train.rows(), session, reported);
        } finally {
            session.setTraining(false);
            session.close();
        }
    }

    /**
     * Trains the model on data whose batch gradients {@code train} computes, such as a cluster's:
     * the same loop as {@link #fit(AbstractDataset)}, with the optimizer steps, validation,
     * early stopping and progress in this JVM. The source divides the epochs into batches and
     * computes their gradients by its own rules, given this trainer's batch size, seed and shard
     * rows; {@link #threads(int)} does not apply, and the validation data is evaluated on the
     * caller's thread.
     *
     * @return the figures of every epoch run, and why training stopped
     * @throws IllegalArgumentException if the source's rows do not fit the model or it has no rows
     * @throws IllegalStateException as {@link #fit(AbstractDataset)} does, and for an optimizer
     *     that needs the loss of the whole training set
     * @throws DivergenceException if the loss, a gradient or a parameter becomes NaN or infinite
     */
    public History fit(GradientSource train) {
        Objects.requireNonNull(train, "train");
        if (train.featureCount() != model.inputSize() || train.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("the training data has " + train.featureCount() + " features and "
                    + train.targetCount() + " targets per row but the model takes " + model.inputSize()
                    + " inputs and has " + model.outputSize() + " outputs");
        }
        if (train.rows() < 1) {
            throw new IllegalArgumentException("the training data has no rows");
        }
        checkValidation();
        if (classWeights != null || balancedClassWeights) {
            throw new IllegalStateException("class weights weigh the rows of a dataset, which a gradient source"
                    + " does not give: weigh the rows in the source instead");
        }
        if (optimizer.requiresLoss()) {
            throw new IllegalStateException(optimizer + " needs the loss of the whole training set at every step,"
                    + " which a gradient source does not give: choose an optimizer that steps on gradients alone");
        }
        Metric reported = metric != null ? metric : defaultMetric();
        Session session = binder.session(train, batchSize, seed, shardRows);
        try {
            return fit(train.rows(), session, reported);
        } finally {
            session.setTraining(false);
            session.close();
        }
    }

    private void checkValidation() {
        if (validation == null && (monitor != null ? monitor.needsValidation() : patience > 0)) {
            Monitor watched = monitor != null ? monitor : Monitor.validationLoss();
            throw new IllegalStateException((patience > 0 ? "early stopping" : "the monitor") + " watches the "
                    + watched.description() + ": set validation(data) too, or monitor(Monitor.trainingLoss())");
        }
    }

    private History fit(int trainRows, Session session, Metric reported) {
        Predictions validating = validation == null ? null : binder.predictions(session, validation, "validation");
        GradientNorms norms = GradientNorms.of(model);
        List<String> layers = norms.layers();
        int[] below = new int[layers.size()];
        boolean[] warned = new boolean[layers.size()];
        List<String> warnings = new ArrayList<>();
        optimizer.reset();
        session.plan(optimizer, norms);
        session.backup();

        session.takeConvergence(); // solves before this run are not its own
        List<Epoch> history = new ArrayList<>();
        History.StopReason stop = null;
        Monitor watched = monitor != null ? monitor : validation != null ? Monitor.validationLoss() : null;
        Monitor told = watched != null ? watched : Monitor.trainingLoss(); // what the optimizer observes
        double best = Double.NaN;
        int bestEpoch = 0;
        double reference = Double.NaN; // the figure of the last epoch that improved by more than minDelta
        int improvedEpoch = 0;
        long started = System.nanoTime();
        ProgressBar bar = ProgressBar.of(progress, progressInPlace);
        try {
            for (int epoch = 1; epoch <= epochs && stop == null; epoch++) {
                long epochStarted = System.nanoTime();
                bar.startEpoch(epoch, epochs, session.batchesPerEpoch());
                double loss = trainEpoch(session, epoch, bar) / trainRows;
                session.setTraining(false); // every shard: the validation runs through all of them
                Evaluation evaluation = validating == null ? null : validating.evaluate();
                long now = System.nanoTime();
                Epoch figures = new Epoch(
                        epoch,
                        epochs,
                        loss,
                        evaluation,
                        reported,
                        trainRows,
                        (now - epochStarted) / 1e9,
                        norms.endEpoch());
                history.add(figures);
                bar.endEpoch(); // the epoch's line takes the bar's place
                if (progress != null) {
                    double eta = (now - started) / 1e9 / epoch * (epochs - epoch);
                    progress.println(progressLine(figures, eta));
                }
                for (String warning : vanishing(figures, layers, below, warned)) {
                    warnings.add(warning);
                    if (progress != null) {
                        progress.println(warning);
                    }
                }
                String unconverged = unconverged(epoch, session.takeConvergence());
                if (unconverged != null) {
                    warnings.add(unconverged);
                    if (progress != null) {
                        progress.println(unconverged);
                    }
                }

                if (watched != null) {
                    double value = watched.valueOf(figures);
                    if (watched.improves(value, best, 0)) {
                        best = value;
                        bestEpoch = epoch;
                        if (patience > 0) {
                            session.keepBest();
                        }
                    }
                    if (watched.improves(value, reference, minDelta)) {
                        reference = value;
                        improvedEpoch = epoch;
                    }
                }
                double observed = told.valueOf(figures);
                optimizer.observe(told.higherIsBetter() ? -observed : observed);
                boolean listenerStops = false;
                for (TrainingListener listener : listeners) {
                    listenerStops |= listener.epochEnded(figures) == TrainingListener.Decision.STOP;
                }
                if (loss <= targetLoss) {
                    stop = History.StopReason.TARGET_LOSS;
                } else if (patience > 0 && epoch - improvedEpoch >= patience) {
                    stop = History.StopReason.EARLY_STOPPING;
                } else if (listenerStops) {
                    stop = History.StopReason.LISTENER;
                }
            }
        } finally {
            bar.endEpoch(); // a run that throws leaves no bar behind its message
            model.setTraining(false);
        }
        boolean restoreBest = patience > 0 && bestEpoch > 0;
        if (restoreBest) {
            session.restoreBest();
        }
        return new History(
                history,
                stop == null ? History.StopReason.EPOCHS_COMPLETED : stop,
                bestEpoch,
                restoreBest,
                watched != null ? watched : Monitor.validationLoss(),
                warnings);
    }

    /**
     * Counts, for each layer, the epochs in a row its gradient norm has been below {@code
     * warningRatio} of the largest, and returns a warning for each layer whose count reaches
     * {@code warningEpochs} for the first time.
     */
    private List<String> vanishing(Epoch figures, List<String> layers, int[] below, boolean[] warned) {
        if (warningRatio == 0 || layers.size() < 2) {
            return List.of();
        }
        String largest = null;
        double max = 0;
        for (String layer : layers) {
            double norm = figures.gradientNorm(layer);
            if (norm > max) {
                max = norm;
                largest = layer;
            }
        }
        List<String> warnings = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            double norm = figures.gradientNorm(layers.get(l));
            below[l] = max > 0 && norm < warningRatio * max ? below[l] + 1 : 0;
            if (below[l] >= warningEpochs && !warned[l]) {
                warned[l] = true;
                warnings.add(String.format(
                        Locale.ROOT,
                        "warning: layer %s's gradients vanish: their norm has been below %.3g of the largest layer's"
                                + " for %d epoch%s (epoch %d: %.3g, %s %.3g): it may not be learning",
                        layers.get(l),
                        warningRatio,
                        below[l],
                        below[l] == 1 ? "" : "s",
                        figures.number(),
                        norm,
                        largest,
                        max));
            }
        }
        return warnings;
    }

    /** Runs the steps of one epoch and returns the sum over its rows of each batch's loss. */
    private double trainEpoch(Session session, int epoch, ProgressBar bar) {
        session.setTraining(true);
        boolean needsLoss = optimizer.requiresLoss();
        double lossSum = 0;
        int batch = 0;
        while (session.next()) {
            batch++;
            double loss = session.accumulateBatch();
            if (!Double.isFinite(loss)) {
                session.restoreBackup();
                throw diverged(epoch, batch, session, "the loss is " + loss, null);
            }
            session.prepareStep(); // the mean gradient, the backup and the norms, on the session's threads
            try {
                session.step(optimizer, needsLoss ? loss + session.penalty(optimizer) : loss);
            } catch (IllegalArgumentException e) {
                if (session.gradientsFinite() && session.parametersFinite()) {
                    throw e;
                }
                session.restoreBackup();
                throw diverged(epoch, batch, session, "the optimizer rejected the step (" + e.getMessage() + ")", e);
            } catch (ArithmeticException e) {
                session.restoreBackup();
                throw diverged(epoch, batch, session, "the step would overflow (" + e.getMessage() + ")", e);
            }
            if (model instanceof dev.chainrule.FixedPointModel fixed) {
                fixed.applyConstraints(); // keep contracting fixed-point layers contractive
            }
            lossSum += loss * session.batchRows();
            bar.batch(session.batchRows(), loss);
        }
        if (!session.parametersFinite()) {
            session.restoreBackup();
            throw diverged(epoch, batch, session, "the step left a parameter that is not finite", null);
        }
        return lossSum;
    }

    private static DivergenceException diverged(int epoch, int batch, Session session, String what, Throwable cause) {
        return new DivergenceException(epoch, batch, session.batchesPerEpoch(), what, cause);
    }

    private Metric defaultMetric() {
        if (validation != null && validation.hasLabels()) {
            return Metric.ACCURACY;
        }
        return switch (model.spec().loss()) {
            case CROSS_ENTROPY, BINARY_CROSS_ENTROPY -> Metric.ACCURACY;
            case MSE -> Metric.R2;
        };
    }

    /**
     * The warning of an epoch in which fixed-point solves (training and validation, on every
     * thread) reached their iteration limit, e.g. {@code epoch 3: 12 of 3200 fixed-point solves
     * and 4 adjoint solves reached the iteration limit (worst residual 0.0021); most iterations
     * 100}; {@code null} when every solve converged or the model has no fixed point.
     */
    static String unconverged(int epoch, dev.chainrule.FixedPointModel.Convergence convergence) {
        if (convergence == null || convergence.forwardFailures() + convergence.adjointFailures() == 0) {
            return null;
        }
        return "epoch " + epoch + ": " + convergence
                + "; raise maxIterations or the tolerance, or declare a contraction to keep the map contractive";
    }

    /**
     * The progress line of an epoch, e.g. {@code epoch  3/20  loss 0.4124  val_loss 0.4401
     * val_accuracy 0.9333  grad 2.1e-03 (H1/OUT)  52310 samples/s  ETA 0:12}: {@code grad} is the
     * smallest layer's gradient norm over the largest's, and names the two (with one layer, its
     * norm: {@code grad_norm 0.0412}).
     *
     * @param etaSeconds the expected time the remaining epochs take
     */
    static String progressLine(Epoch epoch, double etaSeconds) {
        int width = Integer.toString(epoch.of()).length();
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT, "epoch %" + width + "d/%d  loss %.4g", epoch.number(), epoch.of(), epoch.loss()));
        if (epoch.hasValidation()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  val_loss %.4g  val_%s %.4f",
                    epoch.validationLoss(),
                    epoch.metric().label(),
                    epoch.validationMetric()));
        }
        List<String> layers = epoch.gradientLayers();
        if (layers.size() == 1) {
            sb.append(String.format(Locale.ROOT, "  grad_norm %.3g", epoch.gradientNorm(layers.get(0))));
        } else if (layers.size() > 1) {
            String smallest = layers.get(0);
            String largest = layers.get(0);
            for (String layer : layers) {
                if (epoch.gradientNorm(layer) < epoch.gradientNorm(smallest)) {
                    smallest = layer;
                }
                if (epoch.gradientNorm(layer) > epoch.gradientNorm(largest)) {
                    largest = layer;
                }
            }
            sb.append(String.format(Locale.ROOT, "  grad %.1e (%s/%s)", epoch.gradientNormRatio(), smallest, largest));
        }
        sb.append(String.format(Locale.ROOT, "  %.0f samples/s  ETA %s", epoch.samplesPerSecond(), clock(etaSeconds)));
        return sb.toString();
    }

    /** Seconds as {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
