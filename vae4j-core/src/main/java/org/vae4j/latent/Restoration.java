package org.vae4j.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;

/**
 * Denoising with the model as a prior over clean images. Two methods:
 * <ul>
 *   <li>{@link Method#RECONSTRUCT}: E[x | z = μ(noisy)], the model's reconstruction of the noisy image; the model only
 *       knows clean images, so its reconstruction is pulled back towards them. Works when the encoder still
 *       recognises the corrupted image (sparse salt-and-pepper noise), fails when the noise moves the image far from
 *       anything the encoder saw (dense Gaussian noise greys the whole background).
 *   <li>{@link Method#MAP}: the maximum a posteriori code under an explicit noise model,
 *       argmin_z ‖noisy − E[x|z]‖² / (2σ²) + ½‖z‖², by Adam on z started at μ(noisy), then E[x|z]. The noise enters
 *       through the data term only, so the decoded image is always one the model finds plausible.
 * </ul>
 *
 * <p>A conditional model restores given each record's label (encoder and decoder both see it).
 */
public final class Restoration {
    /** Adam steps of {@link Method#MAP}. */
    public static final int DEFAULT_ITERATIONS = 200;
    /** Adam step size of {@link Method#MAP}. */
    public static final double DEFAULT_LR = 0.05;
    /** σ of the Gaussian noise model used by {@link Method#MAP} when the noise is not Gaussian of a known σ. */
    public static final double DEFAULT_SIGMA = 0.3;

    private Restoration() {}

    /** How to restore. */
    public enum Method {
        /** Reconstruction of the noisy image. */
        RECONSTRUCT,
        /** MAP code under a Gaussian noise model. */
        MAP;

        /**
         * Parses {@code reconstruct} or {@code map}.
         *
         * @param s the name
         * @return the method
         */
        public static Method parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            switch (k) {
                case "reconstruct":
                    return RECONSTRUCT;
                case "map":
                    return MAP;
                default:
                    throw new IllegalArgumentException("--method must be reconstruct or map, got '" + s + "'");
            }
        }
    }

    /**
     * What a restoration run produced.
     *
     * @param noisy the corrupted images
     * @param restored the reconstructions of the corrupted images
     * @param psnrNoisy PSNR of the noisy images against the clean ones, in dB
     * @param psnrRestored PSNR of the restored images against the clean ones, in dB
     * @param psnrCleanReconstruction PSNR of the reconstructions of the clean images, in dB: what the model achieves
     *     without noise, a ceiling for restoration by this model
     */
    public record Result(float[] noisy, float[] restored, double psnrNoisy, double psnrRestored,
                         double psnrCleanReconstruction) {}

    /**
     * E[x | z = μ(x)] of some (noisy) records.
     *
     * @param model the model
     * @param noisy {@code n × featureSize} values
     * @param n number of records
     * @return the reconstructions
     */
    public static float[] restore(VaeModel model, float[] noisy, int n) {
        return restore(model, noisy, n, (int[]) null);
    }

    /**
     * E[x | z = μ(x, y), y] of some (noisy) records given their labels (conditional models).
     *
     * @param model a model that encodes and decodes
     * @param noisy {@code n × featureSize} values
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @return the reconstructions
     */
    public static float[] restore(VaeModel model, float[] noisy, int n, int[] labels) {
        model.require(Capability.ENCODES, "restoration");
        model.require(Capability.DECODES, "restoration");
        Conditions.check(model, labels, n, "restoration");
        return Encodings.reconstruct(model, noisy, n, labels);
    }

    /**
     * Restores {@code n} noisy records with the given method.
     *
     * @param model the model
     * @param noisy {@code n × featureSize} values
     * @param n number of records
     * @param method how to restore
     * @param sigma σ of the Gaussian noise model ({@link Method#MAP} only), positive
     * @param iterations Adam steps ({@link Method#MAP} only), at least 1
     * @return the restored records
     */
    public static float[] restore(VaeModel model, float[] noisy, int n, Method method, double sigma, int iterations) {
        return restore(model, noisy, n, null, method, sigma, iterations);
    }

    /**
     * Restores {@code n} noisy records given their labels (conditional models) with the given method.
     *
     * @param model a model that encodes and decodes (and, for {@link Method#MAP}, has a prior)
     * @param noisy {@code n × featureSize} values
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param method how to restore
     * @param sigma σ of the Gaussian noise model ({@link Method#MAP} only), positive
     * @param iterations Adam steps ({@link Method#MAP} only), at least 1
     * @return the restored records
     */
    public static float[] restore(VaeModel model, float[] noisy, int n, int[] labels, Method method, double sigma, int iterations) {
        Mask.checkRecords(noisy, n, model.featureSize());
        if (method == Method.RECONSTRUCT) {
            return restore(model, noisy, n, labels);
        }
        model.require(Capability.ENCODES, "restoration");
        model.require(Capability.DECODES, "restoration");
        // the MAP objective includes the prior log p(z) = log N(z; 0, I)
        model.require(Capability.SAMPLES, "restoration --method map");
        Conditions.check(model, labels, n, "restoration");
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("the noise model's sigma must be a positive number, got " + sigma);
        }
        float[] start = Encodings.encode(model, noisy, n, labels).mu();
        Scalars s = model.scalars();
        try (NDManager constants = model.manager().newSubManager()) {
            NDArray target = constants.create(noisy, new Shape(n, model.featureSize()));
            NDArray precision = constants.create((float) (1 / (2 * sigma * sigma)));
            NDArray condition = model.condition(constants, labels);
            LatentOptimizer.Result r = LatentOptimizer.minimize(model, constants, start, n, iterations, DEFAULT_LR, z -> {
                NDArray misfit = model.decodeMean(z, condition).sub(target).square().sum(new int[] {1});
                return misfit.mul(precision).add(z.square().sum(new int[] {1}).mul(s.of(0.5)));
            });
            return Encodings.decode(model, r.codes(), n, labels);
        }
    }

    /**
     * The σ a {@link Method#MAP} restoration assumes for a corruption: the noise's own σ for Gaussian noise, else
     * {@link #DEFAULT_SIGMA}.
     *
     * @param noise the corruption, or {@code null} when unknown (a noisy image from a file)
     * @return σ
     */
    public static double noiseSigma(Noise noise) {
        return noise != null && Noise.GAUSSIAN.equals(noise.kind()) ? noise.level() : DEFAULT_SIGMA;
    }

    /**
     * Corrupts {@code n} clean records, restores them and scores both against the clean ones
     * ({@link ImageMetrics#psnr}).
     *
     * @param model the model
     * @param clean {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @param noise the corruption
     * @param seed noise seed
     * @return the noisy and restored images and both PSNRs
     */
    public static Result run(VaeModel model, float[] clean, int n, Noise noise, long seed) {
        return run(model, clean, n, noise, seed, Method.RECONSTRUCT, DEFAULT_ITERATIONS);
    }

    /**
     * Corrupts {@code n} clean records, restores them with {@code method} and scores both against the clean ones.
     *
     * @param model the model
     * @param clean {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @param noise the corruption
     * @param seed noise seed
     * @param method how to restore
     * @param iterations Adam steps of {@link Method#MAP}
     * @return the noisy and restored images and both PSNRs
     */
    public static Result run(VaeModel model, float[] clean, int n, Noise noise, long seed, Method method, int iterations) {
        return run(model, clean, n, null, noise, seed, method, iterations);
    }

    /**
     * Corrupts {@code n} clean records, restores them given their labels (conditional models) with {@code method}
     * and scores both against the clean ones.
     *
     * @param model the model
     * @param clean {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param noise the corruption
     * @param seed noise seed
     * @param method how to restore
     * @param iterations Adam steps of {@link Method#MAP}
     * @return the noisy and restored images and both PSNRs
     */
    public static Result run(VaeModel model, float[] clean, int n, int[] labels, Noise noise, long seed, Method method, int iterations) {
        Mask.checkRecords(clean, n, model.featureSize());
        float[] noisy = noise.apply(clean, n, Encodings.channels(model), seed);
        float[] restored = restore(model, noisy, n, labels, method, noiseSigma(noise), iterations);
        double ceiling = ImageMetrics.psnr(clean, Encodings.reconstruct(model, clean, n, labels));
        return new Result(noisy, restored, ImageMetrics.psnr(clean, noisy), ImageMetrics.psnr(clean, restored), ceiling);
    }
}
