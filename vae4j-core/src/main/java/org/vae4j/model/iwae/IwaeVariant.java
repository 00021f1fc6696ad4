package org.vae4j.model.iwae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.model.Batch;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.Scalars;

/**
 * The importance-weighted autoencoder (Burda, Grosse &amp; Salakhutdinov 2016): the VAE's networks, trained on
 * L_K = E[log (1/K) Σ_k p(x, z_k) / q(z_k|x)] with K draws z_k = μ + σ⊙ε_k per record instead of the ELBO (L_1).
 * L_K ≥ ELBO and rises towards log p(x) as K grows, so the encoder is free to be a broader proposal. Its metrics
 * report the ELBO's terms (recon, KL over the same draws) beside the bound ({@code neg_iw_bound}).
 */
public final class IwaeVariant extends VaeVariant {
    /** Option name: importance samples per record during training. */
    public static final String SAMPLES = "iw-samples";

    /**
     * The IWAE's settings.
     *
     * @param samples K, importance samples per record in the training bound (1 gives the VAE's ELBO)
     */
    public record Settings(int samples) {
        /** Validates. */
        public Settings {
            if (samples < 1 || samples > 5000) {
                throw new IllegalArgumentException("iwae needs 1..5000 training samples (--iw-samples), got " + samples);
            }
        }
    }

    @Override
    public String name() {
        return "iwae";
    }

    @Override
    public String description() {
        return "importance-weighted autoencoder: trains on the K-sample bound (--iw-samples K, default 5)";
    }

    @Override
    public Class<? extends Record> settingsType() {
        return Settings.class;
    }

    @Override
    public Record settings(Map<String, String> options, int classes) {
        ModelVariant.rejectOptions(name(), options, List.of(SAMPLES));
        return new Settings(ModelVariant.wholeOption(options.getOrDefault(SAMPLES, "5"), "--iw-samples"));
    }

    @Override
    public void validate(List<Integer> inputShape, String likelihood, Record settings) {
        if (!(settings instanceof Settings)) {
            throw new IllegalArgumentException("iwae needs its settings (training samples)");
        }
    }

    /** The IWAE trains on L_K alone: β, KL warm-up and free bits do not enter it. */
    @Override
    public boolean weightsKl() {
        return false;
    }

    @Override
    public String objectiveTerm() {
        return ModelOutput.IW_BOUND;
    }

    @Override
    public int samplesPerRecord(Record settings) {
        return ((Settings) settings).samples();
    }

    @Override
    public List<String> termNames() {
        return List.of(ModelOutput.RECON, ModelOutput.KL, ModelOutput.IW_BOUND);
    }

    @Override
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        Scalars s = m.scalars();
        int k = m.config().settings(Settings.class).samples();
        NDArray x = batch.x();
        long n = x.getShape().get(0);
        int l = m.latent();
        NDArray[] post = m.posterior(batch, training);
        NDArray eps = noise.normal(x.getManager(), new Shape(n, k, l));
        NDArray[] terms2 = importanceTerms(m, batch, post, eps, training);
        NDArray logw = terms2[0];
        NDArray bound = logMeanExp(logw, s); // (N)
        // the ELBO's terms over the same draws, for the metrics: recon = mean_k −log p(x|z_k), KL in closed form
        NDArray kl = klPerDimension(post[0], post[1], s).sum(new int[] {1});
        NDArray recon = terms2[1].mean(new int[] {1}).stopGradient();
        NDArray negBound = bound.neg();
        NDArray z = reparameterize(post[0], post[1], eps.get(":, 0, :"), s);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(ModelOutput.RECON, recon);
        terms.put(ModelOutput.KL, kl);
        terms.put(ModelOutput.IW_BOUND, negBound);
        return new ModelOutput(negBound.mean(), recon, kl, z, post[0], post[1], terms2[2], terms);
    }
}
