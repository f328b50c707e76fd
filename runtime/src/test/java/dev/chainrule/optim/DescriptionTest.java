package dev.chainrule.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * What an optimizer says about itself in logs and reports: its name, its rate, and every option
 * that is set, and no option that is not.
 */
class DescriptionTest {

    private static void assertMentions(Object o, String... fragments) {
        String text = o.toString();
        for (String fragment : fragments) {
            assertTrue(text.contains(fragment), "'" + text + "' should mention '" + fragment + "'");
        }
    }

    private static void assertOmits(Object o, String... fragments) {
        String text = o.toString();
        for (String fragment : fragments) {
            assertFalse(text.contains(fragment), "'" + text + "' should not mention '" + fragment + "'");
        }
    }

    @Test
    void sgdNamesItsMomentumOnlyWhenItHasOne() {
        assertMentions(Sgd.of(0.25), "Sgd(", "learningRate=", "0.25");
        assertOmits(Sgd.of(0.25), "momentum", "nesterov", "clipNorm", "l1", "l2");
        assertMentions(Sgd.of(0.25).momentum(0.75), "momentum=0.75");
        assertOmits(Sgd.of(0.25).momentum(0.75), "nesterov");
        assertMentions(Sgd.of(0.25).momentum(0.75).nesterov(), "momentum=0.75", "nesterov");
        assertOmits(Sgd.of(0.25).momentum(0.75).nesterov().nesterov(false), "nesterov");
    }

    @Test
    void gradientOptionsAreNamedOnlyWhenSet() {
        Sgd all = Sgd.of(0.25).clipNorm(3).l1(0.125).l2(0.0625);
        assertMentions(all, "clipNorm=3.0", "l1=0.125", "l2=0.0625");
        assertOmits(Sgd.of(0.25).clipNorm(3), "l1=", "l2=");
        assertOmits(Sgd.of(0.25).l1(0.125), "clipNorm", "l2=");
        assertOmits(Sgd.of(0.25).l2(0.0625), "clipNorm", "l1=");
        assertMentions(Rprop.of().l2(0.0625).clipNorm(2), "l2=0.0625", "clipNorm=2.0");
    }

    @Test
    void adaptiveOptimizersNameTheirConstants() {
        assertMentions(Adagrad.of(0.5).epsilon(1e-6), "Adagrad(", "0.5", "epsilon=1.0E-6");
        assertMentions(RmsProp.of(0.5).rho(0.75).epsilon(1e-6), "RmsProp(", "rho=0.75", "epsilon=1.0E-6");
        assertMentions(
                Adam.of(0.5).beta1(0.5).beta2(0.75).epsilon(1e-6),
                "Adam(",
                "beta1=0.5",
                "beta2=0.75",
                "epsilon=1.0E-6");
        assertOmits(Adam.of(0.5), "AdamW", "weightDecay");
        assertMentions(AdamW.of(0.5), "AdamW(", "weightDecay=0.01");
        assertMentions(
                Rprop.of()
                        .etaPlus(1.5)
                        .etaMinus(0.25)
                        .initialStep(0.125)
                        .maxStep(8)
                        .minStep(0.001),
                "Rprop(",
                "etaPlus=1.5",
                "etaMinus=0.25",
                "delta0=0.125",
                "deltaMax=8.0",
                "deltaMin=0.001");
    }

    @Test
    void messagesNameTheOptimizerAndItsVariant() {
        assertEquals("AdamW", AdamW.of().name());
        assertEquals("Adam", Adam.of().name());
        assertEquals("Sgd", Sgd.of(1).name());
        assertEquals("Rprop", Rprop.of().name());
    }

    @Test
    void theFactoriesDefaultsAreTheDocumentedOnes() {
        Adam adam = Adam.of();
        assertEquals(1e-3, adam.schedule().rate(0));
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.epsilon());
        assertEquals(0, adam.weightDecay());
        Adam adamW = AdamW.of();
        assertEquals(1e-3, adamW.schedule().rate(0));
        assertEquals(AdamW.DEFAULT_WEIGHT_DECAY, adamW.weightDecay());
        assertEquals(0.01, AdamW.of(LearningRateSchedule.constant(0.5)).weightDecay());
        assertEquals(
                0.5, AdamW.of(LearningRateSchedule.constant(0.5)).schedule().rate(7));
        assertEquals(0.01, Adagrad.of().schedule().rate(0));
        assertEquals(1e-10, Adagrad.of().epsilon());
        assertEquals(1e-3, RmsProp.of().schedule().rate(0));
        assertEquals(0.9, RmsProp.of().rho());
        assertEquals(1e-8, RmsProp.of().epsilon());
        Rprop rprop = Rprop.of();
        assertEquals(1.2, rprop.etaPlus());
        assertEquals(0.5, rprop.etaMinus());
        assertEquals(0.1, rprop.initialStep());
        assertEquals(50, rprop.maxStep());
        assertEquals(1e-6, rprop.minStep());
        Sgd sgd = Sgd.of(0.25);
        assertEquals(0, sgd.momentum());
        assertFalse(sgd.isNesterov());
        assertTrue(sgd.momentum(0.5).nesterov().isNesterov());
        assertEquals(0.5, sgd.momentum(0.5).nesterov().momentum());
        assertEquals(Double.POSITIVE_INFINITY, sgd.clipNorm());
        assertEquals(0, sgd.l1());
        assertEquals(0, sgd.l2());
        assertEquals(2.5, sgd.clipNorm(2.5).clipNorm());
    }
}
