package dev.chainrule.benchmarks.peers;

import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.Workload;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import weka.classifiers.functions.MultilayerPerceptron;
import weka.classifiers.functions.neural.NeuralConnection;
import weka.classifiers.functions.neural.NeuralNode;
import weka.core.Attribute;
import weka.core.DenseInstance;
import weka.core.Instance;
import weka.core.Instances;

/**
 * Weka 3.8.7's {@code MultilayerPerceptron} on its own terms. It has only sigmoid units, so it
 * cannot compute the relu/softmax networks of the other benchmarks; here it predicts one sample
 * of a 784-128-10 network with sigmoid hidden and output units ({@link MnistSigmoid}), whose
 * class distribution is the output units' values divided by their sum. Chainrule computes the
 * same function for comparison ({@code chainrule}: predict, then the same normalisation). Weka
 * computes in double, and {@code distributionForInstance} also passes each instance through its
 * missing-value filter, as every Weka user's call does.
 *
 * <p>There is no training step: Weka updates the weights after every instance (no mini-batch
 * step to compare with), and its only way to train, {@code buildClassifier}, builds and
 * initialises a new network each time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WekaBenchmark {

    /** Single-sample prediction with a sigmoid network. */
    @State(Scope.Thread)
    public static class Prediction {
        /** The sigmoid network; only the one {@link MnistSigmoid} declares. */
        @Param({"784-128-10"})
        public String sigmoidNetwork;

        MnistSigmoidModel chainrule;
        MultilayerPerceptron weka;
        Instance instance;
        float[] x;
        float[] out;

        @Setup
        public void setUp() throws Exception {
            Workload workload = Workload.parse(sigmoidNetwork);
            if (!workload.network().equals("784-128-10")) {
                throw new IllegalArgumentException("Weka's benchmark has only the 784-128-10 sigmoid network, not " + sigmoidNetwork);
            }
            chainrule = new MnistSigmoidModel(Workload.SEED);
            Instances header = header(workload);
            weka = network(workload, header, chainrule.parameters());
            x = workload.inputs();
            out = new float[workload.outputSize()];
            double[] values = new double[workload.inputSize() + 1];
            for (int i = 0; i < workload.inputSize(); i++) {
                values[i] = x[i];
            }
            instance = new DenseInstance(1, values);
            instance.setDataset(header);
            float[] expected = chainruleDistribution(this).clone();
            Agreement.requireSameOutputs("Weka", expected, weka.distributionForInstance(instance));
        }
    }

    @Benchmark
    public double[] predict(Prediction state) throws Exception {
        return state.weka.distributionForInstance(state.instance);
    }

    @Benchmark
    public float[] chainrule(Prediction state) {
        return chainruleDistribution(state);
    }

    /** Chainrule's sigmoid outputs divided by their sum, as Weka reports them. */
    static float[] chainruleDistribution(Prediction state) {
        state.chainrule.predict(state.x, state.out);
        float total = 0;
        for (float v : state.out) {
            total += v;
        }
        for (int k = 0; k < state.out.length; k++) {
            state.out[k] /= total;
        }
        return state.out;
    }

    /** Numeric attributes p0, p1, ... and a nominal class c0, c1, ... as the last attribute. */
    private static Instances header(Workload workload) {
        ArrayList<Attribute> attributes = new ArrayList<>();
        for (int i = 0; i < workload.inputSize(); i++) {
            attributes.add(new Attribute("p" + i));
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < workload.outputSize(); c++) {
            classes.add("c" + c);
        }
        attributes.add(new Attribute("class", classes));
        Instances header = new Instances("workload", attributes, 0);
        header.setClassIndex(workload.inputSize());
        return header;
    }

    /**
     * A Weka perceptron of the sigmoid network holding {@code parameters} (Chainrule's layout):
     * built by one epoch over a few samples, with input normalisation and filters off, then its
     * weights overwritten. A node's weight 0 is its bias, weight {@code k + 1} that of its
     * input {@code k}; Weka names input ends after their attribute ({@code p17}) and output ends
     * after their class ({@code c3}).
     */
    private static MultilayerPerceptron network(Workload workload, Instances header, float[] parameters) throws Exception {
        Instances data = new Instances(header, 0);
        float[] inputs = Workload.parse(workload.network() + ":4").inputs();
        for (int r = 0; r < 4; r++) {
            double[] values = new double[workload.inputSize() + 1];
            for (int i = 0; i < workload.inputSize(); i++) {
                values[i] = inputs[r * workload.inputSize() + i];
            }
            values[workload.inputSize()] = r % workload.outputSize();
            data.add(new DenseInstance(1, values));
        }
        MultilayerPerceptron mlp = new MultilayerPerceptron();
        mlp.setHiddenLayers(Integer.toString(workload.sizes()[1]));
        mlp.setTrainingTime(1);
        mlp.setValidationSetSize(0);
        mlp.setNormalizeAttributes(false);
        mlp.setNominalToBinaryFilter(false);
        mlp.setDecay(false);
        mlp.setReset(false);
        mlp.setSeed(0);
        mlp.buildClassifier(data);

        NeuralConnection[] ends = (NeuralConnection[]) read(mlp, "m_outputs");
        NeuralConnection firstOutput = ends[0].getInputs()[0];
        int units = workload.sizes()[1];
        if (firstOutput.getNumInputs() != units) {
            throw new IllegalStateException("Weka's output unit has " + firstOutput.getNumInputs() + " inputs, expected " + units + " hidden units");
        }
        // Weka's connection arrays have spare room beyond getNumInputs().
        NeuralConnection[] hidden = java.util.Arrays.copyOf(firstOutput.getInputs(), units);
        for (int j = 0; j < units; j++) {
            NeuralNode node = (NeuralNode) hidden[j];
            double[] weights = node.getWeights();
            NeuralConnection[] in = node.getInputs();
            weights[0] = parameters[workload.biasIndex(0, j)];
            for (int k = 0; k < node.getNumInputs(); k++) {
                int attribute = Integer.parseInt(in[k].getId().substring(1));
                weights[k + 1] = parameters[workload.weightIndex(0, attribute, j)];
            }
        }
        for (NeuralConnection end : ends) {
            int c = Integer.parseInt(end.getId().substring(1));
            NeuralNode node = (NeuralNode) end.getInputs()[0];
            double[] weights = node.getWeights();
            NeuralConnection[] in = node.getInputs();
            weights[0] = parameters[workload.biasIndex(1, c)];
            for (int k = 0; k < node.getNumInputs(); k++) {
                weights[k + 1] = parameters[workload.weightIndex(1, indexOf(hidden, in[k]), c)];
            }
        }
        return mlp;
    }

    private static int indexOf(NeuralConnection[] nodes, NeuralConnection node) {
        for (int j = 0; j < nodes.length; j++) {
            if (nodes[j] == node) {
                return j;
            }
        }
        throw new IllegalStateException("Weka output unit reads a node that is not a hidden unit: " + node.getId());
    }

    private static Object read(MultilayerPerceptron mlp, String name) {
        try {
            Field field = MultilayerPerceptron.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(mlp);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read Weka's MultilayerPerceptron." + name + " (the benchmark expects Weka 3.8.7)", e);
        }
    }
}
