package dev.chainrule.processor;

import static dev.chainrule.processor.DiagnosticsTest.expectError;
import static dev.chainrule.processor.DiagnosticsTest.source;

import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One test per diagnostic of fixed-point layers: its message, its hint and its element. */
class FixedPointDiagnosticsTest {

    private static JavaFileObject network(String layer) {
        return source(
                "Memory",
                "@Network",
                "public interface Memory {",
                "    @Input int IN = 6;",
                "    " + layer,
                "    @Dense int OUT = 2;",
                "}");
    }

    @Test
    void activation() {
        expectError(
                network("@FixedPoint(activation = Activation.RELU) int F = 4;"),
                "[Chainrule/FixedPointActivation] fixed-point layer F uses RELU, but a fixed-point layer takes tanh or sigmoid, "
                        + "whose slopes bound its contraction. Fix: use Activation.TANH (the default) or Activation.SIGMOID",
                "int F = 4");
    }

    @Test
    void tolerance() {
        expectError(
                network("@FixedPoint(tolerance = 0) int F = 4;"),
                "[Chainrule/FixedPointTolerance] fixed-point layer F has tolerance 0.0, but a tolerance is above 0 and below 1",
                "int F = 4");
    }

    @Test
    void iterations() {
        expectError(
                network("@FixedPoint(maxIterations = 0) int F = 4;"),
                "[Chainrule/FixedPointIterations] fixed-point layer F has maxIterations = 0, but a solve needs at least 1",
                "int F = 4");
    }

    @Test
    void contraction() {
        expectError(
                network("@FixedPoint(contraction = 1) int F = 4;"),
                "[Chainrule/FixedPointContraction] fixed-point layer F has contraction 1.0, but a contraction factor is at least "
                        + "0 and below 1. Fix: give the factor training keeps the map under",
                "int F = 4");
    }

    @Test
    void reservedNames() {
        expectError(
                source(
                        "Memory",
                        "@Network",
                        "public interface Memory {",
                        "    @Input int IN = 6;",
                        "    @FixedPoint int F = 4;",
                        "    @Dense int OUT = 2;",
                        "    default void applyConstraints() {}",
                        "}"),
                "[Chainrule/NameClash] member applyConstraints clashes with the member applyConstraints that Chainrule generates "
                        + "in every model class",
                "interface Memory");
    }
}
