package org.vae4j.train;

import org.vae4j.eval.EvaluationResult;

/**
 * Receives the end of every training epoch (DJL's training-listener design): evaluation, the metrics history, the
 * best-model choice and checkpoints are each one listener, run in the order they were added, each seeing what the
 * earlier ones recorded in the {@link Epoch}. Add your own with {@link Training#epochListener}, e.g. early stopping.
 */
public interface EpochListener {

    /** Training resumes from a checkpoint, whose history is given (before the first new epoch). */
    default void resumed(Checkpoints.Loaded from) {}

    /** An epoch's training finished. */
    void epochEnded(Epoch epoch);

    /** What is known about an epoch as it passes through the listeners. */
    final class Epoch {
        private final int number;
        private final double[] trainValues;
        private final java.util.List<String> valueNames;
        private final int seen;
        private final int skipped;
        private final double seconds;
        private final double beta;
        EvaluationResult evaluation;
        double evalSeconds;
        EpochMetrics metrics;
        boolean best;

        Epoch(int number, java.util.List<String> valueNames, double[] trainValues, int seen, int skipped, double seconds, double beta) {
            this.number = number;
            this.valueNames = valueNames;
            this.trainValues = trainValues;
            this.seen = seen;
            this.skipped = skipped;
            this.seconds = seconds;
            this.beta = beta;
        }

        /** The epoch (1-based). */
        public int number() {
            return number;
        }

        /** Mean over the epoch's records of a step value ({@code loss}, {@code recon}, ...), NaN if unknown. */
        public double train(String name) {
            int i = valueNames.indexOf(name);
            return i < 0 ? Double.NaN : trainValues[i];
        }

        /** Records trained on. */
        public int seen() {
            return seen;
        }

        /** Batches skipped for non-finite values. */
        public int skipped() {
            return skipped;
        }

        /** Training seconds (without evaluation). */
        public double seconds() {
            return seconds;
        }

        /** The effective β. */
        public double beta() {
            return beta;
        }

        /** The test evaluation, once the evaluation listener has run (else null). */
        public EvaluationResult evaluation() {
            return evaluation;
        }

        /** The metrics row, once the metrics listener has run (else null). */
        public EpochMetrics metrics() {
            return metrics;
        }

        /** Whether this epoch's model is the best so far (set by the best-model listener). */
        public boolean best() {
            return best;
        }
    }
}
