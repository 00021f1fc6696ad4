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
import org.vae4j.nn.Networks;
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

    /** The composite block: children {@code encoder} and {@code decoder}. */
    static final class Network extends AbstractBlock {
        final LayerStack encoder;
        final LayerStack decoder;
        private final int latent;

        Network(LayerStack encoder, LayerStack decoder, int latent) {
            super((byte) 1);
            this.encoder = addChildBlock("encoder", encoder);
            this.decoder = addChildBlock("decoder", decoder);
            this.latent = latent;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return encoder.forward(ps, inputs, training, p);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return encoder.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            encoder.initialize(manager, dataType, inputShapes);
            decoder.initialize(manager, dataType, new Shape(inputShapes[0].get(0), latent));
        }
    }

    /** Largest model built: 2^30 float parameters (4 GiB), far beyond what this library is meant for. */
    public static final long MAX_PARAMETERS = 1L << 30;

    /** Trainable values a config implies, computed without building it; throws on overflow. */
    public static long parameterCount(ModelConfig config) {
        ModelVariant v = ModelVariants.get(config.model());
        int p = LikelihoodKind.byId(config.likelihood()).create(config.sigma(), config.transform().table()).paramsPerValue();
        try {
            return Networks.parameterCount(config.arch(), config.inputShape(), config.latent(), v.encoderOutputs(config.latent()), p);
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
        LayerStack enc = Networks.encoder(config.arch(), config.inputShape(), variant.encoderOutputs(config.latent()));
        LayerStack dec = Networks.decoder(config.arch(), config.inputShape(), config.latent(), likelihood.paramsPerValue());
        this.network = new Network(enc, dec, config.latent());
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * A new model with freshly initialised weights (PyTorch's default initialisation), deterministic for a seed.
     *
     * @param config model configuration
     * @param seed seed for weight initialisation
     */
    public static VaeModel create(ModelConfig config, long seed) {
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

    /** Encoder head output {@code (N, encoderOutputs)}. */
    public NDArray encoderOutput(NDArray x, boolean training) {
        return network.encoder.forward(parameterStore, new NDList(likelihood.encoderInput(x, scalars)), training, null)
                .singletonOrThrow();
    }

    /** Posterior {@code [mu, logvar]} for inputs {@code x} (logvar null for deterministic variants). */
    public NDArray[] posterior(NDArray x, boolean training) {
        return variant.posterior(encoderOutput(x, training), config.latent());
    }

    /** Decoder output {@code (N, P, D)} for codes {@code (N, L)}. */
    public NDArray decoderOutput(NDArray z, boolean training) {
        return network.decoder.forward(parameterStore, new NDList(z), training, null).singletonOrThrow();
    }

    /** Decoder mean E[x|z] {@code (N, D)} for codes {@code (N, L)}. */
    public NDArray decodeMean(NDArray z) {
        return likelihood.mean(decoderOutput(z, false), scalars);
    }

    /** The variant's forward pass and loss. */
    public ModelOutput forward(NDArray x, boolean training, Objective objective) {
        return variant.forward(this, x, training, objective);
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
        checkLength(records, n, featureSize(), "records");
        try (NDManager sub = manager.newSubManager()) {
            NDArray[] post = posterior(sub.create(records, batchShape(n)), false);
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
        checkLength(codes, n, latent(), "codes");
        try (NDManager sub = manager.newSubManager()) {
            return decodeMean(sub.create(codes, new Shape(n, latent()))).toFloatArray();
        }
    }

    /** Decodes {@code n} codes drawn from the prior N(0, I), reproducibly for a seed. */
    public float[] sample(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] z = new float[n * latent()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) Gaussian.next(r);
        }
        return decode(z, n);
    }

    /** Reconstructions E[x | z = μ(x)] of {@code n} records. */
    public float[] reconstruct(float[] records, int n) {
        return decode(encode(records, n).mu(), n);
    }

    private static void checkLength(float[] a, int n, int width, String what) {
        if (n <= 0 || a.length != (long) n * width) {
            throw new IllegalArgumentException(what + ": expected " + n + " × " + width + " values, got " + a.length);
        }
    }

    /** Sets every parameter from named values (names and shapes already validated, see {@link ModelStore#matching}). */
    public void setParametersFrom(Map<String, float[]> values) {
        for (Map.Entry<String, NDArray> e : parameters().entrySet()) {
            NDArray target = e.getValue();
            float[] v = values.get(e.getKey());
            try (NDArray src = manager.create(v, target.getShape())) {
                target.set(src.toByteBuffer());
            }
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
