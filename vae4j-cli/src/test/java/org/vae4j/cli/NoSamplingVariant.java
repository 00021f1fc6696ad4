package org.vae4j.cli;

import java.util.EnumSet;
import java.util.Set;
import org.vae4j.model.Capability;
import org.vae4j.model.vae.VaeVariant;

/** Test-only model: a VAE that does not declare {@link Capability#SAMPLES}, so the report must leave its samples out. */
public final class NoSamplingVariant extends VaeVariant {
    @Override
    public String name() {
        return "test-no-sampling";
    }

    @Override
    public String description() {
        return "test only: a VAE without a prior to sample";
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> c = EnumSet.copyOf(super.capabilities());
        c.remove(Capability.SAMPLES);
        return Set.copyOf(c);
    }
}
