package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.Kernels;
import org.junit.jupiter.api.Test;

/**
 * The build runs the generated-network tests twice, once per kernel implementation; this checks
 * that each run really used the one it is named for.
 */
class KernelPathTest {
    @Test
    void thisRunUsesTheExpectedKernels() {
        String expected = System.getProperty("chainrule.expectKernels");
        assertNotNull(expected, "the build sets chainrule.expectKernels");
        assertTrue(
                Kernels.IMPL.name().startsWith(expected),
                "expected " + expected + " kernels, ran " + Kernels.IMPL.name());
    }
}
