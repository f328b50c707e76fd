package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.processor.testing.RecordingProcessor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documents' Java compiles as written: the front door's examples and the user guide cannot
 * drift from what Chainrule accepts.
 *
 * <p><b>Networks.</b> Every fenced {@code java} block of the README and of {@code docs/*.md} that
 * declares a {@code @Network} interface compiles on its own, with the processor, without a warning
 * under {@code -Xlint:all}, and gets its model.
 *
 * <p><b>The guide's code.</b> In {@code docs/guide.md} every other {@code java} block must be
 * marked by an HTML comment on the line before it, so that none is left out by accident:
 * <ul>
 *   <li>{@code <!-- java: networks=Iris,Prices given="Dataset train, IrisModel model" -->}: the
 *       block is a method body. It is compiled inside a static method of a generated class, whose
 *       parameters are the {@code given} declarations (what earlier blocks of the guide made),
 *       together with the named {@code @Network} interfaces as the guide (or, failing that, the
 *       README or another document) declares them, with the processor and without a warning under
 *       {@code -Xlint:all}. The block's {@code import} lines go to the top of the file; besides
 *       them every class compiles with the imports of {@link #IMPORTS}.
 *   <li>{@code <!-- java: run networks=Iris prints="accuracy 0\.9" -->}: as above, without {@code
 *       given}, and then run as a program in a new JVM whose working directory has the
 *       repository's {@code examples} folder in it, so that paths such as {@code
 *       examples/data/iris.csv} read as they do from a clone. It must exit with status 0 and, if
 *       {@code prints} is given, print a line in which that regular expression is found.
 *   <li>{@code <!-- java: compile -->}: compiled as above, with nothing given.
 *   <li>{@code <!-- java: skip why -->}: a fragment deliberately partial (a field, a signature);
 *       it is not compiled but reported as a skipped test with its reason, which is required.
 * </ul>
 */
class DocsSnippetsTest {
    private static final Path ROOT = Path.of("..");
    private static final Path GUIDE = ROOT.resolve("docs/guide.md");
    private static final Pattern BLOCK = Pattern.compile("(?m)^([ \\t]*)```java\\n(.*?)^[ \\t]*```", Pattern.DOTALL);
    private static final Pattern MARKER = Pattern.compile("<!--\\s*java:(.*?)-->\\s*$", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("(\\w+)(?:=(\"[^\"]*\"|\\S+))?");
    private static final Pattern INTERFACE = Pattern.compile("interface (\\w+)");
    /** What every class compiled from the guide imports, besides the block's own import lines. */
    static final List<String> IMPORTS = List.of(
            "dev.chainrule.*",
            "dev.chainrule.data.*",
            "dev.chainrule.io.*",
            "dev.chainrule.optim.*",
            "dev.chainrule.serve.*",
            "dev.chainrule.train.*",
            "java.io.*",
            "java.nio.file.*",
            "java.util.*");

    record Snippet(String where, String code) {
        @Override
        public String toString() {
            return where;
        }
    }

    /** A guide block with its marker's options: networks, given, run, prints, skip. */
    record Code(String where, String code, Map<String, String> options) {
        @Override
        public String toString() {
            return where + (options.containsKey("run") ? " (run)" : "");
        }

        List<String> networks() {
            String names = options.getOrDefault("networks", "");
            return names.isEmpty() ? List.of() : List.of(names.split(","));
        }
    }

    /** A fenced java block: where it starts, its code without the fence's indentation, and the text before it. */
    private record Block(Path file, int line, String code, String before) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }

        boolean declaresNetwork() {
            return code.contains("@Network") && code.contains("interface ");
        }
    }

    private static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String indent = m.group(1);
            StringBuilder code = new StringBuilder();
            for (String line : m.group(2).split("\n", -1)) {
                code.append(line.startsWith(indent) ? line.substring(indent.length()) : line)
                        .append('\n');
            }
            int line = text.substring(0, m.start()).split("\n", -1).length;
            blocks.add(new Block(file, line, code.toString(), text.substring(0, m.start())));
        }
        return blocks;
    }

    static List<Snippet> snippets() throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : documents()) {
            for (Block block : blocks(file)) {
                if (block.declaresNetwork()) {
                    snippets.add(new Snippet(block.where(), block.code()));
                }
            }
        }
        return snippets;
    }

    /** Every guide block that is not a network, marked; a block without a marker fails here. */
    static List<Code> guideCode() throws IOException {
        List<Code> code = new ArrayList<>();
        for (Block block : blocks(GUIDE)) {
            if (block.declaresNetwork()) {
                continue;
            }
            code.add(new Code(block.where(), block.code(), marker(block)));
        }
        return code;
    }

    /** The options of the marker on the line before the block; fails if there is none or it is malformed. */
    private static Map<String, String> marker(Block block) {
        String before = block.before().stripTrailing();
        int start = before.lastIndexOf("<!--");
        Matcher m = start < 0 ? null : MARKER.matcher(before.substring(start));
        if (m == null || !m.matches() || before.substring(start).contains("\n")) {
            throw new AssertionError(block.where() + ": a java block of the guide that declares no @Network interface"
                    + " needs a marker on the line before it: <!-- java: networks=... given=\"...\" -->,"
                    + " <!-- java: run ... --> or <!-- java: skip reason -->");
        }
        String body = m.group(1).strip();
        Map<String, String> options = new LinkedHashMap<>();
        if (body.startsWith("skip")) {
            String reason = body.substring(4).strip();
            if (reason.isEmpty()) {
                throw new AssertionError(block.where() + ": a skipped block must say why: <!-- java: skip reason -->");
            }
            options.put("skip", reason);
            return options;
        }
        Matcher o = OPTION.matcher(body);
        int end = 0;
        while (o.find()) {
            if (!body.substring(end, o.start()).isBlank()) {
                throw new AssertionError(block.where() + ": cannot read the marker at \"" + body.substring(end) + "\"");
            }
            String value = o.group(2) == null ? "" : o.group(2);
            options.put(o.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
            end = o.end();
        }
        for (String key : options.keySet()) {
            if (!Set.of("compile", "networks", "given", "run", "prints").contains(key)) {
                throw new AssertionError(block.where() + ": unknown marker option " + key
                        + ", expected compile, networks, given, run, prints or skip");
            }
        }
        if (options.containsKey("run") && options.containsKey("given")) {
            throw new AssertionError(block.where() + ": a block that runs cannot be given variables");
        }
        return options;
    }

    /** The @Network interfaces the documents declare, by name: the guide's first, then the others'. */
    private static Map<String, String> networks() throws IOException {
        Map<String, String> networks = new LinkedHashMap<>();
        List<Path> order = new ArrayList<>();
        order.add(GUIDE);
        documents().stream().filter(p -> !p.equals(GUIDE)).forEach(order::add);
        for (Path file : order) {
            for (Block block : blocks(file)) {
                if (block.declaresNetwork()) {
                    Matcher name = INTERFACE.matcher(block.code());
                    if (name.find()) {
                        networks.putIfAbsent(name.group(1), block.code());
                    }
                }
            }
        }
        return networks;
    }

    /** {@code code} as a compilation unit of package {@code docs}: its own imports hoisted, then the common ones. */
    private static String unit(String code, Set<String> extraImports, String body) {
        StringBuilder source = new StringBuilder("package docs;\n\n");
        Set<String> imports = new LinkedHashSet<>(extraImports);
        StringBuilder rest = new StringBuilder();
        for (String line : code.split("\n")) {
            if (line.startsWith("import ")) {
                imports.add(importedName(line));
            } else if (!line.startsWith("package ")) {
                rest.append(line).append('\n');
            }
        }
        for (String i : imports) {
            source.append("import ").append(i).append(";\n");
        }
        source.append('\n').append(body.replace("%CODE%", rest));
        return source.toString();
    }

    /** What an import line imports: {@code java.util.*} of {@code import java.util.*; // lists}. */
    private static String importedName(String line) {
        int end = line.indexOf(';');
        return line.substring("import ".length(), end < 0 ? line.length() : end).strip();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void compilesWithoutAWarning(Snippet snippet) {
        String source = unit(snippet.code(), Set.of("dev.chainrule.*"), "%CODE%");
        Matcher name = INTERFACE.matcher(source);
        assertThat(name.find()).isTrue();
        RecordingProcessor processor = new RecordingProcessor();
        Compilation compilation = javac().withProcessors(processor)
                .withOptions("-Xlint:all")
                .compile(JavaFileObjects.forSourceString("docs." + name.group(1), source));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        assertThat(processor.created()).contains("docs." + name.group(1) + "Model");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guideCode")
    void theGuidesCodeCompilesWithoutAWarning(Code code, @TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(
                code.options().containsKey("skip"),
                () -> code.where() + " is marked as partial: " + code.options().get("skip"));
        Map<String, String> declared = networks();
        List<JavaFileObject> sources = new ArrayList<>();
        for (String network : code.networks()) {
            String declaration = declared.get(network);
            if (declaration == null) {
                throw new AssertionError(code.where() + ": the marker names the network " + network
                        + ", which no document declares (declared: " + declared.keySet() + ")");
            }
            sources.add(JavaFileObjects.forSourceString(
                    "docs." + network, unit(declaration, Set.of("dev.chainrule.*"), "%CODE%")));
        }
        String className = "Snippet" + code.where().replaceAll("\\D", "");
        String method = code.options().containsKey("run")
                ? "    public static void main(String[] args) throws Exception {\n%CODE%    }\n"
                : "    static void snippet(" + code.options().getOrDefault("given", "")
                        + ") throws Exception {\n%CODE%    }\n";
        String source = unit(
                code.code(),
                new LinkedHashSet<>(IMPORTS),
                "// " + code.where() + "\npublic final class " + className + " {\n" + method + "}\n");
        sources.add(JavaFileObjects.forSourceString("docs." + className, source));
        Compilation compilation = javac().withProcessors(new RecordingProcessor())
                .withOptions("-Xlint:all")
                .compile(sources);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        if (code.options().containsKey("run")) {
            run(code, compilation, "docs." + className, dir);
        }
    }

    /** Runs the compiled block as a program from a directory that holds the repository's examples folder. */
    private static void run(Code code, Compilation compilation, String mainClass, Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String path = file.toUri().getPath();
                Path target = classes.resolve(path.substring(path.indexOf("/docs/") + 1));
                Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    Files.copy(in, target);
                }
            }
        }
        Path work = Files.createDirectories(dir.resolve("work"));
        Path examples = Files.createSymbolicLink(
                work.resolve("examples"),
                ROOT.resolve("examples").toAbsolutePath().normalize());
        String runtime = Path.of(dev.chainrule.Model.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String printed;
        int status;
        try {
            Process process = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + runtime, mainClass)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            printed = new String(output, StandardCharsets.UTF_8);
            status = process.exitValue();
        } finally {
            Files.delete(examples); // the link, not the repository's folder
        }
        System.out.print(code.where() + " printed:\n" + printed);
        if (status != 0) {
            throw new AssertionError(code.where() + " exited with status " + status + ":\n" + printed);
        }
        String prints = code.options().get("prints");
        if (prints != null && !Pattern.compile(prints).matcher(printed).find()) {
            throw new AssertionError(code.where() + " printed no line matching " + prints + ":\n" + printed);
        }
    }

    /**
     * The guide's list of the imports its code leaves out, a block of import lines alone, is the
     * list its code is compiled with here.
     */
    @Test
    void theGuideListsTheImportsItsCodeCompilesWith() throws IOException {
        List<List<String>> lists = new ArrayList<>();
        for (Block block : blocks(GUIDE)) {
            List<String> lines = block.code().lines().filter(l -> !l.isBlank()).toList();
            if (!lines.isEmpty() && lines.stream().allMatch(l -> l.startsWith("import "))) {
                lists.add(lines.stream().map(DocsSnippetsTest::importedName).toList());
            }
        }
        assertThat(lists).containsExactly(IMPORTS);
    }

    /**
     * The README's 30-line example compiles with the imports it shows and nothing else, beside the
     * README's {@code Iris} likewise, as the body of a {@code main} method that throws {@code
     * IOException}, and runs from a directory that holds the repository's examples folder, as
     * from a clone.
     */
    @Test
    void theReadmesExampleCompilesWithItsOwnImportsAndRuns(@TempDir Path dir) throws Exception {
        List<Block> readme = blocks(ROOT.resolve("README.md"));
        Block iris = readme.stream()
                .filter(b -> b.declaresNetwork() && b.code().contains("interface Iris "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README declares no Iris network"));
        Block example = readme.stream()
                .filter(b -> b.before()
                        .substring(b.before().lastIndexOf("\n## ") + 1)
                        .startsWith("## A 30-line example"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the README has no java block under its 30-line example"));
        String className = "ReadmeExample";
        Compilation compilation = javac().withProcessors(new RecordingProcessor())
                .withOptions("-Xlint:all")
                .compile(
                        JavaFileObjects.forSourceString("docs.Iris", unit(iris.code(), Set.of(), "%CODE%")),
                        JavaFileObjects.forSourceString(
                                "docs." + className,
                                unit(
                                        example.code(),
                                        Set.of(),
                                        "// " + example.where() + "\npublic final class " + className + " {\n"
                                                + "    public static void main(String[] args) throws IOException {\n"
                                                + "%CODE%    }\n}\n")));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(0);
        run(new Code(example.where(), example.code(), Map.of("run", "")), compilation, "docs." + className, dir);
    }

    /**
     * Every Chainrule coordinate the README gives (Maven's, Gradle's, the path of a jar in the local
     * repository) names an artifact of this build at this build's version, so that what the README
     * says to install is what the install step puts there.
     */
    @Test
    void theReadmesCoordinatesNameThisBuild() throws IOException {
        Matcher parent = Pattern.compile("<artifactId>chainrule-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(parent.find()).isTrue();
        String version = parent.group(1);
        Set<String> artifacts = new LinkedHashSet<>();
        try (Stream<Path> poms = Files.walk(ROOT)) {
            for (Path pom :
                    (Iterable<Path>) poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                            .filter(p -> !p.toString().contains("/target/"))
                            .sorted()::iterator) {
                Matcher own = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>")
                        .matcher(Files.readString(pom));
                if (own.find()) {
                    artifacts.add(own.group(1));
                }
            }
        }
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> found = new ArrayList<>();
        for (Pattern coordinate : List.of(
                Pattern.compile("<groupId>dev\\.chainrule</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
                        + "<version>([^<]+)</version>"),
                Pattern.compile("dev\\.chainrule:([\\w-]+):([^\"\\s]+)"),
                Pattern.compile("dev/chainrule/([\\w-]+)/([^/\\s]+)/[\\w.-]+\\.jar"))) {
            Matcher m = coordinate.matcher(readme);
            while (m.find()) {
                found.add(m.group());
                assertThat(artifacts).contains(m.group(1));
                assertWithMessage(m.group()).that(m.group(2)).isEqualTo(version);
            }
        }
        assertThat(found.size()).isAtLeast(5);
        assertThat(readme).contains("/" + version + "/chainrule-runtime-" + version + ".jar");
    }

    @Test
    void theDocumentsShowNetworks() throws IOException {
        assertThat(snippets().size()).isAtLeast(6);
    }

    @Test
    void theGuideShowsCodeAndRunsSomeOfIt() throws IOException {
        List<Code> code = guideCode();
        assertThat(code.size()).isAtLeast(10);
        assertThat(code.stream().filter(c -> c.options().containsKey("run")).count())
                .isAtLeast(2L);
        assertThat(code.stream().filter(c -> c.options().containsKey("skip")).count())
                .isAtMost(2L);
    }
}
