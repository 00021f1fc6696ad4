package org.vae4j.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Set;
import org.vae4j.likelihood.Likelihood;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;

/**
 * The VAE (Kingma &amp; Welling 2014) and β-VAE (Higgins et al. 2017): q(z|x) = N(μ, diag σ²), z = μ + σ⊙ε,
 * p(z) = N(0, I), loss = reconstruction NLL + β·KL(q(z|x) ‖ N(0, I)) in closed form, i.e. the negative ELBO when
 * β = 1. The static methods are the Gaussian-posterior machinery the conditional and importance-weighted VAEs share.
 */
public class VaeVariant implements ModelVariant {
    /** Log-variance bounds: σ stays in [4.5e-5, 148] so exp() never overflows. */
    static final float MIN_LOGVAR = -20f;
    static final float MAX_LOGVAR = 10f;

    /** What a Gaussian-posterior VAE can do. */
    public static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.ENCODES, Capability.POSTERIOR,
            Capability.DECODES, Capability.SAMPLES, Capability.IMPORTANCE_WEIGHTED));

    @Override
    public String name() {
        return "vae";
    }

    @Override
    public String description() {
        return "variational autoencoder (β-VAE with --beta)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
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

    /** z = μ + σ⊙ε. */
    public static NDArray reparameterize(NDArray mu, NDArray logvar, NDArray eps, Scalars s) {
        return mu.add(logvar.mul(s.of(0.5)).exp().mul(eps));
    }

    @Override
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        return elbo(m, batch, training, objective, noise);
    }

    /** The (β-)ELBO forward pass: one z per record, closed-form KL, free bits on the batch-mean KL per dimension. */
    public static ModelOutput elbo(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        Scalars s = m.scalars();
        NDArray x = batch.x();
        NDArray[] post = m.posterior(batch, training);
        NDArray mu = post[0];
        NDArray logvar = post[1];
        NDArray eps = noise.normal(x.getManager(), mu.getShape());
        NDArray z = reparameterize(mu, logvar, eps, s);
        NDArray params = m.decoderOutput(z, batch.condition(), training);
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

    @Override
    public NDArray logWeights(VaeModel model, Batch batch, NDArray[] posterior, NDArray eps) {
        return gaussianLogWeights(model, batch, posterior, eps, false);
    }

    /**
     * log p(x|z[, y]) + log N(z; 0, I) − log N(z; μ, σ²) for z = μ + σ⊙ε, shape {@code (R, S)}; the log 2π terms
     * cancel. The condition of a conditional model is repeated for each of the S draws.
     *
     * @param eps {@code (R, S, L)}
     * @param training whether dropout is on (training on the importance-weighted bound)
     */
    public static NDArray gaussianLogWeights(VaeModel m, Batch batch, NDArray[] posterior, NDArray eps, boolean training) {
        return importanceTerms(m, batch, posterior, eps, training, true)[0];
    }

    /**
     * {@link #gaussianLogWeights}, the reconstruction NLL −log p(x|z_k) of each draw (both {@code (R, S)}) and the
     * decoder output of each record's first draw {@code (R, P, D)}.
     */
    public static NDArray[] importanceTerms(VaeModel m, Batch batch, NDArray[] posterior, NDArray eps, boolean training) {
        return importanceTerms(m, batch, posterior, eps, training, false);
    }

    /**
     * @param estimator true for the importance-weighted estimators ({@link Likelihood#nllRepeated}, the faster
     *     form), false for the training objective (the arithmetic earlier releases trained with, so resumed runs match)
     */
    private static NDArray[] importanceTerms(VaeModel m, Batch batch, NDArray[] posterior, NDArray eps, boolean training,
            boolean estimator) {
        Scalars sc = m.scalars();
        long r = eps.getShape().get(0);
        long k = eps.getShape().get(1);
        long l = eps.getShape().get(2);
        int d = m.featureSize();
        NDArray mu = posterior[0].reshape(r, 1, l);
        NDArray logvar = posterior[1].reshape(r, 1, l);
        NDArray z = reparameterize(mu, logvar, eps, sc);
        NDArray cond = null;
        if (batch.condition() != null) {
            long c = batch.condition().getShape().get(1);
            cond = batch.condition().reshape(r, 1, c).broadcast(r, k, c).reshape(r * k, c);
        }
        NDArray params = m.decoderOutput(z.reshape(r * k, l), cond, training);
        NDArray nll = estimator ? m.likelihood().nllRepeated(params, batch.x(), r, k, sc)
                : Likelihood.nllOfCopies(m.likelihood(), params, batch.x(), r, k, sc);
        NDArray half = sc.of(0.5);
        NDArray logw = nll.neg()
                .sub(z.square().sum(new int[] {2}).mul(half))
                .add(eps.square().sum(new int[] {2}).mul(half))
                .add(logvar.sum(new int[] {2}).mul(half));
        long p = params.getShape().get(1);
        NDArray first = params.reshape(r, k, p, d).get(":, 0");
        return new NDArray[] {logw, nll, first};
    }

    /**
     * log N(z; μ, σ²) without log 2π, summed over {@code axis}, with μ and log σ² treated as constants: its gradient
     * reaches the parameters only through the draw z (the path derivative of log q, without the score term, whose
     * expectation is zero: Roeder, Wu &amp; Duvenaud 2017, "sticking the landing").
     */
    public static NDArray logDensityFixedParams(NDArray z, NDArray mu, NDArray logvar, int axis, Scalars sc) {
        NDArray lv = logvar.stopGradient();
        return z.sub(mu.stopGradient()).square().mul(lv.neg().exp()).add(lv).sum(new int[] {axis}).mul(sc.of(-0.5));
    }

    /** {@code value}'s values (bit for bit: f − f is exactly 0) with {@code f}'s gradient. */
    public static NDArray pathTerm(NDArray value, NDArray f) {
        return value.stopGradient().add(f.sub(f.stopGradient()));
    }

    /** log (1/K) Σ_k exp(w_k) over axis 1 of {@code (R, K)} log weights, stably; shape {@code (R)}. */
    public static NDArray logMeanExp(NDArray logw, Scalars s) {
        long k = logw.getShape().get(1);
        NDArray max = logw.max(new int[] {1}, true).stopGradient();
        return logw.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1)).sub(s.of(Math.log(k)));
    }
}
