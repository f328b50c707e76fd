package dev.chainrule.benchmarks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The checks the benchmarks rely on, and the hand-written MLP passing them. */
class AgreementTest {

    @Test
    void plainJavaMlpComputesChainrulesOutputs() {
        for (String network : new String[] {"784-128-10", "4-16-3", "784-512-512-10"}) {
            Workload workload = Workload.parse(network);
            float[] x = workload.inputs();
            PlainJavaMlp plain =
                    new PlainJavaMlp(workload, workload.newChainruleModel().parameters());
            float[] out = new float[workload.outputSize()];
            plain.predict(x, out);
            Agreement.requireSameOutputs("plain Java MLP " + network, Agreement.chainruleOutputs(workload, x), out);
        }
    }

    @Test
    void plainJavaMlpTakesChainrulesTrainingStep() {
        for (String step : new String[] {"784-128-10:32", "4-16-3:8"}) {
            Workload workload = Workload.parse(step);
            float[] before = workload.newChainruleModel().parameters();
            PlainJavaMlp plain = new PlainJavaMlp(workload, before);
            plain.trainingStep(workload.inputs(), workload.oneHotTargets(), workload.batch(), Workload.LEARNING_RATE);
            Agreement.requireSameStep(
                    "plain Java MLP " + step, before, Agreement.chainruleStep(workload), plain.parameters());
        }
    }

    @Test
    void differentOutputsFailNamingTheOutput() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Agreement.requireSameOutputs("Peer", new float[] {0.25f, 0.75f}, new double[] {0.25, 0.7}));
        assertTrue(e.getMessage().contains("Peer computes a different function: output 1 is 0.7"), e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Agreement.requireSameOutputs("Peer", new float[] {0.5f}, new double[] {Double.NaN}));
        assertThrows(
                IllegalStateException.class,
                () -> Agreement.requireSameOutputs("Peer", new float[] {0.5f, 0.5f}, new double[] {1}));
    }

    @Test
    void differentStepsFailNamingTheParameter() {
        float[] before = {1, 2, 3};
        float[] chainrule = {0.9f, 2, 3.1f};
        Agreement.requireSameStep("Peer", before, chainrule, new double[] {0.9, 2, 3.1});
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Agreement.requireSameStep("Peer", before, chainrule, new double[] {0.9, 2.01, 3.1}));
        assertTrue(e.getMessage().contains("Peer takes a different training step: parameter 1"), e.getMessage());
        IllegalStateException nothing = assertThrows(
                IllegalStateException.class,
                () -> Agreement.requireSameStep("Peer", before, before, new double[] {1, 2, 3}));
        assertTrue(nothing.getMessage().contains("changed no parameter"), nothing.getMessage());
    }
}
