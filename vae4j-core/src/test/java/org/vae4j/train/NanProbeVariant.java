package org.vae4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.Set;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;

/** Test-only variant: a VAE whose loss is NaN for any batch holding an all-ones record. */
public final class NanProbeVariant implements org.vae4j.model.ModelVariant {
    private final VaeVariant vae = new VaeVariant();

    @Override
    public String name() {
        return "test-nan-probe";
    }

    @Override
    public String description() {
        return "test only";
    }

    @Override
    public Set<Capability> capabilities() {
        return vae.capabilities();
    }

    @Override
    public int encoderOutputs(int latent) {
        return vae.encoderOutputs(latent);
    }

    @Override
    public NDArray[] posterior(NDArray encoderOutput, int latent) {
        return vae.posterior(encoderOutput, latent);
    }

    @Override
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        ModelOutput o = vae.forward(m, batch, training, objective, noise);
        NDArray x = batch.x();
        long n = x.getShape().get(0);
        NDArray allOnes = x.reshape(n, -1).min(new int[] {1}).eq(m.scalars().of(1));
        NDArray poison = NDArrays.where(allOnes, m.scalars().of(Float.NaN).broadcast(n), o.recon().zerosLike()).sum();
        return new ModelOutput(o.loss().add(poison), o.recon(), o.kl(), o.z(), o.mu(), o.logvar(), o.params());
    }
}
