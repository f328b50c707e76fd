package dev.chainrule.benchmarks.peers;

import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.Workload;
import java.util.concurrent.TimeUnit;
import org.encog.engine.network.activation.ActivationFunction;
import org.encog.engine.network.activation.ActivationReLU;
import org.encog.engine.network.activation.ActivationSoftMax;
import org.encog.ml.data.basic.BasicMLDataSet;
import org.encog.neural.networks.BasicNetwork;
import org.encog.neural.networks.layers.BasicLayer;
import org.encog.neural.networks.training.propagation.back.Backpropagation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encog 3.4 ({@code BasicNetwork}, which computes in double) on the same workloads as {@link
 * dev.chainrule.benchmarks.PredictBenchmark} and {@link dev.chainrule.benchmarks.TrainingStepBenchmark}.
 *
 * <p>Training is Encog's {@code Backpropagation} on one thread, over a data set holding exactly
 * one batch, so one {@code iteration()} is one full-batch step. Encog sums the gradients of the
 * batch where Chainrule averages them, so its learning rate is Chainrule's divided by the batch
 * size; with momentum 0 and the flat-spot fix off, the step is then the same, which the setup
 * checks.
 *
 * <p>Encog 3.4's backpropagation takes the derivative of each hidden layer's activation from the
 * activation function of the layer <em>above</em> it ({@code GradientWorker.processLevel} reads
 * {@code activationFunctions[currentLevel]}, one layer up from the one whose deltas it
 * computes). Under a softmax output, whose derivative Encog gives as 1, the last hidden layer's
 * relu would then pass every delta through, a different gradient. The output layer here is
 * therefore {@link SoftMaxOverRelu}: Encog's softmax, with a derivative that is 1 for the output
 * units and the relu's for the hidden units below it, so Encog computes the true gradient with
 * its own code; deeper hidden layers get the relu's derivative from the relu layer above them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncogBenchmark {

    /** Single-sample prediction. */
    @State(Scope.Thread)
    public static class Prediction {
        @Param({"784-128-10", "4-16-3"})
        public String network;

        BasicNetwork encog;
        double[] x;
        double[] out;

        @Setup
        public void setUp() {
            Workload workload = Workload.parse(network);
            encog = network(workload, workload.newChainruleModel().parameters());
            float[] input = workload.inputs();
            x = Workload.toDouble(input);
            out = new double[workload.outputSize()];
            encog.compute(x, out);
            Agreement.requireSameOutputs("Encog", Agreement.chainruleOutputs(workload, input), out);
        }
    }

    /** One training step. */
    @State(Scope.Thread)
    public static class Training {
        @Param({"784-128-10:32", "784-512-512-10:64"})
        public String step;

        Backpropagation training;

        @Setup
        public void setUp() {
            Workload workload = Workload.parse(step);
            float[] before = workload.newChainruleModel().parameters();
            BasicNetwork encog = network(workload, before);
            double[][] inputs = Workload.doubleRows(workload.inputs(), workload.inputSize());
            double[][] targets = Workload.doubleRows(workload.oneHotTargets(), workload.outputSize());
            training = new Backpropagation(encog, new BasicMLDataSet(inputs, targets),
                    (double) Workload.LEARNING_RATE / workload.batch(), 0);
            training.setThreadCount(1);
            training.setBatchSize(0);
            training.fixFlatSpot(false);
            training.iteration();
            Agreement.requireSameStep("Encog", before, Agreement.chainruleStep(workload), parameters(workload, encog));
        }
    }

    @Benchmark
    public double[] predict(Prediction state) {
        state.encog.compute(state.x, state.out);
        return state.out;
    }

    @Benchmark
    public double trainingStep(Training state) {
        state.training.iteration();
        return state.training.getError();
    }

    /** An Encog network of {@code workload}'s shape holding {@code parameters} (Chainrule's layout). */
    static BasicNetwork network(Workload workload, float[] parameters) {
        int[] sizes = workload.sizes();
        int layers = workload.denseLayers();
        BasicNetwork network = new BasicNetwork();
        network.addLayer(new BasicLayer(null, true, sizes[0]));
        for (int l = 1; l < layers; l++) {
            network.addLayer(new BasicLayer(new ActivationReLU(), true, sizes[l]));
        }
        network.addLayer(new BasicLayer(new SoftMaxOverRelu(), false, sizes[layers]));
        network.getStructure().finalizeStructure();
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    network.setWeight(l, i, j, parameters[workload.weightIndex(l, i, j)]);
                }
                // Encog's bias is the weight from an extra neuron after the layer's last one.
                network.setWeight(l, sizes[l], j, parameters[workload.biasIndex(l, j)]);
            }
        }
        return network;
    }

    /**
     * Encog's softmax, with the derivative Encog's backpropagation needs from the output layer's
     * function: 1 for the output units themselves (softmax with Encog's linear error gives the
     * cross-entropy delta) and, for the relu units of the layer below, which Encog also
     * differentiates with this function, the relu's derivative. The two are told apart by the
     * activation: a softmax output is never exactly 0, an inactive relu unit always is.
     */
    public static final class SoftMaxOverRelu implements ActivationFunction {
        private static final long serialVersionUID = 1L;
        private final ActivationSoftMax softmax = new ActivationSoftMax();

        @Override
        public void activationFunction(double[] values, int start, int size) {
            softmax.activationFunction(values, start, size);
        }

        @Override
        public double derivativeFunction(double sum, double activation) {
            return activation == 0 ? 0 : 1;
        }

        @Override
        public boolean hasDerivative() {
            return true;
        }

        @Override
        public double[] getParams() {
            return softmax.getParams();
        }

        @Override
        public void setParam(int index, double value) {
            softmax.setParam(index, value);
        }

        @Override
        public String[] getParamNames() {
            return softmax.getParamNames();
        }

        @Override
        public ActivationFunction clone() {
            return new SoftMaxOverRelu();
        }

        @Override
        public String getFactoryCode() {
            return softmax.getFactoryCode();
        }

        @Override
        public String getLabel() {
            return softmax.getLabel();
        }
    }

    /** The network's parameters in Chainrule's layout. */
    static double[] parameters(Workload workload, BasicNetwork network) {
        int[] sizes = workload.sizes();
        double[] parameters = new double[workload.parameterCount()];
        for (int l = 0; l < workload.denseLayers(); l++) {
            for (int j = 0; j < sizes[l + 1]; j++) {
                for (int i = 0; i < sizes[l]; i++) {
                    parameters[workload.weightIndex(l, i, j)] = network.getWeight(l, i, j);
                }
                parameters[workload.biasIndex(l, j)] = network.getWeight(l, sizes[l], j);
            }
        }
        return parameters;
    }
}
