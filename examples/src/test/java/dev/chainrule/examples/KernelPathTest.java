package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.kernel.Kernels;
import org.junit.jupiter.api.Test;

/**
 * The build runs the examples' accuracy tests twice, on the plain kernels and again with {@code
 * jdk.incubator.vector} on the Vector API ones (the {@code vector-kernels} execution of this
 * module's pom); this checks that each run used the kernels it is named for.
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
