package org.vae4j.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Networks;
import org.vae4j.nn.Scalars;
import org.vae4j.util.Json;

/**
 * A generative adversarial network (Goodfellow et al. 2014): a generator G turns prior noise z ~ N(0, I) into
 * imitations, a discriminator D tells real records from them, trained by the game min_G max_D E[log D(x)] +
 * E[log(1 − D(G(z)))] (see {@code org.vae4j.train.AdversarialStep}, registered as this model's step strategy).
 *
 * <p><b>Networks.</b> G has the decoder's architecture and D the encoder's with one logit, and they are stored under
 * the autoencoder family's group names: {@code decoder} is G and {@code encoder} is D. That keeps every consumer of
 * "decode codes to records" (sampling, interpolation and traversal between prior codes, the explorer) working on a
 * GAN through {@link VaeModel#decodeMean} without a second lookup by role; the weights file and the optimiser
 * state are still per group ({@code decoder.*}, {@code adam.m.encoder.*}). G's sample is the likelihood's mean map
 * of its output (a sigmoid for {@code bernoulli}, the default), so samples lie in the data's range; no likelihood is
 * ever evaluated.
 *
 * <p><b>Capabilities.</b> {@link Capability#SAMPLES} and {@link Capability#DECODES} in the sense "maps codes to
 * records": G does that, but its output is not a likelihood p(x|z), so every use of the likelihood as a density
 * (reconstruction NLL, −ELBO, scores, restoration) is unavailable because it also needs {@link Capability#ENCODES},
 * which a GAN lacks. No posterior, no importance weights.
 *
 * <p><b>Forward pass.</b> The adversarial terms of a batch of real records against as many samples G(z), z from
 * {@code noise}: per record {@code d_loss} = −log D(x) − log(1 − D(G(z))), {@code g_loss} (−log D(G(z)) for the
 * non-saturating loss, log(1 − D(G(z))) for the minimax one), {@code d_real} = D(x) and {@code d_fake} = D(G(z));
 * the loss is the mean {@code d_loss}; recon and KL are NaN (a GAN has neither). On held-out data these terms are the
 * test columns of {@code metrics.csv}.
 */
public class GanVariant implements ModelVariant {
    /** Option: the generator's loss, {@code minimax} or {@code non-saturating}. */
    public static final String LOSS = "gan-loss";
    /** Option: discriminator updates per generator update. */
    public static final String D_STEPS = "d-steps";
    /** Option: weight γ of the R1 penalty (γ/2) E‖∇_x D(x)‖² on real records (0: off). */
    public static final String R1 = "r1";
    /** Option: dropout rate after the discriminator's hidden layers. */
    public static final String D_DROPOUT = "d-dropout";
    /** Option: the generator's weight initialisation, {@link #INIT_PYTORCH} or {@link #INIT_HE}. */
    public static final String G_INIT = "g-init";
    /** Generator initialisation: PyTorch's default U(±1/√fan_in) for weights and biases (as every other model). */
    public static final String INIT_PYTORCH = "pytorch";
    /**
     * Generator initialisation: He (Kaiming) normal weights N(0, 2/fan_in) and zero biases, so that the code's
     * variation survives the generator's layers. Under the PyTorch default, a conv generator without normalisation
     * maps every z to nearly the same image at the start (per-pixel spread over z about 0.005 against MNIST's 0.3),
     * and adversarial training never spreads it out again: it collapses.
     */
    public static final String INIT_HE = "he";
    /** Generator loss: the notes' minimax objective, G minimises E[log(1 − D(G(z)))]. */
    public static final String MINIMAX = "minimax";
    /** Generator loss: G minimises −E[log D(G(z))] (same fixed point, strong gradients while D wins). */
    public static final String NON_SATURATING = "non-saturating";

    /** Term: discriminator loss per record. */
    public static final String D_LOSS = "d_loss";
    /** Term: generator loss per record. */
    public static final String G_LOSS = "g_loss";
    /** Term: D(x), the discriminator's probability that a real record is real. */
    public static final String D_REAL = "d_real";
    /** Term: D(G(z)), its probability that a sample is real. */
    public static final String D_FAKE = "d_fake";

    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.DECODES, Capability.SAMPLES));

    /**
     * The GAN's settings.
     *
     * @param loss {@link #MINIMAX} or {@link #NON_SATURATING}
     * @param dSteps discriminator updates per generator update (on consecutive batches), 1..100
     * @param r1 weight γ of the R1 gradient penalty (0: off)
     * @param dDropout dropout rate in the discriminator, in [0, 1)
     * @param gInit the generator's initialisation, {@link #INIT_PYTORCH} or {@link #INIT_HE}; absent in configs saved
     *     before the option existed, which means {@link #INIT_PYTORCH} (what those models were created with)
     */
    public record Settings(String loss, int dSteps, double r1, double dDropout, @Json.Optional String gInit) {
        /** Settings with the PyTorch-default generator initialisation. */
        public Settings(String loss, int dSteps, double r1, double dDropout) {
            this(loss, dSteps, r1, dDropout, INIT_PYTORCH);
        }

        /** Validates. */
        public Settings {
            gInit = gInit == null ? INIT_PYTORCH : gInit;
            if (!INIT_PYTORCH.equals(gInit) && !INIT_HE.equals(gInit)) {
                throw new IllegalArgumentException("gan option g-init must be pytorch or he, got '" + gInit + "'");
            }
            if (!MINIMAX.equals(loss) && !NON_SATURATING.equals(loss)) {
                throw new IllegalArgumentException("--gan-loss must be minimax or non-saturating, got '" + loss + "'");
            }
            if (dSteps < 1 || dSteps > 100) {
                throw new IllegalArgumentException("--d-steps must be in 1..100, got " + dSteps);
            }
            if (!(r1 >= 0 && r1 <= 1e6)) {
                throw new IllegalArgumentException("--r1 must be a weight in [0, 1e6], got " + r1);
            }
            if (!(dDropout >= 0 && dDropout < 1)) {
                throw new IllegalArgumentException("gan option d-dropout must be in [0, 1), got " + dDropout);
            }
        }

        /** Whether G trains on the non-saturating loss. */
        public boolean nonSaturating() {
            return NON_SATURATING.equals(loss);
        }
    }

    /**
     * The defaults: non-saturating, one D step, no R1, dropout 0.3 in D, PyTorch-default initialisation of G (a
     * convolutional GAN gets He initialisation and R1 = 10 instead: {@link #settings(Map, int, ArchConfig)}).
     */
    public static final Settings DEFAULTS = new Settings(NON_SATURATING, 1, 0, 0.3, INIT_PYTORCH);

    @Override
    public String name() {
        return "gan";
    }

    @Override
    public String description() {
        return "generative adversarial network: generator = decoder architecture, discriminator = encoder architecture with "
                + "one logit (--gan-loss, --d-steps, --r1, -O d-dropout=P, -O g-init=pytorch|he)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public int encoderOutputs(int latent) {
        return 1;
    }

    @Override
    public Class<? extends Record> settingsType() {
        return Settings.class;
    }

    @Override
    public Record settings(Map<String, String> options, int classes) {
        ModelVariant.rejectOptions(name(), options, List.of(LOSS, D_STEPS, R1, D_DROPOUT, G_INIT));
        String loss = options.getOrDefault(LOSS, DEFAULTS.loss()).trim().toLowerCase(Locale.ROOT);
        int d = DEFAULTS.dSteps();
        double r1 = DEFAULTS.r1();
        double dropout = DEFAULTS.dDropout();
        if (options.containsKey(D_STEPS)) {
            d = ModelVariant.wholeOption(options.get(D_STEPS), "--d-steps");
        }
        if (options.containsKey(R1)) {
            r1 = parseDouble(options.get(R1), "--r1");
        }
        if (options.containsKey(D_DROPOUT)) {
            dropout = parseDouble(options.get(D_DROPOUT), "gan option d-dropout");
        }
        String init = options.getOrDefault(G_INIT, DEFAULTS.gInit()).trim().toLowerCase(Locale.ROOT);
        return new Settings(loss, d, r1, dropout, init);
    }

    /** R1 weight a convolutional GAN gets when the user sets none. */
    public static final double CONV_R1 = 10;

    /**
     * A convolutional GAN defaults to {@code g-init=he} and {@code r1=10}: under PyTorch's initialisation its
     * generator maps every code to nearly the same image before training starts and never leaves that mode, and He
     * initialisation alone falls back within 150 batches unless R1 keeps D near ½ (README, "Generator
     * initialisation"). An MLP GAN keeps {@link #DEFAULTS}. Options the user gave win.
     */
    @Override
    public Record settings(Map<String, String> options, int classes, ArchConfig arch) {
        if (arch == null || !arch.type().equals(ArchConfig.CONV)) {
            return settings(options, classes);
        }
        Map<String, String> withDefaults = new java.util.HashMap<>(options);
        withDefaults.putIfAbsent(G_INIT, INIT_HE);
        withDefaults.putIfAbsent(R1, Double.toString(CONV_R1));
        return settings(withDefaults, classes);
    }

    private static double parseDouble(String v, String what) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + v + "'");
        }
    }

    @Override
    public void validate(List<Integer> inputShape, String likelihood, Record settings) {
        if (!(settings instanceof Settings)) {
            throw new IllegalArgumentException("gan needs its settings (gan-loss, d-steps, r1, d-dropout)");
        }
    }

    /**
     * The discriminator (the {@code encoder} group) gets the GAN's own dropout; the generator the architecture's, and
     * He initialisation when {@code g-init} is {@code he} (the layers are the decoder's either way).
     */
    @Override
    public List<NetworkSpec> networks(ModelConfig config, int paramsPerValue) {
        List<NetworkSpec> std = ModelVariant.super.networks(config, paramsPerValue);
        Settings settings = config.settings(Settings.class);
        NetworkSpec d = new NetworkSpec(std.get(0).name(), Networks.encoder(config.arch().withDropout(settings.dDropout()),
                config.inputShape(), encoderOutputs(config.latent()), config.conditionWidth()), std.get(0).input());
        NetworkSpec g = std.get(1);
        if (INIT_HE.equals(settings.gInit())) {
            g.network().setInitializer(new HeNormal(), Parameter.Type.WEIGHT);
            g.network().setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        }
        return List.of(d, g);
    }

    /** N(0, 2/fan_in) with fan_in = all but the first axis (a dense layer's inputs, a convolution's C·k·k). */
    static final class HeNormal implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fanIn = shape.size() / shape.get(0);
            return manager.randomNormal(0, (float) Math.sqrt(2.0 / fanIn), shape, dataType, manager.getDevice());
        }
    }

    /** A GAN has no KL term: --beta, KL warm-up and free bits are refused. */
    @Override
    public boolean weightsKl() {
        return false;
    }

    @Override
    public String defaultLikelihood() {
        return "bernoulli";
    }

    @Override
    public double defaultLearningRate() {
        return 2e-4;
    }

    @Override
    public double[] defaultAdamBetas() {
        return new double[] {0.5, 0.999};
    }

    @Override
    public boolean heldOutObjective() {
        return false;
    }

    @Override
    public List<String> termNames() {
        return List.of(D_LOSS, G_LOSS, D_REAL, D_FAKE);
    }

    /** A GAN has no posterior. */
    @Override
    public NDArray[] posterior(NDArray encoderOutput, int latent) {
        throw new org.vae4j.model.UnsupportedCapabilityException(name(), Capability.ENCODES, null);
    }

    /**
     * D's logits {@code (N)} for records {@code (N, ...)} in the model's input shape (real ones as given, samples as
     * {@link #generate} makes them).
     */
    public static NDArray discriminator(VaeModel m, NDArray x, boolean training) {
        long n = x.getShape().get(0);
        return m.encoderOutput(Batch.of(x), training).reshape(n);
    }

    /**
     * G's samples for codes {@code z (N, L)}, in the model's input shape: the likelihood's mean map of the generator's
     * output (differentiable, for the generator's update).
     */
    public static NDArray generate(VaeModel m, NDArray z, boolean training) {
        NDArray mean = m.likelihood().mean(m.decoderOutput(z, training), m.scalars());
        return mean.reshape(m.batchShape(z.getShape().get(0)));
    }

    /** −log σ(l) = softplus(−l), stable for any logit. */
    public static NDArray negLogSigmoid(NDArray logits) {
        return Activation.softPlus(logits.neg());
    }

    /** −log(1 − σ(l)) = softplus(l). */
    public static NDArray negLogOneMinusSigmoid(NDArray logits) {
        return Activation.softPlus(logits);
    }

    /** Discriminator loss per record: −log D(x) − log(1 − D(G(z))). */
    public static NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return negLogSigmoid(realLogits).add(negLogOneMinusSigmoid(fakeLogits));
    }

    /**
     * Generator loss per record: non-saturating −log D(G(z)); minimax log(1 − D(G(z))) = −softplus(l), whose gradient
     * −σ(l) vanishes where D confidently rejects the samples (the saturation of the notes' objective).
     */
    public static NDArray generatorLoss(NDArray fakeLogits, boolean nonSaturating) {
        return nonSaturating ? negLogSigmoid(fakeLogits) : negLogOneMinusSigmoid(fakeLogits).neg();
    }

    @Override
    public ModelOutput forward(VaeModel m, Batch batch, boolean training, Objective objective, Noise noise) {
        Scalars s = m.scalars();
        NDArray x = batch.x();
        long n = x.getShape().get(0);
        NDArray z = noise.normal(x.getManager(), new Shape(n, m.latent()));
        NDArray params = m.decoderOutput(z, training);
        NDArray fake = m.likelihood().mean(params, s).reshape(x.getShape());
        // real and fake records in one discriminator pass (encoderOutput applies the likelihood's encoderInput)
        NDArray logits = discriminator(m, ai.djl.ndarray.NDArrays.concat(new NDList(x, fake)), training);
        NDArray lr = logits.get("0:" + n);
        NDArray lf = logits.get(n + ":");
        boolean ns = m.config().settings(Settings.class).nonSaturating();
        NDArray dLoss = discriminatorLoss(lr, lf);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(D_LOSS, dLoss);
        terms.put(G_LOSS, generatorLoss(lf, ns));
        terms.put(D_REAL, lr.getNDArrayInternal().sigmoid());
        terms.put(D_FAKE, lf.getNDArrayInternal().sigmoid());
        NDArray nan = x.getManager().full(new Shape(n), Float.NaN);
        return new ModelOutput(dLoss.mean(), nan, nan, z, z, null, params, terms);
    }
}
