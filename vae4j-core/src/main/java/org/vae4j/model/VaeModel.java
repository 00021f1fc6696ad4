package org.vae4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.likelihood.Likelihood;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.nn.LayerStack;
import org.vae4j.nn.Scalars;

/**
 * A (variational) autoencoder: configuration, networks and weights. Create one with {@link #create}, load a saved
 * one with {@link #load}; close it to free native memory.
 *
 * <p>The float-array methods ({@link #encode(float[], int)}, {@link #decode(float[], int)}, {@link #sample},
 * {@link #reconstruct}) are the simple API; the NDArray methods are for training and batched evaluation and
 * expect inputs shaped {@code (N, inputShape...)}.
 */
public final class VaeModel implements AutoCloseable {
    private final ModelConfig config;
    private final ModelVariant variant;
    private final Likelihood likelihood;
    private final NDManager manager;
    private final Network network;
    private final ParameterStore parameterStore;
    private final Scalars scalars;

    /** The composite block: the model's networks as named children (its parameter groups), built in order. */
    static final class Network extends AbstractBlock {
        private final Map<String, LayerStack> children = new LinkedHashMap<>();
        private final Map<String, Shape> inputs = new LinkedHashMap<>();

        Network(List<ModelVariant.NetworkSpec> specs) {
            super((byte) 1);
            for (ModelVariant.NetworkSpec spec : specs) {
                children.put(spec.name(), addChildBlock(spec.name(), spec.network()));
                inputs.put(spec.name(), spec.input());
            }
        }

        LayerStack get(String name) {
            LayerStack s = children.get(name);
            if (s == null) {
                throw new IllegalStateException("this model has no network '" + name + "' (it has " + children.keySet() + ")");
            }
            return s;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return children.values().iterator().next().forward(ps, inputs, training, p);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return children.values().iterator().next().getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            // in declaration order: the engine's generator draws the weights, so the order fixes them for a seed
            for (Map.Entry<String, LayerStack> e : children.entrySet()) {
                e.getValue().initialize(manager, dataType, inputs.get(e.getKey()));
            }
        }
    }

    /** Largest model built: 2^30 float parameters (4 GiB), far beyond what this library is meant for. */
    public static final long MAX_PARAMETERS = 1L << 30;

    /** Trainable values a config implies, computed without building it; throws on overflow. */
    public static long parameterCount(ModelConfig config) {
        int p = LikelihoodKind.byId(config.likelihood()).create(config.sigma(), config.transform().table()).paramsPerValue();
        try {
            return config.variant().parameterCount(config, p);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private VaeModel(ModelConfig config, NDManager manager) {
        long count = parameterCount(config);
        if (count > MAX_PARAMETERS) {
            throw new IllegalArgumentException("model too large: the configuration implies " + (count == Long.MAX_VALUE ? "more than 2^63" : count)
                    + " parameters (limit " + MAX_PARAMETERS + ")");
        }
        this.config = config;
        this.variant = ModelVariants.get(config.model());
        this.likelihood = LikelihoodKind.byId(config.likelihood()).create(config.sigma(), config.transform().table());
        this.manager = manager;
        this.scalars = new Scalars(manager);
        this.network = new Network(variant.networks(config, likelihood.paramsPerValue()));
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * A new model with freshly initialised weights (PyTorch's default initialisation), deterministic for a seed.
     *
     * @param config model configuration
     * @param seed seed for weight initialisation
     */
    public static VaeModel create(ModelConfig config, long seed) {
        // DJL's initialisers draw from the engine's generator; creation is the one use outside training
        Engine.getInstance().setRandomSeed((int) seed);
        return createForLoading(config);
    }

    /** A model with weights initialised from the engine's current random state (loading then overwrites them). */
    static VaeModel createForLoading(ModelConfig config) {
        NDManager m = NDManager.newBaseManager();
        try {
            VaeModel model = new VaeModel(config, m);
            model.network.initialize(m, DataType.FLOAT32, model.batchShape(1));
            return model;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Loads a saved model directory ({@code config.json}, {@code weights.safetensors}, {@code provenance.json}).
     *
     * @throws org.vae4j.io.ModelFormatException naming the file and problem when anything does not match
     */
    public static VaeModel load(Path dir) {
        return ModelStore.load(dir);
    }

    /** The configuration. */
    public ModelConfig config() {
        return config;
    }

    /** The variant. */
    public ModelVariant variant() {
        return variant;
    }

    /** The decoder likelihood. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** The manager owning the weights; create per-step sub-managers from it. */
    public NDManager manager() {
        return manager;
    }

    /** Long-lived scalar constants for use under autograd. */
    public Scalars scalars() {
        return scalars;
    }

    /** Latent size. */
    public int latent() {
        return config.latent();
    }

    /** Values per record. */
    public int featureSize() {
        return config.featureSize();
    }

    /** {@code (n, inputShape...)}. */
    public Shape batchShape(long n) {
        List<Integer> s = config.inputShape();
        long[] dims = new long[s.size() + 1];
        dims[0] = n;
        for (int i = 0; i < s.size(); i++) {
            dims[i + 1] = s.get(i);
        }
        return new Shape(dims);
    }

    /** Whether the model has the capability. */
    public boolean can(Capability c) {
        return variant.can(c);
    }

    /**
     * Throws a one-line {@link UnsupportedCapabilityException} when the model lacks the capability.
     *
     * @param needed what needs it ("score method 'iw-nll'"), for the message; may be null
     */
    public void require(Capability c, String needed) {
        if (!variant.can(c)) {
            throw new UnsupportedCapabilityException(config.model(), c, needed);
        }
    }

    /** Whether encoding, decoding and sampling need a condition (a label). */
    public boolean conditional() {
        return config.conditionWidth() > 0;
    }

    /** Number of classes a conditional model's condition has (0: unconditional). */
    public int classes() {
        return config.conditionWidth();
    }

    /** One network (parameter group) of the model, such as {@code encoder} or {@code decoder}. */
    public LayerStack network(String name) {
        return network.get(name);
    }

    /**
     * One-hot conditions {@code (N, classes)} for labels, or null for an unconditional model (which must get none).
     *
     * @throws IllegalArgumentException when a conditional model gets no labels, or a label is out of range
     * @throws UnsupportedCapabilityException when an unconditional model gets labels
     */
    public NDArray condition(NDManager m, int[] labels) {
        int k = classes();
        if (k == 0) {
            if (labels != null) {
                throw new UnsupportedCapabilityException(Capability.CONDITIONAL,
                        "a '" + config.model() + "' model takes no label; only conditional models (cvae) do");
            }
            return null;
        }
        if (labels == null) {
            throw new IllegalArgumentException("a '" + config.model() + "' model is conditional: give a label (0.." + (k - 1) + ")");
        }
        float[] onehot = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " is out of range: this model knows labels 0.." + (k - 1));
            }
            onehot[i * k + labels[i]] = 1f;
        }
        return m.create(onehot, new Shape(labels.length, k));
    }

    /** The batch of inputs {@code x} with the condition for {@code labels} (null for unconditional models). */
    public Batch batch(NDArray x, int[] labels) {
        return new Batch(x, condition(x.getManager(), labels));
    }

    /** Encoder head output {@code (N, encoderOutputs)}. */
    public NDArray encoderOutput(Batch batch, boolean training) {
        NDList in = new NDList(likelihood.encoderInput(batch.x(), scalars));
        if (batch.condition() != null) {
            in.add(batch.condition());
        }
        return network.get("encoder").forward(parameterStore, in, training, null).singletonOrThrow();
    }

    /** Encoder head output of an unconditional batch. */
    public NDArray encoderOutput(NDArray x, boolean training) {
        return encoderOutput(Batch.of(x), training);
    }

    /** Posterior {@code [mu, logvar]} of a batch (logvar null for deterministic models). */
    public NDArray[] posterior(Batch batch, boolean training) {
        return variant.posterior(encoderOutput(batch, training), config.latent());
    }

    /** Posterior {@code [mu, logvar]} for inputs {@code x} of an unconditional model. */
    public NDArray[] posterior(NDArray x, boolean training) {
        return posterior(Batch.of(x), training);
    }

    /**
     * The output of one of the model's networks (parameter groups) by name, for models with networks beyond the encoder
     * and decoder (a hierarchy's upper layers, a learned prior).
     */
    public NDArray networkOutput(String name, NDList inputs, boolean training) {
        return network.get(name).forward(parameterStore, inputs, training, null).singletonOrThrow();
    }

    /** Decoder output {@code (N, P, D)} for codes {@code (N, L)} and their condition (null if unconditional). */
    public NDArray decoderOutput(NDArray z, NDArray condition, boolean training) {
        NDList in = new NDList(z);
        if (condition != null) {
            in.add(condition);
        }
        return network.get("decoder").forward(parameterStore, in, training, null).singletonOrThrow();
    }

    /** Decoder output {@code (N, P, D)} for codes {@code (N, L)} of an unconditional model. */
    public NDArray decoderOutput(NDArray z, boolean training) {
        return decoderOutput(z, null, training);
    }

    /** Decoder mean E[x|z, y] {@code (N, D)} for codes {@code (N, L)} and their condition (null if unconditional). */
    public NDArray decodeMean(NDArray z, NDArray condition) {
        return likelihood.mean(decoderOutput(z, condition, false), scalars);
    }

    /** Decoder mean E[x|z] {@code (N, D)} for codes {@code (N, L)}. */
    public NDArray decodeMean(NDArray z) {
        return decodeMean(z, null);
    }

    /** The model's forward pass and loss, with ε from {@code noise}. */
    public ModelOutput forward(Batch batch, boolean training, Objective objective, Noise noise) {
        return variant.forward(this, batch, training, objective, noise);
    }

    /** The forward pass of an unconditional batch with ε from the engine's generator (training; tests). */
    public ModelOutput forward(NDArray x, boolean training, Objective objective) {
        return forward(Batch.of(x), training, objective, Noise.engine());
    }

    /** Trainable parameters by stable name ({@code encoder.fc1.weight}), in a fixed order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            out.put(stableName(p.getKey()), p.getValue().getArray());
        }
        return out;
    }

    /**
     * Switches off gradients for the weights that have them, for computations that differentiate only inputs or codes
     * (latent optimisation, gradient-variance measurements); closing the result switches them back on.
     */
    public FrozenWeights freezeWeights() {
        List<NDArray> frozen = new java.util.ArrayList<>();
        for (NDArray p : parameters().values()) {
            if (p.hasGradient()) {
                p.setRequiresGradient(false);
                frozen.add(p);
            }
        }
        return new FrozenWeights(frozen);
    }

    /** Weights frozen by {@link #freezeWeights()}, until closed. */
    public static final class FrozenWeights implements AutoCloseable {
        private final List<NDArray> frozen;

        private FrozenWeights(List<NDArray> frozen) {
            this.frozen = frozen;
        }

        @Override
        public void close() {
            for (NDArray p : frozen) {
                p.setRequiresGradient(true);
            }
        }
    }

    /**
     * Multiply-adds of one forward pass of each of the model's networks for one record, summed (dense and
     * convolution layers): the work behind a training step's matmul-bound time (a training step of a VAE runs encoder
     * and decoder forward and backward, about 6 FLOPs per multiply-add).
     */
    public long multiplyAddsPerRecord() {
        long total = 0;
        for (Map.Entry<String, LayerStack> e : network.children.entrySet()) {
            long[] in = network.inputs.get(e.getKey()).getShape();
            total += e.getValue().multiplyAdds(new Shape(java.util.Arrays.copyOfRange(in, 1, in.length)));
        }
        return total;
    }

    /**
     * Times every step of every network on its own (see {@link LayerStack#profile}) for a batch of {@code batch}
     * records, in network order. Conditional networks get the condition of label 0.
     *
     * @param manager owner of the temporary arrays
     * @param repeats timed runs per step
     */
    public Map<String, List<LayerStack.StepTiming>> profile(NDManager manager, int batch, int repeats) {
        Map<String, List<LayerStack.StepTiming>> out = new LinkedHashMap<>();
        NDArray cond = classes() == 0 ? null : condition(manager, new int[batch]);
        for (Map.Entry<String, LayerStack> e : network.children.entrySet()) {
            long[] in = network.inputs.get(e.getKey()).getShape().clone();
            in[0] = batch;
            out.put(e.getKey(), e.getValue().profile(manager, new Shape(in), cond, repeats));
        }
        return out;
    }

    /** Number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (NDArray a : parameters().values()) {
            n += a.size();
        }
        return n;
    }

    // DJL names children "01encoder_02fc1_weight"; strip the ordinal prefixes and use dots
    private static String stableName(String djlName) {
        StringBuilder sb = new StringBuilder();
        for (String part : djlName.split("_")) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part.matches("\\d\\d.+") ? part.substring(2) : part);
        }
        return sb.toString();
    }

    /**
     * Posterior means and log-variances of {@code n} records.
     *
     * @param records {@code n × featureSize} values, row-major
     */
    public Posterior encode(float[] records, int n) {
        return encode(records, n, null);
    }

    /**
     * Posterior means and log-variances of {@code n} records with their labels (conditional models need them).
     *
     * @param records {@code n × featureSize} values, row-major
     * @param labels one label per record, or null for unconditional models
     */
    public Posterior encode(float[] records, int n, int[] labels) {
        require(Capability.ENCODES, null);
        checkLength(records, n, featureSize(), "records");
        checkLabels(labels, n);
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] post = posterior(batch(sub.create(records, batchShape(n)), labels), false);
            float[] lv = post[1] == null ? null : post[1].toFloatArray();
            return new Posterior(n, latent(), post[0].toFloatArray(), lv);
        }
    }

    /**
     * Decoder means for {@code n} codes.
     *
     * @param codes {@code n × latent} values, row-major
     * @return {@code n × featureSize} values
     */
    public float[] decode(float[] codes, int n) {
        return decode(codes, n, null);
    }

    /**
     * Decoder means for {@code n} codes with their labels (conditional models need them).
     *
     * @param codes {@code n × latent} values, row-major
     * @param labels one label per code, or null for unconditional models
     * @return {@code n × featureSize} values
     */
    public float[] decode(float[] codes, int n, int[] labels) {
        require(Capability.DECODES, null);
        checkLength(codes, n, latent(), "codes");
        checkLabels(labels, n);
        try (NDManager sub = manager.newSubManager()) {
            return decodeMean(sub.create(codes, new Shape(n, latent())), condition(sub, labels)).toFloatArray();
        }
    }

    /**
     * {@code n} codes drawn from the model's prior ({@link ModelVariant#priorCodes}: N(0, I) unless the model has a
     * learned one), reproducibly for a seed (code i depends only on seed and i).
     */
    public float[] priorCodes(int n, long seed) {
        return variant.priorCodes(this, new java.util.SplittableRandom(seed), n);
    }

    /** Decodes {@code n} codes drawn from the prior N(0, I), reproducibly for a seed. */
    public float[] sample(int n, long seed) {
        return sample(n, seed, null);
    }

    /** Decodes {@code n} prior codes given labels (one per sample; null for unconditional models). */
    public float[] sample(int n, long seed, int[] labels) {
        require(Capability.SAMPLES, null);
        return decode(priorCodes(n, seed), n, labels);
    }

    /** Reconstructions E[x | z = μ(x)] of {@code n} records. */
    public float[] reconstruct(float[] records, int n) {
        return reconstruct(records, n, null);
    }

    /** Reconstructions E[x | z = μ(x, y), y] of {@code n} records with their labels. */
    public float[] reconstruct(float[] records, int n, int[] labels) {
        return decode(encode(records, n, labels).mu(), n, labels);
    }

    private static void checkLabels(int[] labels, int n) {
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
    }

    private static void checkLength(float[] a, int n, int width, String what) {
        if (n <= 0 || a.length != (long) n * width) {
            throw new IllegalArgumentException(what + ": expected " + n + " × " + width + " values, got " + a.length);
        }
    }

    /** Sets every parameter from named values (names and shapes already validated, see {@link ModelStore#matching}). */
    public void setParametersFrom(Map<String, float[]> values) {
        for (Map.Entry<String, NDArray> e : parameters().entrySet()) {
            org.vae4j.nn.Overwrite.withValues(e.getValue(), values.get(e.getKey()));
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Standard normal draws from a {@link java.util.SplittableRandom} (Box–Muller), for reproducible sampling. */
    public static final class Gaussian {
        private Gaussian() {}

        /** One N(0,1) draw. */
        public static double next(java.util.SplittableRandom r) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}
