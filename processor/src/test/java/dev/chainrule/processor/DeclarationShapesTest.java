package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Valid declarations in their less usual shapes compile without warnings, with the generated
 * class named by the documented rule and usable from ordinary code compiled alongside.
 */
class DeclarationShapesTest {

    private static Compilation compile(JavaFileObject... files) {
        Compilation compilation =
                javac().withProcessors(new ChainruleProcessor()).compile(files);
        assertThat(compilation).succeededWithoutWarnings();
        return compilation;
    }

    @Test
    void nestedInterfacesAreNamedOuterUnderscoreInner() {
        compile(
                JavaFileObjects.forSourceLines(
                        "shapes.Outer",
                        "package shapes;",
                        "import dev.chainrule.*;",
                        "public class Outer {",
                        "    @Network public interface Scorer {",
                        "        @Input int IN = 3;",
                        "        @Dense(activation = Activation.SIGMOID) int OUT = 1;",
                        "    }",
                        "    static class Deeper {",
                        "        @Network interface Ranker {",
                        "            @Input int IN = 2;",
                        "            @Dense int OUT = 2;",
                        "        }",
                        "    }",
                        "}"),
                JavaFileObjects.forSourceLines(
                        "shapes.User",
                        "package shapes;",
                        "class User {",
                        "    float score(float[] x) {",
                        "        Outer_ScorerModel model = new Outer_ScorerModel(1L);",
                        "        float[] out = new float[Outer.Scorer.OUT];",
                        "        model.predict(x, out);",
                        "        return out[0] + new Outer_Deeper_RankerModel(2L).parameterCount();",
                        "    }",
                        "}"));
    }

    @Test
    void packagePrivateInterfaceGetsAPackagePrivateClass() throws Exception {
        Compilation compilation = compile(JavaFileObjects.forSourceLines(
                "shapes.Hidden",
                "package shapes;",
                "import dev.chainrule.*;",
                "@Network interface Hidden {",
                "    @Input int IN = 2;",
                "    @Dense int OUT = 1;",
                "}"));
        String source = compilation
                .generatedSourceFile("shapes.HiddenModel")
                .orElseThrow()
                .getCharContent(false)
                .toString();
        assertThat(source).contains("\nfinal class HiddenModel implements Hidden, FloatModel {");
    }

    @Test
    void defaultMethodsStaticMethodsAndPlainConstantsAreKept() {
        compile(
                JavaFileObjects.forSourceLines(
                        "shapes.Rich",
                        "package shapes;",
                        "import dev.chainrule.*;",
                        "@Network(loss = Loss.CROSS_ENTROPY, precision = Precision.DOUBLE)",
                        "public interface Rich extends DoubleModel {",
                        "    int VERSION = 3;",
                        "    String[] CLASS_NAMES = {\"a\", \"b\"};",
                        "    @Input int IN = 2 * VERSION;",
                        "    @Dense(activation = Activation.GELU, dropout = 0.1) int HIDDEN = IN + 4;",
                        "    @Dense(activation = Activation.SOFTMAX) int OUT = 2;",
                        "    default String classify(double[] x) {",
                        "        double[] p = new double[OUT];",
                        "        predict(x, p);",
                        "        return CLASS_NAMES[p[0] > p[1] ? 0 : 1];",
                        "    }",
                        "    static Rich create() { return new RichModel(5L); }",
                        "}"),
                JavaFileObjects.forSourceLines(
                        "shapes.UseRich",
                        "package shapes;",
                        "class UseRich {",
                        "    String run() { return Rich.create().classify(new double[Rich.IN]); }",
                        "}"));
    }

    @Test
    void theUnnamedPackageWorks() {
        compile(JavaFileObjects.forSourceLines(
                "Tiny",
                "import dev.chainrule.*;",
                "@Network public interface Tiny {",
                "    @Input int IN = 1;",
                "    @Dense int OUT = 1;",
                "}"));
    }

    @Test
    void generatedClassIsFinalAndMarkedGenerated() throws Exception {
        Compilation compilation = compile(JavaFileObjects.forSourceLines(
                "shapes.Fin",
                "package shapes;",
                "import dev.chainrule.*;",
                "@Network public interface Fin {",
                "    @Input int IN = 1;",
                "    @Dense int OUT = 1;",
                "}"));
        String source = compilation
                .generatedSourceFile("shapes.FinModel")
                .orElseThrow()
                .getCharContent(false)
                .toString();
        assertThat(source).contains("public final class FinModel implements Fin, FloatModel {");
        assertThat(source).contains("@Generated(");
        assertThat(source).contains("// Generated by Chainrule from shapes.Fin. Do not modify");
    }
}
