package org.vae4j.model;

import java.util.List;
import java.util.Locale;
import org.vae4j.data.TableSchema;
import org.vae4j.likelihood.LikelihoodKind;

/**
 * Everything needed to rebuild a model's network: variant, input shape, latent size, architecture,
 * likelihood and the data transform it was trained with. Stored as {@code config.json} beside the weights.
 *
 * @param formatVersion model format version; loading rejects versions it does not know
 * @param model variant name in the {@link ModelVariants} registry ({@code vae}, {@code ae})
 * @param inputShape record shape: {@code [C, H, W]} for images, {@code [D]} for vectors
 * @param latent latent dimensions
 * @param arch encoder/decoder architecture
 * @param likelihood decoder likelihood id, see {@link LikelihoodKind}
 * @param sigma standard deviation of the {@code gaussian-fixed} likelihood (ignored otherwise)
 * @param beta weight of the KL term (1 = the ELBO; &gt; 1 = beta-VAE); ignored by non-variational models
 * @param transform how records were turned into model inputs
 * @param settings the model's own settings record ({@link ModelVariant#settingsType()}), e.g. the conditional VAE's
 *     number of classes
 *
 * <p>In {@code config.json} (format 2) the model's type, β and settings form the {@code "model"} section; format 1
 * files (flat {@code "model": "vae"}, {@code "beta"}) still load. See {@link ModelConfigJson}.
 */
@com.google.gson.annotations.JsonAdapter(ModelConfigJson.class)
public record ModelConfig(
        int formatVersion,
        String model,
        List<Integer> inputShape,
        int latent,
        ArchConfig arch,
        String likelihood,
        double sigma,
        double beta,
        DataTransform transform,
        Record settings) {

    /** The format version this build writes; it reads this one and {@link #FIRST_FORMAT_VERSION}. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this build reads (flat model name and β, no settings). */
    public static final int FIRST_FORMAT_VERSION = 1;

    /** Validates; an older format version is read as the current one (it is written back as such). */
    public ModelConfig {
        if (formatVersion < FIRST_FORMAT_VERSION || formatVersion > FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported model format version " + formatVersion
                    + " (this vae4j reads versions " + FIRST_FORMAT_VERSION + " to " + FORMAT_VERSION + ")");
        }
        formatVersion = FORMAT_VERSION;
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model variant missing");
        }
        model = model.toLowerCase(Locale.ROOT);
        if (inputShape == null || (inputShape.size() != 1 && inputShape.size() != 3)) {
            throw new IllegalArgumentException("input shape must be [C,H,W] or [D], got " + inputShape);
        }
        inputShape = List.copyOf(inputShape);
        long values = 1;
        for (int s : inputShape) {
            if (s <= 0) {
                throw new IllegalArgumentException("input shape must be positive, got " + inputShape);
            }
            values *= s; // at most 2^31 · 2^31 before the check below stops the loop: no long overflow
            if (values > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input shape " + inputShape + " has more than "
                        + Integer.MAX_VALUE + " values per record");
            }
        }
        if (latent <= 0 || latent > 4096) {
            throw new IllegalArgumentException("latent size must be in 1..4096, got " + latent);
        }
        if (arch == null) {
            throw new IllegalArgumentException("arch missing");
        }
        if (arch.type().equals(ArchConfig.CONV) && inputShape.size() != 3) {
            throw new IllegalArgumentException("--arch conv needs image data (C×H×W), got shape " + inputShape);
        }
        if (arch.type().equals(ArchConfig.CONV)) {
            int stride = 1 << arch.channels().size();
            if (inputShape.get(1) % stride != 0 || inputShape.get(2) % stride != 0) {
                throw new IllegalArgumentException("image size " + inputShape.get(1) + "×" + inputShape.get(2)
                        + " is not divisible by 2^" + arch.channels().size() + " = " + stride
                        + " (one halving per conv stage); use fewer --channels or resize");
            }
        }
        likelihood = LikelihoodKind.byId(likelihood).id();
        if (transform == null) {
            transform = DataTransform.NONE;
        }
        if (LikelihoodKind.byId(likelihood).needsTable()) {
            if (transform.table() == null) {
                throw new IllegalArgumentException("likelihood " + likelihood + " is for tables (csv:FILE data); this data set is not one");
            }
            if (!inputShape.equals(List.of(transform.table().width()))) {
                throw new IllegalArgumentException("input shape " + inputShape + " does not match the table schema's "
                        + transform.table().width() + " values per record");
            }
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be >= 0, got " + beta);
        }
        ModelVariant variant = ModelVariants.get(model);
        if (settings == null) {
            try {
                settings = variant.settings(java.util.Map.of(), 0);
            } catch (IllegalArgumentException e) {
                // a model without defaults (cvae's classes) named in a format-1 file or built without its settings
                throw new IllegalArgumentException("model '" + model + "' has no default settings; they belong in the model section ("
                        + e.getMessage() + ")");
            }
        }
        if (!variant.settingsType().isInstance(settings)) {
            throw new IllegalArgumentException("model '" + model + "' takes settings of type " + variant.settingsType().getSimpleName()
                    + ", got " + settings.getClass().getSimpleName());
        }
        variant.validate(inputShape, likelihood, settings);
    }

    /** A configuration with the model's default settings (those it has without options or labels). */
    public ModelConfig(int formatVersion, String model, List<Integer> inputShape, int latent, ArchConfig arch, String likelihood,
            double sigma, double beta, DataTransform transform) {
        this(formatVersion, model, inputShape, latent, arch, likelihood, sigma, beta, transform, null);
    }

    /** The model family member this configuration describes. */
    public ModelVariant variant() {
        return ModelVariants.get(model);
    }

    /** Width of the condition the model's networks take (0: unconditional). */
    public int conditionWidth() {
        return variant().conditionWidth(settings);
    }

    /** The model's settings as its own record type. */
    public <T extends Record> T settings(Class<T> type) {
        return type.cast(settings);
    }

    /** Product of the input shape. */
    public int featureSize() {
        int n = 1;
        for (int s : inputShape) {
            n *= s;
        }
        return n;
    }

    /** Convenience: a VAE. */
    public static ModelConfig vae(List<Integer> inputShape, int latent, ArchConfig arch, String likelihood, double beta) {
        return new ModelConfig(FORMAT_VERSION, "vae", inputShape, latent, arch, likelihood, 1.0, beta, DataTransform.NONE);
    }

    /**
     * Convenience: a VAE of table rows with the composite likelihood.
     *
     * @param table the schema the data were encoded with ({@code ArrayDataset.table()})
     */
    public static ModelConfig tableVae(TableSchema table, int latent, ArchConfig arch, double beta) {
        if (table == null) {
            throw new IllegalArgumentException("a table model needs the table schema of its data");
        }
        return new ModelConfig(FORMAT_VERSION, "vae", List.of(table.width()), latent, arch, LikelihoodKind.COMPOSITE.id(), 1.0, beta,
                DataTransform.ofTable(table));
    }

    /** Convenience: a deterministic autoencoder. */
    public static ModelConfig autoencoder(List<Integer> inputShape, int latent, ArchConfig arch, String likelihood) {
        return new ModelConfig(FORMAT_VERSION, "ae", inputShape, latent, arch, likelihood, 1.0, 1.0, DataTransform.NONE);
    }

    /** Copy as another model with its settings (e.g. a {@code cvae} with 10 classes). */
    public ModelConfig withModel(String name, Record modelSettings) {
        return new ModelConfig(formatVersion, name, inputShape, latent, arch, likelihood, sigma, beta, transform, modelSettings);
    }

    /** Copy with another data transform. */
    public ModelConfig withTransform(DataTransform t) {
        return new ModelConfig(formatVersion, model, inputShape, latent, arch, likelihood, sigma, beta, t, settings);
    }

    /** Copy with another fixed sigma. */
    public ModelConfig withSigma(double s) {
        return new ModelConfig(formatVersion, model, inputShape, latent, arch, likelihood, s, beta, transform, settings);
    }
}
