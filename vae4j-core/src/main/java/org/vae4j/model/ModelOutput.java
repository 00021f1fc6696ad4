package org.vae4j.model;

import ai.djl.ndarray.NDArray;

/**
 * What every model variant's forward pass returns.
 *
 * @param loss scalar training objective (batch mean of recon + β·KL, with warm-up/free bits applied)
 * @param recon per-record reconstruction negative log-likelihood in nats {@code (N)}
 * @param kl per-record KL(q(z|x) ‖ N(0, I)) in nats {@code (N)}; zeros for deterministic models
 * @param z the latent code used for decoding {@code (N, L)}
 * @param mu posterior means {@code (N, L)} (equal to z for deterministic models)
 * @param logvar posterior log-variances {@code (N, L)}, or null for deterministic models
 * @param params decoder output {@code (N, P, D)}
 */
public record ModelOutput(NDArray loss, NDArray recon, NDArray kl, NDArray z, NDArray mu, NDArray logvar, NDArray params) {}
