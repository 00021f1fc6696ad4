package org.vae4j.train;

/** Receives training progress; the core never prints, the CLI renders this. All methods default to no-ops. */
public interface TrainingListener {

    /** Training starts (or resumes) at epoch {@code firstEpoch} of {@code epochs}, with {@code batches} per epoch. */
    default void started(int firstEpoch, int epochs, int batches, long parameters) {}

    /** A batch finished; values are running means over the epoch so far. */
    default void batch(int epoch, int batch, int batches, double loss, double recon, double kl, double imagesPerSecond) {}

    /** An epoch finished and was checkpointed. */
    default void epoch(EpochMetrics metrics) {}

    /** Something the user should know (e.g. a batch skipped for NaN). */
    default void warning(String message) {}

    /** Listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};
}
