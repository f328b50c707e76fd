package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.chainrule.Model;
import dev.chainrule.onnx.proto.OnnxProtos.GraphProto;
import dev.chainrule.onnx.proto.OnnxProtos.ModelProto;
import dev.chainrule.onnx.proto.OnnxProtos.NodeProto;
import dev.chainrule.onnx.proto.OnnxProtos.StringStringEntryProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorProto;
import dev.chainrule.onnx.proto.OnnxProtos.TensorShapeProto;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file that does not fit is refused with a message that says where and why, and the model
 * it was loaded into keeps its parameters.
 */
class OnnxImportRefusalTest {
    private static final String MLP = "dev.chainrule.onnx.Networks.Mlp";

    @TempDir
    Path dir;

    /** Loads {@code onnx} into {@code model}, expecting a refusal; returns its message after checking the model is unchanged. */
    private static String refused(byte[] onnx, Model model) {
        double[] before = ModelCases.parameters(model);
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.load(onnx, model));
        assertArrayEquals(before, ModelCases.parameters(model), "a refused file leaves the model unchanged");
        return e.getMessage();
    }

    private static String refusedMlp(Consumer<GraphProto.Builder> edit) {
        return refused(Graphs.edited(new Networks_MlpModel(1L), edit), new Networks_MlpModel(2L));
    }

    private static void assertContains(String expected, String message) {
        assertTrue(message.contains(expected), "expected \"" + expected + "\" in: " + message);
    }

    // --- a different network ---

    @Test
    void anotherActivation() {
        String message = refused(OnnxExport.toBytes(new Networks_MlpModel(1L)), new Networks_MlpSigmoidModel(2L));
        assertEquals(
                "ONNX model: layer SECOND of dev.chainrule.onnx.Networks.MlpSigmoid is dense 6 sigmoid, but node"
                        + " 'SECOND.gemm' (Gemm) is dense 6 tanh (activation: expected sigmoid, found tanh)",
                message);
    }

    @Test
    void otherUnits() {
        String message = refused(OnnxExport.toBytes(new Networks_MlpModel(1L)), new Networks_MlpWiderModel(2L));
        assertEquals(
                "ONNX model: layer HIDDEN of dev.chainrule.onnx.Networks.MlpWider is dense 8 relu, but node"
                        + " 'HIDDEN.gemm' (Gemm) is dense 7 relu (units: expected 8, found 7)",
                message);
    }

    @Test
    void anotherNumberOfLayers() {
        String message = refused(OnnxExport.toBytes(new Networks_MlpModel(1L)), new Networks_MlpShorterModel(2L));
        assertEquals(
                "ONNX model: the graph has 3 layers (dense 7 relu, dense 6 tanh, dense 4 softmax), but"
                        + " dev.chainrule.onnx.Networks.MlpShorter declares 2 (dense 7 relu dropout 0.0, dense 4 softmax)"
                                .replace(" dropout 0.0", ""),
                message);
    }

    @Test
    void anotherInput() {
        String message = refused(OnnxExport.toBytes(new Networks_MlpModel(1L)), new Networks_CnnModel(2L));
        assertEquals(
                "ONNX model: the graph's input 'FEATURES' is 5 per sample, but dev.chainrule.onnx.Networks.Cnn reads"
                        + " IMAGE of 2x9x9",
                message);
    }

    @Test
    void anotherPoolingWindow() {
        String message = refused(OnnxExport.toBytes(new Networks_CnnModel(1L)), new Networks_CnnPool3Model(2L));
        assertContains(
                "layer P1 of dev.chainrule.onnx.Networks.CnnPool3 is maxpool2d 4 3x3 stride 3x3, but node"
                        + " 'P1.pool' (MaxPool) is maxpool2d 4 2x2 stride 2x2 (window: expected 3x3, found 2x2)",
                message);
    }

    @Test
    void otherFiltersAndOtherPadding() {
        String filters = refused(OnnxExport.toBytes(new Networks_CnnModel(1L)), new Networks_CnnMoreFiltersModel(2L));
        assertContains("layer C1 of dev.chainrule.onnx.Networks.CnnMoreFilters", filters);
        assertContains("(filters: expected 5, found 4)", filters);
        String pads = refused(OnnxExport.toBytes(new Networks_CnnModel(1L)), new Networks_CnnUnpaddedModel(2L));
        assertContains("(padding (top, bottom, left, right): expected 0, 0, 0, 0, found 1, 1, 1, 1)", pads);
    }

    // --- operators and attributes Chainrule does not read ---

    @Test
    void unsupportedOperatorIsNamed() {
        String message = refusedMlp(g -> Graphs.node(g, "HIDDEN.gemm").setOpType("Einsum"));
        assertContains("node 'HIDDEN.gemm' (Einsum): operator Einsum is not one Chainrule imports", message);
    }

    @Test
    void anActivationChainruleLacks() {
        String selu = refusedMlp(g -> Graphs.node(g, "HIDDEN.relu").setOpType("Selu"));
        assertContains("node 'HIDDEN.relu' (Selu): operator Selu is not one Chainrule imports", selu);
        String leaky = refusedMlp(
                g -> Graphs.node(g, "HIDDEN.relu").setOpType("LeakyRelu").addAttribute(Graphs.real("alpha", 0.2f)));
        assertContains(
                "node 'HIDDEN.relu' (LeakyRelu) after node 'HIDDEN.gemm' (Gemm) compute an activation Chainrule"
                        + " does not have (at -1, 0 and 1: -0.2",
                leaky);
        String logSoftmax = refusedMlp(g -> Graphs.node(g, "CLASSES.softmax").setOpType("LogSoftmax"));
        assertContains(
                "node 'CLASSES.softmax' (LogSoftmax): Chainrule's outputs are softmax probabilities", logSoftmax);
        String erf = refusedMlp(g -> Graphs.node(g, "SECOND.tanh").setOpType("Erf"));
        assertContains("the exact, erf-based GELU", erf);
    }

    @Test
    void anAttributeChainruleWouldIgnore() {
        assertContains(
                "node 'C1.conv' (Conv) has attribute 'output_padding', which Chainrule does not read for Conv",
                refused(
                        Graphs.edited(
                                new Networks_CnnModel(1L),
                                g -> Graphs.attribute(Graphs.node(g, "C1.conv"), Graphs.ints("output_padding", 1, 1))),
                        new Networks_CnnModel(2L)));
        assertContains(
                "node 'GELU.gelu.tanh' (Tanh) has attribute 'beta', which Chainrule does not read for Tanh",
                refused(
                        Graphs.edited(
                                new Networks_ActivationsModel(1L),
                                g -> Graphs.attribute(Graphs.node(g, "GELU.gelu.tanh"), Graphs.real("beta", 2f))),
                        new Networks_ActivationsModel(2L)));
    }

    @Test
    void anotherDomain() {
        String message = refusedMlp(g -> Graphs.node(g, "HIDDEN.relu").setDomain("com.microsoft"));
        assertContains("node 'HIDDEN.relu' (Relu) is of domain 'com.microsoft'", message);
    }

    @Test
    void gemmThatScalesOrTransposesItsInput() {
        assertContains(
                "node 'HIDDEN.gemm' (Gemm) scales its input (alpha 2.0, transA 0)",
                refusedMlp(g -> Graphs.attribute(Graphs.node(g, "HIDDEN.gemm"), Graphs.real("alpha", 2f))));
        assertContains(
                "transA 1",
                refusedMlp(g -> Graphs.attribute(Graphs.node(g, "HIDDEN.gemm"), Graphs.integer("transA", 1))));
    }

    @Test
    void convolutionAttributesOutOfReach() {
        String dilated = refused(
                Graphs.edited(
                        new Networks_CnnModel(1L),
                        g -> Graphs.attribute(Graphs.node(g, "C1.conv"), Graphs.ints("dilations", 2, 2))),
                new Networks_CnnModel(2L));
        assertContains("node 'C1.conv' (Conv) has dilations [2, 2]; Chainrule reads dilations of 1", dilated);
        String grouped = refused(
                Graphs.edited(
                        new Networks_CnnModel(1L),
                        g -> Graphs.attribute(Graphs.node(g, "C1.conv"), Graphs.integer("group", 2))),
                new Networks_CnnModel(2L));
        assertContains("is a grouped convolution (group 2)", grouped);
        String lower = refused(
                Graphs.edited(
                        new Networks_CnnModel(1L),
                        g -> Graphs.attribute(Graphs.node(g, "C2.conv"), Graphs.string("auto_pad", "SAME_LOWER"))),
                new Networks_CnnModel(2L));
        assertContains("has auto_pad SAME_LOWER", lower);
        String uneven = refused(
                Graphs.edited(
                        new Networks_CnnModel(1L),
                        g -> Graphs.attribute(Graphs.node(g, "C1.conv"), Graphs.ints("pads", 0, 0, 2, 2))),
                new Networks_CnnModel(2L));
        assertContains(
                "pads [0, 0, 2, 2] (top, left, bottom, right): neither the same on both sides nor SAME's", uneven);
        // P1 pools 9 rows by windows of 2: rounding up would add a partial window
        String ceil = refused(
                Graphs.edited(
                        new Networks_CnnModel(1L),
                        g -> Graphs.attribute(Graphs.node(g, "P1.pool"), Graphs.integer("ceil_mode", 1))),
                new Networks_CnnModel(2L));
        assertContains("node 'P1.pool' (MaxPool) rounds its output up (ceil_mode 1) over a 4x9x9 input", ceil);
    }

    @Test
    void aFlattenComputedFromTheShape() {
        String message = refused(
                Graphs.edited(new Networks_ImageDenseModel(1L), g -> {
                    NodeProto.Builder flatten = Graphs.node(g, "OUT.flatten");
                    flatten.setOpType("Shape").clearAttribute();
                }),
                new Networks_ImageDenseModel(2L));
        assertContains("use torch.flatten(x, 1) or nn.Flatten()", message);
    }

    @Test
    void aDenseLayerReadingAnImageWithoutFlatten() {
        String message = refused(
                Graphs.edited(new Networks_ImageDenseModel(1L), g -> {
                    g.removeNode(Graphs.nodeIndex(g, "OUT.flatten"));
                    Graphs.node(g, "OUT.gemm").setInput(0, "IMAGE");
                }),
                new Networks_ImageDenseModel(2L));
        assertContains(
                "node 'OUT.gemm' (Gemm) reads 'IMAGE', an image of 2x9x9; put a Flatten before a dense layer", message);
    }

    // --- graphs that are not a chain ---

    @Test
    void aCycle() {
        String message = refusedMlp(g -> Graphs.node(g, "HIDDEN.gemm").setInput(0, "SECOND"));
        assertContains(
                "the graph has a cycle: node 'HIDDEN.gemm' (Gemm) -> node 'HIDDEN.relu' (Relu) -> node"
                        + " 'SECOND.gemm' (Gemm) -> node 'SECOND.tanh' (Tanh) -> node 'HIDDEN.gemm' (Gemm)",
                message);
    }

    @Test
    void aBranch() {
        // a residual connection: SECOND's output plus HIDDEN's is not a chain
        String message = refusedMlp(g -> {
            g.addNode(
                    Graphs.nodeIndex(g, "CLASSES.gemm"),
                    NodeProto.newBuilder()
                            .setOpType("Add")
                            .setName("residual")
                            .addInput("SECOND")
                            .addInput("HIDDEN")
                            .addOutput("SUM"));
            Graphs.node(g, "CLASSES.gemm").setInput(0, "SUM");
        });
        assertContains("node 'residual' (Add) reads 'HIDDEN' as its input 1, which is computed in the graph", message);
    }

    @Test
    void aTensorNothingProducesAndATensorWrittenTwice() {
        assertContains(
                "node 'SECOND.gemm' (Gemm) reads 'nowhere', which no node, initializer or input provides",
                refusedMlp(g -> Graphs.node(g, "SECOND.gemm").setInput(0, "nowhere")));
        assertContains(
                "tensor 'HIDDEN' is written by both node 'HIDDEN.relu' (Relu) and node 'SECOND.tanh' (Tanh)",
                refusedMlp(g -> Graphs.node(g, "SECOND.tanh").setOutput(0, "HIDDEN")));
    }

    @Test
    void inputsAndOutputsThatAreNotOneEach() {
        assertContains(
                "the graph has 2 inputs besides its initializers [FEATURES, extra]",
                refusedMlp(g -> g.addInput(g.getInput(0).toBuilder().setName("extra"))));
        assertContains(
                "the graph has 2 outputs [CLASSES, HIDDEN]",
                refusedMlp(g -> g.addOutput(g.getOutput(0).toBuilder().setName("HIDDEN"))));
        assertContains(
                "dimension 1 of input 'FEATURES' is the symbol 'features'; only the batch dimension may vary",
                refusedMlp(g -> g.getInputBuilder(0)
                        .getTypeBuilder()
                        .getTensorTypeBuilder()
                        .getShapeBuilder()
                        .setDim(1, TensorShapeProto.Dimension.newBuilder().setDimParam("features"))));
        assertContains(
                "the graph's output 'HIDDEN' is not the end of its chain of layers, 'CLASSES'",
                refusedMlp(g -> g.getOutputBuilder(0).setName("HIDDEN")));
    }

    // --- tensors ---

    @Test
    void externalData() {
        String message = refusedMlp(g -> Graphs.initializer(g, "HIDDEN.weights")
                .clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(
                        StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
        assertContains(
                "tensor 'HIDDEN.weights' keeps its values in an external file, which Chainrule does not read", message);
    }

    @Test
    void sparseInitializers() {
        String message = refusedMlp(g ->
                g.addSparseInitializer(dev.chainrule.onnx.proto.OnnxProtos.SparseTensorProto.newBuilder()
                        .setValues(Graphs.floats("sparse", new float[] {1f}, 1))
                        .addDims(4)));
        assertContains("the graph has sparse initializers (sparse), which Chainrule does not read", message);
    }

    @Test
    void aTransposeOrBatchNormalizationIsNamed() {
        assertContains(
                "node 'SECOND.gemm' (BatchNormalization): operator BatchNormalization is not one Chainrule imports",
                refusedMlp(g -> Graphs.node(g, "SECOND.gemm").setOpType("BatchNormalization")));
        assertContains(
                "node 'HIDDEN.relu' (Transpose): operator Transpose",
                refusedMlp(g -> Graphs.node(g, "HIDDEN.relu").setOpType("Transpose")));
    }

    // --- recurrent files ---

    private static String refusedRecurrent(Consumer<GraphProto.Builder> edit) {
        return refused(Graphs.edited(new Networks_RecurrentModel(1L), edit), new Networks_RecurrentModel(2L));
    }

    /** PyTorch's lstm_classifier.onnx with {@code edit} applied to its graph, loaded into its declaration. */
    private static String refusedTorchLstm(Consumer<GraphProto.Builder> edit) throws Exception {
        ModelProto.Builder b =
                ModelProto.parseFrom(Files.readAllBytes(TorchFixtureImportTest.resource("lstm_classifier.onnx")))
                        .toBuilder();
        edit.accept(b.getGraphBuilder());
        return refused(b.build().toByteArray(), new TorchNetworks_LstmClassifierModel(2L));
    }

    private static dev.chainrule.onnx.proto.OnnxProtos.AttributeProto strings(String name, String... values) {
        var a = dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.newBuilder()
                .setName(name)
                .setType(dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFromUtf8(v));
        }
        return a.build();
    }

    @Test
    void aRecurrentLayerOfAnotherSizeStepCountOrOutput() {
        byte[] file = OnnxExport.toBytes(new Networks_RecurrentModel(1L));
        assertEquals(
                "ONNX model: layer MEMORY of dev.chainrule.onnx.Networks.RecurrentWider is lstm 5 sequences, but node"
                        + " 'MEMORY.lstm' (LSTM) is lstm 4 sequences (units: expected 5, found 4)",
                refused(file, new Networks_RecurrentWiderModel(2L)));
        assertEquals(
                "ONNX model: the graph's input 'SEQUENCE' is 6 steps x 3 per sample, but"
                        + " dev.chainrule.onnx.Networks.RecurrentLonger reads SEQUENCE of 7 steps x 3",
                refused(file, new Networks_RecurrentLongerModel(2L)));
        assertContains(
                "layer SIMPLE of dev.chainrule.onnx.Networks.DoubleRecurrent is simplernn 5 tanh sequences, but node"
                        + " 'SIMPLE.rnn' (RNN) is simplernn 5 relu sequences (activation: expected tanh, found relu)",
                refused(file, new Networks_DoubleRecurrentModel(2L)));
        byte[] lastState = OnnxExport.toBytes(new Networks_RecurrentLastStateModel(1L));
        assertEquals(
                "ONNX model: layer SIMPLE of dev.chainrule.onnx.Networks.RecurrentEveryState is simplernn 5 relu"
                        + " sequences, but node 'SIMPLE.rnn' (RNN) is simplernn 5 relu last state (returnSequences: expected true,"
                        + " found false (the graph reads the last state))",
                refused(lastState, new Networks_RecurrentEveryStateModel(2L)));
    }

    @Test
    void directionsClipsAndActivationsChainruleLacks() {
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM) has direction 'bidirectional' (expected 'forward'): Chainrule's"
                        + " recurrent layers run forward over the steps, one direction each",
                refusedRecurrent(g ->
                        Graphs.attribute(Graphs.node(g, "MEMORY.lstm"), Graphs.string("direction", "bidirectional"))));
        assertContains(
                "node 'SIMPLE.rnn' (RNN) has direction 'reverse' (expected 'forward')",
                refusedRecurrent(
                        g -> Graphs.attribute(Graphs.node(g, "SIMPLE.rnn"), Graphs.string("direction", "reverse"))));
        assertContains(
                "node 'GATED.gru' (GRU) has clip 3.0 (expected none): Chainrule's recurrent layers do not clip",
                refusedRecurrent(g -> Graphs.attribute(Graphs.node(g, "GATED.gru"), Graphs.real("clip", 3))));
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM) has activations [Sigmoid, Relu, Tanh] (expected [Sigmoid, Tanh,"
                        + " Tanh]): Chainrule's lstm layer has PyTorch's fixed activations",
                refusedRecurrent(g -> Graphs.attribute(
                        Graphs.node(g, "MEMORY.lstm"), strings("activations", "Sigmoid", "Relu", "Tanh"))));
        assertContains(
                "node 'SIMPLE.rnn' (RNN) has activations [Sigmoid] (expected [Tanh] or [Relu]): Chainrule's"
                        + " simplernn layer applies tanh or relu",
                refusedRecurrent(
                        g -> Graphs.attribute(Graphs.node(g, "SIMPLE.rnn"), strings("activations", "Sigmoid"))));
        assertContains(
                "node 'GATED.gru' (GRU) has activation_alpha [0.5] (expected none)",
                refusedRecurrent(g -> Graphs.attribute(
                        Graphs.node(g, "GATED.gru"),
                        dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.newBuilder()
                                .setName("activation_alpha")
                                .setType(dev.chainrule.onnx.proto.OnnxProtos.AttributeProto.AttributeType.FLOATS)
                                .addFloats(0.5f)
                                .build())));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) has input_forget 1 (expected 0): Chainrule's LSTM has independent input"
                        + " and forget gates",
                refusedRecurrent(
                        g -> Graphs.attribute(Graphs.node(g, "MEMORY.lstm"), Graphs.integer("input_forget", 1))));
        assertEquals(
                "ONNX model: node 'GATED.gru' (GRU) has linear_before_reset 0 (expected 1): Chainrule's GRU is"
                        + " PyTorch's, which applies the reset gate to the recurrent product after its biases (linear_before_reset"
                        + " = 1)",
                refusedRecurrent(
                        g -> Graphs.attribute(Graphs.node(g, "GATED.gru"), Graphs.integer("linear_before_reset", 0))));
        assertContains(
                "node 'GATED.gru' (GRU) has attribute 'hidden_sizes', which Chainrule does not read for GRU",
                refusedRecurrent(g -> Graphs.node(g, "GATED.gru").addAttribute(Graphs.integer("hidden_sizes", 6))));
    }

    @Test
    void transposesSqueezesAndGathersThatDoNotFit() {
        assertEquals(
                "ONNX model: node 'SIMPLE.steps' (Transpose) has perm [], not a permutation of the 3 axes of"
                        + " 'SEQUENCE' [batch, steps, features]",
                refusedRecurrent(
                        g -> Graphs.node(g, "SIMPLE.steps").clearAttribute().addAttribute(Graphs.ints("perm"))));
        assertContains(
                "node 'SIMPLE.steps' (Transpose) has perm [1, 1, 2], not a permutation",
                refusedRecurrent(g -> Graphs.attribute(Graphs.node(g, "SIMPLE.steps"), Graphs.ints("perm", 1, 1, 2))));
        assertContains(
                "node 'SIMPLE.squeeze' (Squeeze) squeezes axis 0 of 'SIMPLE.y' [steps, 1, batch, features], which is"
                        + " not of size one",
                refusedRecurrent(g -> Graphs.node(g, "SIMPLE.squeeze").setInput(1, "GATED.axis0")));
        assertContains(
                "node 'GATED.last' (Gather) picks index 0 of the features axis of 'GATED.h' [1, batch, features]",
                refusedRecurrent(g -> Graphs.node(g, "GATED.last")
                        .setOpType("Gather")
                        .setInput(1, "GATED.axis0")
                        .addAttribute(Graphs.integer("axis", 2))));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) of layout 0 reads its input X as [steps, batch, features], but"
                        + " 'MEMORY.x' is [batch, steps, features]",
                refusedRecurrent(g -> Graphs.attribute(Graphs.node(g, "MEMORY.steps"), Graphs.ints("perm", 0, 1, 2))));
        // the GRU's states left time-major: the dense layer per step computes them, but the output mixes the samples
        String message = refused(
                Graphs.edited(new Networks_TaggerModel(1L), g -> {
                    g.removeNode(Graphs.nodeIndex(g, "GATED.batch"));
                    Graphs.node(g, "TAGS.matmul").setInput(0, "GATED.states");
                }),
                new Networks_TaggerModel(2L));
        assertEquals(
                "ONNX model: the graph's output 'TAGS' has axes [steps, batch, features]; Chainrule writes each"
                        + " sample's outputs together, [batch, features] or [batch, steps, features]",
                message);
    }

    @Test
    void aLayoutItDoesNotMatchOrDoesNotKnow() {
        assertEquals(
                "ONNX model: node 'SIMPLE.rnn' (RNN) of layout 1 reads its input X as [batch, steps, features], but"
                        + " 'SIMPLE.x' is [steps, batch, features]",
                refusedRecurrent(g -> Graphs.attribute(Graphs.node(g, "SIMPLE.rnn"), Graphs.integer("layout", 1))));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) has layout 2; ONNX defines layout 0",
                refusedRecurrent(g -> Graphs.attribute(Graphs.node(g, "MEMORY.lstm"), Graphs.integer("layout", 2))));
    }

    @Test
    void sequenceLengthsInitialStatesAndPeepholes() {
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM) reads sequence_lens 'lengths' (expected none): every sequence"
                        + " of a Chainrule network has its declared 6 steps",
                refusedRecurrent(g -> {
                    g.addInitializer(TensorProto.newBuilder()
                            .setName("lengths")
                            .setDataType(TensorProto.DataType.INT32_VALUE)
                            .addDims(1)
                            .addInt32Data(6));
                    Graphs.node(g, "MEMORY.lstm").addInput("lengths");
                }));
        float[] state = new float[4];
        state[2] = 0.25f;
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM) starts from initial_h 'h0', which holds 0.25 (expected zeros):"
                        + " Chainrule's recurrent layers start from a zero state",
                refusedRecurrent(g -> {
                    g.addInitializer(Graphs.floats("h0", state, 1, 1, 4));
                    Graphs.node(g, "MEMORY.lstm").addInput("").addInput("h0");
                }));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) starts from initial_c 'c0', which holds 0.25 (expected zeros)",
                refusedRecurrent(g -> {
                    g.addInitializer(Graphs.floats("h0", new float[4], 1, 1, 4));
                    g.addInitializer(Graphs.floats("c0", state, 1, 1, 4));
                    Graphs.node(g, "MEMORY.lstm").addInput("").addInput("h0").addInput("c0");
                }));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) reads its initial state initial_h 'SIMPLE.states', which is computed in"
                        + " the graph and not a ConstantOfShape of zeros; Chainrule's recurrent layers start from a zero state",
                refusedRecurrent(g -> Graphs.node(g, "MEMORY.lstm").addInput("").addInput("SIMPLE.states")));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) has peepholes P 'P' (expected none): Chainrule's LSTM has no peephole",
                refusedRecurrent(g -> {
                    g.addInitializer(Graphs.floats("P", new float[12], 1, 12));
                    Graphs.node(g, "MEMORY.lstm")
                            .addInput("")
                            .addInput("")
                            .addInput("")
                            .addInput("P");
                }));
    }

    @Test
    void recurrentWeightsOfTheWrongShapeOrMissing() {
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM): W 'MEMORY.W' has dimensions [1, 15, 5]; expected [1, 4 x"
                        + " hidden_size, 5] (one direction, 4 gates, the 5 features of its input)",
                refusedRecurrent(g -> {
                    int w = Graphs.initializerIndex(g, "MEMORY.W");
                    g.setInitializer(w, Graphs.floats("MEMORY.W", new float[75], 1, 15, 5));
                }));
        assertContains(
                "node 'GATED.gru' (GRU): W 'GATED.W' has dimensions [18, 4]; expected [1, 3 x hidden_size, 4]",
                refusedRecurrent(g ->
                        Graphs.initializer(g, "GATED.W").clearDims().addDims(18).addDims(4)));
        assertContains(
                "node 'MEMORY.lstm' (LSTM): R 'MEMORY.R' has dimensions [1, 16, 2]; expected [1, 16, 4] (4 gates of 4"
                        + " units)",
                refusedRecurrent(g -> {
                    int r = Graphs.initializerIndex(g, "MEMORY.R");
                    g.setInitializer(r, Graphs.floats("MEMORY.R", new float[32], 1, 16, 2));
                }));
        assertContains(
                "node 'SIMPLE.rnn' (RNN): B 'SIMPLE.B' has dimensions [1, 5]; expected [1, 10] (the input and the"
                        + " recurrent biases of 1 gate of 5 units)",
                refusedRecurrent(g -> {
                    int b = Graphs.initializerIndex(g, "SIMPLE.B");
                    g.setInitializer(b, Graphs.floats("SIMPLE.B", new float[5], 1, 5));
                }));
        assertEquals(
                "ONNX model: node 'MEMORY.lstm' (LSTM) has hidden_size 5, but W 'MEMORY.W' of [1, 16, 5] holds 4 gates"
                        + " of 4 units",
                refusedRecurrent(
                        g -> Graphs.attribute(Graphs.node(g, "MEMORY.lstm"), Graphs.integer("hidden_size", 5))));
        assertContains(
                "node 'MEMORY.lstm' (LSTM) reads 'MEMORY.R', which no node, initializer or input provides",
                refusedRecurrent(g -> g.removeInitializer(Graphs.initializerIndex(g, "MEMORY.R"))));
        assertContains("node 'GATED.gru' (GRU) has no R (its weights)", refusedRecurrent(g -> {
            NodeProto.Builder gru = Graphs.node(g, "GATED.gru");
            gru.setInput(2, "");
        }));
        assertContains(
                "node 'GATED.gru' (GRU) reads 'MEMORY.states' as its input 1, which is computed in the graph",
                refusedRecurrent(g -> Graphs.node(g, "GATED.gru").setInput(1, "MEMORY.states")));
    }

    @Test
    void whatPyTorchWritesAroundItsRecurrentNodesWhenItIsNotALayer() throws Exception {
        // out[:, 2, :] instead of out[:, -1, :]
        assertContains(
                "node '/Gather' (Gather) picks step 2 of '/lstm/Transpose_1_output_0', which has 7; Chainrule reads"
                        + " a recurrent layer's last step (index -1 or 6)",
                refusedTorchLstm(g -> {
                    NodeProto.Builder index = Graphs.node(g, "/Constant");
                    index.getAttributeBuilder(0)
                            .setT(TensorProto.newBuilder()
                                    .setDataType(TensorProto.DataType.INT64_VALUE)
                                    .addInt64Data(2));
                }));
        // a state of ones, not zeros
        assertContains(
                "node '/lstm/LSTM' (LSTM) starts from initial_h '/lstm/ConstantOfShape_output_0', which node"
                        + " '/lstm/ConstantOfShape' (ConstantOfShape) fills with [1.0] (expected zeros): Chainrule's recurrent layers"
                        + " start from a zero state",
                refusedTorchLstm(g -> {
                    NodeProto.Builder fill = Graphs.node(g, "/lstm/ConstantOfShape");
                    fill.getAttributeBuilder(0).setT(Graphs.floats("", new float[] {1}, 1));
                }));
        // the cell state read instead of the hidden state
        assertContains(
                "node '/lstm/LSTM' (LSTM) gives its cell state Y_c '/lstm/LSTM_output_2' to the graph",
                refusedTorchLstm(g -> {
                    Graphs.node(g, "/lstm/Squeeze").setInput(0, "/lstm/LSTM_output_2");
                }));
    }

    @Test
    void anActivationAfterPooling() {
        String message = refused(
                Graphs.edited(new Networks_ImageOutModel(1L), g -> {
                    g.addNode(NodeProto.newBuilder()
                            .setOpType("Relu")
                            .setName("late")
                            .addInput("P")
                            .addOutput("P.relu"));
                    g.getOutputBuilder(0).setName("P.relu");
                }),
                new Networks_ImageOutModel(2L));
        assertContains(
                "node 'late' (Relu) follows a maxpool2d layer; Chainrule applies activations only as part of a"
                        + " dense layer or a convolution",
                message);
    }

    @Test
    void aClaimedTwoGigabyteTensorInATinyFile() {
        // 2^29 floats are 2 GiB; the file holds 140 bytes of them
        byte[] onnx = Graphs.edited(
                new Networks_MlpModel(1L),
                g -> Graphs.initializer(g, "HIDDEN.weights")
                        .clearDims()
                        .addDims(1L << 28)
                        .addDims(2));
        assertTrue(onnx.length < 2000);
        String message = refused(onnx, new Networks_MlpModel(2L));
        assertContains(
                "tensor 'HIDDEN.weights' has dimensions [268435456, 2], 536870912 values of 4 bytes (2147483648"
                        + " bytes), but its raw_data holds 140 bytes",
                message);
        String typed = refusedMlp(g -> {
            int w = Graphs.initializerIndex(g, "HIDDEN.weights");
            g.setInitializer(
                    w,
                    Graphs.typed(g.getInitializer(w)).toBuilder()
                            .clearDims()
                            .addDims(1L << 28)
                            .addDims(2));
        });
        assertContains("536870912 values, but its float_data holds 35", typed);
    }

    @Test
    void dimensionsWhoseProductOverflowsAnInt() {
        assertContains(
                "tensor 'HIDDEN.weights' has dimensions [65536, 65536], more values than an array holds",
                refusedMlp(g -> Graphs.initializer(g, "HIDDEN.weights")
                        .clearDims()
                        .addDims(65536)
                        .addDims(65536)));
        assertContains(
                "tensor 'HIDDEN.weights' has dimensions [9223372036854775807, 2], more values",
                refusedMlp(g -> Graphs.initializer(g, "HIDDEN.weights")
                        .clearDims()
                        .addDims(Long.MAX_VALUE)
                        .addDims(2)));
        assertContains(
                "tensor 'HIDDEN.weights' has a negative dimension in [-5, -7]",
                refusedMlp(g -> Graphs.initializer(g, "HIDDEN.weights")
                        .clearDims()
                        .addDims(-5)
                        .addDims(-7)));
        assertContains(
                "dimension 1 of input 'FEATURES' is 4294967301, not a size from 1 to",
                refusedMlp(g -> g.getInputBuilder(0)
                        .getTypeBuilder()
                        .getTensorTypeBuilder()
                        .getShapeBuilder()
                        .setDim(1, TensorShapeProto.Dimension.newBuilder().setDimValue((1L << 32) + 5))));
    }

    @Test
    void weightsOfTheWrongShapeOrType() {
        assertContains(
                "node 'SECOND.gemm' (Gemm): weights 'SECOND.weights' of [6, 7] read 6 inputs as [inputs][units],"
                        + " but the layer before gives 7",
                refusedMlp(g -> Graphs.initializer(g, "SECOND.weights")
                        .clearDims()
                        .addDims(6)
                        .addDims(7)));
        assertContains(
                "tensor 'HIDDEN.weights' holds FLOAT16 values; Chainrule reads FLOAT and DOUBLE tensors",
                refusedMlp(
                        g -> Graphs.initializer(g, "HIDDEN.weights").setDataType(TensorProto.DataType.FLOAT16_VALUE)));
        assertContains(
                "biases 'HIDDEN.biases' have dimensions [7, 1], expected [7]",
                refusedMlp(g -> Graphs.initializer(g, "HIDDEN.biases")
                        .clearDims()
                        .addDims(7)
                        .addDims(1)));
    }

    @Test
    void nonFiniteWeightsAndDoublesTooLargeForAFloatModel() {
        String nan = refusedMlp(g -> {
            TensorProto.Builder w = Graphs.initializer(g, "SECOND.weights");
            byte[] raw = w.getRawData().toByteArray();
            java.nio.ByteBuffer.wrap(raw)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putFloat(8, Float.NaN);
            w.setRawData(ByteString.copyFrom(raw));
        });
        assertContains("the weights of node 'SECOND.gemm' (Gemm) hold NaN at index 2", nan);
        byte[] large = Graphs.edited(new Networks_DoubleMlpModel(1L), g -> {
            TensorProto.Builder b = Graphs.initializer(g, "CLASSES.biases");
            byte[] raw = b.getRawData().toByteArray();
            java.nio.ByteBuffer.wrap(raw)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putDouble(8, 1e300);
            b.setRawData(ByteString.copyFrom(raw));
        });
        assertContains("is 1.0E300, too large for the float model " + MLP, refused(large, new Networks_MlpModel(2L)));
    }

    // --- files that are not ONNX ---

    @Test
    void truncatedAndCorruptFiles() {
        byte[] good = OnnxExport.toBytes(new Networks_MlpModel(1L));
        String truncated = refused(Arrays.copyOf(good, good.length / 2), new Networks_MlpModel(2L));
        assertContains(
                "ONNX model: not an ONNX model, its protobuf is truncated or corrupt (While parsing a protocol"
                        + " message, the input ended unexpectedly",
                truncated);
        byte[] corrupt = good.clone();
        for (int i = 0; i < 64; i++) {
            corrupt[i * 7 % corrupt.length] ^= (byte) 0xA5;
        }
        refused(corrupt, new Networks_MlpModel(2L));
        refused("not a model at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new Networks_MlpModel(2L));
        assertEquals("ONNX model: empty, not an ONNX model", refused(new byte[0], new Networks_MlpModel(2L)));
        assertEquals(
                "ONNX model: not an ONNX model: it has no ir_version",
                refused(
                        Graphs.export(new Networks_MlpModel(1L)).toBuilder()
                                .clearIrVersion()
                                .build()
                                .toByteArray(),
                        new Networks_MlpModel(2L)));
    }

    @Test
    void anOpsetOutOfRange() {
        ModelProto.Builder b = Graphs.export(new Networks_MlpModel(1L)).toBuilder();
        b.getOpsetImportBuilder(0).setVersion(23);
        assertEquals(
                "ONNX model: uses opset 23 of the default domain; Chainrule reads opsets 1 to 22",
                refused(b.build().toByteArray(), new Networks_MlpModel(2L)));
    }

    @Test
    void aFileLargerThanProtobufHolds() throws Exception {
        Path file = dir.resolve("huge.onnx");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L << 30); // a hole: takes no space
        }
        Networks_MlpModel model = new Networks_MlpModel(2L);
        OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.load(file, model));
        assertEquals(
                file + ": 3221225472 bytes, more than one protobuf message holds (2 GB): a model this large keeps"
                        + " its weights in external data, which Chainrule does not read",
                e.getMessage());
        Files.delete(file);
    }

    @Test
    void theFileIsNamedInItsMessages() throws Exception {
        Path file = dir.resolve("mlp.onnx");
        OnnxExport.write(new Networks_MlpModel(1L), file);
        OnnxException e =
                assertThrows(OnnxException.class, () -> OnnxImport.load(file, new Networks_MlpWiderModel(2L)));
        assertTrue(e.getMessage().startsWith(file + ": layer HIDDEN of"), e.getMessage());
    }
}
