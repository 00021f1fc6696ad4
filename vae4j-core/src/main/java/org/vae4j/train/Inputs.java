package org.vae4j.train;

import java.util.SplittableRandom;
import org.vae4j.data.BatchReader;
import org.vae4j.model.DataTransform;

/** Turns data-set values into model inputs according to a {@link DataTransform}. */
public final class Inputs {
    /**
     * The test split of binarised data is sampled once with this fixed seed, independent of the training seed, so
     * that every model and run is evaluated on the same binary images.
     */
    public static final long TEST_BINARIZATION_SEED = 0x5eed_b1a5L;

    private Inputs() {}

    /** One Bernoulli sample per value: 1 with probability v. */
    public static float[] bernoulli(float[] values, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = r.nextDouble() < values[i] ? 1f : 0f;
        }
        return out;
    }

    /** Values as the model sees them at evaluation time (binarised once with the fixed test seed when needed). */
    public static float[] forEvaluation(float[] values, DataTransform t) {
        return t.binarized() ? bernoulli(values, TEST_BINARIZATION_SEED) : values;
    }

    /**
     * Per-record binarisation for streamed data sets (which are never held as one array): record {@code i} is
     * sampled with its own seed derived from {@code seed} and {@code i}, so the result does not depend on the order
     * or batching in which records are read. In-memory data keep the whole-array {@link #bernoulli} instead.
     *
     * @return a transform, or {@code null} when {@code binarized} is false
     */
    public static BatchReader.Transform perRecordBernoulli(boolean binarized, long seed) {
        if (!binarized) {
            return null;
        }
        return (record, values, offset, featureSize) -> {
            SplittableRandom r = new SplittableRandom(Seeds.derive(seed, record, 11));
            for (int k = offset; k < offset + featureSize; k++) {
                values[k] = r.nextDouble() < values[k] ? 1f : 0f;
            }
        };
    }

    /** Checks that the first {@code length} values are finite; throws naming the first bad record. */
    public static void requireFinite(float[] values, int length, int featureSize, String what) {
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(what + ": record " + (i / featureSize) + " has a non-finite value (" + values[i] + ")");
            }
        }
    }

    /** Checks that every value is finite; throws naming the first bad record. */
    public static void requireFinite(float[] values, int featureSize, String what) {
        requireFinite(values, featureSize, what, false);
    }

    /**
     * Checks that every value is finite, or NaN where {@code missingAllowed} (tables: NaN marks a missing cell);
     * throws naming the first bad record.
     */
    public static void requireFinite(float[] values, int featureSize, String what, boolean missingAllowed) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i]) && !(missingAllowed && Float.isNaN(values[i]))) {
                throw new IllegalArgumentException(what + ": record " + (i / featureSize) + " has a non-finite value (" + values[i] + ")");
            }
        }
    }
}
