package org.vae4j.generate;

import java.io.IOException;
import org.vae4j.model.VaeModel;

/**
 * Where a model's samples come from, as one object: consumers that judge or save samples ({@code vae4j judge}'s
 * {@link org.vae4j.judge.Yardstick}, benches, lectures) draw through it, so that another way of sampling a trained
 * model (a mixture fitted to the training codes instead of the prior, ...) is added here, as another factory, and
 * every consumer gets it.
 */
@FunctionalInterface
public interface SampleSource {
    /**
     * Draws {@code n} samples and passes them to {@code consumer} in order, at most {@code batchSize} at a time.
     * The samples must depend only on the source's own seed and their index, not on {@code batchSize}.
     *
     * @param n samples, ≥ 1
     * @param batchSize samples per batch, ≥ 1
     * @param consumer receives {@code count × featureSize} values per batch (the array may be reused afterwards)
     */
    void draw(long n, int batchSize, PriorSamples.Consumer consumer) throws IOException;

    /**
     * Decoded codes from the model's prior N(0, I), exactly as {@link PriorSamples#forEachBatch} draws them.
     *
     * @param labels labels for a conditional model ({@link PriorSamples.Labels#none()} for others)
     * @throws IllegalArgumentException (one line) if the model cannot sample or the labels do not suit it
     */
    static SampleSource prior(VaeModel model, long seed, PriorSamples.Labels labels) {
        PriorSamples.check(model, labels);
        return (n, batchSize, consumer) -> PriorSamples.forEachBatch(model, n, seed, labels, batchSize, consumer);
    }

    /**
     * Decoded codes from a code sampler (the prior or a fitted {@link MixtureSampler}), exactly as
     * {@link PriorSamples#forEachBatch(VaeModel, long, long, PriorSamples.Labels, CodeSampler, int, PriorSamples.Consumer)}
     * draws them.
     *
     * @throws IllegalArgumentException (one line) if the model cannot sample or the labels do not suit it
     */
    static SampleSource of(VaeModel model, long seed, PriorSamples.Labels labels, CodeSampler sampler) {
        PriorSamples.check(model, labels);
        return (n, batchSize, consumer) -> PriorSamples.forEachBatch(model, n, seed, labels, sampler, batchSize, consumer);
    }
}
