package org.vae4j.generate;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.vae4j.data.Dataset;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * Finds the code sampler a {@code --sampler} value names for a saved model: the prior, or a fit saved beside it.
 * {@code auto} (the default of {@code sample}) is the {@code gmm:10} fit {@code train} saves with every model that has
 * a posterior, and the prior for models saved without one (models saved before samplers existed sample as before).
 */
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
        if (spec.isAuto()) {
            MixtureSampler saved = canFit(model) ? MixtureSampler.load(modelDir, CodeSampler.Spec.DEFAULT_COMPONENTS, model) : null;
            return saved != null ? new Obtained(saved, false, MixtureSampler.file(modelDir, CodeSampler.Spec.DEFAULT_COMPONENTS))
                    : new Obtained(CodeSampler.PRIOR, false, null);
        }
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

    /** Whether a {@code gmm} sampler can be fitted to the model: it encodes to a posterior and decodes its codes. */
    public static boolean canFit(VaeModel model) {
        return model.can(Capability.ENCODES) && model.can(Capability.POSTERIOR) && model.can(Capability.DECODES)
                && model.can(Capability.SAMPLES);
    }

    /**
     * Fits and saves the {@code gmm:10} sampler {@code auto} uses (what {@code train} does at the end of a run).
     *
     * @return the fit, or null when the model has no posterior to fit
     */
    public static MixtureSampler fitDefault(Path modelDir, VaeModel model, Dataset train, long seed) {
        if (!canFit(model)) {
            return null;
        }
        MixtureSampler fit = MixtureSampler.fit(model, train, Math.min(CodeSampler.Spec.DEFAULT_COMPONENTS, train.size()), seed,
                MixtureSampler.DEFAULT_MAX_RECORDS, MixtureSampler.weightsSha256(modelDir));
        fit.save(modelDir);
        return fit;
    }
}
