package dev.chainrule.processor;

import dev.chainrule.processor.model.Site;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Reports diagnostics on the narrowest element that explains them, and counts errors so the
 * processor can generate nothing for an interface that had one.
 */
final class Reporter {
    private final Messager messager;
    private int errors;

    Reporter(Messager messager) {
        this.messager = messager;
    }

    /** Number of errors reported so far. */
    int errorCount() {
        return errors;
    }

    /** An error on an element. */
    void error(Element element, Message message, Object... args) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element);
    }

    /** An error on an annotation of an element. */
    void error(Element element, AnnotationMirror annotation, Message message, Object... args) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element, annotation);
    }

    /** A warning on an element. */
    void warning(Element element, String text) {
        messager.printMessage(Diagnostic.Kind.WARNING, "[Chainrule] " + text, element);
    }

    /** An error at a {@link Site} of the interface {@code type}: the field, annotation or value it names. */
    void error(TypeElement type, Site site, Message message, Object... args) {
        errors++;
        print(Diagnostic.Kind.ERROR, type, site, message, args);
    }

    /** A warning at a {@link Site} of the interface {@code type}; it does not stop generation. */
    void warning(TypeElement type, Site site, Message message, Object... args) {
        print(Diagnostic.Kind.WARNING, type, site, message, args);
    }

    private void print(Diagnostic.Kind kind, TypeElement type, Site site, Message message, Object... args) {
        String text = message.format(args);
        Element element = type;
        if (site.field() != null) {
            for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
                if (field.getSimpleName().contentEquals(site.field())) {
                    element = field;
                    break;
                }
            }
        }
        AnnotationMirror mirror = site.annotation() == null ? null : findAnnotation(element, site.annotation());
        if (mirror == null) {
            messager.printMessage(kind, text, element);
            return;
        }
        AnnotationValue value = site.attribute() == null ? null : findValue(mirror, site.attribute());
        if (value == null) {
            messager.printMessage(kind, text, element, mirror);
        } else {
            messager.printMessage(kind, text, element, mirror, value);
        }
    }

    static AnnotationMirror findAnnotation(Element element, String qualifiedName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement annotationType =
                    (TypeElement) mirror.getAnnotationType().asElement();
            if (annotationType.getQualifiedName().contentEquals(qualifiedName)) {
                return mirror;
            }
        }
        return null;
    }

    /** The explicitly written value of {@code attribute}, or {@code null} when the default applies. */
    static AnnotationValue findValue(AnnotationMirror mirror, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        return null;
    }
}
