package dev.chainrule.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Model;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a printed {@code @Network} interface with the Chainrule processor, in this JVM. */
final class Processor {
    private Processor() {}

    /**
     * Compiles {@code source}, the interface {@code qualifiedName}, under {@code dir} with the
     * processor (on the test class path) and returns its generated model, made from seed 1.
     */
    static Model compile(Path dir, String source, String qualifiedName) throws Exception {
        Path src = dir.resolve("src-" + qualifiedName);
        Path classes = dir.resolve("classes-" + qualifiedName);
        Path file = src.resolve(qualifiedName.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.createDirectories(classes);
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classPath = System.getProperty("java.class.path");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(
                null,
                null,
                diagnostics,
                "--release",
                "17",
                "-classpath",
                classPath,
                "-processorpath",
                classPath,
                "-processor",
                "dev.chainrule.processor.ChainruleProcessor",
                "-d",
                classes.toString(),
                file.toString());
        assertEquals(0, status, source + "\n" + diagnostics.toString(StandardCharsets.UTF_8));
        URLClassLoader loader =
                new URLClassLoader(new URL[] {classes.toUri().toURL()}, Processor.class.getClassLoader());
        Class<?> model = loader.loadClass(qualifiedName + "Model");
        return (Model) model.getConstructor(long.class).newInstance(1L);
    }
}
