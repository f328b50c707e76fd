package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path without a build tool, as the README gives it: the JDK's own {@code javac} with the
 * processor jar and the runtime jar on {@code -processorpath}, the runtime jar on the class path
 * and {@code -s} for the generated sources, then {@code java} running the result. The processor
 * jar is the packaged one, JavaPoet inside it, so this runs after {@code package}, under
 * Failsafe, which names the jar in {@code chainrule.processorJar}. The run prints HotSpot's
 * compilation log, which shows the large network's layer methods compiled by C2 (tier 4): none
 * is too large for the JIT.
 */
class PlainJavacTest {

    @TempDir
    Path dir;

    @Test
    void javacWithProcessorPathGeneratesCompilesAndRuns() throws Exception {
        Path src = dir.resolve("src/demo");
        Files.createDirectories(src);
        Files.writeString(
                src.resolve("Big.java"),
                String.join(
                        "\n",
                        "package demo;",
                        "import dev.chainrule.*;",
                        "@Network(loss = Loss.CROSS_ENTROPY)",
                        "public interface Big {",
                        "    @Input int PIXELS = 784;",
                        "    @Dense(activation = Activation.RELU) int H1 = 512;",
                        "    @Dense(activation = Activation.RELU) int H2 = 512;",
                        "    @Dense(activation = Activation.SOFTMAX) int CLASSES = 10;",
                        "}"));
        Files.writeString(
                src.resolve("Main.java"),
                String.join(
                        "\n",
                        "package demo;",
                        "public class Main {",
                        "    public static void main(String[] args) {",
                        "        BigModel model = new BigModel(7L);",
                        "        float[] x = new float[Big.PIXELS];",
                        "        float[] y = new float[Big.CLASSES];",
                        "        y[3] = 1;",
                        "        float[] p = new float[Big.CLASSES];",
                        "        for (int i = 0; i < x.length; i++) x[i] = (i % 13) / 13f;",
                        "        for (int i = 0; i < 300; i++) {",
                        "            model.predict(x, p);",
                        "            model.accumulateGradients(x, y);",
                        "        }",
                        "        float sum = 0;",
                        "        for (float v : p) sum += v;",
                        "        System.out.println(\"probabilities sum to 1: \" + (Math.abs(sum - 1) < 1e-5f));",
                        "    }",
                        "}"));

        String runtime = classPathEntry("chainrule-runtime", "runtime");
        String processor = processorJar();
        Path generated = dir.resolve("generated");
        Path out = dir.resolve("out");
        String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
        run(List.of(
                javac,
                "-cp",
                runtime,
                "-processorpath",
                String.join(File.pathSeparator, processor, runtime),
                "-s",
                generated.toString(),
                "-d",
                out.toString(),
                src.resolve("Big.java").toString(),
                src.resolve("Main.java").toString()));
        assertTrue(Files.exists(generated.resolve("demo/BigModel.java")), "javac wrote BigModel's source under -s");
        assertTrue(Files.exists(out.resolve("demo/BigModel.class")), "javac generated and compiled BigModel");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String log = run(List.of(
                java, "-Xbatch", "-XX:+PrintCompilation", "-cp", out + File.pathSeparator + runtime, "demo.Main"));
        assertTrue(log.contains("probabilities sum to 1: true"), "the program ran:\n" + tail(log));
        for (String method :
                List.of("forwardH1", "forwardH2", "gradientH1", "gradientH2", "propagateH2", "propagateClasses")) {
            // A PrintCompilation line: timestamp, id, flags (% marks on-stack replacement), tier, method.
            Pattern c2 = Pattern.compile(
                    "^\\s*\\d+\\s+\\d+\\s+[^%\\d]*\\s4\\s+demo\\.BigModel::" + method + " ", Pattern.MULTILINE);
            assertTrue(c2.matcher(log).find(), method + " was compiled by C2; the log:\n" + grep(log, "BigModel"));
        }
    }

    /** The packaged processor jar, which must carry its own relocated JavaPoet. */
    private static String processorJar() throws IOException {
        String jar = System.getProperty("chainrule.processorJar");
        assertTrue(
                jar != null && Files.isRegularFile(Path.of(jar)),
                "chainrule.processorJar names the packaged processor jar (run by Failsafe after package): " + jar);
        try (JarFile file = new JarFile(jar)) {
            assertTrue(
                    file.getEntry("dev/chainrule/processor/shaded/com/palantir/javapoet/JavaFile.class") != null,
                    "the processor jar holds the relocated JavaPoet");
            assertTrue(
                    file.stream().noneMatch(e -> e.getName().startsWith("com/palantir/")),
                    "the processor jar holds no JavaPoet under its own package name");
            assertTrue(
                    file.stream()
                            .map(JarEntry::getName)
                            .filter(name -> name.endsWith(".class"))
                            .allMatch(name -> name.startsWith("dev/chainrule/processor/")),
                    "the processor jar holds its own classes only, none of the runtime's");
        }
        return jar;
    }

    /** The class path entry (jar or classes folder) of a module this test runs with. */
    private static String classPathEntry(String jarPrefix, String module) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName().toString();
            boolean jar = name.startsWith(jarPrefix) && name.endsWith(".jar");
            boolean classes = path.endsWith(Path.of(module, "target", "classes"));
            if (jar || classes) {
                return entry;
            }
        }
        throw new AssertionError(
                jarPrefix + " is not on the test class path: " + System.getProperty("java.class.path"));
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished: " + command);
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + tail(text));
        return text;
    }

    private static String grep(String text, String word) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains(word)) {
                lines.add(line);
            }
        }
        return String.join("\n", lines);
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
