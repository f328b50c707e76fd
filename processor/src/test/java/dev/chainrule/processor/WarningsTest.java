package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.chainrule.processor.DiagnosticsTest.source;

import com.google.testing.compile.Compilation;
import dev.chainrule.processor.testing.RecordingProcessor;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Warnings point at a likely mistake, say how to fix or silence it, and the class is still generated. */
class WarningsTest {

    private static Compilation compile(JavaFileObject file, RecordingProcessor processor) {
        return javac().withProcessors(processor).compile(file);
    }

    private static JavaFileObject classifier(String network, String output) {
        return source(
                "Species",
                network,
                "public interface Species {",
                "    @Input int MEASUREMENTS = 4;",
                "    @Dense(activation = Activation.RELU) int HIDDEN = 8;",
                "    @Dense(activation = Activation." + output + ") int SPECIES = 3;",
                "}");
    }

    @Test
    void aSoftmaxOutputWithTheDefaultLossIsAWarningOnTheAnnotation() {
        JavaFileObject file = classifier("@Network", "SOFTMAX");
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = compile(file, processor);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining(
                        "[Chainrule/DefaultLossOnSoftmax] @Network gives no loss, so the SOFTMAX output layer SPECIES"
                                + " trains with the default MSE, which learns class probabilities slowly and poorly."
                                + " Fix: declare `@Network(loss = Loss.CROSS_ENTROPY)`; to keep MSE, write"
                                + " `loss = Loss.MSE`, which silences this warning.")
                .inFile(file)
                .onLineContaining("@Network");
        assertThat(processor.created()).isEqualTo(List.of("test.SpeciesModel"));
    }

    @Test
    void allLintWarningsFindNothingToSay() {
        JavaFileObject file = classifier("@Network(loss = Loss.CROSS_ENTROPY)", "SOFTMAX");
        Compilation compilation = javac().withProcessors(new RecordingProcessor())
                .withOptions("-Xlint:all")
                .compile(file);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
    }

    @Test
    void aDeclaredLossOrAnotherOutputHasNoWarning() {
        for (JavaFileObject file : List.of(
                classifier("@Network(loss = Loss.CROSS_ENTROPY)", "SOFTMAX"),
                classifier("@Network(loss = Loss.MSE)", "SOFTMAX"),
                classifier("@Network", "SIGMOID"),
                classifier("@Network(precision = Precision.DOUBLE)", "IDENTITY"))) {
            Compilation compilation = compile(file, new RecordingProcessor());
            assertThat(compilation).succeeded();
            assertThat(compilation).hadWarningCount(0);
        }
    }

    @Test
    void anErrorStillStopsGenerationWhenThereIsAWarningToo() {
        JavaFileObject file = source(
                "Species",
                "@Network",
                "public interface Species {",
                "    @Input int MEASUREMENTS = 4;",
                "    @Dense(activation = Activation.SOFTMAX, dropout = 0.5) int SPECIES = 3;",
                "}");
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = compile(file, processor);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[Chainrule/DropoutOnOutput]");
        assertThat(compilation).hadWarningContaining("[Chainrule/DefaultLossOnSoftmax]");
        assertThat(processor.created()).isEmpty();
    }
}
