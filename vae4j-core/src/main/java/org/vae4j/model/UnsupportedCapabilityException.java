package org.vae4j.model;

/**
 * A model was asked for something it cannot do (a GAN asked to encode, an autoencoder asked for an importance-weighted
 * NLL). The message is one line naming the model and the missing capability; it is an option error (exit code 2).
 */
public final class UnsupportedCapabilityException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The missing capability. */
    private final transient Capability capability;

    /**
     * @param model model name ({@code ae})
     * @param capability what it lacks
     * @param needed what needed it ("score method 'iw-nll'"), or null
     */
    public UnsupportedCapabilityException(String model, Capability capability, String needed) {
        super((needed == null ? "" : needed + ": ") + "a '" + model + "' model cannot " + capability.phrase());
        this.capability = capability;
    }

    /**
     * A refusal whose one-line message the caller words itself (naming the model), e.g. to list what the model can do
     * instead.
     *
     * @param capability what the model lacks
     * @param message the whole message
     */
    public UnsupportedCapabilityException(Capability capability, String message) {
        super(message);
        this.capability = capability;
    }

    /** The missing capability. */
    public Capability capability() {
        return capability;
    }
}
