package dev.chainrule.processor.model;

/**
 * Where in the source a fact of the network model came from, so a diagnostic can point at the
 * narrowest element: the interface, a layer field, an annotation on it, or one annotation value.
 * Sites carry names only; the processor maps them back to elements when it reports.
 *
 * @param field the layer field's name, or {@code null} for the interface itself
 * @param annotation the qualified name of the annotation, or {@code null} for the bare element
 * @param attribute the annotation attribute, or {@code null} for the whole annotation
 */
public record Site(String field, String annotation, String attribute) {

    /** The interface. */
    public static Site type() {
        return new Site(null, null, null);
    }

    /** An attribute of the interface's {@code @Network} annotation. */
    public static Site networkAttribute(String attribute) {
        return new Site(null, "dev.chainrule.Network", attribute);
    }

    /** A layer field. */
    public static Site field(String field) {
        return new Site(field, null, null);
    }

    /** The same place, narrowed to an annotation and one of its attributes. */
    public Site annotationValue(String annotation, String attribute) {
        return new Site(field, annotation, attribute);
    }
}
