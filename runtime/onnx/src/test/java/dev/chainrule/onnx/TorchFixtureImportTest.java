package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files that PyTorch 1.13's {@code torch.onnx.export} wrote (see src/test/resources/torch/README.md)
 * load into the declared networks, which then predict what PyTorch predicted for the same inputs.
 */
class TorchFixtureImportTest {
    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("mlp", (LongFunction<Model>) TorchNetworks_MlpModel::new),
                Arguments.of("mlp", (LongFunction<Model>) TorchNetworks_DoubleMlpModel::new),
                Arguments.of("cnn", (LongFunction<Model>) TorchNetworks_CnnModel::new),
                Arguments.of("cnn", (LongFunction<Model>) TorchNetworks_DoubleCnnModel::new),
                Arguments.of("global_pool", (LongFunction<Model>) TorchNetworks_GlobalPoolModel::new),
                Arguments.of("lstm_classifier", (LongFunction<Model>) TorchNetworks_LstmClassifierModel::new),
                Arguments.of("lstm_classifier", (LongFunction<Model>) TorchNetworks_DoubleLstmClassifierModel::new),
                Arguments.of("gru_tagger", (LongFunction<Model>) TorchNetworks_GruTaggerModel::new),
                Arguments.of("gru_tagger", (LongFunction<Model>) TorchNetworks_DoubleGruTaggerModel::new),
                Arguments.of("simple_rnn", (LongFunction<Model>) TorchNetworks_SimpleRnnModel::new),
                Arguments.of("lstm_stack", (LongFunction<Model>) TorchNetworks_LstmStackModel::new),
                Arguments.of("gru_lstm", (LongFunction<Model>) TorchNetworks_DoubleGruLstmModel::new),
                Arguments.of("time_major_gru", (LongFunction<Model>) TorchNetworks_TimeMajorGruModel::new));
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("fixtures")
    void chainrulePredictsWhatPyTorchPredicted(String name, LongFunction<Model> create) throws Exception {
        Model model = create.apply(1L);
        OnnxImport.load(resource(name + ".onnx"), model);
        double[][] inputs = rows(name + ".inputs.csv");
        double[][] expected = rows(name + ".outputs.csv");
        assertEquals(inputs.length, expected.length);
        assertTrue(inputs.length >= 2);
        for (int r = 0; r < inputs.length; r++) {
            assertEquals(model.inputSize(), inputs[r].length, "row " + r);
            double[] actual = ModelCases.predict(model, inputs[r], 1);
            assertEquals(expected[r].length, actual.length);
            for (int j = 0; j < actual.length; j++) {
                assertEquals(expected[r][j], actual[j], 1e-5, name + " row " + r + " output " + j);
            }
        }
        assertTrue(!Arrays.equals(expected[0], expected[1]), "the rows differ, so the comparison means something");
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(
                TorchFixtureImportTest.class.getResource("/torch/" + name).toURI());
    }

    static double[][] rows(String name) throws IOException {
        try (InputStream in = TorchFixtureImportTest.class.getResourceAsStream("/torch/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .map(line -> Arrays.stream(line.split(","))
                            .mapToDouble(Double::parseDouble)
                            .toArray())
                    .toArray(double[][]::new);
        }
    }
}
