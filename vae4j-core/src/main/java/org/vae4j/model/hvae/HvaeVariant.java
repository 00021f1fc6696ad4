package org.vae4j.model.hvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vae4j.likelihood.Likelihood;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Batch;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.Networks;
import org.vae4j.nn.Scalars;

/**
 * A VAE with two stochastic layers, as in the IWAE paper (Burda, Grosse &amp; Salakhutdinov 2016, section 5):
 *
 * <pre>
 *   inference   q(z1|x) q(z2|z1):  x → arch (e.g. 2×200 tanh) → z1 (L1);  z1 → hidden2 (2×100) → z2 (L2)
 *   generative  p(z2) p(z1|z2) p(x|z1):  z2 ~ N(0, I);  z2 → hidden2 reversed → N(z1; μ, σ²);  z1 → arch reversed → x
 * </pre>
 *
 * The first level ({@code encoder}, {@code decoder}) is built from the configuration's architecture exactly as the
 * one-layer VAE's, so conv works too; the second level ({@code encoder2}, {@code decoder2}) is an MLP of the settings'
 * {@code hidden2} widths with the same activation. Every conditional is a diagonal Gaussian.
 *
 * <p><b>The model's code is z1</b> ({@link ModelConfig#latent()} = L1): encode gives the mean of q(z1|x), decode maps
 * z1 through p(x|z1), and the prior codes are z1 ~ p(z1) = ∫ p(z1|z2) p(z2) dz2 (z2 drawn, then z1 from p(z1|z2)).
 * Latent tools therefore see the layer that generates the data; z2 is internal. On the command line
 * {@code --latent 100,50} sets L1 = 100 and the setting {@code latent2} = 50.
 *
 * <p>Training: the ELBO with one draw (K = 1, the default), or the K-sample importance-weighted bound with
 * {@code --iw-samples K}. The KL term (log q(z1|x) + log q(z2|z1) − log p(z1|z2) − log p(z2) at the draw) is a
 * Monte Carlo estimate; with K = 1, β and KL warm-up weight it as in the VAE and free bits keep its batch mean from
 * being penalised below λ·(L1 + L2) nats; with K &gt; 1 they are refused (the objective is the bound itself).
 */
public final class HvaeVariant extends VaeVariant {
    /** Option name: width of the second stochastic layer. */
    public static final String LATENT2 = "latent2";
    /** Option name: hidden widths between z1 and z2 (comma-separated). */
    public static final String HIDDEN2 = "hidden2";
    /** Option name: importance samples per record in the training bound. */
    public static final String SAMPLES = "iw-samples";

    /** Defaults as in the IWAE paper's two-layer models. */
    public static final int DEFAULT_LATENT2 = 50;
    /** Hidden widths between z1 and z2 in the IWAE paper. */
    public static final List<Integer> DEFAULT_HIDDEN2 = List.of(100, 100);

    /**
     * The hvae's settings.
     *
     * @param latent2 L2, width of the second stochastic layer z2
     * @param hidden2 hidden widths of q(z2|z1) (p(z1|z2) uses them reversed)
     * @param samples K, importance samples per record in the training bound (1: the ELBO)
     */
    public record Settings(int latent2, List<Integer> hidden2, int samples) {
        /** Validates. */
        public Settings {
            if (latent2 < 1 || latent2 > 4096) {
                throw new IllegalArgumentException("hvae's second latent width (latent2, the second of --latent) must be in 1..4096, got "
                        + latent2);
            }
            if (hidden2 == null || hidden2.isEmpty()) {
                throw new IllegalArgumentException("hvae needs at least one hidden layer between z1 and z2 (hidden2, e.g. 100,100)");
            }
            hidden2 = List.copyOf(hidden2);
            for (int h : hidden2) {
                if (h < 1 || h > 1 << 16) {
                    throw new IllegalArgumentException("hvae's hidden2 widths must be in 1..65536, got " + h);
                }
            }
            if (samples < 1 || samples > 5000) {
                throw new IllegalArgumentException("hvae needs 1..5000 training samples (--iw-samples), got " + samples);
            }
        }
    }

    @Override
    public String name() {
        return "hvae";
    }

    @Override
    public String description() {
        return "two stochastic layers x-z1-z2 (IWAE paper): --latent L1,L2, -O hidden2=100,100; ELBO, or the K-sample bound with --iw-samples K";
    }

    @Override
    public Class<? extends Record> settingsType() {
        return Settings.class;
    }

    @Override
    public Record settings(Map<String, String> options, int classes) {
        ModelVariant.rejectOptions(name(), options, List.of(LATENT2, HIDDEN2, SAMPLES));
        int l2 = ModelVariant.wholeOption(options.getOrDefault(LATENT2, Integer.toString(DEFAULT_LATENT2)), "latent2 (the second of --latent)");
        List<Integer> h2 = DEFAULT_HIDDEN2;
        if (options.containsKey(HIDDEN2)) {
            h2 = new ArrayList<>();
            for (String part : options.get(HIDDEN2).split(",")) {
                h2.add(ModelVariant.wholeOption(part, "hidden2"));
            }
        }
        int k = ModelVariant.wholeOption(options.getOrDefault(SAMPLES, "1"), "--iw-samples");
        return new Settings(l2, h2, k);
    }

    @Override
    public void validate(List<Integer> inputShape, String likelihood, Record settings) {
        if (!(settings instanceof Settings)) {
            throw new IllegalArgumentException("hvae needs its settings (second latent width, hidden2, training samples)");
        }
    }

    private static Settings settings(ModelConfig config) {
        return config.settings(Settings.class);
    }

    /** The MLP of the second level: {@code in → hidden... → out}, with the architecture's activation and dropout. */
    private static ArchConfig upper(ArchConfig arch, List<Integer> hidden) {
        return new ArchConfig(ArchConfig.MLP, hidden, List.of(), arch.activation(), arch.dropout());
    }

    private static List<Integer> reversed(List<Integer> h) {
        List<Integer> r = new ArrayList<>(h);
        java.util.Collections.reverse(r);
        return r;
    }

    @Override
    public List<NetworkSpec> networks(ModelConfig config, int paramsPerValue) {
        Settings s = settings(config);
        int l1 = config.latent();
        List<NetworkSpec> out = new ArrayList<>(super.networks(config, paramsPerValue));
        out.add(new NetworkSpec("encoder2", Networks.encoder(upper(config.arch(), s.hidden2()), List.of(l1), 2 * s.latent2()),
                new Shape(1, l1)));
        out.add(new NetworkSpec("decoder2", Networks.encoder(upper(config.arch(), reversed(s.hidden2())), List.of(s.latent2()), 2 * l1),
                new Shape(1, s.latent2())));
        return out;
    }

    @Override
    public long parameterCount(ModelConfig config, int paramsPerValue) {
        Settings s = settings(config);
        long n = super.parameterCount(config, paramsPerValue);
        n = Math.addExact(n, mlpCount(config.latent(), s.hidden2(), 2L * s.latent2()));
        return Math.addExact(n, mlpCount(s.latent2(), reversed(s.hidden2()), 2L * config.latent()));
    }

    private static long mlpCount(long in, List<Integer> hidden, long out) {
        long n = 0;
        for (int h : hidden) {
            n = Math.addExact(n, Math.addExact(Math.multiplyExact(in, h), h));
            in = h;
        }
        return Math.addExact(n, Math.addExact(Math.multiplyExact(in, out), out));
    }

    /** The paper's x ↔ z1 networks: 2×200 tanh. */
    @Override
    public ArchConfig defaultMlp() {
        return new ArchConfig(ArchConfig.MLP, List.of(200, 200), List.of(), "tanh", 0);
    }

    @Override
    public int noiseWidth(ModelConfig config) {
        return config.latent() + settings(config).latent2();
    }

    @Override
    public String priorName() {
        return "p(z1|z2) p(z2)";
    }

    @Override
    public boolean klSampled() {
        return true;
    }

    /** With the default settings (K = 1) the objective is the ELBO, whose KL β, warm-up and free bits weight. */
    @Override
    public boolean weightsKl() {
        return true;
    }

    /**
     * With one draw (the ELBO) β, KL warm-up and free bits weight the sampled KL as in the VAE (warm-up is what
     * Sønderby et al. 2016 found hierarchical VAEs need to use their upper layers); the K-sample bound has no KL term
     * to weight, so with K &gt; 1 they are refused.
     */
    @Override
    public boolean weightsKl(Record settings) {
        return ((Settings) settings).samples() == 1;
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
        ModelConfig c = m.config();
        int k = settings(c).samples();
        long n = batch.size();
        NDArray[] post = m.posterior(batch, training);
        // one draw of all layers' noise per sample: the evaluator's importance sampling draws the same values
        NDArray eps = noise.normal(batch.x().getManager(), new Shape(n, k, noiseWidth(c)));
        Terms t = terms(m, batch, post, eps, training, false);
        NDArray bound = k == 1 ? t.logw.squeeze(1) : logMeanExp(t.logw, s);
        NDArray recon = k == 1 ? t.nll.squeeze(1) : t.nll.mean(new int[] {1}).stopGradient();
        // K = 1: the KL with path-derivative gradients (same values as the sampled KL, see terms)
        NDArray kl = k == 1 ? t.klPath.squeeze(1) : t.kl.mean(new int[] {1}).stopGradient();
        NDArray negBound = bound.neg();
        NDArray loss = k == 1 ? recon.add(kl).mean() : negBound.mean();
        if (k == 1 && (objective.beta() != 1 || objective.freeBits() > 0)) {
            // the β-weighted ELBO; free bits act on the total sampled KL (it has no per-dimension split)
            NDArray penalty = objective.freeBits() > 0
                    ? kl.mean().maximum(s.of(objective.freeBits() * noiseWidth(c)))
                    : kl.mean();
            loss = recon.mean().add(penalty.mul(s.of(objective.beta())));
        } else if (k > 1 && (objective.beta() != 1 || objective.freeBits() > 0)) {
            throw new IllegalArgumentException("hvae with --iw-samples " + k + " trains on the K-sample bound: --beta, --kl-warmup and "
                    + "--free-bits apply only with one sample");
        }
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(ModelOutput.RECON, recon);
        terms.put(ModelOutput.KL, kl);
        terms.put(ModelOutput.IW_BOUND, negBound);
        return new ModelOutput(loss, recon, kl, t.z1First, post[0], post[1], t.paramsFirst, terms);
    }

    @Override
    public NDArray logWeights(VaeModel model, Batch batch, NDArray[] posterior, NDArray eps) {
        return terms(model, batch, posterior, eps, false, true).logw;
    }

    /**
     * The per-draw terms.
     *
     * @param logw log p(x|z1) + log p(z1|z2) + log p(z2) − log q(z1|x) − log q(z2|z1) {@code (R, S)}
     * @param nll −log p(x|z1) {@code (R, S)}
     * @param kl log q(z1|x) + log q(z2|z1) − log p(z1|z2) − log p(z2) {@code (R, S)} (so logw = −nll − kl)
     * @param klPath {@code kl}'s values with the path-derivative gradient: the log q terms differentiated only through
     *     the draws z1, z2, not through q's own μ and log σ² (see {@link #terms})
     * @param z1First z1 of each record's first draw {@code (R, L1)}
     * @param paramsFirst the decoder output of each record's first draw {@code (R, P, D)}
     */
    record Terms(NDArray logw, NDArray nll, NDArray kl, NDArray klPath, NDArray z1First, NDArray paramsFirst) {}

    /**
     * The terms for draws {@code eps (R, S, L1 + L2)}: the first L1 values of a draw give z1 = μ1 + σ1⊙ε1 from q(z1|x),
     * the next L2 give z2 = μ2(z1) + σ2(z1)⊙ε2 from q(z2|z1). The log 2π terms cancel (L1 of them in q(z1|x) and
     * p(z1|z2), L2 in q(z2|z1) and p(z2)) and are left out.
     */
    static Terms terms(VaeModel m, Batch batch, NDArray[] posterior, NDArray eps, boolean training, boolean estimator) {
        Scalars sc = m.scalars();
        long r = eps.getShape().get(0);
        long k = eps.getShape().get(1);
        int l1 = m.latent();
        int l2 = settings(m.config()).latent2();
        int d = m.featureSize();
        NDArray half = sc.of(0.5);
        NDList parts = eps.split(new long[] {l1}, 2);
        NDArray e1 = parts.get(0);
        NDArray e2 = parts.get(1).reshape(r * k, l2);
        NDArray mu1 = posterior[0].reshape(r, 1, l1);
        NDArray lv1 = posterior[1].reshape(r, 1, l1);
        NDArray z1 = reparameterize(mu1, lv1, e1, sc); // (R, S, L1)
        NDArray logq1 = e1.square().sum(new int[] {2}).add(lv1.sum(new int[] {2})).mul(half).neg(); // (R, S)
        NDArray z1f = z1.reshape(r * k, l1);
        NDArray[] q2 = gaussian(m.networkOutput("encoder2", new NDList(z1f), training), l2);
        NDArray z2 = reparameterize(q2[0], q2[1], e2, sc);
        NDArray logq2 = e2.square().sum(new int[] {1}).add(q2[1].sum(new int[] {1})).mul(half).neg(); // (RS)
        NDArray logp2 = z2.square().sum(new int[] {1}).mul(half).neg();
        NDArray[] p1 = gaussian(m.networkOutput("decoder2", new NDList(z2), training), l1);
        NDArray logp1 = z1f.sub(p1[0]).square().mul(p1[1].neg().exp()).add(p1[1]).sum(new int[] {1}).mul(half).neg();
        NDArray params = m.decoderOutput(z1f, null, training);
        // the training objective keeps the arithmetic earlier releases trained with (resumed runs match bit for bit)
        NDArray nll = estimator ? m.likelihood().nllRepeated(params, batch.x(), r, k, sc)
                : Likelihood.nllOfCopies(m.likelihood(), params, batch.x(), r, k, sc);
        NDArray kl = logq1.add(logq2.sub(logp1).sub(logp2).reshape(r, k));
        NDArray logw = nll.add(kl).neg();
        // The path-derivative ("sticking the landing", Roeder et al. 2017) form of the same sampled KL, for the one-draw
        // ELBO's gradient. Written with ε, log q(z|·) = −½(ε² + log σ²) differentiates to −½ ∂log σ² only, so the
        // gradient of the sampled −log p(z1|z2) (and −log p(z2)) through the draw, (z1 − μp)/σp² ∂z1, is left as noise
        // of order one per dimension even where q(z1|x) equals p(z1|z2) (at initialisation, MNIST 784-200-200 tanh,
        // the KL's encoder gradient norm was 1.5× the reconstruction's, against 0.4× in the VAE with its closed-form KL;
        // 0.9× in this form). Measured effect, one seed: −5.7 nats test −ELBO after one epoch with relu 400, about −1.5
        // with tanh 200,200 (which stays slow for other reasons). Taking log q at the draw with μ and log σ² held fixed keeps only the path term (z − μ)/σ² ∂z, which cancels the
        // prior's where q matches it; the dropped score term has expectation zero, so the gradient stays unbiased.
        // Values are unchanged: logq + (f − f) with f − f exactly 0. The importance weights (logw) keep the full form:
        // the path-derivative gradient of the K-sample bound would be biased (Tucker et al. 2019).
        NDArray logq1Path = pathTerm(logq1, logDensityFixedParams(z1, mu1, lv1, 2, sc));
        NDArray logq2Path = pathTerm(logq2, logDensityFixedParams(z2, q2[0], q2[1], 1, sc));
        NDArray klPath = logq1Path.add(logq2Path.sub(logp1).sub(logp2).reshape(r, k));
        long p = params.getShape().get(1);
        return new Terms(logw, nll, kl, klPath, z1.get(":, 0, :"), params.reshape(r, k, p, d).get(":, 0"));
    }

    /** A head's output {@code (N, 2L)} as [μ, log σ²] with the log-variance clipped as the first layer's is. */
    private static NDArray[] gaussian(NDArray head, int l) {
        return GAUSSIAN_HEAD.posterior(head, l);
    }

    /** The one-layer VAE's split of a head into μ and clipped log σ². */
    private static final VaeVariant GAUSSIAN_HEAD = new VaeVariant();

    /**
     * Codes z1 ~ p(z1) = ∫ p(z1|z2) p(z2): for each code, L2 values z2 ~ N(0, I) then L1 values ε from the stream, and
     * z1 = μ(z2) + σ(z2)⊙ε through {@code decoder2}, one code per pass so that a code does not depend on how many are
     * drawn with it nor on how they are batched (bit for bit).
     */
    @Override
    public float[] priorCodes(VaeModel model, SplittableRandom random, int n) {
        int l1 = model.latent();
        int l2 = settings(model.config()).latent2();
        float[] z2 = new float[Math.multiplyExact(n, l2)];
        float[] e1 = new float[Math.multiplyExact(n, l1)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l2; j++) {
                z2[i * l2 + j] = (float) VaeModel.Gaussian.next(random);
            }
            for (int j = 0; j < l1; j++) {
                e1[i * l1 + j] = (float) VaeModel.Gaussian.next(random);
            }
        }
        float[] out = new float[e1.length];
        Scalars sc = model.scalars();
        try (NDManager sub = model.manager().newSubManager()) {
            for (int i = 0; i < n; i++) {
                // one code per pass of (1, L2): the same shape every time, so a code's bits depend on nothing else
                try (NDManager one = sub.newSubManager()) {
                    NDArray zi = one.create(java.util.Arrays.copyOfRange(z2, i * l2, (i + 1) * l2), new Shape(1, l2));
                    NDArray[] p1 = gaussian(model.networkOutput("decoder2", new NDList(zi), false), l1);
                    NDArray ei = one.create(java.util.Arrays.copyOfRange(e1, i * l1, (i + 1) * l1), new Shape(1, l1));
                    System.arraycopy(reparameterize(p1[0], p1[1], ei, sc).toFloatArray(), 0, out, i * l1, l1);
                }
            }
        }
        return out;
    }
}
