package org.vae4j.latent;

import org.vae4j.model.VaeModel;

/**
 * Denoising by reconstruction: corrupt clean images with {@link Noise}, then take E[x | z = μ(noisy)], the model's
 * reconstruction of the noisy image; the model only knows clean images, so its reconstruction is pulled back
 * towards them.
 */
public final class Restoration {
    private Restoration() {}

    /**
     * What a restoration run produced.
     *
     * @param noisy the corrupted images
     * @param restored the reconstructions of the corrupted images
     * @param psnrNoisy PSNR of the noisy images against the clean ones, in dB
     * @param psnrRestored PSNR of the restored images against the clean ones, in dB
     */
    public record Result(float[] noisy, float[] restored, double psnrNoisy, double psnrRestored) {}

    /**
     * E[x | z = μ(x)] of some (noisy) records.
     *
     * @param model the model
     * @param noisy {@code n × featureSize} values
     * @param n number of records
     * @return the reconstructions
     */
    public static float[] restore(VaeModel model, float[] noisy, int n) {
        return Encodings.reconstruct(model, noisy, n);
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
        Mask.checkRecords(clean, n, model.featureSize());
        float[] noisy = noise.apply(clean, n, Encodings.channels(model), seed);
        float[] restored = restore(model, noisy, n);
        return new Result(noisy, restored, ImageMetrics.psnr(clean, noisy), ImageMetrics.psnr(clean, restored));
    }
}
