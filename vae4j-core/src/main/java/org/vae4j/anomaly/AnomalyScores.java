package org.vae4j.anomaly;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.Dataset;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.Dataset;
import org.vae4j.eval.Evaluator;
import org.vae4j.train.Inputs;
import org.vae4j.train.Inputs;
import org.vae4j.model.Batch;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.UnsupportedCapabilityException;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.InputBuffer;

/**
 * Per-record anomaly scores of a trained model, higher = more anomalous, in nats (squared error for
 * {@link ScoreMethod#RECON_ERROR}). Records go through the networks {@value #BATCH} at a time, so memory is bounded
 * by the batch, not the data set.
 */
public final class AnomalyScores {
    /** Records per forward pass. */
    static final int BATCH = 256;

    private AnomalyScores() {}

    /**
     * Scores {@code n} records.
     *
     * @param model the model
     * @param data {@code n × featureSize} values as the model sees them (already binarised if it was trained so)
     * @param n records
     * @param method the score
     * @param samples samples of z per record (≥ 1; ignored by {@code recon-error})
     * @param seed engine seed for the sampled z
     * @param progress receives the number of records done (may be null)
     * @return {@code n} scores in record order
     * @throws IllegalArgumentException if the method needs a posterior and the model has none (naming the valid
     *     methods), or {@code samples < 1}
     */
    public static double[] score(VaeModel model, float[] data, int n, ScoreMethod method, int samples, long seed,
            IntConsumer progress) {
        return score(model, data, null, n, method, samples, seed, progress);
    }

    /**
     * {@link #score(VaeModel, float[], int, ScoreMethod, int, long, IntConsumer)} with the records' labels, which a
     * conditional model needs (its scores are then of x given its label). A record's score depends only on the record,
     * its label, the method, the samples and the seed: not on the batch, its neighbours or their order.
     *
     * @param labels one label per record, or null for unconditional models
     */
    public static double[] score(VaeModel model, float[] data, int[] labels, int n, ScoreMethod method, int samples, long seed,
            IntConsumer progress) {
        return score(model, data, labels, n, method, samples, seed, progress, 1);
    }

    /**
     * {@link #score(VaeModel, float[], int[], int, ScoreMethod, int, long, IntConsumer)} with {@code iw-nll} estimated
     * {@code workers} records at a time, each on one engine thread (the same scores; see
     * {@link Evaluator#importanceWeightedNllPerRecord(VaeModel, float[], int[], int, int, long, IntConsumer, int)}). The
     * other methods score whole batches and ignore it.
     */
    public static double[] score(VaeModel model, float[] data, int[] labels, int n, ScoreMethod method, int samples, long seed,
            IntConsumer progress, int workers) {
        checkMethod(model, method);
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        if (samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("--samples must be at most " + MAX_SAMPLES
                    + " (samples of z per record; each costs a decoder pass), got " + samples);
        }
        if (n < 1 || data.length != (long) n * model.featureSize()) {
            throw new IllegalArgumentException("expected " + n + " × " + model.featureSize() + " values, got " + data.length);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
        if (method == ScoreMethod.IW_NLL) {
            return Evaluator.importanceWeightedNllPerRecord(model, data, labels, n, samples, seed, progress, workers);
        }
        int d = model.featureSize();
        double[] out = new double[n];
        InputBuffer input = new InputBuffer();
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            try (NDManager sub = model.manager().newSubManager()) {
                NDArray x = input.wrap(sub, data, start * d, b * d, model.batchShape(b));
                Batch batch = model.batch(x, Batch.labels(labels, start, b));
                Noise noise = Noise.perRecord(seed, data, start * d, b, d);
                float[] s = switch (method) {
                    case NEG_ELBO -> negElbo(model, batch, samples, noise);
                    case RECON_PROB -> reconProb(model, batch, b, samples, noise);
                    case RECON_ERROR -> reconError(model, batch, b);
                    default -> throw new IllegalStateException(method.id());
                };
                for (int i = 0; i < b; i++) {
                    out[start + i] = s[i];
                }
            }
            if (progress != null) {
                progress.accept(start + b);
            }
        }
        return out;
    }

    /**
     * Most samples of z per record ({@link Evaluator#MAX_IW_SAMPLES}): memory does not grow with them (each sample's
     * arrays are freed before the next), time does.
     */
    public static final int MAX_SAMPLES = Evaluator.MAX_IW_SAMPLES;

    /** Records read and scored at a time by {@link #score(VaeModel, Dataset, ScoreMethod, int, long, IntConsumer)}. */
    public static final int CHUNK = 8192;

    /**
     * The score a model gives by default: the importance-weighted NLL where it can estimate log p(x), else the
     * reconstruction error.
     */
    public static ScoreMethod defaultMethod(VaeModel model) {
        return model.can(Capability.IMPORTANCE_WEIGHTED) ? ScoreMethod.IW_NLL : ScoreMethod.RECON_ERROR;
    }

    /**
     * Scores every record of a data set (in memory or streamed), {@value #CHUNK} records at a time so memory is bounded
     * by the chunk, transformed as the model saw its data (binarised once, as evaluation does); a conditional model
     * scores each record given its label. Every chunk uses the same seed: a record's draws come from its own stream,
     * so its score does not depend on the chunk it falls in.
     *
     * @param progress receives the number of records done (may be null)
     * @return one score per record, in order
     * @throws IllegalArgumentException when the data set is empty or a conditional model's data have no labels
     */
    public static double[] score(VaeModel model, Dataset data, ScoreMethod method, int samples, long seed, IntConsumer progress) {
        return score(model, data, method, samples, seed, progress, 1);
    }

    /**
     * {@link #score(VaeModel, Dataset, ScoreMethod, int, long, IntConsumer)} with {@code iw-nll} estimated {@code workers}
     * records at a time (the same scores).
     */
    public static double[] score(VaeModel model, Dataset data, ScoreMethod method, int samples, long seed, IntConsumer progress,
            int workers) {
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.name() + ": no records to score");
        }
        int[] labels = Evaluator.labelsFor(model, data);
        int n = data.size();
        int d = data.featureSize();
        double[] out = new double[n];
        // in-memory records are binarised as one array, exactly as evaluation does it
        float[] inMemory = data instanceof ArrayDataset a ? Inputs.forEvaluation(a.data(), model.config().transform()) : null;
        for (int start = 0; start < n; start += CHUNK) {
            int b = Math.min(CHUNK, n - start);
            float[] x;
            if (inMemory != null) {
                x = Arrays.copyOfRange(inMemory, start * d, (start + b) * d);
            } else {
                x = new float[b * d];
                for (int i = 0; i < b; i++) {
                    data.copyRecord(start + i, x, i * d);
                }
                x = Inputs.forEvaluation(x, model.config().transform());
            }
            int done = start;
            double[] part = score(model, x, Batch.labels(labels, start, b), b, method, samples,
                    seed, progress == null ? null : r -> progress.accept(done + r), workers);
            System.arraycopy(part, 0, out, start, b);
        }
        return out;
    }

    /**
     * Rejects a method the model cannot compute, naming the ones it can.
     *
     * @throws UnsupportedCapabilityException when the model cannot encode, or the method needs a posterior it lacks
     */
    public static void checkMethod(VaeModel model, ScoreMethod method) {
        model.require(Capability.ENCODES, "score method '" + method.id() + "'");
        if (method.needsPosterior() && !model.can(Capability.POSTERIOR)) {
            throw new UnsupportedCapabilityException(Capability.POSTERIOR, "score method '" + method.id() + "' needs a variational model; '"
                    + model.config().model() + "' has no posterior distribution (valid: " + ScoreMethod.ids(validFor(model)) + ")");
        }
        if (method == ScoreMethod.IW_NLL) {
            model.require(Capability.IMPORTANCE_WEIGHTED, "score method '" + method.id() + "'");
        }
    }

    /** The methods a model supports (none for a model without an encoder: every method puts records through it). */
    public static ScoreMethod[] validFor(VaeModel model) {
        return Arrays.stream(ScoreMethod.values())
                .filter(m -> model.can(Capability.ENCODES))
                .filter(m -> !m.needsPosterior() || model.can(Capability.POSTERIOR))
                .filter(m -> m != ScoreMethod.IW_NLL || model.can(Capability.IMPORTANCE_WEIGHTED))
                .toArray(ScoreMethod[]::new);
    }

    // mean over K sampled z of the reconstruction NLL, plus the (analytic, z-independent) KL
    private static float[] negElbo(VaeModel model, Batch batch, int k, Noise noise) {
        float[] acc = null;
        float[] kl = null;
        NDManager batchManager = batch.x().getManager();
        for (int j = 0; j < k; j++) {
            // each sample's arrays are freed before the next (memory independent of k)
            try (NDManager s = batchManager.newSubManager()) {
                ModelOutput o = model.forward(Evaluator.local(batch, s), false, Objective.elbo(1), noise);
                float[] r = o.recon().toFloatArray();
                if (acc == null) {
                    acc = r;
                    kl = o.kl().toFloatArray();
                } else {
                    for (int i = 0; i < r.length; i++) {
                        acc[i] += r[i];
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] = acc[i] / k + kl[i];
        }
        return acc;
    }

    private static float[] reconProb(VaeModel model, Batch batch, int b, int k, Noise noise) {
        NDArray x = batch.x();
        NDArray[] post = model.posterior(batch, false);
        NDArray sigma = post[1].mul(0.5).exp();
        NDArray xFlat = x.reshape(b, model.featureSize());
        double[] acc = new double[b];
        for (int j = 0; j < k; j++) {
            try (NDManager s = x.getManager().newSubManager()) {
                // z from this sample's own copies, so its arrays are freed with s (memory independent of k)
                NDArray z = Evaluator.local(post[0], s).add(Evaluator.local(sigma, s).mul(noise.normal(s, new Shape(b, model.latent()))));
                float[] nll = model.likelihood().nll(model.decoderOutput(z, Evaluator.local(batch.condition(), s), false),
                        Evaluator.local(xFlat, s), model.scalars()).toFloatArray();
                for (int i = 0; i < b; i++) {
                    acc[i] += nll[i];
                }
            }
        }
        float[] out = new float[b];
        for (int i = 0; i < b; i++) {
            out[i] = (float) (acc[i] / k);
        }
        return out;
    }

    private static float[] reconError(VaeModel model, Batch batch, int b) {
        NDArray x = batch.x();
        NDArray mu = model.posterior(batch, false)[0];
        NDArray mean = model.decodeMean(mu, batch.condition());
        return mean.sub(x.reshape(b, model.featureSize())).square().sum(new int[] {1}).toFloatArray();
    }
}
