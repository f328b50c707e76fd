package dev.chainrule.optim;

/** Checks of configuration values, with messages naming the option and the accepted range. */
final class Require {
    private Require() {}

    /** {@code value} must be positive and finite. */
    static double positive(double value, String what) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " is " + value + ", expected a positive finite number");
        }
        return value;
    }

    /** {@code value} must be finite and {@code >= 0}. */
    static double nonNegative(double value, String what) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(what + " is " + value + ", expected a finite number >= 0");
        }
        return value;
    }

    /** {@code value} must lie in {@code [0, 1)}. */
    static double fraction(double value, String what) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " is " + value + ", expected a value in [0, 1)");
        }
        return value;
    }

    /** {@code value} must be at least {@code min}. */
    static int atLeast(int value, int min, String what) {
        if (value < min) {
            throw new IllegalArgumentException(what + " is " + value + ", expected at least " + min);
        }
        return value;
    }
}
