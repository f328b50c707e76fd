package dev.chainrule.data;

/**
 * A dataset divided into disjoint training, validation and test parts that together hold every
 * row once. Made by {@link AbstractDataset#split}, {@link AbstractDataset#stratifiedSplit} and
 * {@link AbstractDataset#binnedSplit}; {@link Fold} holds one fold of a cross-validation.
 *
 * @param <D> {@link Dataset} or {@link DoubleDataset}
 * @param train the rows to fit parameters and preprocessing on
 * @param validation the rows to choose hyperparameters and stop early on (may be empty)
 * @param test the rows to report the final score on (may be empty)
 */
public record Split<D extends AbstractDataset<D>>(D train, D validation, D test) {}
