package org.vae4j.model.ae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Set;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;

/**
 * The plain (deterministic) autoencoder baseline: z = e(x), x ≈ d(z), loss = reconstruction loss only (MSE by
 * default; any likelihood works). Its latent space is not regularised, which is what the lectures contrast with
 * the VAE. It has no posterior distribution, so no KL, IW-NLL or -ELBO score; it decodes any code, and its
 * "samples" decode N(0, I) codes that it never learned to place its data at (the lectures' point).
 */
public final class AutoencoderVariant implements ModelVariant {
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.ENCODES, Capability.DECODES,
            Capability.SAMPLES));

    @Override
    public String name() {
        return "ae";
    }

    @Override
    public String description() {
        return "deterministic autoencoder baseline (no KL term)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
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
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        NDArray x = batch.x();
        NDArray z = m.encoderOutput(batch, training);
        NDArray params = m.decoderOutput(z, batch.condition(), training);
        long n = x.getShape().get(0);
        NDArray recon = m.likelihood().nll(params, x.reshape(new Shape(n, m.featureSize())), m.scalars());
        NDArray kl = recon.zerosLike();
        return new ModelOutput(recon.mean(), recon, kl, z, z, null, params);
    }
}
