package dev.chainrule.processor.testing;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.DoubleModel;
import dev.chainrule.FloatModel;
import dev.chainrule.Model;
import dev.chainrule.processor.ChainruleProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Compiles interfaces with the processor in memory, checks that compilation succeeded without
 * warnings under {@code -Xlint:all,-processing} (a user's build may treat them as errors), and loads the
 * generated classes.
 */
public final class CompiledNetworks {
    private final Map<String, byte[]> classes = new HashMap<>();
    private final Compilation compilation;
    private final ClassLoader loader;

    private CompiledNetworks(Compilation compilation) {
        this.compilation = compilation;
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String path = file.toUri().getPath();
                String name = path.substring(
                                path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6)
                        .replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        this.loader = new ClassLoader(CompiledNetworks.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /** Compiles {@code sources} with the given processor options; fails the test on any error or warning. */
    public static CompiledNetworks compile(List<NetworkSource> sources, String... options) {
        List<JavaFileObject> files = new ArrayList<>();
        for (NetworkSource source : sources) {
            files.add(JavaFileObjects.forSourceString(source.qualifiedName(), source.source()));
        }
        List<Object> all = new ArrayList<>(List.of("-Xlint:all,-processing"));
        all.addAll(List.of(options));
        Compilation compilation = javac().withProcessors(new ChainruleProcessor())
                .withOptions(all)
                .compile(files);
        assertWithMessage("compilation of %s sources: %s", sources.size(), compilation.diagnostics())
                .that(compilation.status())
                .isEqualTo(Compilation.Status.SUCCESS);
        assertWithMessage("warnings: %s", compilation.warnings())
                .that(compilation.warnings())
                .isEmpty();
        return new CompiledNetworks(compilation);
    }

    /** The bytes of every class file the compilation produced, by binary name. */
    public Map<String, byte[]> classFiles() {
        return classes;
    }

    public Compilation compilation() {
        return compilation;
    }

    /** A new instance of the model generated for {@code source}, initialised from {@code seed}. */
    public Model newModel(NetworkSource source, long seed) {
        try {
            Class<?> type = loader.loadClass(source.modelName());
            return (Model) type.getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + source.modelName(), e);
        }
    }

    public FloatModel newFloatModel(NetworkSource source, long seed) {
        return (FloatModel) newModel(source, seed);
    }

    public DoubleModel newDoubleModel(NetworkSource source, long seed) {
        return (DoubleModel) newModel(source, seed);
    }

    /** The generated class of {@code source}. */
    public Class<?> modelClass(NetworkSource source) {
        try {
            return loader.loadClass(source.modelName());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
