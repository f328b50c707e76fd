package dev.chainrule;

/**
 * A generated model with {@link FixedPoint} layers: it counts the solves that reached their
 * iteration limit, so that a failure to converge is never silent, and keeps its maps contractive
 * when the layers ask for it.
 */
public interface FixedPointModel extends Model {

    /**
     * The model's counts since it was made or last {@linkplain #resetConvergence() reset}; a live
     * view. The {@code Trainer} takes the counts of every epoch (training and validation, summed
     * over its threads), resets them, and warns on its progress output and in {@code
     * History.warnings()} of every epoch in which a solve reached its limit.
     */
    Convergence convergence();

    /** Sets every count of {@link #convergence()} to zero. */
    void resetConvergence();

    /**
     * Rescales each row of a {@link FixedPoint#contraction() contracting} layer's recurrent
     * weights whose absolute sum exceeds its bound; the {@code Trainer} calls it after every step.
     */
    void applyConstraints();

    /** Counts of fixed-point solves, over every fixed-point layer of one model (siblings count their own). */
    final class Convergence {
        private long solves;
        private long forwardFailures;
        private long adjointFailures;
        private double worstResidual;
        private int mostIterations;

        /** Forward solves run. */
        public long solves() {
            return solves;
        }

        /** Forward solves that reached the iteration limit. */
        public long forwardFailures() {
            return forwardFailures;
        }

        /** Adjoint solves (in backpropagation) that reached the iteration limit. */
        public long adjointFailures() {
            return adjointFailures;
        }

        /** The largest last change of a solve that reached its limit, forward or adjoint (the adjoint's relative to dL/ds). */
        public double worstResidual() {
            return worstResidual;
        }

        /** The most iterations any solve took. */
        public int mostIterations() {
            return mostIterations;
        }

        /** Records a forward solve of {@code iterations} that ended with {@code residual}, over its {@code tolerance}. */
        public void forward(int iterations, double residual, double tolerance) {
            solves++;
            mostIterations = Math.max(mostIterations, iterations);
            if (!(residual <= tolerance)) {
                forwardFailures++;
                worstResidual = Math.max(worstResidual, residual);
            }
        }

        /** Records an adjoint solve of {@code iterations} that ended with the relative {@code residual}. */
        public void adjoint(int iterations, double residual, double tolerance) {
            mostIterations = Math.max(mostIterations, iterations);
            if (!(residual <= tolerance)) {
                adjointFailures++;
                worstResidual = Math.max(worstResidual, residual);
            }
        }

        /** Adds {@code other}'s counts to these: a sibling's, for a total over threads. */
        public void add(Convergence other) {
            solves += other.solves;
            forwardFailures += other.forwardFailures;
            adjointFailures += other.adjointFailures;
            worstResidual = Math.max(worstResidual, other.worstResidual);
            mostIterations = Math.max(mostIterations, other.mostIterations);
        }

        /** Sets every count to zero. */
        public void reset() {
            solves = 0;
            forwardFailures = 0;
            adjointFailures = 0;
            worstResidual = 0;
            mostIterations = 0;
        }

        @Override
        public String toString() {
            return forwardFailures + " of " + solves + " fixed-point solves and " + adjointFailures
                    + " adjoint solves reached the iteration limit"
                    + (forwardFailures + adjointFailures > 0 ? " (worst residual " + worstResidual + ")" : "")
                    + "; most iterations " + mostIterations;
        }
    }
}
