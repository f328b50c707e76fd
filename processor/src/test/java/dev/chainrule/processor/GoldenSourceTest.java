package dev.chainrule.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.processor.testing.CompiledNetworks;
import dev.chainrule.processor.testing.NetworkSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The one golden source: the whole generated class of a tiny network, to see that the code a
 * person steps into reads well (functional tests carry correctness). After an intended change
 * to the generator, regenerate it with
 * {@code mvn -pl runtime,processor test -Dtest=GoldenSourceTest -Dchainrule.updateGolden=true}
 * and review the diff.
 */
class GoldenSourceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/XorModel.java.golden");

    @Test
    void xorModelSource() throws IOException {
        NetworkSource xor = new NetworkSource(
                "golden",
                "Xor",
                Loss.BINARY_CROSS_ENTROPY,
                Precision.FLOAT,
                List.of(
                        LayerSpec.input("IN", 2),
                        LayerSpec.dense("HIDDEN", 3, Activation.TANH),
                        LayerSpec.dense("OUT", 1, Activation.SIGMOID)));
        Compilation compilation = CompiledNetworks.compile(List.of(xor)).compilation();
        assertThat(compilation).generatedSourceFile("golden.XorModel");
        JavaFileObject generated =
                compilation.generatedSourceFile("golden.XorModel").orElseThrow();
        String actual = generated.getCharContent(false).toString();
        if (Boolean.getBoolean("chainrule.updateGolden")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertEquals(
                Files.readString(GOLDEN, StandardCharsets.UTF_8),
                actual,
                "generated source differs from " + GOLDEN
                        + "; if the change is intended, regenerate it (see this class's javadoc)");
    }
}
