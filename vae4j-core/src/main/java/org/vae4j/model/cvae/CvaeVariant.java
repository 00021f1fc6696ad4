package org.vae4j.model.cvae;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.vae.VaeVariant;

/**
 * The conditional VAE (Sohn, Lee &amp; Yan 2015) in its generation form: the label y, one-hot, goes into the encoder
 * q(z|x, y) (appended to the flattened features) and the decoder p(x|z, y) (appended to the code); the prior stays
 * N(0, I). The loss is the (β-)ELBO of log p(x|y). Sampling with a label draws that class; the code then holds what
 * the label does not say (style), so interpolation and traversal run within a class.
 */
public final class CvaeVariant extends VaeVariant {
    /** Option name: number of classes (default: the training data's). */
    public static final String CLASSES = "classes";

    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.ENCODES, Capability.POSTERIOR,
            Capability.DECODES, Capability.SAMPLES, Capability.IMPORTANCE_WEIGHTED, Capability.CONDITIONAL));

    /**
     * The conditional VAE's settings.
     *
     * @param classes number of label classes: the width of the one-hot condition (labels 0..classes-1)
     */
    public record Settings(int classes) {
        /** Validates. */
        public Settings {
            if (classes < 2 || classes > 10_000) {
                throw new IllegalArgumentException("cvae needs 2..10000 classes, got " + classes
                        + (classes == 0 ? " (train it on labelled data)" : ""));
            }
        }
    }

    @Override
    public String name() {
        return "cvae";
    }

    @Override
    public String description() {
        return "conditional VAE: the label goes into encoder and decoder (sample --label K)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Class<? extends Record> settingsType() {
        return Settings.class;
    }

    @Override
    public Record settings(Map<String, String> options, int classes) {
        ModelVariant.rejectOptions(name(), options, List.of(CLASSES));
        String given = options.get(CLASSES);
        if (given != null) {
            int k = ModelVariant.wholeOption(given, "cvae option classes");
            if (classes >= 0 && classes > k) {
                throw new IllegalArgumentException("cvae option classes=" + k + " is fewer than the data's " + classes + " classes");
            }
            return new Settings(k);
        }
        if (classes < 0) {
            return new Settings(2); // the data are not loaded yet: the options are fine, the count comes later
        }
        if (classes == 0) {
            throw new IllegalArgumentException("cvae needs labelled data (the label is its condition); this data set has no labels");
        }
        return new Settings(classes);
    }

    @Override
    public int conditionWidth(Record settings) {
        return ((Settings) settings).classes();
    }
}
