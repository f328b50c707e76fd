package dev.chainrule.processor.testing;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.LayerSpec.Kind;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks of recurrent layers: every kind returning its last state (read by a dense layer) and
 * its whole sequence (read by another recurrent layer, or by a dense layer as flat features, or
 * as the network's output), one step, one unit, a longer sequence, a stack of all three kinds,
 * a layer wide enough (40 units, 160 gate rows) to cross the vector kernels' vector loops, and
 * dense layers per step (many-to-many: a softmax per step with cross-entropy, mean squared error
 * through a softmax per step, one reading the input, two in a row).
 */
public final class SequenceNetworks {
    private SequenceNetworks() {}

    static LayerSpec.RecurrentSpec rnn(String name, Kind kind, int units, Activation activation, boolean sequences) {
        return new LayerSpec.RecurrentSpec(name, kind, units, activation, sequences);
    }

    static LayerSpec.RecurrentSpec rnn(String name, Kind kind, int units, boolean sequences) {
        return rnn(name, kind, units, Activation.TANH, sequences);
    }

    static LayerSpec.StepDenseSpec step(String name, int units, Activation activation) {
        return new LayerSpec.StepDenseSpec(name, units, activation);
    }

    /** The networks, each in both precisions. */
    public static List<NetworkSource> sources(String packageName) {
        List<NetworkSource> sources = new ArrayList<>();
        int index = 0;
        for (Precision precision : Precision.values()) {
            for (int n = 0; n < 14; n++) {
                Object[] network = network(n);
                @SuppressWarnings("unchecked")
                List<LayerSpec> layers = (List<LayerSpec>) network[1];
                sources.add(new NetworkSource(packageName, "Seq" + index, (Loss) network[0], precision, layers));
                index++;
            }
        }
        return sources;
    }

    private static Object[] network(int n) {
        return switch (n) {
            case 0 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            rnn("R", Kind.SIMPLE_RNN, 5, false),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))
                };
            case 1 ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.sequence("IN", 5, 2),
                            rnn("R", Kind.SIMPLE_RNN, 4, Activation.RELU, true),
                            rnn("R2", Kind.SIMPLE_RNN, 3, false),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))
                };
            case 2 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            rnn("L", Kind.LSTM, 5, false),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))
                };
            case 3 ->
                new Object[] {
                    Loss.BINARY_CROSS_ENTROPY,
                    List.of(
                            LayerSpec.sequence("IN", 3, 4),
                            rnn("L", Kind.LSTM, 4, true),
                            LayerSpec.dense("OUT", 2, Activation.SIGMOID))
                };
            case 4 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            rnn("G", Kind.GRU, 5, false),
                            LayerSpec.dense("OUT", 2, Activation.TANH))
                };
            case 5 ->
                new Object[] {
                    Loss.MSE,
                    List.of(LayerSpec.sequence("IN", 3, 2), rnn("G", Kind.GRU, 3, true), rnn("OUT", Kind.GRU, 2, true))
                };
            case 6 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 1, 3),
                            rnn("L", Kind.LSTM, 1, false),
                            LayerSpec.dense("OUT", 1, Activation.IDENTITY))
                };
            case 7 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 30, 1),
                            rnn("G", Kind.GRU, 3, false),
                            LayerSpec.dense("OUT", 1, Activation.IDENTITY))
                };
            case 8 ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            rnn("R", Kind.SIMPLE_RNN, 4, true),
                            rnn("L", Kind.LSTM, 3, true),
                            rnn("G", Kind.GRU, 4, false),
                            LayerSpec.dense("OUT", 3, Activation.SOFTMAX))
                };
            case 9 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 3, 40),
                            rnn("L", Kind.LSTM, 40, false),
                            LayerSpec.dense("OUT", 2, Activation.IDENTITY))
                };
            case 10 ->
                new Object[] {
                    Loss.CROSS_ENTROPY,
                    List.of(
                            LayerSpec.sequence("IN", 4, 3),
                            rnn("G", Kind.GRU, 5, true),
                            step("OUT", 3, Activation.SOFTMAX))
                };
            case 11 ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 5, 3),
                            step("S", 4, Activation.TANH),
                            rnn("R", Kind.SIMPLE_RNN, 4, true),
                            step("OUT", 2, Activation.IDENTITY))
                };
            case 12 ->
                new Object[] {
                    Loss.BINARY_CROSS_ENTROPY,
                    List.of(
                            LayerSpec.sequence("IN", 3, 2),
                            rnn("L", Kind.LSTM, 4, true),
                            step("H", 3, Activation.RELU),
                            step("OUT", 2, Activation.SIGMOID))
                };
            default ->
                new Object[] {
                    Loss.MSE,
                    List.of(
                            LayerSpec.sequence("IN", 4, 2),
                            rnn("L", Kind.LSTM, 3, true),
                            step("OUT", 3, Activation.SOFTMAX))
                };
        };
    }
}
