package org.vae4j.model.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;

/**
 * The plain (deterministic) autoencoder baseline: z = e(x), x ≈ d(z), loss = reconstruction loss only (MSE by
 * default; any likelihood works). Its latent space is not regularised, which is what the lectures contrast with
 * the VAE.
 */
public final class AutoencoderVariant implements ModelVariant {
    @Override
    public String name() {
        return "ae";
    }

    @Override
    public String description() {
        return "deterministic autoencoder baseline (no KL term)";
    }

    @Override
    public boolean variational() {
        return false;
    }

    @Override
    public int encoderOutputs(int latent) {
        return latent;
    }

    @Override
    public NDArray[] posterior(NDArray encoderOutput, int latent) {
        return new NDArray[] {encoderOutput, null};
    }

    @Override
    public ModelOutput forward(VaeModel m, NDArray x, boolean training, Objective objective) {
        NDArray z = m.encoderOutput(x, training);
        NDArray params = m.decoderOutput(z, training);
        long n = x.getShape().get(0);
        NDArray recon = m.likelihood().nll(params, x.reshape(new Shape(n, m.featureSize())), m.scalars());
        NDArray kl = recon.zerosLike();
        return new ModelOutput(recon.mean(), recon, kl, z, z, null, params);
    }
}
