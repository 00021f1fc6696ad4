package org.vae4j.latent;

import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * Posterior means of records as points in the plane, for a latent map: the latent itself when it is 2-D (or 1-D,
 * plotted at y = 0), otherwise its projection on the first two principal components.
 *
 * @param points {@code n × 2} coordinates, row-major
 * @param n number of records
 * @param latent the model's latent size
 * @param pca true when the points are a PCA projection
 * @param explained for PCA, the fraction of the variance of μ along each of the two axes; else empty
 */
public record LatentProjection(float[] points, int n, int latent, boolean pca, double[] explained) {

    /**
     * Encodes {@code n} records and projects their posterior means.
     *
     * @param model the model
     * @param records {@code n × featureSize} values as the model sees them (n ≥ 2)
     * @param n number of records
     * @return the points and how they were obtained
     */
    public static LatentProjection of(VaeModel model, float[] records, int n) {
        return of(model, records, n, null);
    }

    /**
     * Encodes {@code n} records given their labels (conditional models) and projects their posterior means.
     *
     * @param model a model that encodes
     * @param records {@code n × featureSize} values as the model sees them (n ≥ 2)
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @return the points and how they were obtained
     */
    public static LatentProjection of(VaeModel model, float[] records, int n, int[] labels) {
        model.require(Capability.ENCODES, "latent map");
        Conditions.check(model, labels, n, "latent map");
        if (n < 2) {
            throw new IllegalArgumentException("a latent map needs at least 2 records, got " + n);
        }
        float[] mu = Encodings.encode(model, records, n, labels).mu();
        int l = model.latent();
        if (l == 2) {
            return new LatentProjection(mu, n, l, false, new double[0]);
        }
        if (l == 1) {
            float[] pts = new float[2 * n];
            for (int i = 0; i < n; i++) {
                pts[2 * i] = mu[i];
            }
            return new LatentProjection(pts, n, l, false, new double[0]);
        }
        Pca pca = Pca.fit(mu, n, l, 2);
        return new LatentProjection(pca.project(mu, n), n, l, true,
                new double[] {pca.explainedFraction(0), pca.explainedFraction(1)});
    }

    /**
     * A one-line description, e.g. "PCA projection of the 20-D latent (PC1 31% and PC2 18% of the variance)".
     *
     * @return the description
     */
    public String describe() {
        if (!pca) {
            return l1() ? "the 1-D latent (plotted at y = 0)" : "the 2-D latent";
        }
        return String.format(java.util.Locale.ROOT, "PCA projection of the %d-D latent (PC1 %.0f%% and PC2 %.0f%% of the variance)",
                latent, 100 * explained[0], 100 * explained[1]);
    }

    private boolean l1() {
        return latent == 1;
    }
}
