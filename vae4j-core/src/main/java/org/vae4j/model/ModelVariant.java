package org.vae4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.nn.LayerStack;
import org.vae4j.nn.Networks;

/**
 * A member of the model family (pythae-style): it owns its configuration section, its networks (named parameter
 * groups), its prior, its loss terms and declares what it can do. Models are found with
 * {@link java.util.ServiceLoader}; adding one edits no central file: implement this interface and list the class in
 * {@code META-INF/services/org.vae4j.model.ModelVariant}.
 *
 * <p>A model's own settings (the conditional VAE's number of classes, the IWAE's training samples) are a record
 * of its own ({@link #settingsType()}), stored in the {@code "model"} section of {@code config.json} beside
 * {@code type} and {@code beta}, and built from named options by {@link #settings}.
 */
public interface ModelVariant {

    /** Registry name, used in configs and {@code --model}. */
    String name();

    /** One-line description. */
    String description();

    /** What the model can do. */
    Set<Capability> capabilities();

    /** Whether the model has the capability. */
    default boolean can(Capability c) {
        return capabilities().contains(c);
    }

    /** Whether the posterior is a distribution (μ, log σ²) with a KL term. */
    default boolean variational() {
        return can(Capability.POSTERIOR);
    }

    /** Width of the encoder head for a latent of size {@code latent}. */
    int encoderOutputs(int latent);

    /** The record type of this model's own settings ({@link NoSettings} when it has none). */
    default Class<? extends Record> settingsType() {
        return NoSettings.class;
    }

    /**
     * This model's settings from named options ({@code iw-samples=5}) and the data: the options a model does not
     * use are refused, so {@code --iw-samples} on a plain VAE is an error rather than silently ignored.
     *
     * @param options option name to value, as given by the user
     * @param classes number of label classes in the training data (0 when unlabelled, negative when not yet known: then
     *     only the options are checked)
     * @throws IllegalArgumentException naming the option and the problem
     */
    default Record settings(Map<String, String> options, int classes) {
        rejectOptions(name(), options, List.of());
        return NoSettings.INSTANCE;
    }

    /**
     * {@link #settings(Map, int)} for a model of the given architecture: a model whose defaults depend on its networks
     * (a convolutional GAN needs another initialisation than an MLP one) chooses them here. Options the user gave are
     * never overridden.
     *
     * @param arch the networks' architecture
     */
    default Record settings(Map<String, String> options, int classes, ArchConfig arch) {
        return settings(options, classes);
    }

    /** Width of the condition (one-hot label) the networks take; 0 for unconditional models. */
    default int conditionWidth(Record settings) {
        return 0;
    }

    /**
     * Rejects configurations this model cannot use (one line, naming the problem); called by {@link ModelConfig}'s
     * constructor.
     */
    default void validate(List<Integer> inputShape, String likelihood, Record settings) {}

    /**
     * The model's networks (its parameter groups), in the order their weights are initialised; the default is the
     * encoder ({@code x [, y] → encoderOutputs}) and the decoder ({@code z [, y] → P×D}) of the autoencoder family.
     *
     * @param config the configuration
     * @param paramsPerValue decoder outputs per input value (the likelihood's parameter count)
     */
    default List<NetworkSpec> networks(ModelConfig config, int paramsPerValue) {
        int cw = config.conditionWidth();
        List<Integer> shape = config.inputShape();
        long[] in = new long[shape.size() + 1];
        in[0] = 1;
        for (int i = 0; i < shape.size(); i++) {
            in[i + 1] = shape.get(i);
        }
        return List.of(
                new NetworkSpec("encoder", Networks.encoder(config.arch(), shape, encoderOutputs(config.latent()), cw), new Shape(in)),
                new NetworkSpec("decoder", Networks.decoder(config.arch(), shape, config.latent(), paramsPerValue, cw),
                        new Shape(1, config.latent())));
    }

    /**
     * Trainable values {@link #networks} will have, computed without building them (so an absurd configuration is
     * refused before anything is allocated).
     *
     * @throws ArithmeticException on overflow
     */
    default long parameterCount(ModelConfig config, int paramsPerValue) {
        return Networks.parameterCount(config.arch(), config.inputShape(), config.latent(), encoderOutputs(config.latent()),
                paramsPerValue, config.conditionWidth());
    }

    /**
     * One network of a model.
     *
     * @param name parameter group name (a prefix of its parameters' names: {@code encoder.fc1.weight})
     * @param network the layers
     * @param input the shape it is initialised for, batch of 1
     */
    record NetworkSpec(String name, LayerStack network, Shape input) {}

    /**
     * Whether the training objective weights a KL term, so that {@code --beta}, KL warm-up and free bits mean something;
     * a model for which they would be silently ignored says false and the trainer refuses them.
     */
    default boolean weightsKl() {
        return variational();
    }

    /** The likelihood used when none is given ({@code --likelihood}); tables always get {@code composite}. */
    default String defaultLikelihood() {
        return variational() ? "bernoulli" : "mse";
    }

    /** Adam's learning rate when none is given ({@code --lr}). */
    default double defaultLearningRate() {
        return 1e-3;
    }

    /** Adam's (β1, β2) when none are given ({@code --adam-betas}). */
    default double[] defaultAdamBetas() {
        return new double[] {0.9, 0.999};
    }

    /**
     * Whether held-out data give the model an objective to choose its best epoch by (the −ELBO or
     * {@link #objectiveTerm()}); false for a GAN, whose losses are two players' and not a quality measure: then the
     * last epoch is the best.
     */
    default boolean heldOutObjective() {
        return true;
    }

    /**
     * {@link #weightsKl()} for these settings: a model whose objective depends on its settings (hvae weights its KL with
     * one draw, not on the K-sample bound) says so here. The trainer asks this one.
     */
    default boolean weightsKl(Record settings) {
        return weightsKl();
    }

    /**
     * The term (from {@link #termNames()}) that is the model's own objective on held-out data, by which the best epoch
     * is chosen; null: the −ELBO (recon + KL).
     */
    default String objectiveTerm() {
        return null;
    }

    /**
     * Decoder passes per record in a forward pass (the IWAE's K): evaluation shrinks its batches by this factor, so
     * memory stays bounded whatever K.
     */
    default int samplesPerRecord(Record settings) {
        return 1;
    }

    /** Names of the per-record loss terms in {@link ModelOutput#terms()}, in column order for {@code metrics.csv}. */
    default List<String> termNames() {
        return List.of(ModelOutput.RECON, ModelOutput.KL);
    }

    /**
     * Splits the encoder output into posterior mean and log-variance (null for deterministic models).
     *
     * @return {@code [mu, logvar]}
     */
    NDArray[] posterior(NDArray encoderOutput, int latent);

    /**
     * The forward pass and loss.
     *
     * @param model the model (networks, likelihood, constants)
     * @param batch inputs {@code (N, ...)} in the model's input shape, and the condition of conditional models
     * @param training training mode (dropout on; the training objective)
     * @param objective β and free bits
     * @param noise where ε comes from
     */
    ModelOutput forward(VaeModel model, Batch batch, boolean training, Objective objective, Noise noise);

    /**
     * Log importance weights log p(x, z) − log q(z|x) for {@code S} draws z = μ + σ⊙ε per record (the integrand of
     * the importance-weighted bound; the log 2π terms cancel), for models with
     * {@link Capability#IMPORTANCE_WEIGHTED}.
     *
     * @param model the model
     * @param batch {@code R} records (and their condition)
     * @param posterior {@code [mu, logvar]} of the records, each {@code (R, L)}
     * @param eps standard normal draws {@code (R, S, L)}
     * @return {@code (R, S)}
     */
    default NDArray logWeights(VaeModel model, Batch batch, NDArray[] posterior, NDArray eps) {
        throw new UnsupportedCapabilityException(name(), Capability.IMPORTANCE_WEIGHTED, null);
    }

    /**
     * Standard normal values per draw that {@link #forward} and {@link #logWeights} consume for one record: the latent
     * size for one stochastic layer; a hierarchical model's noise covers all its layers (the evaluator draws
     * {@code eps} of shape {@code (R, S, noiseWidth)}).
     */
    default int noiseWidth(ModelConfig config) {
        return config.latent();
    }

    /**
     * {@code n} codes (each {@link ModelConfig#latent()} wide, the space {@link VaeModel#decode} takes) drawn from the
     * model's prior, continuing {@code random} code by code in order, so that code i depends only on the stream's seed
     * and i. The default is the standard normal N(0, I); a model with a learned prior (a hierarchy, a mixture) draws
     * from it.
     */
    default float[] priorCodes(VaeModel model, java.util.SplittableRandom random, int n) {
        float[] z = new float[Math.multiplyExact(n, model.latent())];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) VaeModel.Gaussian.next(random);
        }
        return z;
    }

    /** The prior {@link #priorCodes} draws from, in words for messages: {@code N(0, I)} unless the model's is learned. */
    default String priorName() {
        return "N(0, I)";
    }

    /**
     * Whether the KL term is a one-sample Monte Carlo estimate (log q(z|x) − log p(z) at the sampled z) rather than the
     * closed form: then a record's value can be negative, although its expectation is not.
     */
    default boolean klSampled() {
        return false;
    }

    /**
     * Dense hidden widths and activation a model is built with when the user names neither (an MLP's {@code --hidden}
     * and {@code --activation}), or null for the command line's general defaults: hvae's are the IWAE paper's
     * (200,200 tanh).
     */
    default ArchConfig defaultMlp() {
        return null;
    }

    /**
     * A model option's whole-number value.
     *
     * @param what the option as the message names it ({@code --iw-samples}, {@code cvae option classes})
     * @throws IllegalArgumentException {@code "WHAT must be a whole number, got 'VALUE'"}
     */
    static int wholeOption(String value, String what) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, got '" + value + "'");
        }
    }

    /** Refuses options a model does not take, naming them and the model's own. */
    static void rejectOptions(String model, Map<String, String> options, List<String> known) {
        for (String k : options.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("model '" + model + "' does not take option '" + k + "'"
                        + (known.isEmpty() ? "" : " (its options: " + String.join(", ", known) + ")"));
            }
        }
    }

    /** Settings of a model that has none. */
    record NoSettings() {
        /** The one instance. */
        public static final NoSettings INSTANCE = new NoSettings();
    }
}
