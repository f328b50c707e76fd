package dev.chainrule.train;

// double twin: DoublePredictions (written from this file at build time by runtime/src/build/Twins.java)

import dev.chainrule.FloatModel;
import dev.chainrule.data.AbstractBatches;
import dev.chainrule.data.Batches;
import dev.chainrule.data.Dataset;

/** The {@link Predictions} of {@link FloatModel}s over a {@link Dataset}. */
final class FloatPredictions extends Predictions {
    private final FloatModel[] models;
    private final Batches batches;
    private final float[] output;

    FloatPredictions(FloatModel[] models, Workers workers, Dataset data, String role) {
        super(models[0], models.length, workers, data, role);
        this.models = models;
        this.batches = data.batches(Math.min(CHUNK, data.rows()));
        this.output = new float[Math.min(CHUNK, data.rows()) * outputs];
    }

    @Override
    AbstractBatches batches() {
        return batches;
    }

    @Override
    double slice(int m, int from, int count) {
        models[m].predictBatch(batches.inputs(), from * inputs, output, from * outputs, count);
        return models[m].lossBatch(batches.inputs(), from * inputs, batches.targets(), from * outputs, count);
    }

    @Override
    void row(int r) {
        float[] targets = batches.targets();
        for (int k = 0; k < outputs; k++) {
            prediction[k] = output[r * outputs + k];
            target[k] = targets[r * outputs + k];
        }
    }
}
