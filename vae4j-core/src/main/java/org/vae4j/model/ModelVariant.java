package org.vae4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A model variant (pythae-style): how the encoder output becomes a code and how the loss is formed. Variants are
 * found with {@link java.util.ServiceLoader}; adding one needs no edit to a central file: implement this interface
 * and list the class in {@code META-INF/services/org.vae4j.model.ModelVariant}.
 */
public interface ModelVariant {

    /** Registry name, used in configs and {@code --model}. */
    String name();

    /** One-line description. */
    String description();

    /** Whether the posterior is a distribution (μ, log σ²) with a KL term. */
    boolean variational();

    /** Width of the encoder head for a latent of size {@code latent}. */
    int encoderOutputs(int latent);

    /** Rejects configurations this variant cannot use. */
    default void validate(List<Integer> inputShape, String likelihood) {}

    /**
     * Splits the encoder output into posterior mean and log-variance (null for deterministic variants).
     *
     * @return {@code [mu, logvar]}
     */
    NDArray[] posterior(NDArray encoderOutput, int latent);

    /**
     * The forward pass and loss.
     *
     * @param model the model (networks, likelihood, constants)
     * @param x inputs {@code (N, ...)} in the model's input shape
     * @param training training mode (dropout on, sampled z)
     * @param objective β and free bits
     */
    ModelOutput forward(VaeModel model, NDArray x, boolean training, Objective objective);
}
