/**
 * Training Chainrule models: the loop, its figures, and scores.
 *
 * <ul>
 *   <li>{@link dev.chainrule.train.Trainer} runs mini-batch training with any {@link
 *       dev.chainrule.optim.Optimizer}: seeded batch order, validation each epoch, early stopping
 *       that restores the best parameters, a target loss, a guard against divergence, a progress
 *       line per epoch and {@link dev.chainrule.train.TrainingListener}s.
 *   <li>{@link dev.chainrule.train.History} holds what happened, epoch by epoch ({@link
 *       dev.chainrule.train.Epoch}), as a table, a CSV file and an SVG chart.
 *   <li>{@link dev.chainrule.train.Metrics} scores a model on a dataset, or raw predictions:
 *       {@link dev.chainrule.train.Evaluation} (loss, accuracy, MSE, MAE, R²) and {@link
 *       dev.chainrule.train.ConfusionMatrix} (per-class precision, recall, F1).
 * </ul>
 *
 * Float and double models share one implementation; the only precision-specific code is the
 * glue that hands arrays to the model and the optimizer.
 */
package dev.chainrule.train;
