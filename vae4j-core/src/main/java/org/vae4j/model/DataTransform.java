package org.vae4j.model;

import java.util.Locale;
import org.vae4j.data.TableSchema;
import org.vae4j.util.Json;

/**
 * How data records are presented to the model; stored with the model so every later use (evaluation,
 * encoding, scoring) applies the same transform.
 *
 * @param binarize {@code none} (grey values in [0,1]), {@code static} (pixels binarised once) or
 *     {@code dynamic} (Bernoulli pixels re-sampled every epoch; the test split is binarised once, seeded)
 * @param table for models of tables: the column types, training statistics and one-hot layout with which every table
 *     given to the model is encoded; {@code null} otherwise (and absent from configs written before tables existed)
 */
public record DataTransform(String binarize, @Json.Optional TableSchema table) {

    /** No transform. */
    public static final DataTransform NONE = new DataTransform("none");

    /** Validates. */
    public DataTransform {
        binarize = binarize == null ? "none" : binarize.toLowerCase(Locale.ROOT);
        if (!binarize.equals("none") && !binarize.equals("static") && !binarize.equals("dynamic")) {
            throw new IllegalArgumentException("binarize must be none, static or dynamic, got '" + binarize + "'");
        }
        if (table != null && !binarize.equals("none")) {
            throw new IllegalArgumentException("--binarize " + binarize + " is for images in [0,1], not for tables");
        }
    }

    /** A transform without a table schema. */
    public DataTransform(String binarize) {
        this(binarize, null);
    }

    /** The transform of a table model: no binarisation, values encoded by {@code table}. */
    public static DataTransform ofTable(TableSchema table) {
        return new DataTransform("none", table);
    }

    /** Whether inputs are binarised at all. */
    public boolean binarized() {
        return !binarize.equals("none");
    }
}
