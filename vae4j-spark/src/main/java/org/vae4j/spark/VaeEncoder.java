package org.vae4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Posterior;

/**
 * Appends each record's posterior mean μ and log-variance log σ² as {@code array<float>} columns, as {@code vae4j encode}
 * computes them ({@code VaeModel.encode}); an autoencoder has no log-variance and gets the μ column (its codes) only.
 */
public final class VaeEncoder extends VaeTransformer {
    private static final long serialVersionUID = 1L;

    private final Param<String> muCol;
    private final Param<String> logvarCol;

    /** An encoder with a random uid. */
    public VaeEncoder() {
        this(Identifiable$.MODULE$.randomUID("vaeEncoder"));
    }

    /** An encoder with this uid. */
    public VaeEncoder(String uid) {
        super(uid);
        muCol = new Param<>(this, "muCol", "posterior mean column");
        logvarCol = new Param<>(this, "logvarCol", "posterior log-variance column (variational models)");
        setDefault(muCol, "mu");
        setDefault(logvarCol, "logvar");
    }

    /** The mu column param. */
    public Param<String> muCol() {
        return muCol;
    }

    /** The logvar column param. */
    public Param<String> logvarCol() {
        return logvarCol;
    }

    /** Sets the posterior mean column. */
    public VaeEncoder setMuCol(String v) {
        set(muCol, v);
        return this;
    }

    /** Sets the log-variance column. */
    public VaeEncoder setLogvarCol(String v) {
        set(logvarCol, v);
        return this;
    }

    @Override
    protected List<StructField> outputFields(ModelConfig config) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField($(muCol), DataTypes.createArrayType(DataTypes.FloatType, false), false));
        if (config.variant().variational()) {
            f.add(DataTypes.createStructField($(logvarCol), DataTypes.createArrayType(DataTypes.FloatType, false), false));
        }
        return f;
    }

    @Override
    protected void check(ModelConfig config) {
        if (!config.variant().can(Capability.ENCODES)) {
            throw new IllegalArgumentException("model '" + config.model() + "' cannot encode");
        }
    }

    @Override
    protected Compute compute(ModelConfig config) {
        boolean variational = config.variant().variational();
        return (model, x, labels, n) -> {
            Posterior p = model.encode(x, n, labels);
            int l = p.latent();
            Object[][] out = new Object[n][];
            for (int i = 0; i < n; i++) {
                float[] mu = Arrays.copyOfRange(p.mu(), i * l, (i + 1) * l);
                out[i] = variational ? new Object[] {mu, Arrays.copyOfRange(p.logvar(), i * l, (i + 1) * l)} : new Object[] {mu};
            }
            return out;
        };
    }
}
