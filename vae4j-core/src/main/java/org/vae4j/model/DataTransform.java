package org.vae4j.model;

import java.util.Locale;

/**
 * How data records are presented to the model; stored with the model so every later use (evaluation,
 * encoding, scoring) applies the same transform.
 *
 * @param binarize {@code none} (grey values in [0,1]), {@code static} (pixels binarised once) or
 *     {@code dynamic} (Bernoulli pixels re-sampled every epoch; the test split is binarised once, seeded)
 */
public record DataTransform(String binarize) {

    /** No transform. */
    public static final DataTransform NONE = new DataTransform("none");

    /** Validates. */
    public DataTransform {
        binarize = binarize == null ? "none" : binarize.toLowerCase(Locale.ROOT);
        if (!binarize.equals("none") && !binarize.equals("static") && !binarize.equals("dynamic")) {
            throw new IllegalArgumentException("binarize must be none, static or dynamic, got '" + binarize + "'");
        }
    }

    /** Whether inputs are binarised at all. */
    public boolean binarized() {
        return !binarize.equals("none");
    }
}
