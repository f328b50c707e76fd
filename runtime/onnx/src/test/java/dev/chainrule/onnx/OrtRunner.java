package dev.chainrule.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an ONNX model's bytes with ONNX Runtime on one batch. */
final class OrtRunner {
    private OrtRunner() {}

    /**
     * The flat output of the model's one output for the rows in {@code x}, given to the model as
     * float or double, in {@code shape} (the batch first).
     */
    static double[] run(byte[] onnx, boolean doubles, double[] x, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, options)) {
                String input = session.getInputNames().iterator().next();
                try (OnnxTensor tensor = doubles
                                ? OnnxTensor.createTensor(env, DoubleBuffer.wrap(x), shape)
                                : OnnxTensor.createTensor(env, FloatBuffer.wrap(toFloats(x)), shape);
                        OrtSession.Result result = session.run(Map.of(input, tensor))) {
                    OnnxTensor out = (OnnxTensor) result.get(0);
                    if (doubles) {
                        DoubleBuffer buffer = out.getDoubleBuffer();
                        double[] y = new double[buffer.remaining()];
                        buffer.get(y);
                        return y;
                    }
                    FloatBuffer buffer = out.getFloatBuffer();
                    double[] y = new double[buffer.remaining()];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = buffer.get(i);
                    }
                    return y;
                }
            }
        }
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
