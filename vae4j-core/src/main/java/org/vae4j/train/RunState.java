package org.vae4j.train;

import org.vae4j.model.ModelConfig;
import org.vae4j.util.Json;

/**
 * What a run directory needs to be resumed: stored as {@code train.json}.
 *
 * @param formatVersion format of this file
 * @param model model configuration
 * @param training training configuration
 * @param dataName data set name
 * @param dataSpec data specification as the user gave it (the CLI reloads the data from it)
 * @param dataDir data directory option, or empty
 * @param dataHash SHA-256 of the training data; resuming on other data is refused
 * @param started start time (ISO-8601)
 * @param selection label filter and sample weights (files written before these existed read as
 *     {@link DataSelection#NONE})
 */
public record RunState(
        int formatVersion,
        ModelConfig model,
        TrainConfig training,
        String dataName,
        String dataSpec,
        String dataDir,
        String dataHash,
        String started,
        @Json.Optional DataSelection selection) {
    /** Current format. */
    public static final int FORMAT_VERSION = 1;

    /** Validates. */
    public RunState {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported train.json format version " + formatVersion);
        }
        if (model == null || training == null) {
            throw new IllegalArgumentException("model and training configs are required");
        }
        if (selection == null) {
            selection = DataSelection.NONE;
        }
    }
}
