package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.processor.testing.RecordingProcessor;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic: the message says what is wrong and how to fix it, it points at the
 * line of the offending element, and nothing is generated for the interface.
 */
class DiagnosticsTest {

    static JavaFileObject source(String name, String... lines) {
        return JavaFileObjects.forSourceLines(
                "test." + name, concat(List.of("package test;", "", "import dev.chainrule.*;", ""), List.of(lines)));
    }

    private static String[] concat(List<String> a, List<String> b) {
        String[] all = new String[a.size() + b.size()];
        for (int i = 0; i < a.size(); i++) {
            all[i] = a.get(i);
        }
        for (int i = 0; i < b.size(); i++) {
            all[a.size() + i] = b.get(i);
        }
        return all;
    }

    private static Compilation compile(JavaFileObject... files) {
        return javac().withProcessors(new ChainruleProcessor()).compile(files);
    }

    /**
     * Compiles {@code file}, expects exactly one error with {@code text} on the line containing
     * {@code line}, and no generated source file.
     */
    static void expectError(JavaFileObject file, String text, String line) {
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = javac().withProcessors(processor).compile(file);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(text).inFile(file).onLineContaining(line);
        assertThat(processor.created()).isEmpty();
    }

    @Test
    void networkOnAClass() {
        JavaFileObject file = source("Scorer", "@Network", "public class Scorer {", "    @Input int IN = 2;", "}");
        Compilation compilation = compile(file);
        assertThat(compilation)
                .hadErrorContaining(
                        "[Chainrule/NotAnInterface] @Network must annotate an interface, but Scorer is a class. "
                                + "Fix: declare `interface Scorer` with one annotated int field per layer.")
                .inFile(file)
                .onLineContaining("@Network");
        // The @Input inside the class is reported too, on its own line.
        assertThat(compilation)
                .hadErrorContaining("[Chainrule/LayerOutsideNetwork] @Input marks a layer, but field IN")
                .inFile(file)
                .onLineContaining("@Input int IN");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    void networkOnAnEnumAndARecord() {
        expectError(source("Kind", "@Network", "public enum Kind { A }"), "but Kind is a enum", "@Network");
        expectError(source("Row", "@Network", "public record Row(int a) {}"), "but Row is a record", "@Network");
    }

    @Test
    void genericInterface() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer<T> {",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/GenericInterface] @Network interface Scorer has type parameters. Fix: a network's shape is fixed",
                "interface Scorer<T>");
    }

    @Test
    void privateNestedInterface() {
        expectError(
                source(
                        "Outer",
                        "public class Outer {",
                        "    @Network",
                        "    private interface Scorer {",
                        "        @Input int IN = 2;",
                        "        @Dense int OUT = 1;",
                        "    }",
                        "}"),
                "[Chainrule/InaccessibleInterface] @Network interface Scorer is private, so the generated class cannot implement it",
                "private interface Scorer");
    }

    @Test
    void interfaceInsideAPrivateClass() {
        expectError(
                source(
                        "Outer",
                        "public class Outer {",
                        "    private static class Holder {",
                        "        @Network",
                        "        interface Scorer {",
                        "            @Input int IN = 2;",
                        "            @Dense int OUT = 1;",
                        "        }",
                        "    }",
                        "}"),
                "is inside the private type Holder",
                "interface Scorer");
    }

    @Test
    void abstractMethod() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "    float[] score(float[] x);",
                        "}"),
                "[Chainrule/AbstractMethod] @Network interface Scorer declares abstract method score(), which the generated "
                        + "class cannot implement. Fix: make it a default or static method, or remove it.",
                "float[] score");
    }

    @Test
    void extendsTheOtherPrecisionsContract() {
        expectError(
                source(
                        "Scorer",
                        "@Network(precision = Precision.DOUBLE)",
                        "public interface Scorer extends FloatModel {",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/ContractMismatch] @Network interface Scorer extends FloatModel, but its precision is DOUBLE, so the "
                        + "generated class implements DoubleModel. Fix: extend DoubleModel instead",
                "public interface Scorer extends FloatModel");
    }

    @Test
    void layerOutsideANetwork() {
        expectError(
                source(
                        "Plain",
                        "public interface Plain {",
                        "    @Dense(activation = Activation.RELU) int HIDDEN = 3;",
                        "}"),
                "[Chainrule/LayerOutsideNetwork] @Dense marks a layer, but field HIDDEN is not in a @Network interface. "
                        + "Fix: annotate the enclosing interface with @Network, or remove @Dense.",
                "int HIDDEN = 3");
    }

    @Test
    void twoLayerKindsOnOneField() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input @Dense int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/TwoLayerKinds] field IN is annotated both @Input and @Dense",
                "@Input @Dense int IN");
    }

    @Test
    void sizeNotAnInt() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input long IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/SizeNotInt] layer IN is declared as long, but a layer size is an int. Fix: declare it as `int IN = ...;`",
                "@Input long IN");
    }

    @Test
    void sizeNotConstant() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = Integer.parseInt(\"2\");",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/SizeNotConstant] the size of layer IN is not a compile-time constant",
                "@Input int IN");
    }

    @Test
    void noInput() {
        expectError(
                source("Scorer", "@Network", "public interface Scorer {", "    @Dense int OUT = 1;", "}"),
                "[Chainrule/NoInput] @Network interface Scorer has no @Input field. Fix: declare the input first",
                "public interface Scorer");
    }

    @Test
    void twoInputs() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Input int MORE = 3;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/TwoInputs] layer MORE is a second @Input; the network already takes its input from IN. "
                        + "Fix: a network has one input layer: make MORE a @Dense layer or remove it.",
                "@Input int MORE");
    }

    @Test
    void inputNotFirst() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Dense int HIDDEN = 3;",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/InputNotFirst] @Input layer IN must be the first layer, but it follows HIDDEN. "
                        + "Fix: move IN above the other layer fields.",
                "@Input int IN");
    }

    @Test
    void noDenseLayer() {
        expectError(
                source("Scorer", "@Network", "public interface Scorer {", "    @Input int IN = 2;", "}"),
                "[Chainrule/NoDenseLayer] @Network interface Scorer has no layer after its input",
                "public interface Scorer");
    }

    @Test
    void sizeZeroOrNegative() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense int HIDDEN = 0;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/SizeTooSmall] layer HIDDEN has size 0, but a layer needs at least 1 unit. Fix: give HIDDEN a positive size.",
                "int HIDDEN = 0");
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = -4;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "layer IN has size -4",
                "int IN = -4");
    }

    @Test
    void softmaxOnAHiddenLayer() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.SOFTMAX) int HIDDEN = 3;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/SoftmaxNotLast] SOFTMAX normalises the output layer only, but layer HIDDEN is followed by OUT",
                "Activation.SOFTMAX) int HIDDEN");
    }

    @Test
    void softmaxOverOneUnit() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.SOFTMAX) int OUT = 1;",
                        "}"),
                "[Chainrule/SoftmaxOneUnit] a SOFTMAX over the single unit of layer OUT is always 1 and cannot learn. "
                        + "Fix: for a yes/no output use SIGMOID (with BINARY_CROSS_ENTROPY)",
                "int OUT = 1");
    }

    @Test
    void crossEntropyWithoutSoftmax() {
        expectError(
                source(
                        "Scorer",
                        "@Network(loss = Loss.CROSS_ENTROPY)",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.SIGMOID) int OUT = 3;",
                        "}"),
                "[Chainrule/LossNeedsSoftmax] loss CROSS_ENTROPY needs a SOFTMAX output layer, but output layer OUT uses SIGMOID. "
                        + "Fix: use activation SOFTMAX on OUT",
                "@Network(loss = Loss.CROSS_ENTROPY)");
    }

    @Test
    void binaryCrossEntropyWithoutSigmoid() {
        expectError(
                source(
                        "Scorer",
                        "@Network(loss = Loss.BINARY_CROSS_ENTROPY)",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.TANH) int OUT = 1;",
                        "}"),
                "[Chainrule/LossNeedsSigmoid] loss BINARY_CROSS_ENTROPY needs a SIGMOID output layer, but output layer OUT uses TANH",
                "@Network(loss = Loss.BINARY_CROSS_ENTROPY)");
    }

    @Test
    void tooManyParameters() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 50000;",
                        "    @Dense int HIDDEN = 50000;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/TooManyParameters] layer HIDDEN brings the network to 2500050000 parameters, more than the 2147483639 "
                        + "one array can hold",
                "int HIDDEN = 50000");
    }

    @Test
    void tooManyLayers() {
        String[] lines = new String[64 + 4];
        lines[0] = "@Network";
        lines[1] = "public interface Deep {";
        lines[2] = "    @Input int IN = 2;";
        for (int i = 0; i < 64; i++) {
            lines[3 + i] = "    @Dense int L" + i + " = 2;";
        }
        lines[67] = "}";
        expectError(
                source("Deep", lines),
                "[Chainrule/TooManyLayers] @Network interface Deep declares 65 layers, more than the 64 Chainrule generates",
                "public interface Deep");
    }

    @Test
    void constantClashesWithAGeneratedName() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    int HIDDEN_WEIGHTS = 7;",
                        "    @Input int IN = 2;",
                        "    @Dense int HIDDEN = 3;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/NameClash] member HIDDEN_WEIGHTS clashes with the member HIDDEN_WEIGHTS that Chainrule generates "
                        + "for layer HIDDEN. Fix: rename member HIDDEN_WEIGHTS.",
                "int HIDDEN_WEIGHTS = 7");
    }

    @Test
    void defaultMethodClashesWithAGeneratedMethod() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "    default float jacobian() { return 0; }",
                        "}"),
                "[Chainrule/NameClash] member jacobian clashes with the member jacobian that Chainrule generates in every model class",
                "public interface Scorer");
    }

    @Test
    void twoLayersWithTheSameGeneratedNames() {
        Compilation compilation = compile(source(
                "Scorer",
                "@Network",
                "public interface Scorer {",
                "    @Input int IN = 2;",
                "    @Dense int HIDDEN_1 = 3;",
                "    @Dense int Hidden1 = 3;",
                "    @Dense int OUT = 1;",
                "}"));
        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining(
                        "[Chainrule/NameClash] layer Hidden1 clashes with the member zHidden1 that Chainrule generates for layer HIDDEN_1")
                .inFile(compilation.sourceFiles().get(0))
                .onLineContaining("int Hidden1");
    }

    @Test
    void generatedClassAlreadyExists() {
        JavaFileObject existing =
                JavaFileObjects.forSourceLines("test.ScorerModel", "package test;", "class ScorerModel {}");
        JavaFileObject file = source(
                "Scorer",
                "@Network",
                "public interface Scorer {",
                "    @Input int IN = 2;",
                "    @Dense int OUT = 1;",
                "}");
        Compilation compilation = compile(file, existing);
        assertThat(compilation).failed();
        assertThat(compilation)
                .hadErrorContaining("[Chainrule/CannotWrite] could not write the generated class ScorerModel")
                .inFile(file)
                .onLineContaining("public interface Scorer");
    }

    @Test
    void everyErrorIsReportedAndOnlyTheBadInterfaceIsSkipped() {
        JavaFileObject bad = source(
                "Bad",
                "@Network(loss = Loss.CROSS_ENTROPY)",
                "public interface Bad {",
                "    @Input int IN = 0;",
                "    @Dense(activation = Activation.SOFTMAX) int HIDDEN = 3;",
                "    @Dense int OUT = 2;",
                "}");
        JavaFileObject good = source(
                "Good",
                "@Network",
                "public interface Good {",
                "    @Input int IN = 2;",
                "    @Dense int OUT = 1;",
                "}");
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = javac().withProcessors(processor).compile(bad, good);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation)
                .hadErrorContaining("layer IN has size 0")
                .inFile(bad)
                .onLineContaining("int IN = 0");
        assertThat(compilation)
                .hadErrorContaining("[Chainrule/SoftmaxNotLast]")
                .inFile(bad)
                .onLineContaining("int HIDDEN");
        assertThat(compilation)
                .hadErrorContaining("[Chainrule/LossNeedsSoftmax]")
                .inFile(bad)
                .onLineContaining("@Network(");
        assertThat(processor.created()).containsExactly("test.GoodModel");
    }

    @Test
    void dropoutOutsideZeroToOne() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.RELU, dropout = 1.0) int HIDDEN = 3;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "[Chainrule/DropoutRate] layer HIDDEN has dropout 1.0, but a dropout rate is at least 0 and below 1",
                "dropout = 1.0");
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(dropout = -0.1) int HIDDEN = 3;",
                        "    @Dense int OUT = 1;",
                        "}"),
                "layer HIDDEN has dropout -0.1",
                "dropout = -0.1");
    }

    @Test
    void dropoutOnTheOutputLayer() {
        expectError(
                source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense(activation = Activation.SIGMOID, dropout = 0.5) int OUT = 1;",
                        "}"),
                "[Chainrule/DropoutOnOutput] output layer OUT has dropout 0.5, which would drop the network's own outputs. "
                        + "Fix: remove dropout from OUT and put it on a hidden layer.",
                "dropout = 0.5");
    }

    @Test
    void badUnrollOptionIsAWarningAndTheDefaultApplies() {
        Compilation compilation = javac().withProcessors(new ChainruleProcessor())
                .withOptions("-Achainrule.unrollLimit=lots")
                .compile(source(
                        "Scorer",
                        "@Network",
                        "public interface Scorer {",
                        "    @Input int IN = 2;",
                        "    @Dense int OUT = 1;",
                        "}"));
        assertThat(compilation).succeeded();
        assertThat(compilation)
                .hadWarningContaining("-Achainrule.unrollLimit=lots is not a non-negative integer; using 256");
    }
}
