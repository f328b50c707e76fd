package dev.chainrule;

/** The floating-point type a generated network computes in. */
public enum Precision {
    /** 32-bit {@code float}: parameters, activations and gradients; the default. */
    FLOAT,
    /** 64-bit {@code double}. */
    DOUBLE;

    /** The lower-case name used in messages and descriptions. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
