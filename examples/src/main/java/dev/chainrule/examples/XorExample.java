package dev.chainrule.examples;

/**
 * Trains {@link Xor} with plain full-batch gradient descent written out by hand: zero the
 * gradients, accumulate the batch's, step against them.
 */
public final class XorExample {
    static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};
    static final float[] TARGETS = {0, 1, 1, 0};

    private XorExample() {}

    /** Trains a model from {@code seed} for {@code epochs} steps of learning rate {@code rate}; returns it. */
    public static XorModel train(long seed, int epochs, float rate) {
        XorModel model = new XorModel(seed);
        float[] params = model.parameters();
        float[] grads = model.gradients();
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.zeroGradients();
            model.accumulateGradientsBatch(INPUTS, TARGETS, 4);
            for (int i = 0; i < params.length; i++) {
                params[i] -= rate * grads[i];
            }
        }
        return model;
    }

    /** How many of the four cases the model gets right (output above or below 0.5). */
    public static int correct(XorModel model) {
        float[] out = new float[Xor.OUTPUT];
        int correct = 0;
        for (int r = 0; r < 4; r++) {
            model.predict(INPUTS, r * Xor.INPUTS, out, 0);
            if ((out[0] > 0.5f) == (TARGETS[r] > 0.5f)) {
                correct++;
            }
        }
        return correct;
    }

    public static void main(String[] args) {
        XorModel model = train(42L, 2000, 0.5f);
        float[] out = new float[Xor.OUTPUT];
        for (int r = 0; r < 4; r++) {
            model.predict(INPUTS, r * Xor.INPUTS, out, 0);
            System.out.printf("%.0f xor %.0f -> %.3f%n", INPUTS[2 * r], INPUTS[2 * r + 1], out[0]);
        }
        System.out.printf("loss %.5f, %d of 4 correct%n", model.lossBatch(INPUTS, TARGETS, 4), correct(model));
    }
}
