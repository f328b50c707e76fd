package dev.chainrule.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Activation;
import dev.chainrule.Precision;

/** What changes between float and double code: types, literals, and the kernels to call. */
@SuppressWarnings("ImmutableEnumChecker") // JavaPoet's type and class names are immutable values
enum Scalar {
    FLOAT(TypeName.FLOAT, "f", "F", "FloatModel"),
    DOUBLE(TypeName.DOUBLE, ".0", "D", "DoubleModel");

    private static final String KERNEL = "dev.chainrule.kernel";

    final TypeName type;
    final ArrayTypeName array;
    /** {@code ActivationMathF} or {@code ActivationMathD}. */
    final ClassName activations;
    /** {@code LossMathF} or {@code LossMathD}. */
    final ClassName losses;
    /** {@code FloatModel} or {@code DoubleModel}. */
    final ClassName contract;
    /** {@code FloatStreamingModel} or {@code DoubleStreamingModel}. */
    final ClassName streamingContract;

    private final String literalSuffix;

    Scalar(TypeName type, String literalSuffix, String kernelSuffix, String contract) {
        this.type = type;
        this.array = ArrayTypeName.of(type);
        this.literalSuffix = literalSuffix;
        this.activations = ClassName.get(KERNEL, "ActivationMath" + kernelSuffix);
        this.losses = ClassName.get(KERNEL, "LossMath" + kernelSuffix);
        this.contract = ClassName.get("dev.chainrule", contract);
        this.streamingContract = ClassName.get("dev.chainrule", contract.replace("Model", "StreamingModel"));
    }

    static Scalar of(Precision precision) {
        return precision == Precision.DOUBLE ? DOUBLE : FLOAT;
    }

    /** An integral literal of this type: {@code 1f} or {@code 1.0}. */
    String literal(int value) {
        return value + literalSuffix;
    }

    /** A literal of this type for {@code value}, rounded to float for FLOAT: {@code 2.0f} or {@code 2.0}. */
    String literal(double value) {
        return this == FLOAT ? Float.toString((float) value) + "f" : Double.toString(value);
    }

    /** A double-valued {@code expression} as this type: cast to float for FLOAT, as it is for DOUBLE (no redundant cast). */
    String narrow(String expression) {
        return this == FLOAT ? "(float) (" + expression + ")" : expression;
    }

    /** The name of the kernel computing {@code activation(z)}; not for IDENTITY or SOFTMAX. */
    static String function(Activation activation) {
        return switch (activation) {
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case RELU -> "relu";
            case LEAKY_RELU -> "leakyRelu";
            case ELU -> "elu";
            case SOFTPLUS -> "softplus";
            case GELU -> "gelu";
            case IDENTITY, SOFTMAX -> throw new IllegalArgumentException(activation + " is not element-wise");
        };
    }

    /**
     * The derivative {@code da/dz} of an element-wise activation as an expression of its
     * pre-activation {@code z} and activation {@code a}; {@code null} for IDENTITY (it is 1).
     */
    CodeBlock derivative(Activation activation, String z, String a) {
        return switch (activation) {
            case IDENTITY -> null;
            case SIGMOID -> CodeBlock.of("$T.sigmoidDerivative($L)", activations, a);
            case TANH -> CodeBlock.of("$T.tanhDerivative($L)", activations, a);
            case RELU -> CodeBlock.of("$T.reluDerivative($L)", activations, z);
            case LEAKY_RELU -> CodeBlock.of("$T.leakyReluDerivative($L)", activations, z);
            case ELU -> CodeBlock.of("$T.eluDerivative($L, $L)", activations, z, a);
            case SOFTPLUS -> CodeBlock.of("$T.softplusDerivative($L)", activations, z);
            case GELU -> CodeBlock.of("$T.geluDerivative($L)", activations, z);
            case SOFTMAX -> throw new IllegalArgumentException("softmax has no element-wise derivative");
        };
    }
}
