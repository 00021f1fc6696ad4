package org.vae4j.web;

import java.util.EnumSet;
import java.util.Set;
import org.vae4j.model.Capability;
import org.vae4j.model.vae.VaeVariant;

/** Test-only model that decodes and samples but cannot encode (as a GAN's generator): panels that encode are absent. */
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
