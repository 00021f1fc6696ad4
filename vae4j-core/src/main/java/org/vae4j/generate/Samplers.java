package org.vae4j.generate;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.vae4j.data.Dataset;
import org.vae4j.model.VaeModel;

/** Finds the code sampler a {@code --sampler} value names for a saved model: the prior, or a fit saved beside it. */
public final class Samplers {
    private Samplers() {}

    /**
     * A sampler ready to draw from.
     *
     * @param sampler the sampler
     * @param fitted true when it was fitted (and saved) by this call, false when it was the prior or loaded
     * @param file the file the fit is saved in (null for the prior)
     */
    public record Obtained(CodeSampler sampler, boolean fitted, Path file) {}

    /**
     * The sampler {@code spec} names for the model saved in {@code modelDir}: the prior; a {@code gmm:K} fit saved
     * beside the model for these weights; or else a fresh fit to the codes of the training records {@code train}
     * supplies (loaded only then), saved beside the model for next time.
     *
     * @param seed seed of a fresh fit's k-means++ seeding
     */
    public static Obtained obtain(Path modelDir, VaeModel model, CodeSampler.Spec spec, Supplier<Dataset> train, long seed) {
        if (spec.isPrior()) {
            return new Obtained(CodeSampler.PRIOR, false, null);
        }
        MixtureSampler saved = MixtureSampler.load(modelDir, spec.components(), model);
        if (saved != null) {
            return new Obtained(saved, false, MixtureSampler.file(modelDir, spec.components()));
        }
        MixtureSampler fit = MixtureSampler.fit(model, train.get(), spec.components(), seed, MixtureSampler.DEFAULT_MAX_RECORDS,
                MixtureSampler.weightsSha256(modelDir));
        return new Obtained(fit, true, fit.save(modelDir));
    }
}
