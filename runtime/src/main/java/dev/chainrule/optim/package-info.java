/**
 * Training: first-order optimizers that update a model's flat parameter array from its flat
 * gradient array, learning-rate schedules, and Levenberg-Marquardt for small networks.
 *
 * <pre>{@code
 * Optimizer adam = Adam.of(1e-3).clipNorm(1.0).l2(1e-4);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     model.zeroGradients();
 *     float loss = model.accumulateGradientsBatch(inputs, targets, rows);
 *     adam.step(model.parameters(), model.gradients(), loss);   // the loss serves Rprop; Adam ignores it
 *     double total = loss + adam.penalty(model.parameters());   // the loss actually minimised
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.chainrule.optim.Optimizer}: the contract, for {@code float[]} and {@code double[]}.
 *   <li>{@link dev.chainrule.optim.Sgd}, {@link dev.chainrule.optim.Adagrad}, {@link
 *       dev.chainrule.optim.RmsProp}, {@link dev.chainrule.optim.Adam}, {@link
 *       dev.chainrule.optim.AdamW}: learning-rate methods, driven by a {@link
 *       dev.chainrule.optim.LearningRateSchedule}.
 *   <li>{@link dev.chainrule.optim.Rprop}: iRprop+, full-batch, needs the loss.
 *   <li>{@link dev.chainrule.optim.LevenbergMarquardt}: second-order full-batch least squares.
 * </ul>
 *
 * Every optimizer is an immutable configuration plus the state it owns: the fluent methods
 * ({@code Adam.of(1e-3).beta1(0.8)}) return a new optimizer with fresh state.
 */
package dev.chainrule.optim;
