/**
 * Training data for Chainrule models: in-memory datasets, loaders, splits, mini-batches and
 * preprocessing.
 *
 * <h2>Datasets</h2>
 * {@link dev.chainrule.data.Dataset} ({@code float}) and {@link dev.chainrule.data.DoubleDataset}
 * ({@code double}) hold feature rows and target rows in row-major flat arrays, the layout the
 * batch methods of {@link dev.chainrule.FloatModel} and {@link dev.chainrule.DoubleModel} take,
 * and optionally one class label per row. Both are immutable: every operation (subset, shuffle,
 * split, preprocessing) returns a new dataset, and {@code toDouble()} / {@code toFloat()} convert
 * between the two. Everything that only moves rows around lives once, in {@link
 * dev.chainrule.data.AbstractDataset}.
 *
 * <h2>Loading</h2>
 * {@link dev.chainrule.data.Csv} reads delimited text, {@link dev.chainrule.data.Idx} the IDX
 * format of MNIST and Fashion-MNIST; both read gzip'd files transparently (recognised by their
 * magic bytes, not by their name). A malformed file fails with a {@link
 * dev.chainrule.data.DataFormatException} saying which file, where, and what is wrong.
 *
 * <h2>Training loop</h2>
 * {@link dev.chainrule.data.Batches} fills reusable row-major buffers from a freshly shuffled
 * order each epoch and allocates nothing per batch:
 * <pre>{@code
 * Batches batches = train.batches(64, 42L);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     while (batches.next()) {
 *         model.zeroGradients();
 *         model.accumulateGradientsBatch(batches);
 *         // optimizer step
 *     }
 * }
 * }</pre>
 *
 * <h2>Preprocessing</h2>
 * A {@link dev.chainrule.data.FeatureScaler} ({@link dev.chainrule.data.Standardizer} or {@link
 * dev.chainrule.data.MinMaxScaler}) is fitted on the training part only and then applied to every
 * part, and to single rows at serving time (in place, without allocating). It saves itself next
 * to a model with {@code writeTo(DataOutput)} and comes back with {@link
 * dev.chainrule.data.FeatureScaler#readFrom(java.io.DataInput)}. A {@link
 * dev.chainrule.data.TargetScaler} standardises regression targets the same way and maps
 * predictions back with its inverse.
 *
 * <h2>Splits</h2>
 * {@code split}, {@code stratifiedSplit} (by class) and {@code binnedSplit} (by quantile bins of
 * a regression target) divide a dataset into training, validation and test parts ({@link
 * dev.chainrule.data.Split}); {@code kFold}, {@code stratifiedKFold} and {@code binnedKFold}
 * into the {@link dev.chainrule.data.Fold folds} of a cross-validation. All are seeded.
 */
package dev.chainrule.data;
