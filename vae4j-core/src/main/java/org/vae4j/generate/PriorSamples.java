package org.vae4j.generate;

import java.io.IOException;
import java.util.SplittableRandom;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * Decoded samples from a model, any number of them in bounded memory: codes are drawn from the prior (or from a fitted
 * {@link CodeSampler}) and decoded {@code batchSize} at a time and handed to the caller batch by batch.
 *
 * <p>Reproducible: the codes come from one {@link SplittableRandom} seeded with {@code seed}, drawn in sample order
 * exactly as {@link VaeModel#priorCodes(int, long)} draws them, so code i depends only on the seed and i — not on the
 * batch size, on how many samples are drawn, or on the labels — and the decoded samples equal
 * {@link VaeModel#sample(int, long, int[])}'s. A conditional model decodes each code with its sample's label
 * ({@link Labels}).
 */
public final class PriorSamples {
    /** Samples decoded per forward pass unless the caller says otherwise. */
    public static final int DEFAULT_BATCH = 1000;

    private PriorSamples() {}

    /**
     * The label each sample is decoded with.
     *
     * @param fixed the label of every sample, or -1
     * @param cycle when positive, sample i gets label {@code i mod cycle} (one of each of the first {@code cycle}
     *     classes in turn)
     */
    public record Labels(int fixed, int cycle) {
        /** Validates. */
        public Labels {
            if (fixed < -1 || cycle < 0 || (fixed >= 0 && cycle > 0)) {
                throw new IllegalArgumentException("give a fixed label or a cycle length, not both");
            }
        }

        /** No labels: for unconditional models. */
        public static Labels none() {
            return new Labels(-1, 0);
        }

        /** Every sample gets label {@code label}. */
        public static Labels fixed(int label) {
            if (label < 0) {
                throw new IllegalArgumentException("labels are non-negative, got " + label);
            }
            return new Labels(label, 0);
        }

        /** Sample i gets label {@code i mod classes}: the classes 0..classes-1 in turn. */
        public static Labels cycle(int classes) {
            if (classes < 1) {
                throw new IllegalArgumentException("need at least one class to cycle over, got " + classes);
            }
            return new Labels(-1, classes);
        }

        /** Whether samples get labels. */
        public boolean any() {
            return fixed >= 0 || cycle > 0;
        }

        /** The label of sample {@code i}, or -1 without labels. */
        public int of(long i) {
            return fixed >= 0 ? fixed : cycle > 0 ? (int) (i % cycle) : -1;
        }

        /** The labels of samples {@code start .. start+count-1}, or null without labels. */
        public int[] slice(long start, int count) {
            if (!any()) {
                return null;
            }
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = of(start + i);
            }
            return out;
        }
    }

    /** Receives the samples batch by batch. */
    @FunctionalInterface
    public interface Consumer {
        /**
         * One batch.
         *
         * @param start index of the batch's first sample
         * @param values {@code count × featureSize} decoder means, row-major (the array may be reused afterwards)
         * @param count samples in the batch
         */
        void accept(long start, float[] values, int count) throws IOException;
    }

    /**
     * Checks that the labels suit the model: a conditional model needs labels within its classes, an unconditional
     * one takes none.
     *
     * @throws IllegalArgumentException (one line) otherwise, or when the model cannot sample
     */
    public static void check(VaeModel model, Labels labels) {
        model.require(Capability.SAMPLES, "sampling");
        model.require(Capability.DECODES, "sampling");
        if (!model.conditional() && labels.any()) {
            throw new IllegalArgumentException("a '" + model.config().model() + "' model takes no label; only conditional models (cvae) do");
        }
        if (model.conditional()) {
            if (!labels.any()) {
                throw new IllegalArgumentException("a '" + model.config().model() + "' model is conditional: give a label (0.."
                        + (model.classes() - 1) + ")");
            }
            int max = labels.fixed() >= 0 ? labels.fixed() : labels.cycle() - 1;
            if (max >= model.classes()) {
                throw new IllegalArgumentException("label " + max + " is out of range: this model knows labels 0.." + (model.classes() - 1));
            }
        }
    }

    /**
     * Draws {@code n} samples from the prior and passes them to {@code consumer} in order, {@code batchSize} at a time.
     *
     * @param n samples, ≥ 1
     * @param seed seed of the prior codes
     * @param labels labels for a conditional model, {@link Labels#none()} for others
     * @param batchSize samples per forward pass, ≥ 1 (memory is proportional to it; the samples do not depend on it)
     */
    public static void forEachBatch(VaeModel model, long n, long seed, Labels labels, int batchSize, Consumer consumer)
            throws IOException {
        forEachBatch(model, n, seed, labels, CodeSampler.PRIOR, batchSize, consumer);
    }

    /**
     * Draws {@code n} samples with codes from {@code sampler} and passes them to {@code consumer} in order,
     * {@code batchSize} at a time.
     *
     * @param n samples, ≥ 1
     * @param seed seed of the codes
     * @param labels labels for a conditional model, {@link Labels#none()} for others
     * @param sampler where the codes come from ({@link CodeSampler#PRIOR} or a fitted one)
     * @param batchSize samples per forward pass, ≥ 1 (memory is proportional to it; the samples do not depend on it)
     */
    public static void forEachBatch(VaeModel model, long n, long seed, Labels labels, CodeSampler sampler, int batchSize,
            Consumer consumer) throws IOException {
        check(model, labels);
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need n >= 1 and batchSize >= 1, got " + n + " and " + batchSize);
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (long start = 0; start < n; start += batchSize) {
            int b = (int) Math.min(batchSize, n - start);
            float[] codes = draw(model, r, start, b, labels, sampler);
            consumer.accept(start, model.decode(codes, b, labels.slice(start, b)), b);
        }
    }

    /** Codes {@code start .. start+count-1} from {@code r}, which has drawn codes 0..start-1 before. */
    private static float[] draw(VaeModel model, SplittableRandom r, long start, int count, Labels labels, CodeSampler sampler) {
        if (sampler == CodeSampler.PRIOR) {
            // the model's prior (N(0, I) unless it has a learned one), a batch in one call from the same stream (a
            // learned prior's networks run once per batch, not once per code)
            return model.variant().priorCodes(model, r, count);
        }
        int l = model.latent();
        float[] codes = new float[Math.multiplyExact(count, l)];
        for (int i = 0; i < count; i++) {
            sampler.draw(model, r, labels.of(start + i), codes, i * l);
        }
        return codes;
    }

    /**
     * {@code n} codes from {@code sampler}, exactly those {@link #forEachBatch} decodes for the same seed and labels
     * (for the latent tools: interpolation and traversal between sampled codes).
     *
     * @return {@code n × latent} codes
     */
    public static float[] codes(VaeModel model, int n, long seed, Labels labels, CodeSampler sampler) {
        return draw(model, new SplittableRandom(seed), 0, n, labels, sampler);
    }

    /**
     * {@code n} samples in one array (for pictures; use {@link #forEachBatch} for many).
     *
     * @return {@code n × featureSize} decoder means
     */
    public static float[] sample(VaeModel model, int n, long seed, Labels labels) {
        return sample(model, n, seed, labels, CodeSampler.PRIOR);
    }

    /**
     * {@code n} samples with codes from {@code sampler}, in one array.
     *
     * @return {@code n × featureSize} decoder means
     */
    public static float[] sample(VaeModel model, int n, long seed, Labels labels, CodeSampler sampler) {
        int d = model.featureSize();
        float[] out = new float[Math.multiplyExact(n, d)];
        try {
            forEachBatch(model, n, seed, labels, sampler, DEFAULT_BATCH, (start, v, b) -> System.arraycopy(v, 0, out, (int) start * d, b * d));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the array consumer does no I/O
        }
        return out;
    }
}
