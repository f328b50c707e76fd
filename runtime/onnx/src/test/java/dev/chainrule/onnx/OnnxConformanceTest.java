package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import dev.chainrule.onnx.proto.OnnxProtos.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX's own node tests (Debian's {@code libonnx-testdata}, ONNX 1.12) for the operators the
 * importer reads: each test's model becomes a Chainrule network through the three steps (print
 * the interface, compile it, load the weights) and must compute the test's reference output
 * from its reference input (1e-5); the tests of attributes Chainrule does not have must be
 * refused with a message that says which. The test installs the package when it is missing.
 *
 * <p>A node test passes its weights as graph inputs; here they become initializers. Activation
 * tests get a dense layer of identity weights before them, since Chainrule applies activations
 * only as part of a layer, and each value of their input becomes one row.
 */
class OnnxConformanceTest {
    private static final Path NODE = Path.of("/usr/share/libonnx-testdata/data/node");

    @TempDir
    Path dir;

    @BeforeAll
    static void install() {
        DebianPackages.require("libonnx-testdata", NODE.resolve("test_gemm_default_no_bias/model.onnx"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "test_gemm_default_no_bias",
                "test_gemm_default_vector_bias",
                "test_gemm_default_scalar_bias",
                "test_gemm_default_single_elem_vector_bias",
                "test_gemm_default_zero_bias",
                "test_gemm_transposeB",
                "test_matmul_2d",
                "test_basic_conv_with_padding",
                "test_basic_conv_without_padding",
                "test_conv_with_strides_padding",
                "test_conv_with_strides_no_padding",
                "test_conv_with_strides_and_asymmetric_padding",
                "test_maxpool_2d_default",
                "test_maxpool_2d_strides",
                "test_maxpool_2d_precomputed_strides",
                "test_averagepool_2d_default",
                "test_averagepool_2d_strides",
                "test_averagepool_2d_precomputed_strides",
                "test_globalaveragepool",
                "test_globalaveragepool_precomputed"
            })
    void layersComputeTheReferenceOutputs(String test) throws Exception {
        Path case_ = NODE.resolve(test);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(case_.resolve("model.onnx")));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        TensorProto input = tensor(case_, "input_0.pb");
        // every input but the first is a weight: make it an initializer
        for (int k = 1; k < graph.getInputCount(); k++) {
            graph.addInitializer(tensor(case_, "input_" + k + ".pb").toBuilder()
                    .setName(graph.getInput(k).getName()));
        }
        List<ValueInfoProto> inputs = new ArrayList<>(graph.getInputList());
        graph.clearInput().addInput(inputs.get(0));
        check(
                test,
                model.toBuilder().setGraph(graph).build(),
                Tensors.values(input),
                (int) input.getDims(0),
                Tensors.values(tensor(case_, "output_0.pb")));
    }

    /**
     * The recurrent node tests whose attributes Chainrule reads. Their input is {@code [steps,
     * batch, features]} (layout 0) or {@code [batch, steps, features]} (layout 1); the first is
     * reordered sample by sample for {@code predict}. The layout 1 tests give both {@code Y} and
     * {@code Y_h}: each is checked on its own, the other output taken out of the graph.
     */
    @ParameterizedTest(name = "{0} output {1}")
    @CsvSource({
        "test_simple_rnn_defaults, 0",
        "test_simple_rnn_with_initial_bias, 0",
        "test_rnn_seq_length, 0",
        "test_simple_rnn_batchwise, 0",
        "test_simple_rnn_batchwise, 1",
        "test_lstm_defaults, 0",
        "test_lstm_with_initial_bias, 0",
        "test_lstm_batchwise, 0",
        "test_lstm_batchwise, 1"
    })
    void recurrentNodesComputeTheReferenceOutputs(String test, int output) throws Exception {
        Path case_ = NODE.resolve(test);
        ModelProto model = withWeightsAsInitializers(
                case_, ModelProto.parseFrom(Files.readAllBytes(case_.resolve("model.onnx"))), output);
        TensorProto input = tensor(case_, "input_0.pb");
        NodeProto node = model.getGraph().getNode(0);
        boolean timeMajor =
                node.getAttributeList().stream().noneMatch(a -> a.getName().equals("layout") && a.getI() == 1);
        int steps = (int) input.getDims(timeMajor ? 0 : 1);
        int rows = (int) input.getDims(timeMajor ? 1 : 0);
        int features = (int) input.getDims(2);
        double[] x = Tensors.values(input);
        double[] samples = new double[x.length];
        for (int t = 0; t < steps; t++) {
            for (int n = 0; n < rows; n++) {
                for (int f = 0; f < features; f++) {
                    samples[(n * steps + t) * features + f] =
                            timeMajor ? x[(t * rows + n) * features + f] : x[(n * steps + t) * features + f];
                }
            }
        }
        check(test + "_" + output, model, samples, rows, Tensors.values(tensor(case_, "output_" + output + ".pb")));
    }

    /** The test's model with every input but the first made an initializer and only its output {@code output} kept. */
    private static ModelProto withWeightsAsInitializers(Path case_, ModelProto model, int output) throws Exception {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int k = 1; k < graph.getInputCount(); k++) {
            graph.addInitializer(tensor(case_, "input_" + k + ".pb").toBuilder()
                    .setName(graph.getInput(k).getName()));
        }
        List<ValueInfoProto> inputs = new ArrayList<>(graph.getInputList());
        graph.clearInput().addInput(inputs.get(0));
        ValueInfoProto kept = graph.getOutput(output);
        graph.clearOutput().addOutput(kept);
        return model.toBuilder().setGraph(graph).build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "test_gru_defaults | (GRU) has linear_before_reset 0 (expected 1): Chainrule's GRU is PyTorch's",
                "test_gru_with_initial_bias | (GRU) has linear_before_reset 0 (expected 1)",
                "test_gru_seq_length | (GRU) has linear_before_reset 0 (expected 1)",
                "test_gru_batchwise | (GRU) has linear_before_reset 0 (expected 1)",
                "test_lstm_with_peepholes | (LSTM) reads sequence_lens 'sequence_lens' (expected none)"
            })
    void recurrentNodesChainruleLacksAreRefusedByName(String test, String expected) throws Exception {
        Path case_ = NODE.resolve(test);
        ModelProto model = withWeightsAsInitializers(
                case_, ModelProto.parseFrom(Files.readAllBytes(case_.resolve("model.onnx"))), 0);
        Path file = dir.resolve(test + ".onnx");
        Files.write(file, model.toByteArray());
        OnnxException e = assertThrows(OnnxException.class, () -> PrintInterface.print(file, "", "Refused"));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "test_relu",
                "test_sigmoid",
                "test_sigmoid_example",
                "test_tanh",
                "test_tanh_example",
                "test_leakyrelu_default",
                "test_elu_default",
                "test_softplus",
                "test_softplus_example",
                "test_softmax_example",
                "test_softmax_large_number"
            })
    void activationsComputeTheReferenceOutputs(String test) throws Exception {
        Path case_ = NODE.resolve(test);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(case_.resolve("model.onnx")));
        TensorProto input = tensor(case_, "input_0.pb");
        boolean softmax = model.getGraph().getNode(0).getOpType().equals("Softmax");
        int values = Tensors.count(Tensors.dimensions(input));
        // softmax normalises each row of its [rows, units] input; element-wise nodes see one value per row
        int width = softmax ? (int) input.getDims(input.getDimsCount() - 1) : 1;
        check(
                test,
                withIdentityLayer(model, width),
                Tensors.values(input),
                values / width,
                Tensors.values(tensor(case_, "output_0.pb")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "test_gemm_alpha | (Gemm) scales its input (alpha 0.5",
                "test_gemm_beta | (Gemm) scales its biases by beta 0.5",
                "test_gemm_transposeA | transA 1); Chainrule reads alpha 1 and transA 0",
                "test_gemm_all_attributes | (Gemm) scales its input (alpha 0.25",
                "test_gemm_default_matrix_bias | biases 'c' have dimensions [3, 4], expected [4]",
                "test_conv_with_autopad_same | has auto_pad SAME_LOWER",
                "test_maxpool_2d_pads | pads its input [2, 2, 2, 2]; Chainrule's pooling layers do not pad",
                "test_maxpool_2d_same_upper | has auto_pad SAME_UPPER; Chainrule's pooling layers do not pad",
                "test_maxpool_2d_ceil | rounds its output up (ceil_mode 1) over a 1x4x4 input",
                "test_maxpool_2d_dilations | has dilations [2, 2]; Chainrule reads dilations of 1",
                "test_maxpool_2d_uint8 | input 'x' is a tensor of UINT8; Chainrule reads FLOAT and DOUBLE inputs",
                "test_averagepool_2d_pads | pads its input [2, 2, 2, 2]",
                "test_averagepool_2d_ceil | rounds its output up (ceil_mode 1)",
                "test_elu | (Elu) after node 'identity' (Gemm) compute an activation Chainrule does not have",
                "test_leakyrelu | (LeakyRelu) after node 'identity' (Gemm) compute an activation Chainrule does not have"
            })
    void whatChainruleLacksIsRefusedByName(String test, String expected) throws Exception {
        Path case_ = NODE.resolve(test);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(case_.resolve("model.onnx")));
        ModelProto prepared;
        if (test.startsWith("test_elu") || test.startsWith("test_leakyrelu")) {
            prepared = withIdentityLayer(model, 1);
        } else {
            GraphProto.Builder graph = model.getGraph().toBuilder();
            for (int k = 1; k < graph.getInputCount(); k++) {
                graph.addInitializer(tensor(case_, "input_" + k + ".pb").toBuilder()
                        .setName(graph.getInput(k).getName()));
            }
            List<ValueInfoProto> inputs = new ArrayList<>(graph.getInputList());
            graph.clearInput().addInput(inputs.get(0));
            prepared = model.toBuilder().setGraph(graph).build();
        }
        Path file = dir.resolve(test + ".onnx");
        Files.write(file, prepared.toByteArray());
        OnnxException e = assertThrows(OnnxException.class, () -> PrintInterface.print(file, "", "Refused"));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Prints, compiles and loads {@code model}, then compares its predictions for {@code x} with {@code expected}. */
    private void check(String test, ModelProto model, double[] x, int rows, double[] expected) throws Exception {
        Path file = dir.resolve(test + ".onnx");
        Files.write(file, model.toByteArray());
        String name = "Conformance" + Math.abs(test.hashCode());
        Model chainrule = Processor.compile(dir, PrintInterface.print(file, "", name), name);
        OnnxImport.load(file, chainrule);
        double[] actual = ModelCases.predict(chainrule, x, rows);
        assertEquals(expected.length, actual.length, "outputs");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), test + " output " + i);
        }
    }

    /**
     * The node test's one node after a dense layer of identity weights over {@code width}
     * features: input {@code x} of {@code [rows, width]}, whatever shape the test gave it.
     */
    private static ModelProto withIdentityLayer(ModelProto model, int width) {
        NodeProto node = model.getGraph().getNode(0);
        float[] identity = new float[width * width];
        for (int i = 0; i < width; i++) {
            identity[i * width + i] = 1;
        }
        GraphProto graph = GraphProto.newBuilder()
                .setName(model.getGraph().getName())
                .addInput(OnnxExport.valueInfo(
                        "x", TensorProto.DataType.FLOAT_VALUE, dev.chainrule.Shape.features(width)))
                .addInitializer(Graphs.floats("identity.weight", identity, width, width))
                .addInitializer(Graphs.floats("identity.bias", new float[width], width))
                .addNode(NodeProto.newBuilder()
                        .setOpType("Gemm")
                        .setName("identity")
                        .addInput("x")
                        .addInput("identity.weight")
                        .addInput("identity.bias")
                        .addOutput("z"))
                .addNode(node.toBuilder().setInput(0, "z").setOutput(0, "y"))
                .addOutput(OnnxExport.valueInfo(
                        "y", TensorProto.DataType.FLOAT_VALUE, dev.chainrule.Shape.features(width)))
                .build();
        return model.toBuilder().setGraph(graph).build();
    }

    private static TensorProto tensor(Path case_, String name) throws Exception {
        return TensorProto.parseFrom(
                Files.readAllBytes(case_.resolve("test_data_set_0").resolve(name)));
    }
}
