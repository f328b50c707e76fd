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
 * written as an ONNX model by {@link OnnxModelWriter}: the dense networks and the convolutional
 * ones ({@code Conv}, {@code MaxPool}, {@code Flatten}, {@code Gemm}). Inference only: ONNX
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
        @Param({"784-128-10", "4-16-3", "lenet5", "cnn32x64"})
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

        private static FloatBuffer direct(int floats) {
            return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    @Benchmark
    public float[] predict(Prediction state) throws OrtException {
        return run(state);
    }

    /**
     * A session of {@code workload}'s network with {@code parameters} (Chainrule's layout): one
     * intra-op and one inter-op thread, sequential, all graph optimisations.
     */
    static OrtSession session(Workload workload, float[] parameters) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(OnnxModelWriter.write(workload, parameters), options);
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
