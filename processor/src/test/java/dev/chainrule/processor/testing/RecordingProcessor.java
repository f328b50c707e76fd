package dev.chainrule.processor.testing;

import dev.chainrule.processor.ChainruleProcessor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs {@link ChainruleProcessor} and records the name of every source file it creates, with
 * the elements it named as the file's origin.
 */
public final class RecordingProcessor extends AbstractProcessor {
    private final ChainruleProcessor delegate = new ChainruleProcessor();
    private final List<String> created = new ArrayList<>();
    private final Map<String, List<String>> origins = new LinkedHashMap<>();

    /** Names of the source files the processor created, in order. */
    public List<String> created() {
        return created;
    }

    /**
     * For every source file the processor created, its originating elements: a type by its
     * qualified name, any other element by its kind and name.
     */
    public Map<String, List<String>> origins() {
        return origins;
    }

    private static String describe(Element element) {
        return element instanceof TypeElement type
                ? type.getQualifiedName().toString()
                : element.getKind() + " " + element.getSimpleName();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        Filer filer = env.getFiler();
        Filer recording = new Filer() {
            @Override
            public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements)
                    throws IOException {
                created.add(name.toString());
                origins.put(
                        name.toString(),
                        Arrays.stream(originatingElements)
                                .map(RecordingProcessor::describe)
                                .toList());
                return filer.createSourceFile(name, originatingElements);
            }

            @Override
            public JavaFileObject createClassFile(CharSequence name, Element... originatingElements)
                    throws IOException {
                created.add(name.toString());
                return filer.createClassFile(name, originatingElements);
            }

            @Override
            public FileObject createResource(
                    JavaFileManager.Location location,
                    CharSequence moduleAndPkg,
                    CharSequence relativeName,
                    Element... originatingElements)
                    throws IOException {
                created.add(relativeName.toString());
                return filer.createResource(location, moduleAndPkg, relativeName, originatingElements);
            }

            @Override
            public FileObject getResource(
                    JavaFileManager.Location location, CharSequence moduleAndPkg, CharSequence relativeName)
                    throws IOException {
                return filer.getResource(location, moduleAndPkg, relativeName);
            }
        };
        delegate.init(new ProcessingEnvironment() {
            public Map<String, String> getOptions() {
                return env.getOptions();
            }

            public Messager getMessager() {
                return env.getMessager();
            }

            public Filer getFiler() {
                return recording;
            }

            public Elements getElementUtils() {
                return env.getElementUtils();
            }

            public Types getTypeUtils() {
                return env.getTypeUtils();
            }

            public SourceVersion getSourceVersion() {
                return env.getSourceVersion();
            }

            public Locale getLocale() {
                return env.getLocale();
            }
        });
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }
}
