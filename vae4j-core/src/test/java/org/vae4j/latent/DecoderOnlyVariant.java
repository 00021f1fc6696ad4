package org.vae4j.latent;

import java.util.EnumSet;
import java.util.Set;
import org.vae4j.model.Capability;
import org.vae4j.model.vae.VaeVariant;

/**
 * Test-only model that decodes and samples but declares no encoder (as a GAN's generator would): the latent tools
 * that need to encode must refuse it in one line, those that only decode must serve it.
 */
public final class DecoderOnlyVariant extends VaeVariant {
    @Override
    public String name() {
        return "test-decoder-only";
    }

    @Override
    public String description() {
        return "test only: decodes and samples, cannot encode";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.copyOf(EnumSet.of(Capability.DECODES, Capability.SAMPLES));
    }
}
