package org.vae4j.train;

import java.util.List;
import org.vae4j.data.LabelFilter;

/**
 * Which training records a run uses and how often: a label filter (applied to both splits) and optional
 * per-record sampling weights. Stored in {@code train.json} and re-applied on resume.
 *
 * @param onlyLabels labels to keep (empty: all)
 * @param excludeLabels labels to drop (empty: none)
 * @param sampleWeights path of the weights CSV as given, or empty for uniform shuffling
 * @param sampleWeightsSha256 SHA-256 of that file when the run started (empty without weights)
 */
public record DataSelection(List<String> onlyLabels, List<String> excludeLabels, String sampleWeights,
        String sampleWeightsSha256) {
    /** All records, shuffled uniformly. */
    public static final DataSelection NONE = new DataSelection(List.of(), List.of(), "", "");

    /** Validates (see {@link LabelFilter}). */
    public DataSelection {
        LabelFilter f = new LabelFilter(onlyLabels, excludeLabels);
        onlyLabels = f.only();
        excludeLabels = f.exclude();
        sampleWeights = sampleWeights == null ? "" : sampleWeights;
        sampleWeightsSha256 = sampleWeightsSha256 == null ? "" : sampleWeightsSha256;
    }

    /** The label filter. */
    public LabelFilter labelFilter() {
        return new LabelFilter(onlyLabels, excludeLabels);
    }

    /** Whether batches are drawn with weights. */
    public boolean weighted() {
        return !sampleWeights.isEmpty();
    }

    /** A copy with the weights file's hash filled in. */
    DataSelection withSha256(String sha) {
        return new DataSelection(onlyLabels, excludeLabels, sampleWeights, sha);
    }
}
