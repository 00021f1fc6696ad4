package org.vae4j.train;

import java.util.SplittableRandom;
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
