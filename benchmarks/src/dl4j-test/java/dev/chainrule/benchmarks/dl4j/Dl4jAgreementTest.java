package dev.chainrule.benchmarks.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.chainrule.benchmarks.Workload;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DL4J computes Chainrule's outputs and takes Chainrule's training step from the same weights:
 * the benchmark's own setup checks, on every workload it times ({@code mvn -Pdl4j test}).
 */
class Dl4jAgreementTest {

    @ParameterizedTest
    @ValueSource(strings = {"784-128-10", "4-16-3", "lenet5", "cnn32x64", "lstm28"})
    void predictionAgreesWithChainrule(String network) {
        Dl4jBenchmark.Prediction state = new Dl4jBenchmark.Prediction();
        state.network = network;
        state.setUp(); // throws unless the outputs agree
    }

    @ParameterizedTest
    @ValueSource(strings = {"784-128-10:32", "lenet5:64", "cnn32x64:64", "lstm28:64"})
    void trainingStepAgreesWithChainrule(String step) {
        Dl4jBenchmark.Training state = new Dl4jBenchmark.Training();
        state.step = step;
        state.setUp(); // throws unless one step moves every parameter as Chainrule's does
    }

    @ParameterizedTest
    @ValueSource(strings = {"4-16-3", "lenet5", "lstm28"})
    void parametersGoInAndComeBackInChainrulesLayout(String network) {
        Workload workload = Workload.parse(network);
        float[] parameters = workload.newChainruleModel().parameters();
        MultiLayerNetwork dl4j = Dl4jBenchmark.network(workload, parameters);
        assertArrayEquals(Workload.toDouble(parameters), Dl4jBenchmark.parameters(workload, dl4j));
    }
}
