package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three steps: print the interface of an ONNX file, compile it with the processor, load the
 * file into the generated model, which then predicts what the file's exporter predicted.
 */
class PrintInterfaceTest {
    @TempDir
    Path dir;

    @Test
    void printsTheInterfaceOfPyTorchsMlp() throws Exception {
        assertEquals(
                String.join(
                        "\n",
                        "package com.acme;",
                        "",
                        "import dev.chainrule.*;",
                        "",
                        "/** The network of mlp.onnx, as Chainrule reads it. */",
                        "@Network(loss = Loss.CROSS_ENTROPY)",
                        "public interface Mlp {",
                        "    @Input                                  int INPUT = 8;",
                        "    @Dense(activation = Activation.RELU)    int DENSE_1 = 16;",
                        "    @Dense(activation = Activation.GELU)    int DENSE_2 = 12;",
                        "    @Dense(activation = Activation.SOFTMAX) int DENSE_3 = 3;",
                        "}",
                        ""),
                PrintInterface.print(TorchFixtureImportTest.resource("mlp.onnx"), "com.acme", "Mlp"));
    }

    @Test
    void printsTheInterfacesOfPyTorchsRecurrentModels() throws Exception {
        assertEquals(
                String.join(
                        "\n",
                        "import dev.chainrule.*;",
                        "",
                        "/** The network of lstm_classifier.onnx, as Chainrule reads it. */",
                        "@Network(loss = Loss.CROSS_ENTROPY)",
                        "public interface LstmClassifier {",
                        "    @Input(steps = 7, features = 3)         int INPUT = 21;",
                        "    @LSTM                                   int LSTM = 8;",
                        "    @Dense(activation = Activation.SOFTMAX) int FC = 4;",
                        "}",
                        ""),
                PrintInterface.print(TorchFixtureImportTest.resource("lstm_classifier.onnx"), "", "LstmClassifier"));
        String tagger = PrintInterface.print(TorchFixtureImportTest.resource("gru_tagger.onnx"), "", "GruTagger");
        assertTrue(
                tagger.contains("    @Input(steps = 5, features = 4) int INPUT = 20;\n"
                        + "    @GRU(returnSequences = true)    int GRU = 6;\n"
                        + "    @Dense(perStep = true)          int FC = 3;\n"),
                tagger);
        String rnn = PrintInterface.print(TorchFixtureImportTest.resource("simple_rnn.onnx"), "", "SimpleRnn");
        assertTrue(rnn.contains("@SimpleRNN(activation = Activation.RELU) int RNN = 5;"), rnn);
        assertTrue(rnn.contains("@Dense(activation = Activation.SIGMOID)  int FC = 2;"), rnn);
    }

    @Test
    void printCompileLoadReproducesPyTorch() throws Exception {
        for (String name : List.of(
                "mlp",
                "cnn",
                "global_pool",
                "lstm_classifier",
                "gru_tagger",
                "simple_rnn",
                "lstm_stack",
                "gru_lstm",
                "time_major_gru")) {
            Path file = TorchFixtureImportTest.resource(name + ".onnx");
            Model model = compile(
                    PrintInterface.print(file, "com.acme", PrintInterface.interfaceName(file)),
                    "com.acme." + PrintInterface.interfaceName(file));
            OnnxImport.load(file, model);
            double[][] inputs = TorchFixtureImportTest.rows(name + ".inputs.csv");
            double[][] expected = TorchFixtureImportTest.rows(name + ".outputs.csv");
            for (int r = 0; r < inputs.length; r++) {
                double[] actual = ModelCases.predict(model, inputs[r], 1);
                for (int j = 0; j < actual.length; j++) {
                    assertEquals(expected[r][j], actual[j], 1e-5, name + " row " + r + " output " + j);
                }
            }
        }
    }

    @Test
    void chainrulesOwnExportsPrintTheirDeclarationsBack() throws Exception {
        for (ModelCases.Case c : java.util.stream.Stream.concat(
                        ModelCases.all().stream(), ModelCases.recurrent().stream())
                .toList()) {
            Model source = c.create().apply(9L);
            Path file = dir.resolve(c.name() + ".onnx");
            OnnxExport.write(source, file);
            String printed = PrintInterface.print(file, "", c.name());
            assertTrue(
                    printed.contains("/** The network of " + c.name() + ".onnx (exported by Chainrule from "
                            + source.spec().name() + "), as Chainrule reads it. */"),
                    printed);
            Model model = compile(printed, c.name());
            assertEquals(source.spec().canonicalShape(), model.spec().canonicalShape(), printed);
            assertEquals(source.spec().fingerprint(), model.spec().fingerprint());
            OnnxImport.load(file, model);
            assertArrayEquals(ModelCases.parameters(source), ModelCases.parameters(model));
        }
    }

    @Test
    void theCommandLine() throws Exception {
        Path file = TorchFixtureImportTest.resource("global_pool.onnx");
        Run ok = run(file.toString(), "--package", "org.example");
        assertEquals(0, ok.status, ok.err);
        assertTrue(ok.out.startsWith("package org.example;\n"), ok.out);
        assertTrue(ok.out.contains("public interface GlobalPool {"), ok.out);
        assertTrue(
                ok.out.contains(
                        "@Conv2D(kernel = 3, stride = 2, pad = 1, activation = Activation.SOFTPLUS) int CONV1 = 8;"),
                ok.out);
        assertTrue(ok.out.contains("@GlobalAvgPool2D"), ok.out);

        Run none = run();
        assertEquals(2, none.status);
        assertTrue(none.err.startsWith("usage: java dev.chainrule.onnx.PrintInterface MODEL.onnx"), none.err);
        Run badName = run(file.toString(), "--name", "not-a-name");
        assertEquals(2, badName.status);
        assertEquals("'not-a-name' is not an interface name\n", badName.err);
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {8, (byte) 0xFF});
        Run bad = run(garbage.toString());
        assertEquals(1, bad.status);
        assertTrue(bad.err.startsWith(garbage + ": not an ONNX model, its protobuf is truncated or corrupt"), bad.err);
        assertEquals("", bad.out);
    }

    @Test
    void namesOfFilesAndLayers() {
        assertEquals("GlobalPool", PrintInterface.interfaceName(Path.of("x/global_pool.onnx")));
        assertEquals("ResNet18V2", PrintInterface.interfaceName(Path.of("resNet-18.v2.onnx")));
        assertEquals("Network", PrintInterface.interfaceName(Path.of("7.onnx")));
        var used = new java.util.HashSet<String>();
        assertEquals(
                "FC1",
                PrintInterface.fieldName(
                        dev.chainrule.LayerSpec.dense("fc1", 3, dev.chainrule.Activation.RELU), 2, used));
        assertEquals(
                "FC1_2",
                PrintInterface.fieldName(
                        dev.chainrule.LayerSpec.dense("fc1", 3, dev.chainrule.Activation.RELU), 3, used));
        assertEquals(
                "FEATURES_0",
                PrintInterface.fieldName(
                        dev.chainrule.LayerSpec.dense("features.0", 3, dev.chainrule.Activation.RELU), 1, used));
        assertEquals(
                "DENSE_4",
                PrintInterface.fieldName(
                        dev.chainrule.LayerSpec.dense("7", 3, dev.chainrule.Activation.RELU), 4, used));
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PrintInterface.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Model compile(String source, String qualifiedName) throws Exception {
        return Processor.compile(dir, source, qualifiedName);
    }
}
