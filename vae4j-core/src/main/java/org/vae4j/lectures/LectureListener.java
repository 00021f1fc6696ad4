package org.vae4j.lectures;

import org.vae4j.model.ModelConfig;
import org.vae4j.train.EpochMetrics;

/**
 * Progress of {@link Lectures#run}: the core never prints, the caller renders these events. All methods default to
 * no-ops.
 */
public interface LectureListener {

    /**
     * The data are prepared; training starts next.
     *
     * @param setup the data and settings measured
     */
    default void started(LectureReport.Setup setup) {}

    /**
     * A model is about to be trained.
     *
     * @param model the model's name in the report ("VAE (2-D)", "β-VAE β = 4")
     * @param config its configuration
     * @param epochs epochs it will be trained for
     */
    default void training(String model, ModelConfig config, int epochs) {}

    /**
     * An epoch of a model finished.
     *
     * @param model the model's name in the report
     * @param config its configuration (its variant tells whether the test figure is a −ELBO or a plain loss)
     * @param epochs epochs it is trained for
     * @param metrics the epoch's figures
     */
    default void epoch(String model, ModelConfig config, int epochs, EpochMetrics metrics) {}

    /**
     * A stage (training a model, measuring it) finished.
     *
     * @param timing what and how long
     */
    default void stage(LectureReport.Timing timing) {}

    /** A listener that ignores everything. */
    LectureListener NONE = new LectureListener() {};
}
