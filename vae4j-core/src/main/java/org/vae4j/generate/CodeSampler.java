package org.vae4j.generate;

import java.util.SplittableRandom;
import org.vae4j.model.VaeModel;

/**
 * Where the codes a model decodes into samples come from: the prior N(0, I) ({@link #PRIOR}) or a density fitted to
 * the trained model's codes ({@link MixtureSampler}, {@code gmm:K}). Samplers stand apart from models (as pythae's
 * do): any model that decodes can be sampled through any sampler fitted to it.
 *
 * <p>Codes are drawn one after the other from one {@link SplittableRandom}, so code i depends only on the seed, on i
 * and on the labels of samples 0..i — never on the batch size.
 */
public interface CodeSampler {
    /**
     * The model's prior, what it was trained to decode: N(0, I), or a learned one ({@code hvae}'s p(z1|z2), {@code vamp}'s
     * pseudo-input mixture) through {@link org.vae4j.model.ModelVariant#priorCodes}, code by code from the same stream.
     */
    CodeSampler PRIOR = new CodeSampler() {
        @Override
        public String spec() {
            return "prior";
        }

        @Override
        public void draw(VaeModel model, SplittableRandom r, int label, float[] out, int offset) {
            float[] z = model.variant().priorCodes(model, r, 1);
            System.arraycopy(z, 0, out, offset, z.length);
        }
    };

    /** The sampler's name as {@code sample --sampler} takes it: {@code prior}, {@code gmm:10}. */
    String spec();

    /**
     * Draws one code into {@code out[offset .. offset + latent)}.
     *
     * @param label the sample's label for a conditional model, else -1
     */
    void draw(VaeModel model, SplittableRandom r, int label, float[] out, int offset);

    /**
     * A parsed {@code --sampler} value.
     *
     * @param kind {@code prior}, {@code gmm}, or {@code auto} (the {@code gmm:10} fit saved with the model, else the prior)
     * @param components mixture components for {@code gmm} (0 for the prior)
     */
    record Spec(String kind, int components) {
        /** Most components a mixture may have. */
        public static final int MAX_COMPONENTS = 1000;

        /** Validates. */
        public Spec {
            if (kind.equals("prior") || kind.equals("auto")) {
                if (components != 0) {
                    throw new IllegalArgumentException("the " + kind + " sampler takes no component count");
                }
            } else if (kind.equals("gmm")) {
                if (components < 1 || components > MAX_COMPONENTS) {
                    throw new IllegalArgumentException("gmm:K needs 1 <= K <= " + MAX_COMPONENTS + ", got " + components);
                }
            } else {
                throw new IllegalArgumentException("unknown sampler '" + kind + "': use auto, prior or gmm:K");
            }
        }

        /** The prior. */
        public static final Spec PRIOR = new Spec("prior", 0);

        /** The {@code gmm:10} fit saved with the model when there is one (train saves it), else the prior. */
        public static final Spec AUTO = new Spec("auto", 0);

        /** Components of the fit {@code train} saves and {@code auto} uses. */
        public static final int DEFAULT_COMPONENTS = 10;

        /**
         * Parses {@code auto}, {@code prior}, {@code gmm} (10 components) or {@code gmm:K}.
         *
         * @throws IllegalArgumentException (one line) for anything else
         */
        public static Spec parse(String text) {
            String s = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.equals("prior")) {
                return PRIOR;
            }
            if (s.equals("auto")) {
                return AUTO;
            }
            if (s.equals("gmm")) {
                return new Spec("gmm", DEFAULT_COMPONENTS);
            }
            if (s.startsWith("gmm:")) {
                try {
                    return new Spec("gmm", Integer.parseInt(s.substring(4).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--sampler gmm:K needs a whole number K, got '" + text + "'");
                }
            }
            throw new IllegalArgumentException("--sampler must be auto, prior or gmm:K (e.g. gmm:10), got '" + text + "'");
        }

        /** Whether this is the prior (nothing to fit). */
        public boolean isPrior() {
            return kind.equals("prior");
        }

        /** Whether this is {@code auto}. */
        public boolean isAuto() {
            return kind.equals("auto");
        }

        @Override
        public String toString() {
            return components == 0 ? kind : kind + ":" + components;
        }
    }
}
