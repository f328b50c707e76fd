package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.LayerSpec;
import dev.chainrule.Loss;
import dev.chainrule.Padding;
import dev.chainrule.Precision;
import dev.chainrule.processor.model.Layer;
import dev.chainrule.processor.model.NetworkModel;
import dev.chainrule.processor.model.Site;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @Network} interface into a {@link NetworkModel}, reporting what cannot be
 * expressed in the model at all (not an interface, a non-constant size, ...). Rules about the
 * model itself live in {@code validation}.
 */
final class NetworkParser {
    static final String NETWORK = "dev.chainrule.Network";
    static final String INPUT = Layer.Input.ANNOTATION;
    static final String DENSE = Layer.Dense.ANNOTATION;
    /** Every annotation that declares a layer, in the order messages list them. */
    static final List<String> LAYERS = List.of(
            INPUT,
            DENSE,
            Layer.Conv2D.ANNOTATION,
            Layer.Pool2D.MAX,
            Layer.Pool2D.AVG,
            Layer.GlobalAvgPool2D.ANNOTATION,
            Layer.Recurrent.SIMPLE_RNN,
            Layer.Recurrent.LSTM,
            Layer.Recurrent.GRU,
            Layer.FixedPoint.ANNOTATION);

    private static final String MODEL = "dev.chainrule.Model";
    private static final String FLOAT_MODEL = "dev.chainrule.FloatModel";
    private static final String DOUBLE_MODEL = "dev.chainrule.DoubleModel";

    private final Elements elements;
    private final Reporter reporter;

    NetworkParser(Elements elements, Reporter reporter) {
        this.elements = elements;
        this.reporter = reporter;
    }

    /** The model of {@code element}, or empty after reporting why there is none. */
    Optional<NetworkModel> parse(Element element) {
        int errorsBefore = reporter.errorCount();
        if (element.getKind() != ElementKind.INTERFACE) {
            AnnotationMirror network = Reporter.findAnnotation(element, NETWORK);
            reporter.error(element, network, Message.NOT_AN_INTERFACE, element.getSimpleName(), describeKind(element));
            return Optional.empty();
        }
        TypeElement type = (TypeElement) element;
        AnnotationMirror network = Reporter.findAnnotation(type, NETWORK);
        Loss loss = Loss.valueOf(enumValue(network, "loss"));
        Precision precision = Precision.valueOf(enumValue(network, "precision"));
        checkDeclaration(type, precision);
        List<Layer> layers = readLayers(type);
        if (reporter.errorCount() > errorsBefore) {
            return Optional.empty();
        }
        PackageElement pkg = elements.getPackageOf(type);
        String packageName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
        String qualified = type.getQualifiedName().toString();
        String relative = packageName.isEmpty() ? qualified : qualified.substring(packageName.length() + 1);
        boolean lossDeclared = Reporter.findValue(network, "loss") != null;
        return Optional.of(new NetworkModel(
                packageName,
                relative,
                loss,
                Site.networkAttribute("loss"),
                lossDeclared,
                precision,
                layers,
                memberNames(type)));
    }

    private void checkDeclaration(TypeElement type, Precision precision) {
        if (!type.getTypeParameters().isEmpty()) {
            reporter.error(type, Message.GENERIC_INTERFACE, type.getSimpleName());
        }
        String access = inaccessibility(type);
        if (access != null) {
            reporter.error(type, Message.INACCESSIBLE_INTERFACE, type.getSimpleName(), access);
        }
        String implemented = precision == Precision.DOUBLE ? DOUBLE_MODEL : FLOAT_MODEL;
        String other = precision == Precision.DOUBLE ? FLOAT_MODEL : DOUBLE_MODEL;
        boolean mismatchReported = false;
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
            if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
                continue;
            }
            String owner = ((TypeElement) method.getEnclosingElement())
                    .getQualifiedName()
                    .toString();
            if (owner.equals(MODEL) || owner.equals(implemented)) {
                continue; // the generated class implements the contract
            }
            if (owner.equals(other)) {
                if (!mismatchReported) {
                    reporter.error(
                            type,
                            Message.CONTRACT_MISMATCH,
                            type.getSimpleName(),
                            simpleName(other),
                            precision,
                            simpleName(implemented));
                    mismatchReported = true;
                }
                continue;
            }
            Element where = method.getEnclosingElement().equals(type) ? method : type;
            reporter.error(where, Message.ABSTRACT_METHOD, type.getSimpleName(), method.getSimpleName() + "()");
        }
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /** Why the generated top-level class could not implement {@code type}, or {@code null} if it can. */
    private static String inaccessibility(TypeElement type) {
        Element e = type;
        while (e instanceof TypeElement t && t.getNestingKind() == NestingKind.MEMBER) {
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                return t == type ? "private" : "inside the private type " + t.getSimpleName();
            }
            e = t.getEnclosingElement();
        }
        if (e instanceof TypeElement t && t.getNestingKind() != NestingKind.TOP_LEVEL) {
            return "declared inside a method";
        }
        return null;
    }

    private List<Layer> readLayers(TypeElement type) {
        List<Layer> layers = new ArrayList<>();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            List<AnnotationMirror> kinds = new ArrayList<>();
            for (String annotation : LAYERS) {
                AnnotationMirror mirror = Reporter.findAnnotation(field, annotation);
                if (mirror != null) {
                    kinds.add(mirror);
                }
            }
            if (kinds.isEmpty()) {
                continue;
            }
            String name = field.getSimpleName().toString();
            if (kinds.size() > 1) {
                reporter.error(
                        field,
                        kinds.get(1),
                        Message.TWO_LAYER_KINDS,
                        name,
                        simpleName(kinds.get(0)),
                        simpleName(kinds.get(1)));
                continue;
            }
            Integer size = readSize(field, name);
            if (size == null) {
                continue;
            }
            layers.add(layer(name, size, Site.field(name), kinds.get(0)));
        }
        return layers;
    }

    private static String simpleName(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().toString();
    }

    /** The layer a field of {@code size} declares with the annotation {@code mirror}. */
    private Layer layer(String name, int size, Site site, AnnotationMirror mirror) {
        String annotation = ((TypeElement) mirror.getAnnotationType().asElement())
                .getQualifiedName()
                .toString();
        return switch (annotation) {
            case INPUT ->
                new Layer.Input(
                        name,
                        size,
                        site,
                        integer(mirror, "channels"),
                        integer(mirror, "height"),
                        integer(mirror, "width"),
                        integer(mirror, "steps"),
                        integer(mirror, "features"));
            case DENSE ->
                new Layer.Dense(
                        name,
                        size,
                        Activation.valueOf(enumValue(mirror, "activation")),
                        site,
                        site.annotationValue(DENSE, "activation"),
                        ((Number) value(mirror, "dropout")).doubleValue(),
                        site.annotationValue(DENSE, "dropout"),
                        bool(mirror, "perStep"));
            case Layer.Conv2D.ANNOTATION ->
                new Layer.Conv2D(
                        name,
                        size,
                        site,
                        Activation.valueOf(enumValue(mirror, "activation")),
                        integer(mirror, "kernel"),
                        integer(mirror, "kernelHeight"),
                        integer(mirror, "kernelWidth"),
                        integer(mirror, "stride"),
                        integer(mirror, "strideHeight"),
                        integer(mirror, "strideWidth"),
                        Padding.valueOf(enumValue(mirror, "padding")),
                        integer(mirror, "pad"),
                        integer(mirror, "padHeight"),
                        integer(mirror, "padWidth"));
            case Layer.Pool2D.MAX, Layer.Pool2D.AVG ->
                new Layer.Pool2D(
                        name,
                        size,
                        site,
                        annotation.equals(Layer.Pool2D.MAX) ? LayerSpec.Kind.MAX_POOL2D : LayerSpec.Kind.AVG_POOL2D,
                        integer(mirror, "window"),
                        integer(mirror, "windowHeight"),
                        integer(mirror, "windowWidth"),
                        integer(mirror, "stride"),
                        integer(mirror, "strideHeight"),
                        integer(mirror, "strideWidth"));
            case Layer.GlobalAvgPool2D.ANNOTATION -> new Layer.GlobalAvgPool2D(name, size, site);
            case Layer.Recurrent.SIMPLE_RNN ->
                new Layer.Recurrent(
                        name,
                        size,
                        site,
                        LayerSpec.Kind.SIMPLE_RNN,
                        Activation.valueOf(enumValue(mirror, "activation")),
                        bool(mirror, "returnSequences"),
                        0);
            case Layer.Recurrent.LSTM ->
                new Layer.Recurrent(
                        name,
                        size,
                        site,
                        LayerSpec.Kind.LSTM,
                        Activation.TANH,
                        bool(mirror, "returnSequences"),
                        ((Number) value(mirror, "forgetBias")).doubleValue());
            case Layer.FixedPoint.ANNOTATION ->
                new Layer.FixedPoint(
                        name,
                        size,
                        site,
                        Activation.valueOf(enumValue(mirror, "activation")),
                        ((Number) value(mirror, "tolerance")).doubleValue(),
                        integer(mirror, "maxIterations"),
                        ((Number) value(mirror, "contraction")).doubleValue());
            case Layer.Recurrent.GRU ->
                new Layer.Recurrent(
                        name, size, site, LayerSpec.Kind.GRU, Activation.TANH, bool(mirror, "returnSequences"), 0);
            default -> throw new IllegalStateException("no layer kind for @" + annotation);
        };
    }

    private int integer(AnnotationMirror mirror, String attribute) {
        return ((Number) value(mirror, attribute)).intValue();
    }

    private boolean bool(AnnotationMirror mirror, String attribute) {
        return (Boolean) value(mirror, attribute);
    }

    private Integer readSize(VariableElement field, String name) {
        if (field.asType().getKind() != TypeKind.INT) {
            reporter.error(field, Message.SIZE_NOT_INT, name, field.asType());
            return null;
        }
        Object value = field.getConstantValue();
        if (!(value instanceof Integer size)) {
            reporter.error(field, Message.SIZE_NOT_CONSTANT, name);
            return null;
        }
        return size;
    }

    /** The name of the enum constant given (or defaulted) for {@code attribute}. */
    private String enumValue(AnnotationMirror mirror, String attribute) {
        return ((VariableElement) value(mirror, attribute)).getSimpleName().toString();
    }

    /** The value given (or defaulted) for {@code attribute}. */
    private Object value(AnnotationMirror mirror, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                elements.getElementValuesWithDefaults(mirror).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue().getValue();
            }
        }
        throw new IllegalStateException("@" + mirror.getAnnotationType() + " has no attribute " + attribute);
    }

    /** Names of the interface's own and inherited members, except those of the model contract it may extend. */
    private Set<String> memberNames(TypeElement type) {
        Set<String> names = new LinkedHashSet<>();
        for (Element member : elements.getAllMembers(type)) {
            String owner = ((TypeElement) member.getEnclosingElement())
                    .getQualifiedName()
                    .toString();
            boolean contract = owner.equals(MODEL) || owner.equals(FLOAT_MODEL) || owner.equals(DOUBLE_MODEL);
            if (!contract && (member.getKind() == ElementKind.FIELD || member.getKind() == ElementKind.METHOD)) {
                names.add(member.getSimpleName().toString());
            }
        }
        return names;
    }

    private static String describeKind(Element element) {
        return switch (element.getKind()) {
            case CLASS -> "class";
            case ENUM -> "enum";
            case RECORD -> "record";
            case ANNOTATION_TYPE -> "annotation type";
            default -> element.getKind().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
