package org.vae4j.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;

/**
 * The VAE (Kingma &amp; Welling 2014) and β-VAE (Higgins et al. 2017): q(z|x) = N(μ, diag σ²), z = μ + σ⊙ε,
 * loss = reconstruction NLL + β·KL(q(z|x) ‖ N(0, I)) in closed form, i.e. the negative ELBO when β = 1.
 */
public final class VaeVariant implements ModelVariant {
    /** Log-variance bounds: σ stays in [4.5e-5, 148] so exp() never overflows. */
    static final float MIN_LOGVAR = -20f;
    static final float MAX_LOGVAR = 10f;

    @Override
    public String name() {
        return "vae";
    }

    @Override
    public String description() {
        return "variational autoencoder (β-VAE with --beta)";
    }

    @Override
    public boolean variational() {
        return true;
    }

    @Override
    public int encoderOutputs(int latent) {
        return 2 * latent;
    }

    @Override
    public NDArray[] posterior(NDArray encoderOutput, int latent) {
        NDList parts = encoderOutput.split(new long[] {latent}, 1);
        return new NDArray[] {parts.get(0), parts.get(1).clip(MIN_LOGVAR, MAX_LOGVAR)};
    }

    /** Per-dimension KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − log σ² − 1), shape {@code (N, L)}. */
    public static NDArray klPerDimension(NDArray mu, NDArray logvar, Scalars s) {
        return mu.square().add(logvar.exp()).sub(logvar).sub(s.of(1)).mul(s.of(0.5));
    }

    @Override
    public ModelOutput forward(VaeModel m, NDArray x, boolean training, Objective objective) {
        Scalars s = m.scalars();
        NDArray[] post = m.posterior(x, training);
        NDArray mu = post[0];
        NDArray logvar = post[1];
        NDArray eps = x.getManager().randomNormal(mu.getShape());
        NDArray z = mu.add(logvar.mul(s.of(0.5)).exp().mul(eps));
        NDArray params = m.decoderOutput(z, training);
        long n = x.getShape().get(0);
        NDArray recon = m.likelihood().nll(params, x.reshape(new Shape(n, m.featureSize())), s);
        NDArray klDim = klPerDimension(mu, logvar, s);
        NDArray kl = klDim.sum(new int[] {1});
        NDArray penalty = objective.freeBits() > 0
                ? klDim.mean(new int[] {0}).maximum(s.of(objective.freeBits())).sum()
                : kl.mean();
        NDArray loss = recon.mean().add(penalty.mul(s.of(objective.beta())));
        return new ModelOutput(loss, recon, kl, z, mu, logvar, params);
    }
}
