package dev.chainrule.benchmarks;

import dev.chainrule.LayerSpec;
import dev.chainrule.NetworkSpec;
import dev.chainrule.ParameterBlock;
import dev.chainrule.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a workload for a peer outside the JVM (the PyTorch peer, {@code
 * benchmarks/src/python/torch_peer.py}): the network layer by layer, Chainrule's seeded
 * parameters, the inputs, and what Chainrule computes from them, so that the peer can check it
 * computes the same before it times anything.
 *
 * <p>A file is the line {@code CHAINRULE-WORKLOAD 1}, one line of JSON, then the arrays that the
 * JSON's {@code arrays} lists, in that order, each as little-endian 32-bit floats:
 * <ul>
 *   <li>a prediction workload ({@code "benchmark": "predict"}): {@code parameters}, {@code
 *       inputs} (one sample) and Chainrule's {@code outputs};
 *   <li>a training step ({@code "benchmark": "trainingStep"}): {@code parameters}, {@code inputs}
 *       (the batch, sample after sample), {@code labels} (class indices), Chainrule's {@code
 *       outputs} for the first sample and its parameters after one step ({@code stepped}), with
 *       the batch's mean {@code loss} before it in the JSON.
 * </ul>
 * Each layer of {@code layers} gives its kind ({@code input}, {@code conv2d}, {@code maxpool2d},
 * {@code avgpool2d}, {@code lstm}, {@code dense}), its geometry, its activation and where its
 * {@code weights} and {@code biases} start in the parameter array, laid out as {@link
 * dev.chainrule.Model} documents: convolution kernels as {@code [filters][channels][kh][kw]},
 * dense weights input-major {@code [inputs][units]}. A sequence's shape is {@code [steps,
 * features]}; an LSTM (the first layer, many-to-one) adds its {@code recurrentWeights} and
 * {@code recurrentBiases}, in PyTorch's {@code nn.LSTM} layout and gate order ({@code weight_ih
 * [4H][F]}, {@code weight_hh [4H][H]}, {@code bias_ih}, {@code bias_hh}; input, forget, cell,
 * output).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chainrule.benchmarks.WorkloadExport DIR WORKLOAD...
 * </pre>
 * writes {@code DIR/WORKLOAD.workload} for each, with {@code :} in the name written as {@code _}.
 */
public final class WorkloadExport {
    static final String MAGIC = "CHAINRULE-WORKLOAD 1";

    private WorkloadExport() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: WorkloadExport DIR WORKLOAD...");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (int k = 1; k < args.length; k++) {
            Path file = write(dir, Workload.parse(args[k]));
            System.out.println("wrote " + file);
        }
    }

    /** Writes {@code workload} into {@code dir} and returns the file. */
    public static Path write(Path dir, Workload workload) throws IOException {
        Path file = dir.resolve(fileName(workload));
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, workload);
        }
        return file;
    }

    /** The file name {@link #write(Path, Workload)} gives a workload. */
    public static String fileName(Workload workload) {
        return workload.id().replace(':', '_') + ".workload";
    }

    /** Writes {@code workload} as the format above. */
    static void write(OutputStream out, Workload workload) throws IOException {
        float[] parameters = workload.newChainruleModel().parameters().clone();
        float[] inputs = workload.inputs();
        boolean step = workload.id().contains(":");
        Map<String, float[]> arrays = new LinkedHashMap<>();
        arrays.put("parameters", parameters);
        arrays.put("inputs", inputs);
        Map<String, String> header = new LinkedHashMap<>();
        header.put("id", quote(workload.id()));
        header.put("network", quote(workload.network()));
        header.put("benchmark", quote(step ? "trainingStep" : "predict"));
        header.put("param", quote(step ? "step" : "network"));
        header.put("batch", Integer.toString(workload.batch()));
        header.put("learningRate", Float.toString(Workload.LEARNING_RATE));
        header.put("outputTolerance", Double.toString(Agreement.OUTPUT_TOLERANCE));
        header.put("updateTolerance", Double.toString(Agreement.UPDATE_TOLERANCE));
        header.put("predictionFlop", Long.toString(workload.predictionFlop()));
        header.put("trainingStepFlop", Long.toString(workload.trainingStepFlop()));
        header.put("layers", layers(workload));
        float[] first = Workload.row(inputs, workload.inputSize(), 0);
        if (step) {
            int[] labels = workload.labels();
            float[] labelValues = new float[labels.length];
            for (int r = 0; r < labels.length; r++) {
                labelValues[r] = labels[r];
            }
            arrays.put("labels", labelValues);
            arrays.put("outputs", Agreement.chainruleOutputs(workload, first));
            ChainruleStep chainrule = new ChainruleStep(workload);
            header.put("loss", Float.toString(chainrule.run()));
            arrays.put("stepped", chainrule.model().parameters().clone());
        } else {
            arrays.put("outputs", Agreement.chainruleOutputs(workload, first));
        }
        header.put(
                "arrays",
                arrays.entrySet().stream()
                        .map(e -> "[" + quote(e.getKey()) + ", " + e.getValue().length + "]")
                        .collect(Collectors.joining(", ", "[", "]")));
        String json = header.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        out.write((MAGIC + "\n" + json + "\n").getBytes(StandardCharsets.UTF_8));
        for (float[] values : arrays.values()) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            out.write(bytes.array());
        }
    }

    /** The {@code layers} array: one JSON object per layer of the network, the input first. */
    static String layers(Workload workload) {
        NetworkSpec spec = workload.spec();
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", quote(layer.name()));
            Shape in = i == 0 ? null : spec.shape(i - 1);
            if (layer instanceof LayerSpec.InputSpec input) {
                fields.put("kind", quote("input"));
                fields.put("size", Integer.toString(input.size()));
            } else if (layer instanceof LayerSpec.Conv2DSpec conv) {
                Shape.Image image = (Shape.Image) in;
                fields.put("kind", quote("conv2d"));
                fields.put("filters", Integer.toString(conv.size()));
                fields.put("kernel", ints(conv.kernelHeight(), conv.kernelWidth()));
                fields.put("stride", ints(conv.strideHeight(), conv.strideWidth()));
                // top, bottom, left, right: the explicit pads, or those SAME works out for this input
                fields.put(
                        "pad",
                        ints(
                                conv.rows(image).padBefore(),
                                conv.rows(image).padAfter(),
                                conv.columns(image).padBefore(),
                                conv.columns(image).padAfter()));
                fields.put("activation", quote(conv.activation().label()));
            } else if (layer instanceof LayerSpec.Pool2DSpec pool) {
                fields.put("kind", quote(pool.kind() == LayerSpec.Kind.MAX_POOL2D ? "maxpool2d" : "avgpool2d"));
                fields.put("window", ints(pool.windowHeight(), pool.windowWidth()));
                fields.put("stride", ints(pool.strideHeight(), pool.strideWidth()));
            } else if (layer instanceof LayerSpec.RecurrentSpec recurrent
                    && recurrent.kind() == LayerSpec.Kind.LSTM
                    && !recurrent.returnSequences()
                    && i == 1) {
                // PyTorch's nn.LSTM(batch_first) layout: weight_ih [4H][F], weight_hh [4H][H],
                // bias_ih [4H], bias_hh [4H], gates input, forget, cell, output; its last state out.
                fields.put("kind", quote("lstm"));
                fields.put("units", Integer.toString(recurrent.size()));
                ParameterBlock recurrentWeights = workload.block(i, ParameterBlock.Role.RECURRENT_WEIGHTS);
                ParameterBlock recurrentBiases = workload.block(i, ParameterBlock.Role.RECURRENT_BIASES);
                fields.put("recurrentWeights", ints(recurrentWeights.offset(), recurrentWeights.size()));
                fields.put("recurrentBiases", ints(recurrentBiases.offset(), recurrentBiases.size()));
            } else if (layer instanceof LayerSpec.DenseSpec dense) {
                fields.put("kind", quote("dense"));
                fields.put("units", Integer.toString(dense.size()));
                fields.put("activation", quote(dense.activation().label()));
            } else {
                throw new IllegalArgumentException("workload '" + workload.id() + "': layer " + layer.name() + " ("
                        + layer.kind().label() + ") is not part of the export format");
            }
            fields.put("output", shape(spec.shape(i)));
            ParameterBlock weights = workload.weights(i);
            if (weights != null) {
                fields.put("weights", ints(weights.offset(), weights.size()));
                ParameterBlock biases = workload.biases(i);
                fields.put("biases", ints(biases.offset(), biases.size()));
            }
            layers.add(fields.entrySet().stream()
                    .map(e -> quote(e.getKey()) + ": " + e.getValue())
                    .collect(Collectors.joining(", ", "{", "}")));
        }
        return layers.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@code [channels, height, width]} of an image, {@code [steps, features]} of a sequence, {@code [size]} of features. */
    private static String shape(Shape shape) {
        if (shape instanceof Shape.Sequence sequence) {
            return ints(sequence.steps(), sequence.features());
        }
        return shape instanceof Shape.Image image
                ? ints(image.channels(), image.height(), image.width())
                : ints(shape.size());
    }

    private static String ints(int... values) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < values.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(values[k]);
        }
        return sb.append(']').toString();
    }

    /** A JSON string; the names written here need no escapes beyond quotes and backslashes. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
