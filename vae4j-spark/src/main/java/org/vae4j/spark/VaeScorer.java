package org.vae4j.spark;

import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.vae4j.anomaly.AnomalyScores;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;

/**
 * Appends each record's anomaly score (a double, higher = more anomalous) as {@code vae4j score} computes it:
 * {@link AnomalyScores#score} with the method, samples and seed set here. A record's score depends only on the record
 * (and its label), the method, the samples and the seed, so it equals the CLI's for the same record however the
 * DataFrame is partitioned.
 *
 * <pre>{@code
 * Dataset<Row> scored = new VaeScorer().setMethod("neg-elbo").setSamples(10).setSeed(1)
 *         .setModelPath("/shared/runs/tx").transform(spark.read().option("header", true).csv("tx.csv"));
 * }</pre>
 */
public final class VaeScorer extends VaeTransformer {
    private static final long serialVersionUID = 1L;

    private final Param<String> method;
    private final IntParam samples;
    private final LongParam seed;
    private final Param<String> outputCol;

    /** A scorer with a random uid. */
    public VaeScorer() {
        this(Identifiable$.MODULE$.randomUID("vaeScorer"));
    }

    /** A scorer with this uid (Spark's copy and persistence use it). */
    public VaeScorer(String uid) {
        super(uid);
        method = new Param<>(this, "method", "score method: neg-elbo, iw-nll, recon-prob or recon-error; unset: the model's default "
                + "(iw-nll where it can estimate log p(x), else recon-error)");
        samples = new IntParam(this, "samples", "samples of z per record (0: the method's default)");
        seed = new LongParam(this, "seed", "seed of the sampled z");
        outputCol = new Param<>(this, "outputCol", "output column");
        setDefault(samples, 0);
        setDefault(seed, 1L);
        setDefault(outputCol, "score");
    }

    /** The method param. */
    public Param<String> method() {
        return method;
    }

    /** The samples param. */
    public IntParam samples() {
        return samples;
    }

    /** The seed param. */
    public LongParam seed() {
        return seed;
    }

    /** The output column param. */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** Sets the score method by its CLI name ({@code neg-elbo}, {@code iw-nll}, ...). */
    public VaeScorer setMethod(String v) {
        ScoreMethod.byId(v);
        set(method, v);
        return this;
    }

    /** Sets the samples of z per record (0: the method's default). */
    public VaeScorer setSamples(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + v);
        }
        set(samples, v);
        return this;
    }

    /** Sets the seed of the sampled z. */
    public VaeScorer setSeed(long v) {
        set(seed, v);
        return this;
    }

    /** Sets the output column. */
    public VaeScorer setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    /** The method used for a model with this config (the set one, or the model's default). */
    public ScoreMethod methodFor(ModelConfig config) {
        if (isDefined(method) && $(method) != null) {
            return ScoreMethod.byId($(method));
        }
        return config.variant().can(Capability.IMPORTANCE_WEIGHTED) ? ScoreMethod.IW_NLL : ScoreMethod.RECON_ERROR;
    }

    /** The samples used with {@code m} (1 for recon-error, the method's default when unset), as the CLI chooses them. */
    public int samplesFor(ScoreMethod m) {
        int k = (Integer) $(samples);
        return m == ScoreMethod.RECON_ERROR ? 1 : (k > 0 ? k : m.defaultSamples());
    }

    @Override
    protected List<StructField> outputFields(ModelConfig config) {
        return List.of(DataTypes.createStructField($(outputCol), DataTypes.DoubleType, false));
    }

    @Override
    protected void check(ModelConfig config) {
        ScoreMethod m = methodFor(config);
        String what = "score method '" + m.id() + "'";
        if (!config.variant().can(Capability.ENCODES) || (m.needsPosterior() && !config.variant().can(Capability.POSTERIOR))
                || (m == ScoreMethod.IW_NLL && !config.variant().can(Capability.IMPORTANCE_WEIGHTED))) {
            throw new IllegalArgumentException(what + " needs what model '" + config.model() + "' cannot do (capabilities: "
                    + config.variant().capabilities() + ")");
        }
    }

    @Override
    protected Compute compute(ModelConfig config) {
        ScoreMethod m = methodFor(config);
        int k = samplesFor(m);
        long s = (Long) $(seed);
        return (model, x, labels, n) -> {
            double[] scores = AnomalyScores.score(model, x, labels, n, m, k, s, null);
            Object[][] out = new Object[n][];
            for (int i = 0; i < n; i++) {
                out[i] = new Object[] {scores[i]};
            }
            return out;
        };
    }
}
