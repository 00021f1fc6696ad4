package org.vae4j.latent;

import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * The learned data manifold of a model with a 2-D latent (Kingma &amp; Welling 2014, figure 4): decoder means over a
 * grid of codes at Gaussian quantiles, so that each cell covers an equal share of the prior's mass.
 */
public final class Manifold {
    private Manifold() {}

    /**
     * The grid's codes, row-major as the picture is laid out: row r (top first) has z₂ = q[grid − 1 − r] (so z₂
     * grows upwards), column c has z₁ = q[c], with q = {@link NormalQuantiles#evenlySpaced(int)}.
     *
     * @param grid points per side, at least 2
     * @return {@code grid² × 2} codes
     */
    public static float[] codes(int grid) {
        if (grid < 2) {
            throw new IllegalArgumentException("--grid must be at least 2, got " + grid);
        }
        double[] q = NormalQuantiles.evenlySpaced(grid);
        float[] z = new float[grid * grid * 2];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                int k = (r * grid + c) * 2;
                z[k] = (float) q[c];
                z[k + 1] = (float) q[grid - 1 - r];
            }
        }
        return z;
    }

    /**
     * Decodes the grid.
     *
     * @param model a model with a 2-D latent
     * @param grid points per side, at least 2
     * @return {@code grid² × featureSize} values, row-major
     * @throws IllegalArgumentException if the latent is not 2-D
     */
    public static float[] decode(VaeModel model, int grid) {
        return decode(model, grid, null);
    }

    /**
     * Decodes the grid of a conditional model with one class held fixed: the manifold of that class.
     *
     * @param model a conditional model with a 2-D latent
     * @param grid points per side, at least 2
     * @param label the class
     * @return {@code grid² × featureSize} values, row-major
     * @throws IllegalArgumentException if the latent is not 2-D
     */
    public static float[] decode(VaeModel model, int grid, int label) {
        return decode(model, grid, Integer.valueOf(label));
    }

    private static float[] decode(VaeModel model, int grid, Integer label) {
        // the grid is laid out at the quantiles of the prior N(0, I)
        model.require(Capability.SAMPLES, "manifold");
        model.require(Capability.DECODES, "manifold");
        if (model.latent() != 2) {
            throw new IllegalArgumentException("manifold needs a 2-D latent; this model has " + model.latent());
        }
        float[] z = codes(grid);
        int n = grid * grid;
        int[] labels = label == null ? Conditions.check(model, null, n, "manifold") : Conditions.fixed(model, label, n, "manifold");
        return Encodings.decode(model, z, n, labels);
    }
}
