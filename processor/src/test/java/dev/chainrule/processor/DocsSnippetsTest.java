package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.processor.testing.RecordingProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code @Network} interface the README and the documents in {@code docs/} show compiles
 * as written, with the processor, without a warning under {@code -Xlint:all}, and gets its
 * model: the front door's examples cannot drift from what Chainrule accepts.
 */
class DocsSnippetsTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern BLOCK = Pattern.compile("(?m)^([ \\t]*)```java\\n(.*?)^[ \\t]*```", Pattern.DOTALL);

    record Snippet(String where, String code) {
        @Override
        public String toString() {
            return where;
        }
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                String indent = m.group(1);
                StringBuilder code = new StringBuilder();
                for (String line : m.group(2).split("\n", -1)) {
                    code.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
                }
                if (code.indexOf("@Network") >= 0 && code.indexOf("interface ") >= 0) {
                    int line = text.substring(0, m.start()).split("\n", -1).length;
                    snippets.add(new Snippet(ROOT.relativize(file) + ":" + line, code.toString()));
                }
            }
        }
        return snippets;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compilesWithoutAWarning(Snippet snippet) {
        StringBuilder source = new StringBuilder("package docs;\n\nimport dev.chainrule.*;\n\n");
        for (String line : snippet.code().split("\n")) {
            if (!line.startsWith("package ") && !line.startsWith("import ")) {
                source.append(line).append('\n');
            }
        }
        Matcher name = Pattern.compile("interface (\\w+)").matcher(source);
        assertThat(name.find()).isTrue();
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = javac().withProcessors(processor).withOptions("-Xlint:all")
                .compile(JavaFileObjects.forSourceString("docs." + name.group(1), source.toString()));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        assertThat(processor.created()).contains("docs." + name.group(1) + "Model");
    }

    @org.junit.jupiter.api.Test
    void theDocumentsShowNetworks() throws IOException {
        assertThat(snippets().size()).isAtLeast(6);
    }
}
