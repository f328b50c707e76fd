package dev.chainrule.benchmarks.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.chainrule.benchmarks.Agreement;
import dev.chainrule.benchmarks.Workload;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ONNX Runtime 1.29 (CPU, float) predicting one sample with the same weights as Chainrule,
 * written as an ONNX model by {@link OnnxModelWriter}: the dense networks, the convolutional
 * ones ({@code Conv}, {@code MaxPool}, {@code Flatten}, {@code Gemm}) and the recurrent one
 * ({@code LSTM}, its gates reordered to ONNX's), whose streaming step is timed too. Inference only: ONNX
 * Runtime's Java API does not train.
 *
 * <p>The session runs on one intra-op and one inter-op thread, sequentially, with all graph
 * optimisations. The input and output tensors wrap direct buffers created once (the output is
 * pinned), so a call copies the sample in, runs the graph and copies the probabilities out:
 * the cheapest way the Java API offers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OnnxRuntimeBenchmark {

    /** Single-sample prediction. */
    @State(Scope.Thread)
    public static class Prediction {
        @Param({"784-128-10", "4-16-3", "lenet5", "cnn32x64", "lstm28"})
        public String network;

        OrtSession session;
        FloatBuffer inputBuffer;
        FloatBuffer outputBuffer;
        Map<String, OnnxTensor> inputs;
        Map<String, OnnxTensor> outputs;
        float[] x;
        float[] out;

        @Setup
        public void setUp() throws OrtException {
            Workload workload = Workload.parse(network);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            session = session(workload, workload.newChainruleModel().parameters());
            inputBuffer = direct(workload.inputSize());
            outputBuffer = direct(workload.outputSize());
            inputs = Map.of(OnnxModelWriter.INPUT,
                    OnnxTensor.createTensor(environment, inputBuffer, new long[] {1, workload.inputSize()}));
            outputs = Map.of(OnnxModelWriter.OUTPUT,
                    OnnxTensor.createTensor(environment, outputBuffer, new long[] {1, workload.outputSize()}));
            x = workload.inputs();
            out = new float[workload.outputSize()];
            Agreement.requireSameOutputs("ONNX Runtime", Agreement.chainruleOutputs(workload, x), run(this));
        }

        @TearDown
        public void tearDown() throws OrtException {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
            session.close();
        }

        static FloatBuffer direct(int floats) {
            return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    @Benchmark
    public float[] predict(Prediction state) throws OrtException {
        return run(state);
    }

    /**
     * One streaming step of a recurrent network ({@link OnnxModelWriter#writeStep}): the state
     * and cell are graph inputs and outputs, and each call copies the step in, runs the graph
     * into pinned output buffers and copies the next state and cell back into the input buffers,
     * as Chainrule's {@code RecurrentState} carries them. The setup checks that 28 steps from a
     * zero state give Chainrule's outputs for the sequence.
     */
    @State(Scope.Thread)
    public static class Streaming {
        @Param({"lstm28"})
        public String stream;

        OrtSession session;
        FloatBuffer stepBuffer;
        FloatBuffer hBuffer;
        FloatBuffer cBuffer;
        FloatBuffer outputBuffer;
        FloatBuffer nextHBuffer;
        FloatBuffer nextCBuffer;
        Map<String, OnnxTensor> inputs;
        Map<String, OnnxTensor> outputs;
        float[] x;
        float[] carry;
        float[] out;

        @Setup
        public void setUp() throws OrtException {
            Workload workload = Workload.parse(stream);
            dev.chainrule.FloatStreamingModel model = (dev.chainrule.FloatStreamingModel) workload.newChainruleModel();
            int features = model.stepInputSize();
            int units = workload.spec().layers().get(1).size();
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            session = session(OnnxModelWriter.writeStep(workload, model.parameters()));
            stepBuffer = Prediction.direct(features);
            hBuffer = Prediction.direct(units);
            cBuffer = Prediction.direct(units);
            outputBuffer = Prediction.direct(workload.outputSize());
            nextHBuffer = Prediction.direct(units);
            nextCBuffer = Prediction.direct(units);
            long[] stateShape = {1, 1, units};
            inputs = Map.of(
                    OnnxModelWriter.STEP_INPUT, OnnxTensor.createTensor(environment, stepBuffer, new long[] {1, features}),
                    OnnxModelWriter.STATE_H, OnnxTensor.createTensor(environment, hBuffer, stateShape),
                    OnnxModelWriter.STATE_C, OnnxTensor.createTensor(environment, cBuffer, stateShape));
            outputs = Map.of(
                    OnnxModelWriter.OUTPUT, OnnxTensor.createTensor(environment, outputBuffer, new long[] {1, workload.outputSize()}),
                    OnnxModelWriter.NEXT_H, OnnxTensor.createTensor(environment, nextHBuffer, stateShape),
                    OnnxModelWriter.NEXT_C, OnnxTensor.createTensor(environment, nextCBuffer, stateShape));
            carry = new float[units];
            out = new float[workload.outputSize()];
            float[] sequence = workload.inputs();
            for (int t = 0; t < sequence.length / features; t++) {
                x = Workload.row(sequence, features, t);
                advance(this);
            }
            Agreement.requireSameOutputs("ONNX Runtime's step, " + sequence.length / features + " times",
                    Agreement.chainruleOutputs(workload, sequence), out);
            x = Workload.row(sequence, features, 0);
        }

        @TearDown
        public void tearDown() throws OrtException {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
            session.close();
        }
    }

    @Benchmark
    public float[] step(Streaming state) throws OrtException {
        return advance(state);
    }

    /** Copies the step in, runs the graph, copies the probabilities out and the next state and cell back in. */
    static float[] advance(Streaming state) throws OrtException {
        state.stepBuffer.clear();
        state.stepBuffer.put(state.x);
        try (OrtSession.Result ignored = state.session.run(state.inputs, state.outputs)) {
            state.outputBuffer.clear();
            state.outputBuffer.get(state.out);
            state.nextHBuffer.clear();
            state.nextHBuffer.get(state.carry);
            state.hBuffer.clear();
            state.hBuffer.put(state.carry);
            state.nextCBuffer.clear();
            state.nextCBuffer.get(state.carry);
            state.cBuffer.clear();
            state.cBuffer.put(state.carry);
        }
        return state.out;
    }

    /**
     * A session of {@code workload}'s network with {@code parameters} (Chainrule's layout): one
     * intra-op and one inter-op thread, sequential, all graph optimisations.
     */
    static OrtSession session(Workload workload, float[] parameters) throws OrtException {
        return session(OnnxModelWriter.write(workload, parameters));
    }

    /** A session of the serialised ONNX {@code model}, on one thread as above. */
    static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(model, options);
        }
    }

    /** One sample's probabilities from a fresh session of {@code workload} with {@code parameters}. */
    static float[] predictOnce(Workload workload, float[] parameters, float[] x) throws OrtException {
        try (OrtSession session = session(workload, parameters);
                OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(x),
                        new long[] {1, workload.inputSize()});
                OrtSession.Result result = session.run(Map.of(OnnxModelWriter.INPUT, input))) {
            return ((float[][]) result.get(0).getValue())[0];
        }
    }

    /** Copies the sample in, runs the graph, copies the probabilities out. */
    static float[] run(Prediction state) throws OrtException {
        state.inputBuffer.clear();
        state.inputBuffer.put(state.x);
        try (OrtSession.Result ignored = state.session.run(state.inputs, state.outputs)) {
            state.outputBuffer.clear();
            state.outputBuffer.get(state.out);
        }
        return state.out;
    }
}
