package dev.chainrule.data;

/**
 * One fold of a cross-validation: the rows to train on and the rows to validate on, which
 * together hold every row once. Made by {@link AbstractDataset#kFold}, {@link
 * AbstractDataset#stratifiedKFold} and {@link AbstractDataset#binnedKFold}.
 *
 * @param <D> {@link Dataset} or {@link DoubleDataset}
 * @param index the fold's number, from 0
 * @param train the rows of every other fold
 * @param validation this fold's rows
 */
public record Fold<D extends AbstractDataset<D>>(int index, D train, D validation) {}
