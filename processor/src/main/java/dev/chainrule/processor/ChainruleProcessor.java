package dev.chainrule.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.chainrule.processor.codegen.ModelGenerator;
import dev.chainrule.processor.codegen.Plan;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.validation.Problem;
import dev.chainrule.processor.validation.Validator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * Generates a model class for every {@code @Network} interface: parse the interface into a
 * {@link NetworkModel}, validate it, plan the code, emit it with JavaPoet. An interface with any
 * error gets no class; an unexpected failure is reported on the interface, never thrown at javac.
 *
 * <p>Option {@code -Achainrule.unrollLimit=N}: layers with at most {@code N} weights are
 * unrolled into straight-line code (default {@value Plan#DEFAULT_UNROLL_LIMIT}; 0 generates
 * loops everywhere).
 */
@AutoService(Processor.class)
public final class ChainruleProcessor extends AbstractProcessor {
    /** The processor option that sets the unroll limit. */
    public static final String UNROLL_LIMIT_OPTION = "chainrule.unrollLimit";

    private Reporter reporter;
    private NetworkParser parser;
    private final Validator validator = new Validator();
    private int unrollLimit = Plan.DEFAULT_UNROLL_LIMIT;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        reporter = new Reporter(env.getMessager());
        parser = new NetworkParser(env.getElementUtils(), reporter);
        String limit = env.getOptions().get(UNROLL_LIMIT_OPTION);
        if (limit != null) {
            try {
                unrollLimit = Integer.parseInt(limit.trim());
                if (unrollLimit < 0) {
                    throw new NumberFormatException("negative");
                }
            } catch (NumberFormatException e) {
                env.getMessager()
                        .printMessage(
                                javax.tools.Diagnostic.Kind.WARNING,
                                "[Chainrule] -A" + UNROLL_LIMIT_OPTION + "=" + limit
                                        + " is not a non-negative integer; using " + Plan.DEFAULT_UNROLL_LIMIT);
                unrollLimit = Plan.DEFAULT_UNROLL_LIMIT;
            }
        }
    }

    private static final String GENERATED = "javax.annotation.processing.Generated";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> types = new java.util.LinkedHashSet<>(NetworkParser.LAYERS);
        types.add(NetworkParser.NETWORK);
        // the generated classes carry it; supported and claimed so that -Xlint:processing has nothing to say
        types.add(GENERATED);
        return types;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(UNROLL_LIMIT_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    // Claiming is deliberate: without it javac's -Xlint:processing warns in a user's build that
    // no processor claimed Chainrule's annotations.
    @SuppressWarnings("DoNotClaimAnnotations")
    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            String name = annotation.getQualifiedName().toString();
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                if (name.equals(NetworkParser.NETWORK)) {
                    processNetwork(element);
                } else if (!name.equals(GENERATED)) {
                    checkLayerPlacement(element, annotation);
                }
            }
        }
        return true; // the annotations are Chainrule's own (and @Generated on its classes): nothing else reads them
    }

    /** A layer annotation outside a {@code @Network} interface is a mistake, not something to ignore. */
    private void checkLayerPlacement(Element field, TypeElement annotation) {
        Element owner = field.getEnclosingElement();
        boolean inNetwork = owner.getKind() == ElementKind.INTERFACE
                && Reporter.findAnnotation(owner, NetworkParser.NETWORK) != null;
        if (!inNetwork) {
            AnnotationMirror mirror =
                    Reporter.findAnnotation(field, annotation.getQualifiedName().toString());
            String simple = annotation.getSimpleName().toString();
            reporter.error(field, mirror, Message.LAYER_OUTSIDE_NETWORK, simple, field.getSimpleName());
        }
    }

    private void processNetwork(Element element) {
        try {
            Optional<NetworkModel> parsed = parser.parse(element);
            if (parsed.isEmpty()) {
                return;
            }
            NetworkModel network = parsed.get();
            TypeElement type = (TypeElement) element;
            List<Problem> problems = validator.validate(network);
            boolean errors = false;
            for (Problem problem : problems) {
                if (problem.message().isWarning()) {
                    reporter.warning(
                            type,
                            problem.site(),
                            problem.message(),
                            problem.args().toArray());
                } else {
                    reporter.error(
                            type,
                            problem.site(),
                            problem.message(),
                            problem.args().toArray());
                    errors = true;
                }
            }
            if (errors) {
                return;
            }
            Plan plan = Plan.of(network, unrollLimit);
            JavaFile file = new ModelGenerator(plan).generate(isPublic(type));
            write(file, type, network);
        } catch (RuntimeException e) {
            reporter.error(element, Message.INTERNAL_ERROR, element, e);
        }
    }

    private static boolean isPublic(TypeElement type) {
        Element e = type;
        while (e instanceof TypeElement t) {
            if (!t.getModifiers().contains(Modifier.PUBLIC)) {
                return false;
            }
            e = t.getEnclosingElement();
        }
        return true;
    }

    private void write(JavaFile file, TypeElement type, NetworkModel network) {
        try {
            String name = file.packageName().isEmpty()
                    ? network.generatedName()
                    : file.packageName() + "." + network.generatedName();
            JavaFileObject source = processingEnv.getFiler().createSourceFile(name, type);
            try (Writer writer = source.openWriter()) {
                file.writeTo(writer);
            }
        } catch (IOException e) {
            reporter.error(type, Message.CANNOT_WRITE, network.generatedName(), e.getMessage());
        }
    }
}
