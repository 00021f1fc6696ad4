package org.vae4j.model.vamp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vae4j.model.Batch;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.LayerStack;
import org.vae4j.nn.Scalars;

/**
 * The VAE with a VampPrior (Tomczak &amp; Welling 2018): the prior is the mixture of the encoder's posteriors of K
 * learned pseudo-inputs u_k, p(z) = (1/K) Σ_k q(z|u_k), instead of N(0, I). The pseudo-inputs live in the data space
 * (one record's shape each) and are a parameter group of their own, {@code prior} ({@code prior.pseudo.weight}
 * {@code (D, K)} and {@code prior.pseudo.bias} {@code (D)}: u_k = W e_k + b, the paper's "linear layer applied to the
 * identity"), saved with the weights and trained with them; {@link #pseudoInputs} gives them as records to look at.
 * They are unconstrained (no hard-tanh): pictures clip them to the data's range.
 *
 * <p>The KL term has no closed form: it is estimated at the sampled z, log q(z|x) − log p(z), so a record's value
 * can be negative. β and KL warm-up weight it as in the VAE; free bits, having no per-dimension KL to act on, apply to
 * the total: the batch-mean KL is not penalised below {@code freeBits × latent} nats.
 *
 * <p>Sampling from the prior draws a component k uniformly, then z ~ q(z|u_k).
 */
public final class VampVariant extends VaeVariant {
    /** Option name: number of pseudo-inputs K. */
    public static final String PSEUDO_INPUTS = "pseudo-inputs";
    /** The paper's K for MNIST. */
    public static final int DEFAULT_PSEUDO_INPUTS = 500;
    /** The parameter group of the pseudo-inputs. */
    public static final String PRIOR = "prior";

    /**
     * The vamp's settings.
     *
     * @param pseudoInputs K, number of pseudo-inputs (mixture components of the prior)
     */
    public record Settings(int pseudoInputs) {
        /** Validates. */
        public Settings {
            if (pseudoInputs < 1 || pseudoInputs > 10000) {
                throw new IllegalArgumentException("vamp needs 1..10000 pseudo-inputs (--pseudo-inputs), got " + pseudoInputs);
            }
        }
    }

    @Override
    public String name() {
        return "vamp";
    }

    @Override
    public String description() {
        return "VAE with a VampPrior: a mixture of the posteriors of K learned pseudo-inputs (-O pseudo-inputs=500)";
    }

    @Override
    public Class<? extends Record> settingsType() {
        return Settings.class;
    }

    @Override
    public Record settings(Map<String, String> options, int classes) {
        ModelVariant.rejectOptions(name(), options, List.of(PSEUDO_INPUTS));
        return new Settings(ModelVariant.wholeOption(options.getOrDefault(PSEUDO_INPUTS, Integer.toString(DEFAULT_PSEUDO_INPUTS)),
                "--pseudo-inputs"));
    }

    @Override
    public void validate(List<Integer> inputShape, String likelihood, Record settings) {
        if (!(settings instanceof Settings)) {
            throw new IllegalArgumentException("vamp needs its settings (number of pseudo-inputs)");
        }
    }

    private static int components(ModelConfig config) {
        return config.settings(Settings.class).pseudoInputs();
    }

    @Override
    public List<NetworkSpec> networks(ModelConfig config, int paramsPerValue) {
        int k = components(config);
        List<NetworkSpec> out = new ArrayList<>(super.networks(config, paramsPerValue));
        // after the encoder and decoder: for a seed, they get the same initial weights as the VAE's
        out.add(new NetworkSpec(PRIOR, LayerStack.builder().dense("pseudo", k, config.featureSize()).build(), new Shape(1, k)));
        return out;
    }

    @Override
    public long parameterCount(ModelConfig config, int paramsPerValue) {
        long d = config.featureSize();
        long n = super.parameterCount(config, paramsPerValue);
        return Math.addExact(n, Math.addExact(Math.multiplyExact(d, (long) components(config)), d));
    }

    @Override
    public String priorName() {
        return "the pseudo-input mixture";
    }

    @Override
    public boolean klSampled() {
        return true;
    }

    /** The pseudo-inputs u_k as model inputs {@code (K, inputShape...)}. */
    public static NDArray pseudoInputs(VaeModel m, NDManager manager, boolean training) {
        int k = components(m.config());
        NDArray u = m.networkOutput(PRIOR, new NDList(manager.eye(k)), training);
        return u.reshape(m.batchShape(k));
    }

    /**
     * The pseudo-inputs as records, {@code K × featureSize} values row-major (unconstrained: they may leave the data's
     * range), to be looked at as pictures.
     */
    public static float[] pseudoInputs(VaeModel m) {
        requireVamp(m);
        try (NDManager sub = m.manager().newSubManager()) {
            return pseudoInputs(m, sub, false).toFloatArray();
        }
    }

    /** Number of pseudo-inputs of a vamp model. */
    public static int pseudoInputCount(VaeModel m) {
        requireVamp(m);
        return components(m.config());
    }

    private static void requireVamp(VaeModel m) {
        if (!(m.variant() instanceof VampVariant)) {
            throw new IllegalArgumentException("a '" + m.config().model() + "' model has no pseudo-inputs; only vamp models do");
        }
    }

    /** The prior's components: the posteriors [μ_k, log σ²_k] of the pseudo-inputs, each {@code (K, L)}. */
    static NDArray[] components(VaeModel m, NDManager manager, boolean training) {
        return m.posterior(Batch.of(pseudoInputs(m, manager, training)), training);
    }

    /**
     * log p(z) under the mixture, without the (L/2) log 2π every Gaussian density here leaves out:
     * log (1/K) Σ_k exp(−½ Σ_l [(z_l − μ_kl)² / σ²_kl + log σ²_kl]), for codes {@code (M, L)}; shape {@code (M)}.
     * The squares are expanded into matrix products ({@code (M, K)} instead of {@code (M, K, L)} values).
     */
    public static NDArray logPrior(NDArray z, NDArray[] comp, Scalars s) {
        NDArray iv = comp[1].neg().exp(); // 1/σ² (K, L)
        NDArray muIv = comp[0].mul(iv);
        NDArray quad = z.square().matMul(iv.transpose())
                .sub(z.matMul(muIv.transpose()).mul(s.of(2)))
                .add(comp[0].mul(muIv).add(comp[1]).sum(new int[] {1}).expandDims(0)); // (M, K)
        return logMeanExp(quad.mul(s.of(-0.5)), s);
    }

    @Override
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        Scalars s = m.scalars();
        NDArray x = batch.x();
        long n = batch.size();
        int l = m.latent();
        NDArray[] post = m.posterior(batch, training);
        NDArray eps = noise.normal(x.getManager(), post[0].getShape());
        NDArray z = reparameterize(post[0], post[1], eps, s);
        NDArray params = m.decoderOutput(z, null, training);
        NDArray recon = m.likelihood().nll(params, x.reshape(new Shape(n, m.featureSize())), s);
        NDArray logq = eps.square().add(post[1]).sum(new int[] {1}).mul(s.of(-0.5));
        // log q(z|x) with the path-derivative gradient (same values): written with ε it differentiates to −½ ∂log σ²
        // only, leaving the gradient of the sampled −log p(z) through z as noise of order one per dimension even where
        // q(z|x) matches the prior; the path form has no such noise there (unbiased; see HvaeVariant.terms)
        logq = pathTerm(logq, logDensityFixedParams(z, post[0], post[1], 1, s));
        NDArray kl = logq.sub(logPrior(z, components(m, x.getManager(), training), s));
        NDArray penalty = objective.freeBits() > 0 ? kl.mean().maximum(s.of(objective.freeBits() * l)) : kl.mean();
        NDArray loss = recon.mean().add(penalty.mul(s.of(objective.beta())));
        return new ModelOutput(loss, recon, kl, z, post[0], post[1], params);
    }

    /** log p(x|z) + log p(z) − log q(z|x) with the mixture prior, for z = μ + σ⊙ε, {@code eps (R, S, L)}; shape {@code (R, S)}. */
    @Override
    public NDArray logWeights(VaeModel m, Batch batch, NDArray[] posterior, NDArray eps) {
        Scalars s = m.scalars();
        long r = eps.getShape().get(0);
        long k = eps.getShape().get(1);
        int l = m.latent();
        NDArray lv = posterior[1].reshape(r, 1, l);
        NDArray z = reparameterize(posterior[0].reshape(r, 1, l), lv, eps, s).reshape(r * k, l);
        NDArray params = m.decoderOutput(z, null, false);
        NDArray nll = m.likelihood().nllRepeated(params, batch.x(), r, k, s);
        NDArray logq = eps.square().add(lv).sum(new int[] {2}).mul(s.of(-0.5)); // (R, S)
        NDArray logp = logPrior(z, components(m, eps.getManager(), false), s).reshape(r, k);
        return logp.sub(logq).sub(nll);
    }

    /** Codes from the mixture: for each, a component k uniform in 0..K−1, then L values ε, z = μ_k + σ_k⊙ε. */
    @Override
    public float[] priorCodes(VaeModel model, SplittableRandom random, int n) {
        int l = model.latent();
        float[] mu;
        float[] lv;
        try (NDManager sub = model.manager().newSubManager()) {
            NDArray[] comp = components(model, sub, false);
            mu = comp[0].toFloatArray();
            lv = comp[1].toFloatArray();
        }
        int k = components(model.config());
        float[] z = new float[Math.multiplyExact(n, l)];
        for (int i = 0; i < n; i++) {
            int c = random.nextInt(k);
            for (int j = 0; j < l; j++) {
                double e = VaeModel.Gaussian.next(random);
                z[i * l + j] = (float) (mu[c * l + j] + Math.exp(0.5 * lv[c * l + j]) * e);
            }
        }
        return z;
    }
}
