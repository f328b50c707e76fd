package dev.chainrule.train;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.NetworkSpec;
import dev.chainrule.Precision;
import java.util.List;

/**
 * Linear models {@code y = W x + b} written by hand, with the mean squared error {@code L =
 * (1/K) sum_k (y_k - t_k)^2}, in both precisions ({@link FloatLinear} and its generated twin
 * {@code DoubleLinear}): enough of a network to test the training loop without generated code.
 * Parameters: {@code W} input-major ({@code W[i][j]} at {@code i * K + j}, the {@link
 * dev.chainrule.Model} layout), then {@code b}. The gradient of one sample is {@code dL/dW[i][j]
 * = g_j x_i}, {@code dL/db_j = g_j} with {@code g_j = (2/K)(y_j - t_j)}.
 *
 * <p>They record whether they were in training mode when asked to train and to predict.
 */
final class LinearModels {
    private LinearModels() {}

    static NetworkSpec spec(Precision precision, int inputs, int outputs) {
        return new NetworkSpec(
                "test.Linear",
                precision,
                Loss.MSE,
                List.of(LayerSpec.input("IN", inputs), LayerSpec.dense("OUT", outputs, Activation.IDENTITY)));
    }
}
