package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainrule.Model;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A file Chainrule exports loads back into a fresh model of the same network, bit for bit. */
class OnnxRoundTripTest {
    @TempDir
    Path dir;

    static Stream<ModelCases.Case> cases() {
        return Stream.concat(ModelCases.all().stream(), ModelCases.recurrent().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exportedWeightsLoadBackExactly(ModelCases.Case c) throws Exception {
        Model trained = c.create().apply(21L);
        Model fresh = c.create().apply(22L);
        assertFalse(Arrays.equals(ModelCases.parameters(trained), ModelCases.parameters(fresh)), "different seeds");
        Path file = dir.resolve(c.name() + ".onnx");
        OnnxExport.write(trained, file);
        OnnxImport.load(file, fresh);
        assertArrayEquals(ModelCases.parameters(trained), ModelCases.parameters(fresh));
        double[] x = ModelCases.inputs(trained, 3, 8L);
        assertArrayEquals(ModelCases.predict(trained, x, 3), ModelCases.predict(fresh, x, 3));
    }

    @Test
    void aFloatFileLoadsIntoTheDoubleModelOfTheSameLayers() throws Exception {
        Networks_MlpModel floats = new Networks_MlpModel(5L);
        Networks_DoubleMlpModel doubles = new Networks_DoubleMlpModel(6L);
        OnnxImport.load(OnnxExport.toBytes(floats), doubles);
        assertArrayEquals(ModelCases.parameters(floats), doubles.parameters());

        Networks_MlpModel back = new Networks_MlpModel(7L);
        OnnxImport.load(OnnxExport.toBytes(doubles), back);
        assertArrayEquals(floats.parameters(), back.parameters());
        assertEquals(floats.parameterCount(), back.parameterCount());
    }
}
