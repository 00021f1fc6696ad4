package org.vae4j.latent;

import org.vae4j.model.Capability;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/**
 * Batched encoding and decoding, so that thousands of records do not go through the networks in one pass. Conditional
 * models get one label per record (or code); see {@link Conditions}.
 */
public final class Encodings {
    /** Records per forward pass. */
    static final int BATCH = 256;

    private Encodings() {}

    /**
     * Posterior means and log-variances of {@code n} records, encoded {@value #BATCH} at a time.
     *
     * @param model the model
     * @param records {@code n × featureSize} values, already transformed as the model expects
     * @param n number of records
     * @return the posterior; {@code logvar} is null for deterministic models
     */
    public static Posterior encode(VaeModel model, float[] records, int n) {
        return encode(model, records, n, null);
    }

    /**
     * Posterior means and log-variances of {@code n} records given their labels, encoded {@value #BATCH} at a time.
     *
     * @param model a model that encodes
     * @param records {@code n × featureSize} values, already transformed as the model expects
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @return the posterior; {@code logvar} is null for deterministic models
     */
    public static Posterior encode(VaeModel model, float[] records, int n, int[] labels) {
        model.require(Capability.ENCODES, "encoding");
        Conditions.check(model, labels, n, "encoding");
        int d = model.featureSize();
        int l = model.latent();
        Mask.checkRecords(records, n, d);
        float[] mu = new float[n * l];
        float[] logvar = null;
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            float[] chunk = java.util.Arrays.copyOfRange(records, start * d, (start + b) * d);
            Posterior p = model.encode(chunk, b, org.vae4j.model.Batch.labels(labels, start, b));
            System.arraycopy(p.mu(), 0, mu, start * l, b * l);
            if (p.logvar() != null) {
                if (logvar == null) {
                    logvar = new float[n * l];
                }
                System.arraycopy(p.logvar(), 0, logvar, start * l, b * l);
            }
        }
        return new Posterior(n, l, mu, logvar);
    }

    /**
     * Decoder means E[x|z] of {@code n} codes, decoded {@value #BATCH} at a time.
     *
     * @param model the model
     * @param codes {@code n × latent} values
     * @param n number of codes
     * @return {@code n × featureSize} values
     */
    public static float[] decode(VaeModel model, float[] codes, int n) {
        return decode(model, codes, n, null);
    }

    /**
     * Decoder means E[x|z, y] of {@code n} codes given their labels, decoded {@value #BATCH} at a time.
     *
     * @param model a model that decodes
     * @param codes {@code n × latent} values
     * @param n number of codes
     * @param labels one per code for a conditional model, null for an unconditional one
     * @return {@code n × featureSize} values
     */
    public static float[] decode(VaeModel model, float[] codes, int n, int[] labels) {
        model.require(Capability.DECODES, "decoding");
        Conditions.check(model, labels, n, "decoding");
        int d = model.featureSize();
        int l = model.latent();
        Mask.checkRecords(codes, n, l);
        float[] out = new float[n * d];
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            float[] chunk = java.util.Arrays.copyOfRange(codes, start * l, (start + b) * l);
            System.arraycopy(model.decode(chunk, b, org.vae4j.model.Batch.labels(labels, start, b)), 0, out, start * d, b * d);
        }
        return out;
    }

    /**
     * Reconstructions E[x | z = μ(x)] of {@code n} records, in batches.
     *
     * @param model the model
     * @param records {@code n × featureSize} values
     * @param n number of records
     * @return {@code n × featureSize} values
     */
    public static float[] reconstruct(VaeModel model, float[] records, int n) {
        return reconstruct(model, records, n, null);
    }

    /**
     * Reconstructions E[x | z = μ(x, y), y] of {@code n} records given their labels, in batches.
     *
     * @param model a model that encodes and decodes
     * @param records {@code n × featureSize} values
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @return {@code n × featureSize} values
     */
    public static float[] reconstruct(VaeModel model, float[] records, int n, int[] labels) {
        return decode(model, encode(model, records, n, labels).mu(), n, labels);
    }

    /** Channels of the model's records (1 for flat vectors). */
    static int channels(VaeModel model) {
        java.util.List<Integer> s = model.config().inputShape();
        return s.size() == 3 ? s.get(0) : 1;
    }

    /** {@code [height, width]} of the model's image records. */
    static int[] imageSize(VaeModel model, String what) {
        java.util.List<Integer> s = model.config().inputShape();
        if (s.size() != 3) {
            throw new IllegalArgumentException(what + " needs image records (C×H×W); this model's records have shape " + s);
        }
        return new int[] {s.get(1), s.get(2)};
    }
}
