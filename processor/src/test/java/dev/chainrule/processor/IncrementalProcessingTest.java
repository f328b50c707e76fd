package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.processor.testing.RecordingProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor declares itself isolating to Gradle's incremental annotation processing, and
 * keeps to what that promises: each generated file comes from one {@code @Network} interface,
 * read from that interface alone, which is its one originating element.
 */
class IncrementalProcessingTest {

    @Test
    void theJarDeclaresTheProcessorIsolatingToGradle() throws IOException {
        assertThat(resource("META-INF/gradle/incremental.annotation.processors"))
                .isEqualTo(ChainruleProcessor.class.getName() + ",isolating\n");
        assertThat(resource("META-INF/services/javax.annotation.processing.Processor")
                        .trim())
                .isEqualTo(ChainruleProcessor.class.getName());
    }

    @Test
    void everyGeneratedFileHasItsInterfaceAsItsOneOriginatingElement() {
        JavaFileObject iris = JavaFileObjects.forSourceLines(
                "iso.Iris",
                "package iso;",
                "import dev.chainrule.*;",
                "@Network(loss = Loss.CROSS_ENTROPY)",
                "public interface Iris {",
                "    @Input int MEASUREMENTS = 4;",
                "    @Dense(activation = Activation.RELU) int HIDDEN = Sizes.HIDDEN;",
                "    @Dense(activation = Activation.SOFTMAX) int SPECIES = 3;",
                "}");
        JavaFileObject sizes = JavaFileObjects.forSourceLines(
                "iso.Sizes", "package iso;", "final class Sizes {", "    static final int HIDDEN = 16;", "}");
        JavaFileObject outer = JavaFileObjects.forSourceLines(
                "iso.Outer",
                "package iso;",
                "import dev.chainrule.*;",
                "public class Outer {",
                "    @Network public interface Scorer {",
                "        @Input int IN = 3;",
                "        @Dense(activation = Activation.SIGMOID) int OUT = 1;",
                "    }",
                "    @Network public interface Ranker extends Base {",
                "        @Input int IN = 2;",
                "        @Dense int OUT = 2;",
                "    }",
                "}");
        JavaFileObject base = JavaFileObjects.forSourceLines(
                "iso.Base", "package iso;", "public interface Base {", "    int UNRELATED = 1;", "}");

        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = javac().withProcessors(processor).compile(iris, sizes, outer, base);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(processor.origins())
                .containsExactlyEntriesIn(Map.of(
                        "iso.IrisModel", List.of("iso.Iris"),
                        "iso.Outer_ScorerModel", List.of("iso.Outer.Scorer"),
                        "iso.Outer_RankerModel", List.of("iso.Outer.Ranker")));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChainruleProcessor.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
