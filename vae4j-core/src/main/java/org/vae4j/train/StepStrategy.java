package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Batch;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;

/**
 * One optimisation step over a batch: forward, backward, the NaN policy and the optimiser update(s). The epoch loop
 * is the same for every model; the step is what differs (pythae's base / adversarial / coupled-optimiser trainers):
 * {@link SingleOptimizerStep} is one Adam over all of the model's parameters, an adversarial step has two. A step
 * owns its optimisers and their state, which checkpoints store by parameter name (so per parameter group).
 */
public interface StepStrategy extends AutoCloseable {

    /**
     * Trains on one batch. Called inside the step's own sub-manager, after the trainer has seeded the engine for the
     * epoch (so ε and dropout masks replay exactly on resume).
     *
     * @param batch inputs and condition
     * @param objective this step's β and free bits
     * @param sub the step's sub-manager (temporaries are closed with it)
     * @return the step's statistics, or a skipped step
     * @throws TrainingException when the loss or gradient is not finite and the policy is {@link NanPolicy#STOP}
     */
    Result step(Batch batch, Objective objective, NDManager sub);

    /** Names of the values {@link Result#values()} holds, in order: {@code loss}, then the model's terms. */
    List<String> valueNames();

    /** Optimiser state by name ({@code adam.m.encoder.fc1.weight}) for checkpoints. */
    Map<String, NDArray> state();

    /** Optimiser updates taken so far. */
    long steps();

    /**
     * Sets the learning rate of the next steps (a {@link LearningRateSchedule} calls it at the start of each epoch
     * with {@link TrainConfig#learningRate(int)}). A step with several optimisers scales each one's base rate by
     * {@code lr / config.lr()}.
     *
     * @throws UnsupportedOperationException when the step takes no schedule (the default)
     */
    default void learningRate(double lr) {
        throw new UnsupportedOperationException("this model's training step takes no learning-rate schedule");
    }

    /** Restores optimiser state from a checkpoint. */
    void restore(Map<String, float[]> state, long steps);

    /** Frees native resources of the optimisers. */
    @Override
    void close();

    /**
     * What one step did.
     *
     * @param skipped true when the batch was skipped for a non-finite value (then {@code values} is empty)
     * @param values batch means of {@link #valueNames()}
     */
    record Result(boolean skipped, double[] values) {
        /** A skipped step. */
        public static final Result SKIPPED = new Result(true, new double[0]);
    }

    /** Builds a model's step strategy for a training configuration. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param model the model whose parameters the step updates
         * @param config learning rate, betas, clipping and the NaN policy
         * @param position where training is (epoch and batch), for messages
         */
        StepStrategy create(VaeModel model, TrainConfig config, Position position);
    }

    /** Registers the step strategy of a model type that does not train with one optimiser (see {@link StepStrategies}). */
    interface Provider {
        /** The model type's registry name. */
        String model();

        /** Its step strategy. */
        Factory factory();
    }

    /** Where training is, for messages; the trainer updates it. */
    final class Position {
        int epoch;
        int batch;
        String checkpointHint = "";
        TrainingListener listener = TrainingListener.NONE;

        /** Current epoch (1-based). */
        public int epoch() {
            return epoch;
        }

        /** Current batch (1-based). */
        public int batch() {
            return batch;
        }

        /** Where the last good checkpoint is, as a message fragment ("" without a run directory). */
        public String checkpointHint() {
            return checkpointHint;
        }

        /** Receives warnings (e.g. a skipped batch). */
        public TrainingListener listener() {
            return listener;
        }
    }
}
