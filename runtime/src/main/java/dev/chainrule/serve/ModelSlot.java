package dev.chainrule.serve;

import dev.chainrule.Model;
import dev.chainrule.data.FeatureScaler;
import dev.chainrule.data.TargetScaler;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Holds the model a service predicts with, and lets one thread replace it while many others keep
 * predicting: a hot swap that never serves half of one model and half of another.
 *
 * <pre>{@code
 * ModelSlot<IrisModel> slot = new ModelSlot<>(IrisModel::withSharedParameters, model, scaler);
 * ThreadLocal<ModelSlot.Reader<IrisModel>> readers = ThreadLocal.withInitial(slot::reader);
 *
 * // on each request thread
 * ModelSlot.Reader<IrisModel> reader = readers.get();
 * IrisModel current = reader.acquire();   // this thread's instance of the newest model
 * reader.preprocess(row, 0);              // the scaling published with that model
 * current.predict(row, probabilities);
 *
 * // on the thread that reloads
 * IrisModel fresh = new IrisModel(0L);
 * slot.publish(fresh, Preprocessing.load(file, fresh));
 * }</pre>
 *
 * <h2>Regression models with a target scaler</h2>
 * A model trained on standardised targets predicts in scaled units. Publish it with the {@link
 * Preprocessing.Scalers} saved beside it, and {@link Reader#postprocess} maps each prediction back
 * to the target's units, in place and without allocating:
 * <pre>{@code
 * PricesModel model = new PricesModel(0L);
 * ModelSlot<PricesModel> slot = new ModelSlot<>(PricesModel::withSharedParameters, model,
 *         Preprocessing.loadScalers(file, model));
 *
 * // on each request thread
 * PricesModel current = reader.acquire();
 * reader.preprocess(row, 0);              // the feature scaling, if saved
 * current.predict(row, price);
 * reader.postprocess(price, 0);           // back to the target's units, if a target scaler was saved
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * <ul>
 *   <li>{@link #publish} may be called from any thread at any time. It replaces the published
 *       model and scaler together in a single volatile write; publishers are serialised among
 *       themselves, and readers never wait for them.
 *   <li>Publishing hands the model over. The slot does not copy the parameters, so after {@code
 *       publish} nobody may write them (no training, no {@code setParameters}, no loading into
 *       it): build and fill a new model, then publish it. Everything the publishing thread wrote
 *       before {@code publish}, the loaded parameters in particular, is visible to every reader
 *       that acquires the model (the volatile write and read order them).
 *   <li>A {@link Reader} belongs to one thread at a time; {@link #reader()} makes one for each
 *       thread. {@link Reader#acquire()} reads the published version once, without locking or
 *       allocating. When it has changed since the reader's previous call, the reader drops its
 *       instance of the old model and makes its own instance of the new one through the sibling
 *       function given to the constructor (normally {@code withSharedParameters()}): a new set
 *       of activation buffers over the published parameters. That is the only allocation, once
 *       per reader per swap. Siblings of one published model are made one at a time, because a
 *       model instance serves one thread at a time.
 *   <li>A reader serves one published model and its scaler from one {@code acquire} to the next:
 *       a request that began before a swap finishes on the old model, and the next {@code
 *       acquire} serves the new one. Whatever interleaving occurs, every prediction is the output
 *       of exactly one published model.
 * </ul>
 *
 * <p>Every model published must have the input and output sizes of the first, and a scaler
 * published with it must have been fitted on that many features (a target scaler on that many
 * outputs), so callers can size their arrays once.
 *
 * <p>Warm the first model up before taking traffic ({@code model.warmUp()}, see {@link
 * dev.chainrule.WarmUp}): until the JIT has compiled its code a model is slower, and on the
 * Vector API kernels it allocates. Compiled code serves every instance of the class, so models
 * published later need no warm-up of their own.
 *
 * @param <M> the type of model served, usually the generated class
 */
public final class ModelSlot<M extends Model> {

    /** One published model, its scalers and its version. */
    private static final class Entry<M extends Model> {
        final M model;
        final FeatureScaler scaler;
        final Optional<FeatureScaler> optionalScaler;
        final TargetScaler targetScaler;
        final Optional<TargetScaler> optionalTargetScaler;
        final long version;

        Entry(M model, Optional<FeatureScaler> scaler, Optional<TargetScaler> targetScaler, long version) {
            this.model = model;
            this.scaler = scaler.orElse(null);
            this.optionalScaler = scaler;
            this.targetScaler = targetScaler.orElse(null);
            this.optionalTargetScaler = targetScaler;
            this.version = version;
        }

        /** A new instance over this entry's parameters; one at a time, as a model serves one thread at a time. */
        synchronized M sibling(UnaryOperator<M> siblings) {
            return siblings.apply(model);
        }
    }

    private final UnaryOperator<M> siblings;
    private final int inputSize;
    private final int outputSize;
    private volatile Entry<M> current;
    private long lastVersion; // guarded by this

    /**
     * A slot serving {@code model}, preprocessed by {@code scaler} if present, as version 1.
     *
     * @param siblings makes a new instance that shares the given model's parameters and has
     *     buffers of its own, e.g. {@code IrisModel::withSharedParameters}
     * @throws IllegalArgumentException if {@code siblings} returns the model itself, or the
     *     scaler does not fit the model
     */
    public ModelSlot(UnaryOperator<M> siblings, M model, Optional<FeatureScaler> scaler) {
        this(siblings, model, new Preprocessing.Scalers(Objects.requireNonNull(scaler, "scaler"), Optional.empty()));
    }

    /**
     * A slot serving {@code model} behind both scalers saved with it, as {@link
     * Preprocessing#loadScalers} returns them, as version 1: {@link Reader#preprocess} applies the
     * feature scaler and {@link Reader#postprocess} maps predictions back through the target
     * scaler.
     *
     * @throws IllegalArgumentException if {@code siblings} returns the model itself, or a scaler
     *     does not fit the model
     */
    public ModelSlot(UnaryOperator<M> siblings, M model, Preprocessing.Scalers scalers) {
        this.siblings = Objects.requireNonNull(siblings, "siblings");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(scalers, "scalers");
        if (siblings.apply(model) == model) {
            throw new IllegalArgumentException("the sibling function returned the model itself; it must return a new"
                    + " instance with its own buffers, such as withSharedParameters() does");
        }
        this.inputSize = model.inputSize();
        this.outputSize = model.outputSize();
        publish(model, scalers);
    }

    /** A slot serving {@code model} without preprocessing; see {@link #ModelSlot(UnaryOperator, Model, Optional)}. */
    public ModelSlot(UnaryOperator<M> siblings, M model) {
        this(siblings, model, Optional.empty());
    }

    /**
     * Makes {@code model}, preprocessed by {@code scaler} if present, the model every reader
     * serves from its next {@link Reader#acquire()}. The caller must not write the model's
     * parameters afterwards.
     *
     * @return the new version number, one more than the previous
     * @throws IllegalArgumentException if the model's input or output size differs from the first
     *     model's, or the scaler was fitted on a different number of features; nothing changes then
     */
    public long publish(M model, Optional<FeatureScaler> scaler) {
        Objects.requireNonNull(scaler, "scaler");
        return publish(model, scaler, Optional.empty());
    }

    /**
     * Makes {@code model}, behind both scalers saved with it, the model every reader serves from
     * its next {@link Reader#acquire()}: {@link Reader#preprocess} then applies {@code
     * scalers.features()} and {@link Reader#postprocess} {@code scalers.targets()}, each if present.
     * The caller must not write the model's parameters afterwards.
     *
     * @return the new version number, one more than the previous
     * @throws IllegalArgumentException if the model's input or output size differs from the first
     *     model's, the feature scaler was fitted on a different number of features or the target
     *     scaler on a different number of targets than the model has outputs; nothing changes then
     */
    public long publish(M model, Preprocessing.Scalers scalers) {
        Objects.requireNonNull(scalers, "scalers");
        return publish(model, scalers.features(), scalers.targets());
    }

    private synchronized long publish(M model, Optional<FeatureScaler> scaler, Optional<TargetScaler> targets) {
        Objects.requireNonNull(model, "model");
        if (model.inputSize() != inputSize || model.outputSize() != outputSize) {
            throw new IllegalArgumentException("the new model takes " + model.inputSize() + " inputs and gives "
                    + model.outputSize() + " outputs (" + model.spec().describe() + "), but this slot serves "
                    + inputSize + " inputs and " + outputSize + " outputs");
        }
        if (scaler.isPresent() && scaler.get().featureCount() != inputSize) {
            throw new IllegalArgumentException("the scaler was fitted on "
                    + scaler.get().featureCount() + " features, but the model takes " + inputSize);
        }
        if (targets.isPresent() && targets.get().targetCount() != outputSize) {
            throw new IllegalArgumentException("the target scaler was fitted on "
                    + targets.get().targetCount() + " targets, but the model has " + outputSize + " outputs");
        }
        current = new Entry<>(model, scaler, targets, ++lastVersion);
        return lastVersion;
    }

    /** {@link #publish(Model, Optional)} without preprocessing. */
    public long publish(M model) {
        return publish(model, Optional.empty());
    }

    /** The version of the model published last; the first model is version 1. */
    public long version() {
        return current.version;
    }

    /**
     * A new reader, already holding its own instance of the current model: make one per thread
     * (for instance with {@code ThreadLocal.withInitial(slot::reader)}) and use it from that
     * thread only.
     */
    public Reader<M> reader() {
        return new Reader<>(this);
    }

    /**
     * One thread's view of a {@link ModelSlot}: the newest published model as of its last {@link
     * #acquire()}, as an instance of its own. Not thread-safe: one reader per thread.
     *
     * @param <M> the type of model served
     */
    public static final class Reader<M extends Model> {
        private final ModelSlot<M> slot;
        private Entry<M> pinned;
        private M model;

        private Reader(ModelSlot<M> slot) {
            this.slot = slot;
            pin(slot.current);
        }

        /**
         * This reader's instance of the newest published model. Checks the slot once; allocates
         * only if a new model was published since the previous call. {@link #version()}, {@link
         * #scaler()} and {@link #preprocess} then describe this model until the next call.
         */
        public M acquire() {
            Entry<M> latest = slot.current;
            if (latest != pinned) {
                pin(latest);
            }
            return model;
        }

        private void pin(Entry<M> entry) {
            model = entry.sibling(slot.siblings);
            pinned = entry;
        }

        /** The version of the model {@link #acquire()} last returned. */
        public long version() {
            return pinned.version;
        }

        /** The scaler published with the model {@link #acquire()} last returned, if any. */
        public Optional<FeatureScaler> scaler() {
            return pinned.optionalScaler;
        }

        /**
         * Rescales the features at {@code row[offset ..]} in place with the scaler published with
         * the model {@link #acquire()} last returned; does nothing if it has none. Allocates nothing.
         *
         * @throws IllegalArgumentException if the row does not hold the model's inputs from {@code offset}
         */
        public void preprocess(float[] row, int offset) {
            FeatureScaler scaler = pinned.scaler;
            if (scaler != null) {
                scaler.applyInPlace(row, offset);
            } else {
                checkRange(row.length, offset);
            }
        }

        /** Like {@link #preprocess(float[], int)}, in double. */
        public void preprocess(double[] row, int offset) {
            FeatureScaler scaler = pinned.scaler;
            if (scaler != null) {
                scaler.applyInPlace(row, offset);
            } else {
                checkRange(row.length, offset);
            }
        }

        /** The target scaler published with the model {@link #acquire()} last returned, if any. */
        public Optional<TargetScaler> targetScaler() {
            return pinned.optionalTargetScaler;
        }

        /**
         * Maps the model's outputs at {@code output[offset ..]}, predicted by the model {@link
         * #acquire()} last returned, back to the target's units in place with the target scaler
         * published with it ({@link TargetScaler#inverseInPlace(float[], int)}); does nothing if it
         * has none. Allocates nothing.
         *
         * @throws IllegalArgumentException if the array does not hold the model's outputs from {@code offset}
         */
        public void postprocess(float[] output, int offset) {
            TargetScaler scaler = pinned.targetScaler;
            if (scaler != null) {
                scaler.inverseInPlace(output, offset);
            } else {
                checkOutputRange(output.length, offset);
            }
        }

        /** Like {@link #postprocess(float[], int)}, in double. */
        public void postprocess(double[] output, int offset) {
            TargetScaler scaler = pinned.targetScaler;
            if (scaler != null) {
                scaler.inverseInPlace(output, offset);
            } else {
                checkOutputRange(output.length, offset);
            }
        }

        private void checkOutputRange(int length, int offset) {
            if (offset < 0 || offset > length - slot.outputSize) {
                throw new IllegalArgumentException("output of length " + length + " does not hold " + slot.outputSize
                        + " outputs from offset " + offset);
            }
        }

        private void checkRange(int length, int offset) {
            if (offset < 0 || offset > length - slot.inputSize) {
                throw new IllegalArgumentException("row of length " + length + " does not hold " + slot.inputSize
                        + " features from offset " + offset);
            }
        }
    }
}
